//===- LowerToTargetKernels.cpp - Packed-weight micro-kernels per target --===//
//
// Replaces the i32 contraction of a dense layer (8-bit activations times
// constant 8-bit weights) by a register-blocked micro-kernel built from the
// target's dot-product instruction, called through llvm.call_intrinsic so
// instruction selection cannot fall back to a slower sequence; on RISC-V V,
// also the XNOR + popcount contraction of a binary layer, by mask registers.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Target/Passes.h"

#include "quantaware/Analysis/AccumulatorBounds.h"
#include "quantaware/Target/TargetDescriptor.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/TargetParser/Triple.h"

namespace mlir::qa {
#define GEN_PASS_DEF_QALOWERTOTARGETKERNELS
#include "quantaware/Target/Passes.h.inc"
} // namespace mlir::qa

using namespace mlir;
using namespace mlir::qa;

namespace {

/// AVX2's split activations (a batch of one): u = 32 * (u >> 5) + (u & 31)
/// for u8 (or biased) u, both parts through vpmaddubsw with s8 weights.
/// The low parts' pair sums, within +-2 * 31 * 128, add up in i16 over a
/// group of 4 steps; the top parts' (u >> 5 <= 7: within [-1792, 1778])
/// over 16 steps, before vpmaddwd widens them (times 32).
constexpr int64_t splitLowBits = 5;
constexpr int64_t splitGroup = 4;
constexpr int64_t splitStepsPerFlush = 16;
static_assert(splitGroup * 2 * ((1 << splitLowBits) - 1) * 128 <= INT16_MAX);
static_assert(splitStepsPerFlush * 2 * (255 >> splitLowBits) * 128 <=
              -int64_t(INT16_MIN));
static_assert(splitStepsPerFlush % splitGroup == 0);

/// AVX2, a batch of one with 2- or 4-bit weights read as unsigned fields
/// (at most 15): vpmaddubsw's pair sums, within 2 * 255 * 15, add up in
/// i16 over a group of 4 steps before vpmaddwd widens them.
constexpr int64_t fieldGroup = 4;
static_assert(fieldGroup * 2 * 255 * 15 <= INT16_MAX);

/// acc[m, n] += ext(x[m, k]) * ext(w[n, k]) on buffers, w a constant global.
struct Contraction {
  linalg::GenericOp op;
  Value input, output;
  int64_t rows, channels, depth;
  bool inputSigned, weightsSigned;
  /// w[n * depth + k], as the integers the storage means, times
  /// 2^weightScaleShift: 2- and 4-bit weights (packed in bytes, fieldBits
  /// < 8) are read at the top of their byte (times 2^(8 - fieldBits)), or
  /// after readFieldsInPlace, where they are.
  SmallVector<int64_t> weights;
  /// Bits of each stored weight: 8, or 4 or 2 fields per byte, lowest
  /// first, with the input [rows, bytes, fields per byte].
  int64_t fieldBits = 8;
  int64_t weightScaleShift = 0;
  /// Added to each weight as stored, after readFieldsUnsigned: the kernel
  /// reads w + weightOffset as an unsigned field and takes weightOffset *
  /// sum_k x[m, k] back at run time (weights keeps w).
  int64_t weightOffset = 0;
  int64_t fieldsPerByte() const { return 8 / fieldBits; }
  /// The stored bits of w[n, k] (weights[at], read at the top of a byte or
  /// where it is, plus weightOffset).
  int64_t storedField(int64_t at) const {
    return ((weights[at] >> weightScaleShift) + weightOffset) &
           ((1 << fieldBits) - 1);
  }
  void readFieldsInPlace() {
    for (int64_t &w : weights)
      w >>= weightScaleShift;
    weightScaleShift = 0;
  }
  /// Fields read in place as unsigned values: signed ones stored as w +
  /// 2^(fieldBits - 1), which no longer needs a sign extension.
  void readFieldsUnsigned() {
    readFieldsInPlace();
    if (!weightsSigned)
      return;
    weightOffset = int64_t(1) << (fieldBits - 1);
    weightsSigned = false;
  }
};

enum class Sequence {
  X86Vpdpbusd,
  X86Pmaddubsw,
  X86PmaddubswSplit,
  X86PmaddubswGrouped,
  X86Pmaddwd,
  ArmSdot,
  ArmSmmla,
  ArmUsmmla,
  ArmSmullSadalp,
  RiscvVwmacc,
};

/// How one instruction step reads its operands: `lanes` i32 accumulators,
/// each adding `depth` products of `elementBits`-wide elements.
struct Kernel {
  Sequence sequence;
  int64_t lanes, depth, elementBits;
  /// Vector registers of the target, and the temporaries a step needs
  /// besides accumulators, weight vectors and activations.
  int64_t registers, scratch;
  /// Activations are packed as x xor 0x80 and a per-channel correction of
  /// -+128 sum_k w[n, k] (of the weights as read) is added (u8 x s8
  /// instructions).
  bool biasActivations;
  /// Steps whose activation words one vector load brings per row (then used
  /// lane by lane: the by-element form of sdot, as AArch64 has no
  /// offset addressing for load-and-broadcast); 1: a broadcast per step.
  int64_t stepsPerLoad = 1;
  /// u8 weights beyond 127, an unsigned operand: vpdpbusd's u8 one (the
  /// activations, biased if unsigned, its s8 one), or udot's instead of
  /// sdot, umull's instead of smull (the activations biased if signed).
  bool unsignedWeightOperand = false;
};

/// The register block and loop extents of one contraction.
struct Plan {
  Kernel kernel;
  int64_t rowsPerTile, vectorsPerTile;
  int64_t steps; // K / depth, rounded up
  int64_t tileColumns() const { return vectorsPerTile * kernel.lanes; }
};

} // namespace

static bool hasFeature(StringRef features, StringRef name) {
  SmallVector<StringRef> list;
  features.split(list, ',');
  return llvm::is_contained(list, ("+" + name).str());
}

/// Whether `value` is `arg` sign-extended (true) or zero-extended (false).
static std::optional<bool> extensionOf(Value value, BlockArgument arg) {
  if (auto ext = value.getDefiningOp<arith::ExtSIOp>();
      ext && ext.getIn() == arg)
    return true;
  if (auto ext = value.getDefiningOp<arith::ExtUIOp>();
      ext && ext.getIn() == arg)
    return false;
  return std::nullopt;
}

/// Whether `value` is the integer constant `expected`.
static bool isConstant(Value value, int64_t expected) {
  APInt constant;
  return matchPattern(value, m_ConstantInt(&constant)) &&
         constant.getSExtValue() == expected;
}

/// The buffers of `op` if it reads two and accumulates into one with
/// `maps` (two parallel loops, then reductions), all static, i8 inputs and
/// an i32 output with the identity layout and no empty dimension.
static std::optional<std::array<MemRefType, 3>>
contractionBuffers(linalg::GenericOp op, ArrayRef<AffineMap> maps) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getIndexingMapsArray() != maps)
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators(2, utils::IteratorType::parallel);
  iterators.resize(maps.front().getNumDims(), utils::IteratorType::reduction);
  if (op.getIteratorTypesArray() != iterators)
    return std::nullopt;
  std::array<MemRefType, 3> types = {
      dyn_cast<MemRefType>(op.getDpsInputOperand(0)->get().getType()),
      dyn_cast<MemRefType>(op.getDpsInputOperand(1)->get().getType()),
      dyn_cast<MemRefType>(op.getDpsInitOperand(0)->get().getType())};
  for (MemRefType type : types)
    if (!type || !type.hasStaticShape() ||
        llvm::any_of(type.getShape(), [](int64_t d) { return d <= 0; }))
      return std::nullopt;
  if (!types[0].getElementType().isInteger(8) ||
      !types[1].getElementType().isInteger(8) ||
      !types[2].getElementType().isInteger(32) ||
      !types[2].getLayout().isIdentity())
    return std::nullopt;
  return types;
}

/// Whether `op` is acc[m, n] = f(x[m, k], w[n, k], acc[m, n]) reduced over
/// k, on static buffers of i8 x and w (unit stride along k) and an i32
/// output with the identity layout.
static bool isByteContraction(linalg::GenericOp op) {
  MLIRContext *ctx = op.getContext();
  AffineExpr m, n, k;
  bindDims(ctx, m, n, k);
  auto buffers = contractionBuffers(op, {AffineMap::get(3, 0, {m, k}, ctx),
                                         AffineMap::get(3, 0, {n, k}, ctx),
                                         AffineMap::get(3, 0, {m, n}, ctx)});
  return buffers && (*buffers)[0].isLastDimUnitStride() &&
         (*buffers)[1].isLastDimUnitStride();
}

/// The constant integers of the global `value` reads, if it is one.
static DenseIntElementsAttr constantGlobal(Operation *from, Value value) {
  auto getGlobal = value.getDefiningOp<memref::GetGlobalOp>();
  if (!getGlobal)
    return {};
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      from, getGlobal.getNameAttr());
  return global && global.getConstant()
             ? dyn_cast_or_null<DenseIntElementsAttr>(
                   global.getInitialValueAttr())
             : DenseIntElementsAttr();
}

/// The weight operand of `acc + ext(x) * ext(weight)`, the body's yield,
/// with the extensions' signedness (x's, the weight's).
struct ProductOperands {
  Value weight;
  bool inputSigned, weightSigned;
};
static std::optional<ProductOperands> productOf(Block &body) {
  auto add = body.getTerminator()->getOperand(0).getDefiningOp<arith::AddIOp>();
  BlockArgument acc = body.getArgument(2);
  if (!add || (add.getLhs() != acc && add.getRhs() != acc))
    return std::nullopt;
  auto mul = (add.getLhs() == acc ? add.getRhs() : add.getLhs())
                 .getDefiningOp<arith::MulIOp>();
  if (!mul)
    return std::nullopt;
  std::optional<bool> inputSigned =
      extensionOf(mul.getLhs(), body.getArgument(0));
  Operation *weightExt = mul.getRhs().getDefiningOp();
  if (!inputSigned || !weightExt ||
      !isa<arith::ExtSIOp, arith::ExtUIOp>(weightExt))
    return std::nullopt;
  return ProductOperands{weightExt->getOperand(0), *inputSigned,
                         isa<arith::ExtSIOp>(weightExt)};
}

/// qa-lower-to-integer's contraction of 2- and 4-bit weights, kept packed:
/// acc[m, n] += ext(x[m, j, p]) * ext(field p of w[n, j]) over (j, p),
/// the field shifted to the top of the byte by (8 - bits) - p * bits and
/// back by 8 - bits (arithmetically for signed storage). Returns the field
/// width, or 0.
static int64_t packedFieldBits(linalg::GenericOp op, Value weight) {
  MLIRContext *ctx = op.getContext();
  AffineExpr m, n, j, p;
  bindDims(ctx, m, n, j, p);
  auto buffers = contractionBuffers(op, {AffineMap::get(4, 0, {m, j, p}, ctx),
                                         AffineMap::get(4, 0, {n, j}, ctx),
                                         AffineMap::get(4, 0, {m, n}, ctx)});
  if (!buffers || !(*buffers)[0].getLayout().isIdentity() ||
      !(*buffers)[1].getLayout().isIdentity())
    return 0;
  MemRefType inputType = (*buffers)[0];
  int64_t fields = inputType.getDimSize(2);
  if (fields != 2 && fields != 4)
    return 0;
  int64_t bits = 8 / fields;
  // weight = shr(shl(w, (8 - bits) - p * bits), 8 - bits).
  Operation *down = weight.getDefiningOp();
  if (!down || !isa<arith::ShRSIOp, arith::ShRUIOp>(down) ||
      !isConstant(down->getOperand(1), 8 - bits))
    return 0;
  auto up = down->getOperand(0).getDefiningOp<arith::ShLIOp>();
  Block &body = op.getRegion().front();
  if (!up || up.getLhs() != body.getArgument(1))
    return 0;
  auto amount = up.getRhs().getDefiningOp<arith::SubIOp>();
  auto offset =
      amount ? amount.getRhs().getDefiningOp<arith::MulIOp>() : arith::MulIOp();
  if (!offset || !isConstant(amount.getLhs(), 8 - bits) ||
      !isConstant(offset.getRhs(), bits))
    return 0;
  auto cast = offset.getLhs().getDefiningOp<arith::IndexCastOp>();
  auto index =
      cast ? cast.getIn().getDefiningOp<linalg::IndexOp>() : linalg::IndexOp();
  return index && index.getDim() == 3 ? bits : 0;
}

static std::optional<Contraction> matchContraction(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      body.getNumArguments() != 3)
    return std::nullopt;
  std::optional<ProductOperands> product = productOf(body);
  if (!product)
    return std::nullopt;
  Contraction c;
  c.op = op;
  c.input = op.getDpsInputOperand(0)->get();
  c.output = op.getDpsInitOperand(0)->get();
  c.inputSigned = product->inputSigned;
  c.weightsSigned = product->weightSigned;
  auto inputType = cast<MemRefType>(c.input.getType());
  auto weightType = cast<MemRefType>(op.getDpsInputOperand(1)->get().getType());
  DenseIntElementsAttr values =
      constantGlobal(op, op.getDpsInputOperand(1)->get());
  if (!values)
    return std::nullopt;
  SmallVector<int64_t> stored;
  for (const APInt &value : values.getValues<APInt>())
    stored.push_back(value.getZExtValue());
  c.rows = inputType.getDimSize(0);
  c.channels = weightType.getDimSize(0);

  // Bytes: yield(acc + ext(x) * ext(w)), nothing else.
  if (isByteContraction(op) && body.getOperations().size() == 5 &&
      product->weight == body.getArgument(1)) {
    c.depth = inputType.getDimSize(1);
    for (int64_t value : stored)
      c.weights.push_back(c.weightsSigned ? int8_t(value) : value);
    return c;
  }
  // Packed fields, read at the top of their byte: the extension is of the
  // shifted byte, so its signedness is the shift's.
  c.fieldBits = packedFieldBits(op, product->weight);
  if (!c.fieldBits)
    return std::nullopt;
  // A signed field zero-extended would not be the field.
  bool fieldSigned = isa<arith::ShRSIOp>(product->weight.getDefiningOp());
  if (fieldSigned && !c.weightsSigned)
    return std::nullopt;
  c.weightsSigned = fieldSigned;
  int64_t bytes = weightType.getDimSize(1), fields = c.fieldsPerByte();
  c.depth = bytes * fields;
  c.weightScaleShift = 8 - c.fieldBits;
  // The scaled accumulators, at most depth * 255 * 128 plus the bias
  // correction's depth * 128 * 128, must not wrap.
  if (c.depth > 32768)
    return std::nullopt;
  for (int64_t n = 0; n < c.channels; ++n)
    for (int64_t k = 0; k < c.depth; ++k) {
      int64_t byte = stored[n * bytes + k / fields];
      int64_t top = (byte << (8 - c.fieldBits * (k % fields + 1))) & 0xff;
      top &= ~((int64_t(1) << c.weightScaleShift) - 1) & 0xff;
      c.weights.push_back(c.weightsSigned ? int8_t(top) : top);
    }
  return c;
}

/// `name` called through llvm.call_intrinsic, so that instruction selection
/// cannot pick another sequence.
static Value callIntrinsic(OpBuilder &b, Location loc, StringRef name,
                           Type result, ValueRange args) {
  return LLVM::CallIntrinsicOp::create(b, loc, result, b.getStringAttr(name),
                                       args)
      ->getResult(0);
}

/// The other operand of `op` than `known`, if `known` is one of them.
static Value otherOperand(Operation *op, Value known) {
  if (op->getOperand(0) == known)
    return op->getOperand(1);
  return op->getOperand(1) == known ? op->getOperand(0) : Value();
}

/// The binary layer's contraction (qa-lower-to-integer): bytes of 8 packed
/// bits, acc[m, n] += 2 * ctpop(~(x[m, j] ^ w[n, j])) over the bytes j.
static bool isXnorPopcount(linalg::GenericOp op) {
  if (!isByteContraction(op))
    return false;
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 7)
    return false;
  BlockArgument acc = body.getArgument(2);
  auto add = body.getTerminator()->getOperand(0).getDefiningOp<arith::AddIOp>();
  auto twice = add ? otherOperand(add, acc).getDefiningOp<arith::ShLIOp>()
                   : arith::ShLIOp();
  if (!twice || !isConstant(twice.getRhs(), 1))
    return false;
  auto widened = twice.getLhs().getDefiningOp<arith::ExtUIOp>();
  auto count = widened ? widened.getIn().getDefiningOp<math::CtPopOp>()
                       : math::CtPopOp();
  auto complement = count ? count.getOperand().getDefiningOp<arith::XOrIOp>()
                          : arith::XOrIOp();
  if (!complement)
    return false;
  auto difference = complement.getLhs().getDefiningOp<arith::XOrIOp>();
  Value ones = complement.getRhs();
  if (!difference) {
    difference = complement.getRhs().getDefiningOp<arith::XOrIOp>();
    ones = complement.getLhs();
  }
  return difference && isConstant(ones, -1) &&
         otherOperand(difference, body.getArgument(0)) == body.getArgument(1);
}

/// RVV: each row's bits as a mask register (vlm.v), so that vmxnor.mm and
/// vcpop.m count a register's worth of bits (VLEN: vscale x 64 mask
/// elements) per step, vl taking the tail. Rows of x and w are read where
/// they are.
static void emitMaskPopcount(linalg::GenericOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value input = op.getDpsInputOperand(0)->get(),
        weights = op.getDpsInputOperand(1)->get(),
        output = op.getDpsInitOperand(0)->get();
  auto outputType = cast<MemRefType>(output.getType());
  int64_t bytes = cast<MemRefType>(input.getType()).getDimSize(1);
  Type i64 = b.getI64Type();
  auto maskType = VectorType::get({64}, b.getI1Type(), {true});
  auto pointerType = LLVM::LLVMPointerType::get(b.getContext());
  auto index = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(b, loc, value);
  };
  // The address of byte `byte` of row `row` of `memref`, as a pointer.
  struct Rows {
    Value start, stride;
  };
  auto rowsOf = [&](Value memref) {
    auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, memref);
    Value base = memref::ExtractAlignedPointerAsIndexOp::create(
        b, loc, metadata.getBaseBuffer());
    return Rows{arith::AddIOp::create(b, loc, base, metadata.getOffset()),
                metadata.getStrides()[0]};
  };
  auto address = [&](const Rows &rows, Value row, Value byte) -> Value {
    Value at = arith::AddIOp::create(
        b, loc, rows.start,
        arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, row, rows.stride), byte));
    Value integer = arith::IndexCastOp::create(b, loc, i64, at);
    return LLVM::IntToPtrOp::create(b, loc, pointerType, integer);
  };
  auto intrinsic = [&](StringRef name, Type result, ValueRange args) {
    return callIntrinsic(b, loc, name, result, args);
  };
  Rows inputRows = rowsOf(input), weightRows = rowsOf(weights);
  Value bits = index(8 * bytes);
  Value registerBits = arith::MulIOp::create(
      b, loc, vector::VectorScaleOp::create(b, loc), index(64));
  Value ones = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(maskType, ArrayRef<bool>{true}));
  auto rowLoop = scf::ForOp::create(b, loc, index(0),
                                    index(outputType.getDimSize(0)), index(1));
  b.setInsertionPointToStart(rowLoop.getBody());
  auto channelLoop = scf::ForOp::create(
      b, loc, index(0), index(outputType.getDimSize(1)), index(1));
  b.setInsertionPointToStart(channelLoop.getBody());
  Value m = rowLoop.getInductionVar(), n = channelLoop.getInductionVar();
  auto steps = scf::ForOp::create(
      b, loc, index(0), bits, registerBits,
      ValueRange{arith::ConstantIntOp::create(b, loc, i64, 0)});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(steps.getBody());
    Value first = steps.getInductionVar();
    Value vl = arith::IndexCastOp::create(
        b, loc, i64,
        arith::MinUIOp::create(b, loc, registerBits,
                               arith::SubIOp::create(b, loc, bits, first)));
    Value byte = arith::DivUIOp::create(b, loc, first, index(8));
    Value x = intrinsic("llvm.riscv.vlm.nxv64i1.i64", maskType,
                        {address(inputRows, m, byte), vl});
    Value w = intrinsic("llvm.riscv.vlm.nxv64i1.i64", maskType,
                        {address(weightRows, n, byte), vl});
    Value xnor = arith::XOrIOp::create(
        b, loc, arith::XOrIOp::create(b, loc, x, w), ones);
    Value count = intrinsic("llvm.riscv.vcpop.i64.nxv64i1", i64, {xnor, vl});
    scf::YieldOp::create(b, loc,
                         ValueRange{arith::AddIOp::create(
                             b, loc, steps.getRegionIterArgs()[0], count)});
  }
  Value twice = arith::ShLIOp::create(
      b, loc,
      arith::TruncIOp::create(b, loc, b.getI32Type(), steps.getResult(0)),
      arith::ConstantIntOp::create(b, loc, b.getI32Type(), 1));
  Value old = memref::LoadOp::create(b, loc, output, ValueRange{m, n});
  memref::StoreOp::create(b, loc, arith::AddIOp::create(b, loc, old, twice),
                          output, ValueRange{m, n});
  op.erase();
}

/// Whether `vpmaddubsw` of any u8 activations with these weights keeps
/// every i16 pair sum in range (pairs k = 2i, 2i + 1, as the packing keeps
/// them). Fields read in place (at most 15) always do.
static bool pairSumsFitI16(const Contraction &c) {
  if (c.fieldBits < 8 && !c.weightScaleShift)
    return true;
  for (int64_t n = 0; n < c.channels; ++n)
    if (pairSumsMaySaturateInt16(
            {0, 255}, ArrayRef(c.weights).slice(n * c.depth, c.depth)))
      return false;
  return true;
}

/// `kernel` for u8 weights beyond 127, with the weights as the unsigned
/// operand and the activations biased as `biasActivations` says.
static Kernel withUnsignedWeights(Kernel kernel, bool biasActivations) {
  kernel.unsignedWeightOperand = true;
  kernel.biasActivations = biasActivations;
  return kernel;
}

/// x86 features with AVX-512 VNNI (and the byte forms it needs).
static bool hasVnni(StringRef features) {
  return hasFeature(features, "avx512vnni") && hasFeature(features, "avx512bw");
}

/// x86 without AVX-512 VNNI: the AVX2 sequences.
static bool isX86WithoutVnni(const TargetDescriptor &target) {
  return llvm::Triple(target.triple).getArch() == llvm::Triple::x86_64 &&
         !hasVnni(target.features);
}

/// The sequence the descriptor's features offer for `c`, if any.
static std::optional<Kernel> selectKernel(const TargetDescriptor &target,
                                          const Contraction &c) {
  StringRef features = target.features;
  bool weightsFitS8 = c.weightsSigned || llvm::all_of(c.weights, [](int64_t w) {
                        return w <= INT8_MAX;
                      });
  llvm::Triple triple(target.triple);
  if (triple.getArch() == llvm::Triple::x86_64) {
    // vpdpbusd multiplies u8 by s8: s8 weights take the activations as the
    // u8 operand (s8 ones biased), u8 weights take them as the s8 one (u8
    // ones biased).
    if (hasVnni(features)) {
      Kernel vnni{Sequence::X86Vpdpbusd, 16, 4, 8, 32, 0, c.inputSigned};
      return weightsFitS8 ? vnni : withUnsignedWeights(vnni, !c.inputSigned);
    }
    // AVX-512BW implies AVX2 (descriptors name only the widest features).
    if (!hasFeature(features, "avx2") && !hasFeature(features, "avx512bw"))
      return std::nullopt;
    // A batch of one with packed fields (read as unsigned values, see
    // runOnOperation): vpmaddubsw, its pair sums added up in i16 over
    // fieldGroup steps (vpaddw) before one vpmaddwd widens them, where
    // nothing amortizes a widening per step.
    if (c.fieldBits < 8 && c.rows == 1) {
      assert(!c.weightsSigned && !c.weightScaleShift);
      return Kernel{
          Sequence::X86PmaddubswGrouped, 8, 4, 8, 16, 2, c.inputSigned,
          /*stepsPerLoad=*/fieldGroup};
    }
    if (weightsFitS8 && pairSumsFitI16(c))
      return Kernel{Sequence::X86Pmaddubsw, 8, 4, 8, 16, 2, c.inputSigned};
    // A batch of one reads each weight once, so vpmovsxbw costs as much as
    // the multiply-add it feeds: splitting the activations instead takes
    // 9.25 multiplies and 8.25 adds per 128 MACs instead of 8 extensions,
    // 8 multiplies and 8 adds (see emitTile).
    if (weightsFitS8 && c.rows == 1)
      return Kernel{Sequence::X86PmaddubswSplit, 8, 4, 8, 16, 2, c.inputSigned,
                    /*stepsPerLoad=*/splitGroup};
    return Kernel{Sequence::X86Pmaddwd, 8, 2, 16, 16, 1, false};
  }
  // RVV: vector-length agnostic, see emitScalable (lanes: i32 per vscale,
  // so LMUL-4 accumulators; makePlan counts its registers itself).
  if (triple.getArch() == llvm::Triple::riscv64)
    return hasFeature(features, "v")
               ? std::optional(
                     Kernel{Sequence::RiscvVwmacc, 8, 1, 16, 32, 1, false})
               : std::nullopt;
  if (triple.getArch() != llvm::Triple::aarch64)
    return std::nullopt;
  Kernel dot{Sequence::ArmSdot, 4, 4, 8, 32, 0, !c.inputSigned,
             /*stepsPerLoad=*/4};
  Kernel neon{Sequence::ArmSmullSadalp, 4, 2, 8, 32, 1, !c.inputSigned};
  // u8 weights beyond 127: udot / umull, whose activations are u8 (s8 ones
  // biased).
  if (!weightsFitS8) {
    if (hasFeature(features, "dotprod"))
      return withUnsignedWeights(dot, c.inputSigned);
    if (hasFeature(features, "neon"))
      return withUnsignedWeights(neon, c.inputSigned);
    return std::nullopt;
  }
  // i8mm: 2x8 by 8x2 matrix products, so `lanes` is 2 columns (the
  // accumulator's 4 lanes hold 2 rows by 2 columns) and `depth` 8.
  if (hasFeature(features, "i8mm"))
    return Kernel{c.inputSigned ? Sequence::ArmSmmla : Sequence::ArmUsmmla,
                  2,
                  8,
                  8,
                  32,
                  0,
                  false};
  if (hasFeature(features, "dotprod"))
    return dot;
  if (hasFeature(features, "neon"))
    return neon;
  return std::nullopt;
}

/// smmla / usmmla: each accumulator holds 2 rows by 2 columns.
static bool isMatrixProduct(Sequence sequence) {
  return sequence == Sequence::ArmSmmla || sequence == Sequence::ArmUsmmla;
}

/// Up to 6 rows by the target's default vectors; fewer rows (a batch of
/// one) leave registers for more vectors per row. Accumulators, the weight
/// vectors of a step, the activations (one broadcast, or one vector per row)
/// and the temporaries must fit the registers.
static Plan makePlan(const Kernel &kernel, const Contraction &c) {
  int64_t steps =
      llvm::alignTo(llvm::divideCeil(c.depth, kernel.depth),
                    std::max(kernel.stepsPerLoad, c.fieldsPerByte()));
  if (isMatrixProduct(kernel.sequence)) {
    // Pairs of rows: accumulators, one activation vector per pair and the
    // weight vectors must fit: 4 pairs by 4 column pairs, or for a batch of
    // one or two, one pair by up to 8.
    int64_t pairs = std::min<int64_t>(4, llvm::divideCeil(c.rows, 2));
    int64_t vectors =
        pairs >= 4 ? 4 : std::min<int64_t>(8, (32 - pairs) / (pairs + 1));
    vectors = std::min<int64_t>(vectors, llvm::divideCeil(c.channels, 2));
    return Plan{kernel, 2 * pairs, vectors, steps};
  }
  if (kernel.sequence == Sequence::RiscvVwmacc) {
    // LMUL-4 accumulators (4 registers each), one widened LMUL-2 weight
    // vector per column vector and the LMUL-1 raw vector being widened: 7
    // rows by 1 vector, or for fewer rows, more vectors.
    auto fits = [&](int64_t rows, int64_t vectors) {
      return 4 * rows * vectors + 2 * vectors + kernel.scratch <=
             kernel.registers;
    };
    int64_t rows = std::min<int64_t>(7, c.rows), vectors = 1;
    while (fits(rows, vectors + 1))
      ++vectors;
    // No more vectors than N fills at the smallest vector length (VLEN
    // 128: 2 x `lanes`).
    vectors = std::min<int64_t>(vectors,
                                llvm::divideCeil(c.channels, 2 * kernel.lanes));
    return Plan{kernel, rows, vectors, steps};
  }
  // The split activations take three sums per output vector (i32, and
  // the i16 ones of the low and top parts), two broadcasts, and a weight
  // vector at a time; grouped steps two sums per output vector, the packed
  // weight bytes of each vector and a broadcast.
  bool split = kernel.sequence == Sequence::X86PmaddubswSplit;
  bool grouped = kernel.sequence == Sequence::X86PmaddubswGrouped;
  auto fits = [&](int64_t rows, int64_t vectors) {
    if (split)
      return 3 * rows * vectors + 1 + 2 + kernel.scratch <= kernel.registers;
    if (grouped)
      return 2 * rows * vectors + vectors + 1 + kernel.scratch <=
             kernel.registers;
    int64_t activations = kernel.stepsPerLoad > 1 ? rows : 1;
    return rows * vectors + vectors + activations + kernel.scratch <=
           kernel.registers;
  };
  int64_t vectors = kernel.registers >= 32 ? 4 : 2;
  int64_t rows = std::min<int64_t>(6, c.rows);
  while (rows > 1 && !fits(rows, vectors))
    --rows;
  // Rows limited by the batch: widen the block instead, up to 8 vectors
  // where there are 32 registers (a batch of one then has 8 independent
  // accumulator chains to cover the multiply-accumulate's latency).
  int64_t maxVectors = kernel.registers >= 32 ? 8 : 4;
  if (rows == c.rows)
    while (vectors < maxVectors && fits(rows, vectors + 1))
      ++vectors;
  vectors =
      std::min<int64_t>(vectors, llvm::divideCeil(c.channels, kernel.lanes));
  return Plan{kernel, rows, vectors, steps};
}

namespace {
/// Builds the IR of one contraction, replacing `c.op`.
class KernelEmitter {
public:
  KernelEmitter(const Contraction &contraction, const Plan &plan,
                ModuleOp module, SymbolTable &symbols)
      : c(contraction), plan(plan), kernel(plan.kernel), module(module),
        symbols(symbols), b(c.op), loc(c.op.getLoc()) {}

  void emit();

private:
  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value plus(Value base, int64_t offset) {
    return offset == 0 ? base
                       : arith::AddIOp::create(b, loc, base, index(offset));
  }
  Value splat(VectorType type, Attribute element) {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, ArrayRef(element)));
  }
  /// The first `count` of `size` lanes.
  Value prefixMask(int64_t size, int64_t count) {
    SmallVector<bool> lanes(size, false);
    std::fill_n(lanes.begin(), count, true);
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(VectorType::get({size}, b.getI1Type()),
                               ArrayRef(lanes)));
  }
  Value extend(Value value, Type type, bool isSigned) {
    if (isSigned)
      return arith::ExtSIOp::create(b, loc, type, value);
    return arith::ExtUIOp::create(b, loc, type, value);
  }
  Value intrinsic(StringRef name, Type result, ValueRange args) {
    return callIntrinsic(b, loc, name, result, args);
  }
  /// The row of packedInput that holds row `firstRow + r`.
  Value packedRow(Value firstRow, int64_t r) {
    return packedRowBlocks ? index(r) : plus(firstRow, r);
  }
  Type i8() { return b.getI8Type(); }
  Type i32() { return b.getI32Type(); }
  /// Bits of the word holding one lane's `depth` packed elements.
  int64_t wordBits() const { return kernel.depth * kernel.elementBits; }
  /// `lanes` i32 sums, or 2 rows of them for the matrix products.
  VectorType accumulatorType() {
    return VectorType::get(
        {kernel.lanes * (isMatrixProduct(kernel.sequence) ? 2 : 1)}, i32());
  }
  /// One step's operand: `lanes * depth` elements as the instruction reads.
  VectorType operandType() {
    return VectorType::get({kernel.lanes * kernel.depth},
                           b.getIntegerType(kernel.elementBits));
  }

  Value constantBuffer(StringRef name, DenseElementsAttr value);
  void accumulateInto(Value sum, ValueRange at, Value mask);
  Value packWeights();
  void emitScalable();
  void eraseContraction();
  Value packCorrection();
  void packActivations(bool perRowBlock);
  void packActivationRows(Value firstRow, int64_t rows);
  Value packActivationPairs();
  Value allocatePacked(MemRefType type);
  void freePacked(Value buffer);
  void emitMatrixTile(Value tile, Value firstColumn, int64_t validColumns,
                      Value firstRow, int64_t rows);
  Value step(Value acc, Value activation, Value weight);
  Value addPairSums(Value acc, Value pairs, int64_t times);
  Value weightField(Value packed, int64_t field);
  struct WeightSource {
    Value buffer, tile;
    int64_t fields;
  };
  WeightSource weightSource(Value tile);
  Value scaledBack(Value sum);
  void emitTile(Value tile, Value firstColumn, int64_t validColumns,
                Value firstRow, int64_t rows);
  void emitRowBlocks(function_ref<void(Value firstRow, int64_t rows)> body,
                     int64_t from = 0);
  void unpackFields(Value buffer, Value first, Value last);

  Contraction c;
  const Plan &plan;
  const Kernel &kernel;
  ModuleOp module;
  SymbolTable &symbols;
  OpBuilder b;
  Location loc;
  Value packedWeights, correction, packedInput;
  /// sum_k x[m, k] per row of packedInput, where c.weightOffset needs it.
  Value inputSums;
  /// packedInput holds one block of rows (its row 0 the block's first).
  bool packedRowBlocks = false;
  /// Split activations: where each packed row's top-bit words start (0:
  /// not split).
  int64_t topBitsOffset = 0;
  /// The weights of a block of tiles read once per call into the
  /// instruction's operands (packed fields as bytes, vpmaddwd's extended to
  /// i16) in packWeights' layout, and the block's first tile.
  Value preparedWeights, preparedFirstTile;
  /// While set (the first block of rows), emitTile stores the weights it
  /// extends into it, in preparedWeights' layout.
  Value fillingWeights;
  /// Offset fields (c.weightOffset) are prepared as the signed weights:
  /// the tiles that read them need neither the offset's correction nor the
  /// input sums; the last, partial tile still reads the offset fields.
  bool preparedSigned = false;
  bool zeroInitialized = false;
};
} // namespace

/// A private constant global holding `value` (renamed where `name` is
/// taken: one per contraction), read here through memref.get_global.
Value KernelEmitter::constantBuffer(StringRef name, DenseElementsAttr value) {
  OpBuilder detached(module.getContext());
  auto type = MemRefType::get(value.getType().getShape(),
                              value.getType().getElementType());
  auto global = memref::GlobalOp::create(
      detached, loc, name, b.getStringAttr("private"), type, value,
      /*constant=*/true, b.getI64IntegerAttr(64));
  symbols.insert(global, module.getBody()->begin());
  return memref::GetGlobalOp::create(b, loc, global.getType(),
                                     global.getSymName());
}

/// Adds `sum` to the output at `at` (unless a zero fill was dropped: then it
/// is stored as is), only in the lanes of `mask` where one is given.
void KernelEmitter::accumulateInto(Value sum, ValueRange at, Value mask) {
  auto type = cast<VectorType>(sum.getType());
  if (!zeroInitialized) {
    Value old =
        mask ? Value(vector::MaskedLoadOp::create(
                   b, loc, type, c.output, at, mask,
                   splat(type, b.getIntegerAttr(type.getElementType(), 0))))
             : Value(vector::LoadOp::create(b, loc, type, c.output, at));
    sum = arith::AddIOp::create(b, loc, sum, old);
  }
  if (mask)
    vector::MaskedStoreOp::create(b, loc, c.output, at, mask, sum);
  else
    vector::StoreOp::create(b, loc, sum, c.output, at);
}

/// [tiles][steps][vectors * lanes * depth] i8, zero outside w (offset
/// fields: weightOffset past K, the stored zero). Packed fields stay packed:
/// [tiles][steps / fields][...], field f of each byte (lowest first) that
/// of step fields * i + f.
Value KernelEmitter::packWeights() {
  int64_t tiles = llvm::divideCeil(c.channels, plan.tileColumns());
  int64_t row = plan.tileColumns() * kernel.depth;
  int64_t fields = c.fieldsPerByte(), packedSteps = plan.steps / fields;
  SmallVector<int8_t> packed(tiles * packedSteps * row, 0);
  for (int64_t n = 0; n < c.channels; ++n)
    for (int64_t k = 0; k < plan.steps * kernel.depth; ++k) {
      int64_t tile = n / plan.tileColumns(), column = n % plan.tileColumns();
      int64_t step = k / kernel.depth, element = k % kernel.depth;
      int64_t field =
          k < c.depth ? c.storedField(n * c.depth + k) : c.weightOffset;
      int8_t &byte = packed[(tile * packedSteps + step / fields) * row +
                            column * kernel.depth + element];
      byte =
          static_cast<int8_t>(byte | field << (c.fieldBits * (step % fields)));
    }
  auto type = RankedTensorType::get({tiles, packedSteps, row}, i8());
  return constantBuffer("__qa_packed_weights",
                        DenseElementsAttr::get(type, ArrayRef(packed)));
}

/// -+128 sum_k w[n, k] per channel, zero-padded to whole tiles: what the
/// activations' 128 bias adds to each accumulator, taken back (the sum of
/// the weights as the kernel reads them, over K rounded up to whole steps:
/// w + weightOffset, zero past K stored as weightOffset, but w and zero in
/// the whole tiles where preparedSigned).
Value KernelEmitter::packCorrection() {
  int64_t columns =
      llvm::divideCeil(c.channels, plan.tileColumns()) * plan.tileColumns();
  // x + 128 for signed activations, x - 128 for unsigned ones.
  int64_t bias = c.inputSigned ? 128 : -128;
  SmallVector<int32_t> correction(columns, 0);
  int64_t wholeTileColumns =
      c.channels / plan.tileColumns() * plan.tileColumns();
  for (int64_t n = 0; n < c.channels; ++n) {
    bool offset = !(preparedSigned && n < wholeTileColumns);
    int64_t sum = offset ? c.weightOffset * plan.steps * kernel.depth : 0;
    for (int64_t k = 0; k < c.depth; ++k)
      sum += c.weights[n * c.depth + k];
    // Kept modulo 2^32 like every accumulator.
    correction[n] = static_cast<int32_t>(
        static_cast<uint32_t>(static_cast<uint64_t>(-bias * sum)));
  }
  auto type = RankedTensorType::get({columns}, i32());
  return constantBuffer("__qa_bias_correction",
                        DenseElementsAttr::get(type, ArrayRef(correction)));
}

/// Words of `depth` elements per packed chunk of activations.
static constexpr int64_t wordsPerChunk = 8;

/// packedInput: the pairs of rows of the matrix products, packed here; else
/// all rows, packed here, or with `perRowBlock` one block of rows, which
/// packActivationRows packs before each block, so that it stays in L1.
void KernelEmitter::packActivations(bool perRowBlock) {
  if (isMatrixProduct(kernel.sequence)) {
    packedInput = packActivationPairs();
    return;
  }
  int64_t chunkElements = wordsPerChunk * kernel.depth;
  packedRowBlocks = perRowBlock;
  int64_t words = llvm::divideCeil(c.depth, chunkElements) * wordsPerChunk;
  if (kernel.sequence == Sequence::X86PmaddubswSplit)
    topBitsOffset = words;
  int64_t packedRows = perRowBlock ? plan.rowsPerTile : c.rows;
  packedInput = allocatePacked(
      MemRefType::get({packedRows, (topBitsOffset ? 2 : 1) * words},
                      b.getIntegerType(wordBits())));
  if (c.weightOffset && (!preparedSigned || c.channels % plan.tileColumns()))
    inputSums = allocatePacked(MemRefType::get({packedRows}, i32()));
  if (!perRowBlock)
    packActivationRows(index(0), c.rows);
}

/// Rows [firstRow, firstRow + rows) of the input into rows [0, rows) (or
/// the same rows where all are packed) of the packed activations, as
/// [rows][steps rounded up to a chunk] words of `depth` elements: the input
/// extended to i16 (vpmaddwd) or biased by 128, a chunk of eight words at a
/// time. Split, the (unsigned) input's low splitLowBits bits, then from
/// topBitsOffset the rest. With inputSums, each row's sum of the input too.
void KernelEmitter::packActivationRows(Value firstRow, int64_t rows) {
  int64_t chunkElements = wordsPerChunk * kernel.depth;
  int64_t fullChunks = c.depth / chunkElements, tail = c.depth % chunkElements;
  Type word = b.getIntegerType(wordBits());
  Value packed = packedInput;
  auto rawType = VectorType::get({chunkElements}, i8());
  auto chunkType = VectorType::get({wordsPerChunk}, word);
  // sum + the chunk's input elements (zero past K).
  auto addChunk = [&](Value sum, Value raw) -> Value {
    Value elements =
        extend(raw, VectorType::get({chunkElements}, i32()), c.inputSigned);
    return arith::AddIOp::create(
        b, loc, sum,
        vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD,
                                    elements));
  };
  auto storeChunk = [&](Value raw, Value row, Value at) {
    if (kernel.elementBits == 16)
      raw = extend(raw, VectorType::get({chunkElements}, b.getI16Type()),
                   c.inputSigned);
    else if (kernel.biasActivations)
      raw = arith::XOrIOp::create(b, loc, raw,
                                  splat(rawType, b.getI8IntegerAttr(-128)));
    auto store = [&](Value chunk, Value to) {
      vector::StoreOp::create(
          b, loc, vector::BitCastOp::create(b, loc, chunkType, chunk), packed,
          ValueRange{row, to});
    };
    if (!topBitsOffset)
      return store(raw, at);
    store(arith::AndIOp::create(
              b, loc, raw,
              splat(rawType, b.getI8IntegerAttr((1 << splitLowBits) - 1))),
          at);
    store(arith::ShRUIOp::create(
              b, loc, raw, splat(rawType, b.getI8IntegerAttr(splitLowBits))),
          plus(at, topBitsOffset));
  };

  OpBuilder::InsertionGuard guard(b);
  auto loop = scf::ForOp::create(b, loc, index(0), index(rows), index(1));
  b.setInsertionPointToStart(loop.getBody());
  Value row = loop.getInductionVar();
  Value inputRow = arith::AddIOp::create(b, loc, firstRow, row);
  if (!packedRowBlocks)
    row = inputRow;
  Value sum = inputSums ? arith::ConstantIntOp::create(b, loc, 0, 32) : Value();
  if (fullChunks > 0) {
    OpBuilder::InsertionGuard chunkGuard(b);
    auto chunks =
        scf::ForOp::create(b, loc, index(0), index(fullChunks), index(1),
                           sum ? ValueRange{sum} : ValueRange{});
    b.setInsertionPointToStart(chunks.getBody());
    Value chunk = chunks.getInductionVar();
    Value k = arith::MulIOp::create(b, loc, chunk, index(chunkElements));
    Value raw = vector::LoadOp::create(b, loc, rawType, c.input,
                                       ValueRange{inputRow, k});
    storeChunk(raw, row,
               arith::MulIOp::create(b, loc, chunk, index(wordsPerChunk)));
    if (sum) {
      scf::YieldOp::create(b, loc,
                           addChunk(chunks.getRegionIterArgs()[0], raw));
      sum = chunks.getResult(0);
    }
  }
  if (tail > 0) {
    // The last elements, zero-filled: past K the packed activations are 0,
    // or 0x80 where biased; the weights there are zero, or the stored zero
    // of offset fields, whose products packCorrection counts.
    Value raw = vector::MaskedLoadOp::create(
        b, loc, rawType, c.input,
        ValueRange{inputRow, index(fullChunks * chunkElements)},
        prefixMask(chunkElements, tail), splat(rawType, b.getI8IntegerAttr(0)));
    storeChunk(raw, row, index(fullChunks * wordsPerChunk));
    if (sum)
      sum = addChunk(sum, raw);
  }
  if (sum)
    memref::StoreOp::create(b, loc, sum, inputSums, row);
}

Value KernelEmitter::step(Value acc, Value activation, Value weight) {
  Type accType = acc.getType();
  switch (kernel.sequence) {
  case Sequence::X86Vpdpbusd:
    // Operands: the u8 one, then the s8 one.
    if (kernel.unsignedWeightOperand)
      return intrinsic("llvm.x86.avx512.vpdpbusd.512", accType,
                       {acc, weight, activation});
    return intrinsic("llvm.x86.avx512.vpdpbusd.512", accType,
                     {acc, activation, weight});
  case Sequence::X86Pmaddubsw: {
    auto pairType = VectorType::get({2 * kernel.lanes}, b.getI16Type());
    return addPairSums(
        acc,
        intrinsic("llvm.x86.avx2.pmadd.ub.sw", pairType, {activation, weight}),
        1);
  }
  case Sequence::X86Pmaddwd:
    return arith::AddIOp::create(
        b, loc, acc,
        intrinsic("llvm.x86.avx2.pmadd.wd", accType, {activation, weight}));
  case Sequence::ArmSdot:
    // The broadcast operand second: it becomes sdot's (udot's) by-element
    // form.
    return intrinsic(kernel.unsignedWeightOperand
                         ? "llvm.aarch64.neon.udot.v4i32.v16i8"
                         : "llvm.aarch64.neon.sdot.v4i32.v16i8",
                     accType, {acc, weight, activation});
  case Sequence::ArmSmmla:
    return intrinsic("llvm.aarch64.neon.smmla.v4i32.v16i8", accType,
                     {acc, activation, weight});
  case Sequence::ArmUsmmla:
    return intrinsic("llvm.aarch64.neon.usmmla.v4i32.v16i8", accType,
                     {acc, activation, weight});
  case Sequence::ArmSmullSadalp: {
    // umull + uaddlp for u8 weights (u16 products of u8 x u8).
    bool unsignedForms = kernel.unsignedWeightOperand;
    Value products =
        intrinsic(unsignedForms ? "llvm.aarch64.neon.umull.v8i16"
                                : "llvm.aarch64.neon.smull.v8i16",
                  VectorType::get({8}, b.getI16Type()), {activation, weight});
    // saddlp (uaddlp) then add: what instruction selection folds into
    // sadalp (uadalp).
    return arith::AddIOp::create(
        b, loc, acc,
        intrinsic(unsignedForms ? "llvm.aarch64.neon.uaddlp.v4i32.v8i16"
                                : "llvm.aarch64.neon.saddlp.v4i32.v8i16",
                  accType, products));
  }
  case Sequence::X86PmaddubswSplit: // emitTile's own steps
  case Sequence::X86PmaddubswGrouped:
  case Sequence::RiscvVwmacc:
    break;
  }
  llvm_unreachable("unknown sequence");
}

/// acc + times * (the adjacent i16 pairs of `pairs` added): vpmaddwd,
/// which widens vpmaddubsw's pair sums.
Value KernelEmitter::addPairSums(Value acc, Value pairs, int64_t times) {
  auto pairType = cast<VectorType>(pairs.getType());
  return arith::AddIOp::create(
      b, loc, acc,
      intrinsic("llvm.x86.avx2.pmadd.wd", acc.getType(),
                {pairs, splat(pairType, b.getI16IntegerAttr(times))}));
}

/// Field `field` of the packed weight bytes `packed`: at the top of its
/// byte (times 2^(8 - bits)), or where it is, as an unsigned value (see
/// readFieldsUnsigned), as c.weightScaleShift says. The shifts are of i16
/// lanes (x86 has no byte shift, and LLVM's GFNI form of one is not in
/// every emulator): the mask drops what crosses from the neighbouring byte.
Value KernelEmitter::weightField(Value packed, int64_t field) {
  auto rawType = cast<VectorType>(packed.getType());
  auto wideType =
      VectorType::get({rawType.getNumElements() / 2}, b.getI16Type());
  int64_t bits = c.fieldBits;
  auto shiftBytes = [&](Value bytes, int64_t by, bool left) -> Value {
    Value wide = vector::BitCastOp::create(b, loc, wideType, bytes);
    Value amount = splat(wideType, b.getI16IntegerAttr(by));
    Value shifted = left ? Value(arith::ShLIOp::create(b, loc, wide, amount))
                         : Value(arith::ShRUIOp::create(b, loc, wide, amount));
    return vector::BitCastOp::create(b, loc, rawType, shifted);
  };
  auto byteSplat = [&](int64_t value) {
    return splat(rawType, b.getI8IntegerAttr(int8_t(value)));
  };
  if (c.weightScaleShift) {
    int64_t up = 8 - bits * (field + 1);
    if (up > 0)
      packed = shiftBytes(packed, up, /*left=*/true);
    return arith::AndIOp::create(b, loc, packed,
                                 byteSplat(0xff << c.weightScaleShift));
  }
  assert(!c.weightsSigned && "fields read in place are unsigned");
  if (field > 0)
    packed = shiftBytes(packed, bits * field, /*left=*/false);
  return arith::AndIOp::create(b, loc, packed, byteSplat((1 << bits) - 1));
}

/// Where tile `tile`'s weights are read: the packed weights (`fields` steps
/// per byte), or those of preparedWeights (its tile 0 is preparedFirstTile;
/// one step per element).
KernelEmitter::WeightSource KernelEmitter::weightSource(Value tile) {
  if (!preparedWeights)
    return {packedWeights, tile, c.fieldsPerByte()};
  return {preparedWeights,
          arith::SubIOp::create(b, loc, tile, preparedFirstTile), 1};
}

/// `sum` of products with weights read times 2^weightScaleShift, shifted
/// back: exact, every term being a multiple of it.
Value KernelEmitter::scaledBack(Value sum) {
  if (!c.weightScaleShift)
    return sum;
  return arith::ShRSIOp::create(b, loc, sum,
                                splat(cast<VectorType>(sum.getType()),
                                      b.getI32IntegerAttr(c.weightScaleShift)));
}

/// `rows` rows from `firstRow` by the tile's first `validColumns` columns:
/// accumulate over K in registers, then add into the output (and the bias
/// correction), masking the columns past N.
void KernelEmitter::emitTile(Value tile, Value firstColumn,
                             int64_t validColumns, Value firstRow,
                             int64_t rows) {
  if (isMatrixProduct(kernel.sequence))
    return emitMatrixTile(tile, firstColumn, validColumns, firstRow, rows);
  int64_t vectors = llvm::divideCeil(validColumns, kernel.lanes);
  int64_t outputs = rows * vectors;
  VectorType accType = accumulatorType();
  Value zero = splat(accType, b.getI32IntegerAttr(0));
  int64_t perLoad = kernel.stepsPerLoad;
  bool split = kernel.sequence == Sequence::X86PmaddubswSplit;
  // vpmaddubsw's pair sums added up in i16 over each iteration's steps
  // (split: those of the low parts).
  bool grouped = split || kernel.sequence == Sequence::X86PmaddubswGrouped;
  auto pairType = VectorType::get({2 * kernel.lanes}, b.getI16Type());
  Type word = b.getIntegerType(wordBits());
  auto wordType = VectorType::get({kernel.lanes}, word);
  auto broadcastWord = [&](Value value) -> Value {
    return vector::BitCastOp::create(
        b, loc, operandType(),
        vector::BroadcastOp::create(b, loc, wordType, value));
  };
  auto [weightBuffer, weightTile, fields] = weightSource(tile);
  // Where the first block of rows stores the weights it extends.
  Value fillTile = fillingWeights
                       ? arith::SubIOp::create(b, loc, tile, preparedFirstTile)
                       : Value();
  // Steps per iteration: those of an activation load, and those of a
  // packed weight byte (both powers of two, one divides the other).
  int64_t iteration = std::max(perLoad, fields);
  assert(perLoad == 1 || iteration == perLoad);
  // Steps [lower, upper) on the accumulators `inits` (split: the i32 sums,
  // then the i16 sums of the top parts).
  auto emitSteps = [&](Value lower, Value upper, ValueRange inits) {
    auto steps =
        scf::ForOp::create(b, loc, lower, upper, index(iteration), inits);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(steps.getBody());
    Value firstStep = steps.getInductionVar();
    SmallVector<Value> next(steps.getRegionIterArgs());
    // Each row's words of this group of steps, when loaded together (and
    // split, the top parts' words).
    SmallVector<Value> rowWords, topWords;
    auto groupType = VectorType::get({perLoad}, word);
    if (perLoad > 1)
      for (int64_t r = 0; r < rows; ++r) {
        Value row = packedRow(firstRow, r);
        rowWords.push_back(vector::LoadOp::create(
            b, loc, groupType, packedInput, ValueRange{row, firstStep}));
        if (split)
          topWords.push_back(vector::LoadOp::create(
              b, loc, groupType, packedInput,
              ValueRange{row, plus(firstStep, topBitsOffset)}));
      }
    // Grouped: each output's i16 sums of the group's pair sums (split: of
    // the low parts').
    SmallVector<Value> groupSums(grouped ? outputs : 0);
    // Bytes, or operands where the weights are prepared.
    auto loadType = VectorType::get(
        {kernel.lanes * kernel.depth},
        cast<MemRefType>(weightBuffer.getType()).getElementType());
    // The row of weight bytes of step firstStep (`fields` steps a byte).
    Value packedStep =
        fields > 1
            ? Value(arith::DivUIOp::create(b, loc, firstStep, index(fields)))
            : firstStep;
    SmallVector<Value> packedBytes(vectors);
    for (int64_t s = 0; s < iteration; ++s) {
      Value kq = plus(firstStep, s);
      if (s % fields == 0) {
        Value at = plus(packedStep, s / fields);
        for (int64_t j = 0; j < vectors; ++j)
          packedBytes[j] = vector::LoadOp::create(
              b, loc, loadType, weightBuffer,
              ValueRange{weightTile, at,
                         index(j * kernel.lanes * kernel.depth)});
      }
      SmallVector<Value> weights;
      for (int64_t j = 0; j < vectors; ++j) {
        Value raw = fields > 1 ? weightField(packedBytes[j], s % fields)
                               : packedBytes[j];
        weights.push_back(raw.getType() != operandType()
                              ? extend(raw, operandType(), c.weightsSigned)
                              : raw);
        if (fillingWeights)
          vector::StoreOp::create(
              b, loc, weights[j], fillingWeights,
              ValueRange{fillTile, kq, index(j * kernel.lanes * kernel.depth)});
      }
      for (int64_t r = 0; r < rows; ++r) {
        Value activation = broadcastWord(
            perLoad > 1
                ? Value(vector::ExtractOp::create(b, loc, rowWords[r], s))
                : Value(memref::LoadOp::create(
                      b, loc, packedInput,
                      ValueRange{packedRow(firstRow, r), kq})));
        if (!grouped) {
          for (int64_t j = 0; j < vectors; ++j)
            next[r * vectors + j] =
                step(next[r * vectors + j], activation, weights[j]);
          continue;
        }
        Value top = split ? broadcastWord(vector::ExtractOp::create(
                                b, loc, topWords[r], s))
                          : Value();
        for (int64_t j = 0; j < vectors; ++j) {
          int64_t at = r * vectors + j;
          auto pairSums = [&](Value u) {
            return intrinsic("llvm.x86.avx2.pmadd.ub.sw", pairType,
                             {u, weights[j]});
          };
          Value low = pairSums(activation);
          groupSums[at] =
              s == 0 ? low : arith::AddIOp::create(b, loc, groupSums[at], low);
          if (split)
            next[outputs + at] = arith::AddIOp::create(
                b, loc, next[outputs + at], pairSums(top));
        }
      }
    }
    for (int64_t at = 0; at < int64_t(groupSums.size()); ++at)
      next[at] = addPairSums(next[at], groupSums[at], 1);
    scf::YieldOp::create(b, loc, next);
    return steps;
  };

  SmallVector<Value> sums(outputs, zero);
  if (!split) {
    ValueRange results =
        emitSteps(index(0), index(plan.steps), sums).getResults();
    sums.assign(results.begin(), results.end());
  } else {
    // Blocks of splitStepsPerFlush steps: after each, the top parts' i16
    // sums are added to the i32 ones, times 2^splitLowBits.
    auto blocks = scf::ForOp::create(b, loc, index(0), index(plan.steps),
                                     index(splitStepsPerFlush), sums);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(blocks.getBody());
    Value first = blocks.getInductionVar();
    SmallVector<Value> inits(blocks.getRegionIterArgs());
    inits.append(outputs, splat(pairType, b.getI16IntegerAttr(0)));
    auto steps = emitSteps(
        first,
        arith::MinSIOp::create(b, loc, plus(first, splitStepsPerFlush),
                               index(plan.steps)),
        inits);
    SmallVector<Value> flushed;
    for (int64_t at = 0; at < outputs; ++at)
      flushed.push_back(addPairSums(steps.getResult(at),
                                    steps.getResult(outputs + at),
                                    1 << splitLowBits));
    scf::YieldOp::create(b, loc, flushed);
    ValueRange results = blocks.getResults();
    sums.assign(results.begin(), results.end());
  }

  for (int64_t r = 0; r < rows; ++r) {
    Value row = plus(firstRow, r);
    // weightOffset * sum_k x[row, k], what the offset weights added.
    Value offsetSums;
    if (inputSums && !(preparedWeights && preparedSigned))
      offsetSums = vector::BroadcastOp::create(
          b, loc, accType,
          arith::MulIOp::create(
              b, loc,
              memref::LoadOp::create(b, loc, inputSums, packedRow(firstRow, r)),
              arith::ConstantIntOp::create(b, loc, c.weightOffset, 32)));
    for (int64_t j = 0; j < vectors; ++j) {
      Value column = plus(firstColumn, j * kernel.lanes);
      int64_t lanes = std::min(kernel.lanes, validColumns - j * kernel.lanes);
      Value sum = sums[r * vectors + j];
      if (correction)
        sum = arith::AddIOp::create(
            b, loc, sum,
            vector::LoadOp::create(b, loc, accType, correction, column));
      if (offsetSums)
        sum = arith::SubIOp::create(b, loc, sum, offsetSums);
      sum = scaledBack(sum);
      accumulateInto(sum, {row, column},
                     lanes == kernel.lanes ? Value()
                                           : prefixMask(kernel.lanes, lanes));
    }
  }
}

/// A buffer for packed activations: on the stack when small and not in a
/// loop (a malloc and free per call cost as much as a small layer), else on
/// the heap.
Value KernelEmitter::allocatePacked(MemRefType type) {
  constexpr int64_t stackBytes = 64 * 1024;
  int64_t bytes =
      type.getNumElements() * type.getElementType().getIntOrFloatBitWidth() / 8;
  if (isa<FunctionOpInterface>(c.op->getParentOp()) && bytes <= stackBytes)
    return memref::AllocaOp::create(b, loc, type, b.getI64IntegerAttr(64));
  return memref::AllocOp::create(b, loc, type, b.getI64IntegerAttr(64));
}

/// Frees what allocatePacked took from the heap.
void KernelEmitter::freePacked(Value buffer) {
  if (buffer.getDefiningOp<memref::AllocOp>())
    memref::DeallocOp::create(b, loc, buffer);
}

/// [ceil(M / 2)][steps * 16] bytes: for each pair of rows and 8 steps of K,
/// the 8 bytes of the first row then the 8 of the second (zeros past M and
/// K), the 2x8 operand of smmla.
Value KernelEmitter::packActivationPairs() {
  int64_t pairs = llvm::divideCeil(c.rows, 2);
  Value packed =
      allocatePacked(MemRefType::get({pairs, plan.steps * 16}, i8()));
  auto halfType = VectorType::get({8}, i8());
  Value zeros = splat(halfType, b.getI8IntegerAttr(0));
  int64_t wholeSteps = c.depth / 8, tail = c.depth % 8;
  // The 8 bytes of `row` from `k`, `valid` of them.
  auto half = [&](Value row, Value k, int64_t valid) -> Value {
    if (valid == 8)
      return vector::LoadOp::create(b, loc, halfType, c.input,
                                    ValueRange{row, k});
    return vector::MaskedLoadOp::create(b, loc, halfType, c.input,
                                        ValueRange{row, k},
                                        prefixMask(8, valid), zeros);
  };
  auto packPair = [&](Value pair, bool secondRow) {
    Value first = arith::MulIOp::create(b, loc, pair, index(2));
    auto packStep = [&](Value step, int64_t valid) {
      Value k = arith::MulIOp::create(b, loc, step, index(8));
      Value low = half(first, k, valid);
      Value high = secondRow ? half(plus(first, 1), k, valid) : zeros;
      SmallVector<int64_t> order = llvm::to_vector(llvm::seq<int64_t>(0, 16));
      Value both = vector::ShuffleOp::create(b, loc, low, high, order);
      vector::StoreOp::create(
          b, loc, both, packed,
          ValueRange{pair, arith::MulIOp::create(b, loc, step, index(16))});
    };
    if (wholeSteps > 0) {
      OpBuilder::InsertionGuard guard(b);
      auto steps =
          scf::ForOp::create(b, loc, index(0), index(wholeSteps), index(1));
      b.setInsertionPointToStart(steps.getBody());
      packStep(steps.getInductionVar(), 8);
    }
    if (tail > 0)
      packStep(index(wholeSteps), tail);
  };
  if (c.rows / 2 > 0) {
    OpBuilder::InsertionGuard guard(b);
    auto loop =
        scf::ForOp::create(b, loc, index(0), index(c.rows / 2), index(1));
    b.setInsertionPointToStart(loop.getBody());
    packPair(loop.getInductionVar(), /*secondRow=*/true);
  }
  if (c.rows % 2)
    packPair(index(c.rows / 2), /*secondRow=*/false);
  // Steps past K that packed weight fields round up to: zeros, like the
  // padding of the last step.
  int64_t packedSteps = wholeSteps + (tail > 0 ? 1 : 0);
  if (plan.steps > packedSteps) {
    OpBuilder::InsertionGuard guard(b);
    auto loop = scf::ForOp::create(b, loc, index(0), index(pairs), index(1));
    b.setInsertionPointToStart(loop.getBody());
    Value bothZero = splat(VectorType::get({16}, i8()), b.getI8IntegerAttr(0));
    for (int64_t step = packedSteps; step < plan.steps; ++step)
      vector::StoreOp::create(
          b, loc, bothZero, packed,
          ValueRange{loop.getInductionVar(), index(step * 16)});
  }
  return packed;
}

/// `rows` rows from `firstRow` (even) by the tile's first `validColumns`
/// columns with smmla / usmmla: each accumulator is rows 2p, 2p + 1 by
/// columns 2j, 2j + 1.
void KernelEmitter::emitMatrixTile(Value tile, Value firstColumn,
                                   int64_t validColumns, Value firstRow,
                                   int64_t rows) {
  int64_t pairs = llvm::divideCeil(rows, 2);
  int64_t vectors = llvm::divideCeil(validColumns, 2);
  VectorType accType = accumulatorType();
  auto operand = VectorType::get({16}, i8());
  Value zero = splat(accType, b.getI32IntegerAttr(0));
  Value firstPair = arith::DivUIOp::create(b, loc, firstRow, index(2));
  SmallVector<Value> inits(pairs * vectors, zero);
  // Packed fields: a load of weight bytes serves `fields` steps.
  auto [weightBuffer, weightTile, fields] = weightSource(tile);
  auto steps = scf::ForOp::create(b, loc, index(0), index(plan.steps),
                                  index(fields), inits);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(steps.getBody());
    Value firstStep = steps.getInductionVar();
    Value packedStep =
        fields > 1
            ? Value(arith::DivUIOp::create(b, loc, firstStep, index(fields)))
            : firstStep;
    SmallVector<Value> packed;
    for (int64_t j = 0; j < vectors; ++j)
      packed.push_back(vector::LoadOp::create(
          b, loc, operand, weightBuffer,
          ValueRange{weightTile, packedStep, index(j * 16)}));
    SmallVector<Value> next(steps.getRegionIterArgs());
    for (int64_t s = 0; s < fields; ++s) {
      Value at = arith::MulIOp::create(b, loc, plus(firstStep, s), index(16));
      SmallVector<Value> weights;
      for (Value bytes : packed)
        weights.push_back(fields > 1 ? weightField(bytes, s) : bytes);
      for (int64_t p = 0; p < pairs; ++p) {
        Value activation = vector::LoadOp::create(
            b, loc, operand, packedInput, ValueRange{plus(firstPair, p), at});
        for (int64_t j = 0; j < vectors; ++j)
          next[p * vectors + j] =
              step(next[p * vectors + j], activation, weights[j]);
      }
    }
    scf::YieldOp::create(b, loc, next);
  }
  for (int64_t p = 0; p < pairs; ++p)
    for (int64_t half = 0; half < 2; ++half) {
      int64_t r = 2 * p + half;
      if (r >= rows)
        continue;
      Value row = plus(firstRow, r);
      for (int64_t j = 0; j < vectors; ++j) {
        Value sum = scaledBack(vector::ExtractStridedSliceOp::create(
            b, loc, steps.getResult(p * vectors + j),
            ArrayRef<int64_t>{2 * half}, ArrayRef<int64_t>{2},
            ArrayRef<int64_t>{1}));
        // The last pair of an odd N has one column.
        accumulateInto(sum, {row, plus(firstColumn, 2 * j)},
                       validColumns - 2 * j >= 2 ? Value() : prefixMask(2, 1));
      }
    }
}

/// buffer[t - first, step] = each field of packedWeights' tiles t in
/// [first, last), as weightField reads it: one pass over the packed bytes.
void KernelEmitter::unpackFields(Value buffer, Value first, Value last) {
  OpBuilder::InsertionGuard guard(b);
  int64_t fields = c.fieldsPerByte();
  int64_t row = plan.tileColumns() * kernel.depth,
          vector = kernel.lanes * kernel.depth;
  auto rawType = VectorType::get({vector}, i8());
  auto tiles = scf::ForOp::create(b, loc, first, last, index(1));
  b.setInsertionPointToStart(tiles.getBody());
  Value tile = tiles.getInductionVar();
  Value at = arith::SubIOp::create(b, loc, tile, first);
  auto groups = scf::ForOp::create(b, loc, index(0), index(plan.steps / fields),
                                   index(1));
  b.setInsertionPointToStart(groups.getBody());
  Value group = groups.getInductionVar();
  Value firstStep = arith::MulIOp::create(b, loc, group, index(fields));
  for (int64_t offset = 0; offset < row; offset += vector) {
    Value packed = vector::LoadOp::create(
        b, loc, rawType, packedWeights, ValueRange{tile, group, index(offset)});
    for (int64_t f = 0; f < fields; ++f) {
      Value field = weightField(packed, f);
      if (preparedSigned)
        field = arith::SubIOp::create(
            b, loc, field, splat(rawType, b.getI8IntegerAttr(c.weightOffset)));
      vector::StoreOp::create(
          b, loc, field, buffer,
          ValueRange{at, plus(firstStep, f), index(offset)});
    }
  }
}

/// Calls `body` for every block of rows from row `from` (a multiple of
/// `rowsPerTile`): whole blocks of `rowsPerTile` in a loop, then the rest.
void KernelEmitter::emitRowBlocks(
    function_ref<void(Value firstRow, int64_t rows)> body, int64_t from) {
  int64_t blocks = c.rows / plan.rowsPerTile;
  int64_t rest = c.rows % plan.rowsPerTile;
  if (blocks * plan.rowsPerTile > from) {
    OpBuilder::InsertionGuard guard(b);
    auto loop = scf::ForOp::create(b, loc, index(from),
                                   index(blocks * plan.rowsPerTile),
                                   index(plan.rowsPerTile));
    b.setInsertionPointToStart(loop.getBody());
    body(loop.getInductionVar(), plan.rowsPerTile);
  }
  if (rest > 0)
    body(index(blocks * plan.rowsPerTile), rest);
}

/// The `linalg.fill` of zeros into the output just before the contraction
/// (nothing in between touches the output), if any.
static linalg::FillOp zeroFillOf(const Contraction &c) {
  for (Operation *op = c.op->getPrevNode(); op; op = op->getPrevNode()) {
    if (!llvm::is_contained(op->getOperands(), c.output))
      continue;
    auto fill = dyn_cast<linalg::FillOp>(op);
    if (!fill || fill.getOutputs().front() != c.output)
      return {};
    APInt value;
    return matchPattern(fill.getInputs().front(), m_ConstantInt(&value)) &&
                   value.isZero()
               ? fill
               : linalg::FillOp();
  }
  return {};
}

/// Erases the contraction, and the unpacked weights when nothing else reads
/// them.
void KernelEmitter::eraseContraction() {
  // The unpacked weights are dead unless something else reads them.
  auto unpacked =
      c.op.getDpsInputOperand(1)->get().getDefiningOp<memref::GetGlobalOp>();
  c.op.erase();
  if (!unpacked.use_empty())
    return;
  FlatSymbolRefAttr name = unpacked.getNameAttr();
  unpacked.erase();
  if (SymbolTable::symbolKnownUseEmpty(name.getAttr(), module))
    symbols.erase(symbols.lookup(name.getAttr()));
}

/// RVV, vector-length agnostic: the weights transposed to [K][N] at compile
/// time, so that the channels of one k are contiguous; blocks of `rows` rows
/// by `vectors` scalable vectors of 8 x vscale i32 lanes (LMUL 4) strip-mine
/// N, the last vectors masked; each step multiply-accumulates a vector of
/// i16 weights with each row's activation as a scalar (vwmacc.vx). The
/// weights stay 8-bit in the object. With one block of rows, each step
/// widens its own; with more, they are widened once per call, a block of
/// columns at a time, into an L2-sized buffer that every block of rows
/// reads, which takes the widening (as costly as a multiply-accumulate) out
/// of the inner loop. The activations are read where they are.
void KernelEmitter::emitScalable() {
  // Packed fields stay packed: byte [j, n] holds k = fields * j + f in
  // field f.
  int64_t fields = c.fieldsPerByte(), bits = c.fieldBits;
  int64_t packedDepth = c.depth / fields;
  SmallVector<int8_t> transposed(packedDepth * c.channels, 0);
  for (int64_t n = 0; n < c.channels; ++n)
    for (int64_t k = 0; k < c.depth; ++k) {
      int8_t &byte = transposed[k / fields * c.channels + n];
      int64_t field = c.storedField(n * c.depth + k);
      byte = static_cast<int8_t>(byte | field << (bits * (k % fields)));
    }
  packedWeights =
      constantBuffer("__qa_packed_weights",
                     DenseElementsAttr::get(
                         RankedTensorType::get({packedDepth, c.channels}, i8()),
                         ArrayRef(transposed)));

  auto scalable = [&](Type element) {
    return VectorType::get({kernel.lanes}, element, {true});
  };
  Type i16 = b.getI16Type();
  VectorType accType = scalable(i32()), wideType = scalable(i16),
             rawType = scalable(i8());
  auto maskType = scalable(b.getI1Type());
  Value lanes = arith::MulIOp::create(
      b, loc, vector::VectorScaleOp::create(b, loc), index(kernel.lanes));
  Value width =
      arith::MulIOp::create(b, loc, lanes, index(plan.vectorsPerTile));
  Value rawZero = splat(rawType, b.getI8IntegerAttr(0));
  Value wideZero = splat(wideType, b.getI16IntegerAttr(0));
  auto maskUpTo = [&](Value end, Value column) -> Value {
    return vector::CreateMaskOp::create(
        b, loc, maskType,
        ValueRange{arith::SubIOp::create(b, loc, end, column)});
  };
  // The 8-bit weights of step k from `column`, as i16 (only the lanes of
  // `mask`, where one is given); a packed field is shifted to the top of
  // its byte (by 8 - bits - (k mod fields) * bits) and back.
  auto widenedWeights = [&](Value k, Value column, Value mask) -> Value {
    Value at = fields > 1
                   ? Value(arith::DivUIOp::create(b, loc, k, index(fields)))
                   : k;
    Value raw =
        mask
            ? Value(vector::MaskedLoadOp::create(b, loc, rawType, packedWeights,
                                                 ValueRange{at, column}, mask,
                                                 rawZero))
            : Value(vector::LoadOp::create(b, loc, rawType, packedWeights,
                                           ValueRange{at, column}));
    if (fields > 1) {
      Value up = arith::SubIOp::create(
          b, loc, index(8 - bits),
          arith::MulIOp::create(
              b, loc, arith::RemUIOp::create(b, loc, k, index(fields)),
              index(bits)));
      Value top = arith::ShLIOp::create(
          b, loc, raw,
          vector::BroadcastOp::create(
              b, loc, rawType, arith::IndexCastOp::create(b, loc, i8(), up)));
      Value down = splat(rawType, b.getI8IntegerAttr(8 - bits));
      raw = c.weightsSigned ? Value(arith::ShRSIOp::create(b, loc, top, down))
                            : Value(arith::ShRUIOp::create(b, loc, top, down));
    }
    return extend(raw, wideType, c.weightsSigned);
  };
  // One block of `rows` rows by `vectors` vectors from `firstColumn`,
  // reading the i16 weights of `widened` (its column 0 is column
  // `widenedFirst`), or without it widening the 8-bit ones; with `end`,
  // lanes from `end` on are neither read nor written.
  auto emitBlock = [&](Value firstRow, int64_t rows, int64_t vectors,
                       Value firstColumn, Value end, Value widened,
                       Value widenedFirst) {
    SmallVector<Value> columns, masks;
    for (int64_t j = 0; j < vectors; ++j)
      columns.push_back(arith::AddIOp::create(
          b, loc, firstColumn, arith::MulIOp::create(b, loc, lanes, index(j))));
    if (end)
      for (Value column : columns)
        masks.push_back(maskUpTo(end, column));
    auto load = [&](VectorType type, Value memref, ValueRange at, int64_t j,
                    Value padding) -> Value {
      if (!end)
        return vector::LoadOp::create(b, loc, type, memref, at);
      return vector::MaskedLoadOp::create(b, loc, type, memref, at, masks[j],
                                          padding);
    };
    // The weights of step k, as i16 (vwmacc.vx's operand width).
    auto loadWeights = [&](Value k) {
      SmallVector<Value> weights;
      for (int64_t j = 0; j < vectors; ++j)
        weights.push_back(
            widened ? load(wideType, widened,
                           {k, arith::SubIOp::create(b, loc, columns[j],
                                                     widenedFirst)},
                           j, wideZero)
                    : widenedWeights(k, columns[j], end ? masks[j] : Value()));
      return weights;
    };
    // One step k: accs += x[rows, k] (scalars) * weights of k; without
    // accs, the products alone.
    auto step = [&](Value k, ValueRange accs, ValueRange weights) {
      SmallVector<Value> wide, next;
      for (Value weight : weights)
        wide.push_back(arith::ExtSIOp::create(b, loc, accType, weight));
      for (int64_t r = 0; r < rows; ++r) {
        Value x = memref::LoadOp::create(b, loc, c.input,
                                         ValueRange{plus(firstRow, r), k});
        // Extended, then broadcast: a splat LLVM sinks next to its
        // multiply (the .vx operand), where a widened splat would be
        // hoisted out of loops as a vector of its own.
        Value activation = vector::BroadcastOp::create(
            b, loc, accType, extend(x, i32(), c.inputSigned));
        for (int64_t j = 0; j < vectors; ++j) {
          Value product = arith::MulIOp::create(b, loc, activation, wide[j]);
          next.push_back(accs.empty()
                             ? product
                             : arith::AddIOp::create(
                                   b, loc, accs[r * vectors + j], product));
        }
      }
      return next;
    };
    // Software-pipelined for in-order cores: each step loads the weights of
    // the next one after its multiply-accumulates, so that neither they nor
    // the widening wait for a load. The first step starts the sums (vwmul,
    // in the loop's vector type: no zeroing, no vsetvli in the loop).
    SmallVector<Value> sums = step(index(0), {}, loadWeights(index(0)));
    SmallVector<Value> weights;
    if (c.depth > 1)
      weights = loadWeights(index(1));
    // Steps 1 .. depth - 2 have a next one.
    if (c.depth > 2) {
      SmallVector<Value> carried(sums);
      carried.append(weights);
      auto steps = scf::ForOp::create(b, loc, index(1), index(c.depth - 1),
                                      index(1), carried);
      OpBuilder::InsertionGuard stepGuard(b);
      b.setInsertionPointToStart(steps.getBody());
      ValueRange args = steps.getRegionIterArgs();
      Value k = steps.getInductionVar();
      SmallVector<Value> next =
          step(k, args.take_front(sums.size()), args.drop_front(sums.size()));
      next.append(loadWeights(plus(k, 1)));
      scf::YieldOp::create(b, loc, next);
      ValueRange results = steps.getResults();
      sums.assign(results.begin(), results.begin() + sums.size());
      weights.assign(results.begin() + sums.size(), results.end());
    }
    if (c.depth > 1)
      sums = step(index(c.depth - 1), sums, weights);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = 0; j < vectors; ++j)
        accumulateInto(sums[r * vectors + j], {plus(firstRow, r), columns[j]},
                       end ? masks[j] : Value());
  };
  // Every block of rows by the columns [first, end): whole blocks of
  // vectors (their number depends on the vector length), then the rest one
  // masked vector at a time (v0 is the only mask register: one mask per
  // vector of a block would spill).
  auto emitColumns = [&](Value first, Value end, Value widened) {
    Value whole = arith::SubIOp::create(
        b, loc, end,
        arith::RemUIOp::create(
            b, loc, arith::SubIOp::create(b, loc, end, first), width));
    emitRowBlocks([&](Value firstRow, int64_t rows) {
      {
        OpBuilder::InsertionGuard guard(b);
        auto blocks = scf::ForOp::create(b, loc, first, whole, width);
        b.setInsertionPointToStart(blocks.getBody());
        emitBlock(firstRow, rows, plan.vectorsPerTile, blocks.getInductionVar(),
                  Value(), widened, first);
      }
      OpBuilder::InsertionGuard guard(b);
      auto rest = scf::ForOp::create(b, loc, whole, end, lanes);
      b.setInsertionPointToStart(rest.getBody());
      emitBlock(firstRow, rows, 1, rest.getInductionVar(), end, widened, first);
    });
  };
  Value channels = index(c.channels);
  if (c.rows <= plan.rowsPerTile) {
    emitColumns(index(0), channels, Value());
    return eraseContraction();
  }
  // Blocks of columns whose i16 weights fit a quarter of a typical L2
  // cache; a multiple of 128 columns, so whole vectors up to VLEN 1024.
  constexpr int64_t widenedBlockBytes = 256 * 1024, columnQuantum = 128;
  int64_t blockColumns = std::min<int64_t>(
      llvm::alignTo(c.channels, columnQuantum),
      std::max<int64_t>(columnQuantum, widenedBlockBytes / (2 * c.depth) /
                                           columnQuantum * columnQuantum));
  Value widened = allocatePacked(MemRefType::get({c.depth, blockColumns}, i16));
  {
    OpBuilder::InsertionGuard guard(b);
    auto blocks =
        scf::ForOp::create(b, loc, index(0), channels, index(blockColumns));
    b.setInsertionPointToStart(blocks.getBody());
    Value first = blocks.getInductionVar();
    Value end = arith::MinSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, first, index(blockColumns)),
        channels);
    {
      // widened[k, n - first] = w[k, n] for n in [first, end).
      OpBuilder::InsertionGuard widenGuard(b);
      auto depth =
          scf::ForOp::create(b, loc, index(0), index(c.depth), index(1));
      b.setInsertionPointToStart(depth.getBody());
      Value k = depth.getInductionVar();
      auto vectors = scf::ForOp::create(b, loc, first, end, lanes);
      b.setInsertionPointToStart(vectors.getBody());
      Value column = vectors.getInductionVar();
      Value mask = maskUpTo(end, column);
      vector::MaskedStoreOp::create(
          b, loc, widened,
          ValueRange{k, arith::SubIOp::create(b, loc, column, first)}, mask,
          widenedWeights(k, column, mask));
    }
    emitColumns(first, end, widened);
  }
  freePacked(widened);
  eraseContraction();
}

void KernelEmitter::emit() {
  // Packed fields: the input [rows, bytes, fields] as [rows, depth].
  if (c.fieldBits < 8)
    c.input = memref::CollapseShapeOp::create(
        b, loc, c.input, SmallVector<ReassociationIndices>{{0}, {1, 2}});
  // Stores replace the zeros instead of adding to them.
  if (linalg::FillOp fill = zeroFillOf(c)) {
    fill.erase();
    zeroInitialized = true;
  }
  if (kernel.sequence == Sequence::RiscvVwmacc)
    return emitScalable();
  packedWeights = packWeights();
  int64_t width = plan.tileColumns();
  int64_t tiles = c.channels / width, rest = c.channels % width;
  // Weights met by more than one block of rows are read into the
  // instruction's operands once per call, a block of tiles at a time, into
  // a buffer that the block's row blocks read (the last, partial tile
  // reads them packed): packed fields in a pass of their own (their reads
  // cost as much as the multiply-add); vpmaddwd's 8-bit weights by the
  // first block of rows, which extends them in its loop anyway and stores
  // them as i16, so that the other blocks' loops have no vpmovsxbw (one per
  // two vpmaddwd) for a store per weight vector in the first block's.
  bool prepare = tiles > 0 && c.rows > plan.rowsPerTile &&
                 (c.fieldBits < 8 || kernel.elementBits == 16);
  // Offset fields (AVX2's) are prepared as the signed weights, once per
  // call: the row blocks' kernels then are the 7-bit ones.
  preparedSigned = prepare && c.weightOffset;
  if (kernel.biasActivations)
    correction = packCorrection();
  int64_t operandBytes = prepare ? kernel.elementBits / 8 : 1;
  // Column tiles in blocks whose weights fit a quarter of a typical L2
  // cache (counted as bytes, i16 where they are extended): each row block
  // meets a whole block of tiles, so the weights are read from L2 once per
  // row block.
  constexpr int64_t weightBlockBytes = 256 * 1024;
  int64_t tileBytes = plan.steps * width * kernel.depth * operandBytes;
  int64_t tilesPerBlock = std::clamp<int64_t>(weightBlockBytes / tileBytes, 1,
                                              std::max<int64_t>(tiles, 1));
  // Where the rows are gone through once (one block of columns), each row
  // block's activations are packed right before it, into a buffer that
  // stays in L1; else all of them once, before.
  int64_t passes = llvm::divideCeil(tiles, tilesPerBlock) + (rest > 0 ? 1 : 0);
  bool perRowBlock = passes == 1 && c.rows > plan.rowsPerTile &&
                     !isMatrixProduct(kernel.sequence);
  packActivations(perRowBlock);
  auto packRows = [&](Value firstRow, int64_t rows) {
    if (perRowBlock)
      packActivationRows(firstRow, rows);
  };
  Value prepared;
  if (prepare)
    prepared = allocatePacked(
        MemRefType::get({tilesPerBlock, plan.steps, width * kernel.depth},
                        b.getIntegerType(8 * operandBytes)));
  if (tiles > 0) {
    OpBuilder::InsertionGuard guard(b);
    auto blocks = scf::ForOp::create(b, loc, index(0), index(tiles),
                                     index(tilesPerBlock));
    b.setInsertionPointToStart(blocks.getBody());
    Value first = blocks.getInductionVar();
    Value last = arith::MinSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, first, index(tilesPerBlock)),
        index(tiles));
    auto tilesOfRows = [&](Value firstRow, int64_t rows) {
      packRows(firstRow, rows);
      OpBuilder::InsertionGuard guard(b);
      auto loop = scf::ForOp::create(b, loc, first, last, index(1));
      b.setInsertionPointToStart(loop.getBody());
      Value tile = loop.getInductionVar();
      emitTile(tile, arith::MulIOp::create(b, loc, tile, index(width)), width,
               firstRow, rows);
    };
    int64_t from = 0;
    if (prepared) {
      preparedFirstTile = first;
      if (c.fieldBits < 8) {
        unpackFields(prepared, first, last);
      } else {
        fillingWeights = prepared;
        tilesOfRows(index(0), plan.rowsPerTile);
        fillingWeights = Value();
        from = plan.rowsPerTile;
      }
      preparedWeights = prepared;
    }
    emitRowBlocks(tilesOfRows, from);
  }
  preparedWeights = Value();
  if (rest > 0)
    emitRowBlocks([&](Value firstRow, int64_t rows) {
      packRows(firstRow, rows);
      emitTile(index(tiles), index(tiles * width), rest, firstRow, rows);
    });
  if (prepared)
    freePacked(prepared);
  freePacked(packedInput);
  if (inputSums)
    freePacked(inputSums);
  eraseContraction();
}

namespace {
struct LowerToTargetKernels
    : qa::impl::QALowerToTargetKernelsBase<LowerToTargetKernels> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    const TargetDescriptor *descriptor = lookupTargetDescriptor(target);
    if (!descriptor) {
      module.emitError() << "qa-lower-to-target-kernels: unknown target '"
                         << target << "'";
      return signalPassFailure();
    }
    SymbolTable symbols(module);
    SmallVector<linalg::GenericOp> generics;
    module.walk([&](linalg::GenericOp op) { generics.push_back(op); });
    llvm::Triple triple(descriptor->triple);
    bool maskPopcount = triple.getArch() == llvm::Triple::riscv64 &&
                        hasFeature(descriptor->features, "v");
    for (linalg::GenericOp op : generics) {
      if (isXnorPopcount(op)) {
        if (maskPopcount)
          emitMaskPopcount(op);
        continue;
      }
      std::optional<Contraction> contraction = matchContraction(op);
      if (!contraction)
        continue;
      // Without VNNI, x86 reads packed fields where they are, as unsigned
      // values (signed ones offset, which saves their sign extension):
      // vpmaddubsw's pair sums of such fields cannot saturate, at the top of
      // their byte they could. RISC-V V widens them to i16, where they are.
      if (contraction->fieldBits < 8 && isX86WithoutVnni(*descriptor))
        contraction->readFieldsUnsigned();
      else if (contraction->fieldBits < 8 &&
               triple.getArch() == llvm::Triple::riscv64)
        contraction->readFieldsInPlace();
      std::optional<Kernel> kernel = selectKernel(*descriptor, *contraction);
      if (!kernel)
        continue;
      Plan plan = makePlan(*kernel, *contraction);
      KernelEmitter(*contraction, plan, module, symbols).emit();
    }
  }
};
} // namespace
