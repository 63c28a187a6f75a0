//===- FloatRangeAnalysis.cpp - Sound float value ranges ------------------===//
//
// Transfer functions for the ops of real models. Elementwise ops (tosa,
// arith, math) share one function, which also evaluates linalg bodies
// scalar by scalar. Contractions with a constant operand (matmul, conv,
// depthwise conv in tosa or linalg form) get the exact bound of every
// output channel from the positive and negative parts of its weights.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Analysis/FloatRangeAnalysis.h"
#include "quantaware/Analysis/FloatMatchers.h"
#include "quantaware/Dialect/QA/IR/QAAttrs.h"
#include "quantaware/Dialect/QA/IR/QADialect.h"

#include "mlir/Analysis/DataFlow/ConstantPropagationAnalysis.h"
#include "mlir/Analysis/DataFlow/DeadCodeAnalysis.h"
#include "mlir/Analysis/DataFlowFramework.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qa;
using namespace mlir::dataflow;

static constexpr double kInf = std::numeric_limits<double>::infinity();

//===----------------------------------------------------------------------===//
// FloatRange and its lattice
//===----------------------------------------------------------------------===//

FloatRange FloatRange::join(const FloatRange &lhs, const FloatRange &rhs) {
  if (lhs.isUninitialized())
    return rhs;
  if (rhs.isUninitialized())
    return lhs;
  return {FloatInterval::hull(*lhs.interval, *rhs.interval),
          lhs.proven && rhs.proven};
}

void FloatRange::print(raw_ostream &os) const {
  if (isUninitialized()) {
    os << "<uninitialized>";
    return;
  }
  if (std::isinf(interval->lo()) && std::isinf(interval->hi())) {
    os << "unbounded";
    return;
  }
  os << *interval << (proven ? " proven" : " calibrated");
}

/// How often a block argument may grow before its growing bounds jump to
/// infinity. Loop-carried float intervals have no finite height otherwise.
static constexpr unsigned kGrowthsBeforeWidening = 2;

ChangeResult FloatRangeLattice::join(const AbstractSparseLattice &rhs) {
  FloatRange before = getValue();
  ChangeResult result = Lattice::join(rhs);
  if (result == ChangeResult::NoChange || before.isUninitialized() ||
      !isa<BlockArgument>(getAnchor()) || ++growths <= kGrowthsBeforeWidening)
    return result;
  const FloatInterval &old = before.getInterval();
  const FloatInterval &now = getValue().getInterval();
  getValue() = FloatRange({now.lo() < old.lo() ? -kInf : now.lo(),
                           now.hi() > old.hi() ? kInf : now.hi()},
                          getValue().isProven());
  return result;
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static bool isFloatLike(Type type) {
  return isa<FloatType>(getElementTypeOrSelf(type));
}

/// Interval of the float constant (scalar or elements) `attr`.
static std::optional<FloatInterval> constantInterval(Attribute attr) {
  if (auto scalar = dyn_cast<FloatAttr>(attr))
    return FloatInterval::point(toDouble(scalar.getValue()));
  auto elements = dyn_cast<DenseFPElementsAttr>(attr);
  if (!elements || elements.empty())
    return std::nullopt;
  double lo = kInf, hi = -kInf;
  for (const APFloat &value : elements.getValues<APFloat>()) {
    if (value.isNaN())
      return FloatInterval::unbounded();
    double v = toDouble(value);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return FloatInterval(lo, hi);
}

static DenseFPElementsAttr constantElements(Value value) {
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return {};
  return dyn_cast<DenseFPElementsAttr>(attr);
}

/// Rounds the bounds outward to `type`'s precision: the exact effect of a
/// narrowing conversion (truncf, a cast to a smaller float).
static FloatInterval roundOutward(FloatInterval interval, Type type) {
  auto floatType = dyn_cast<FloatType>(getElementTypeOrSelf(type));
  if (!floatType)
    return interval;
  auto round = [&](double value, APFloat::roundingMode mode) {
    if (std::isinf(value))
      return value;
    APFloat converted(value);
    bool losesInfo;
    converted.convert(floatType.getFloatSemantics(), mode, &losesInfo);
    return toDouble(converted);
  };
  return {round(interval.lo(), APFloat::rmTowardNegative),
          round(interval.hi(), APFloat::rmTowardPositive)};
}

/// Exact bound of weighted sums over a constant: the weights sharing their
/// coordinates along `groupDims` form one output channel's sum, every input
/// lies in `input`. A constant `bias` is added per channel when it has one
/// value per channel (in the row-major order of `groupDims`), otherwise as
/// its hull, before taking the hull over channels.
static FloatInterval groupedWeightedSum(DenseFPElementsAttr weights,
                                        ArrayRef<int64_t> groupDims,
                                        FloatInterval input,
                                        DenseFPElementsAttr bias = {}) {
  ArrayRef<int64_t> shape = weights.getType().getShape();
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  int64_t groups = 1;
  for (int64_t dim : groupDims)
    groups *= shape[dim];
  SmallVector<WeightedSumBound> sums(groups, WeightedSumBound(input));
  for (auto [index, value] : llvm::enumerate(weights.getValues<APFloat>())) {
    int64_t group = 0;
    for (int64_t dim : groupDims)
      group = group * shape[dim] +
              (static_cast<int64_t>(index) / strides[dim]) % shape[dim];
    sums[group].add(toDouble(value));
  }
  if (bias && bias.getNumElements() == groups) {
    for (auto [sum, value] : llvm::zip_equal(sums, bias.getValues<APFloat>()))
      sum.add(1.0, FloatInterval::point(toDouble(value)));
  } else if (bias) {
    // A broadcast bias (one value, or any other layout): its hull.
    std::optional<FloatInterval> all = constantInterval(bias);
    for (WeightedSumBound &sum : sums)
      sum.add(1.0, all ? *all : FloatInterval::unbounded());
  }
  FloatInterval result = sums.front().bound();
  for (const WeightedSumBound &sum : sums)
    result = FloatInterval::hull(result, sum.bound());
  return result;
}

//===----------------------------------------------------------------------===//
// Elementwise transfer functions (tosa, arith, math)
//===----------------------------------------------------------------------===//

/// Interval of the single result of an elementwise op whose operand `i` lies
/// in `in[i]`, or nullopt when the op has no transfer function here.
static std::optional<FloatInterval> elementwise(Operation *op,
                                                ArrayRef<FloatInterval> in) {
  using Result = std::optional<FloatInterval>;
  auto product = [&]() -> Result {
    Value a = op->getOperand(0), b = op->getOperand(1);
    // x * relu6(x + 3) is 6 * hard-swish(x): exact where the naive product
    // of the two factors' intervals is not.
    if (isRelu6OfXPlus3(b, a))
      return in[0].hardSwish() * FloatInterval::point(6.0);
    if (isRelu6OfXPlus3(a, b))
      return in[1].hardSwish() * FloatInterval::point(6.0);
    return in[0] * in[1];
  };
  return llvm::TypeSwitch<Operation *, Result>(op)
      .Case<tosa::AddOp, arith::AddFOp>([&](auto) { return in[0] + in[1]; })
      .Case<tosa::SubOp, arith::SubFOp>([&](auto) { return in[0] - in[1]; })
      .Case<tosa::MulOp, arith::MulFOp>([&](auto) { return product(); })
      .Case<arith::DivFOp>([&](auto) { return in[0] / in[1]; })
      .Case<tosa::ReciprocalOp>(
          [&](auto) { return FloatInterval::point(1.0) / in[0]; })
      .Case<tosa::NegateOp, arith::NegFOp>([&](auto) { return -in[0]; })
      .Case<tosa::AbsOp, math::AbsFOp>([&](auto) { return in[0].abs(); })
      .Case<tosa::MaximumOp, arith::MaximumFOp, arith::MaxNumFOp>(
          [&](auto) { return FloatInterval::max(in[0], in[1]); })
      .Case<tosa::MinimumOp, arith::MinimumFOp, arith::MinNumFOp>(
          [&](auto) { return FloatInterval::min(in[0], in[1]); })
      .Case([&](tosa::ClampOp clamp) -> Result {
        std::optional<double> lo = floatAttrValue(clamp.getMinValAttr());
        std::optional<double> hi = floatAttrValue(clamp.getMaxValAttr());
        if (!lo || !hi || *lo > *hi)
          return std::nullopt;
        return in[0].clamp(*lo, *hi);
      })
      .Case<tosa::ExpOp, math::ExpOp>([&](auto) { return in[0].exp(); })
      .Case<tosa::TanhOp, math::TanhOp>([&](auto) { return in[0].tanh(); })
      .Case<tosa::SigmoidOp>([&](auto) { return in[0].sigmoid(); })
      .Case<tosa::SelectOp, arith::SelectOp>(
          [&](auto) { return FloatInterval::hull(in[1], in[2]); })
      .Case<arith::ExtFOp>([&](auto) { return in[0]; })
      .Case<arith::TruncFOp>([&](Operation *o) {
        return roundOutward(in[0], o->getResult(0).getType());
      })
      .Case([&](tosa::CastOp cast) -> Result {
        if (!isFloatLike(cast.getInput().getType()))
          return std::nullopt;
        return roundOutward(in[0], cast.getType());
      })
      .Case<arith::ConstantOp, tosa::ConstOp>([&](Operation *o) -> Result {
        Attribute value;
        if (!matchPattern(o->getResult(0), m_Constant(&value)))
          return std::nullopt;
        return constantInterval(value);
      })
      .Default([](Operation *) { return std::nullopt; });
}

//===----------------------------------------------------------------------===//
// linalg: bodies, reductions, constant contractions
//===----------------------------------------------------------------------===//

/// The loops an op reduces over, and their total trip count (nullopt when
/// any is dynamic).
static std::optional<int64_t> reductionTripCount(linalg::LinalgOp op) {
  int64_t count = 1;
  for (auto [size, type] :
       llvm::zip_equal(op.getStaticLoopRanges(), op.getIteratorTypesArray())) {
    if (type != utils::IteratorType::reduction)
      continue;
    if (ShapedType::isDynamic(size))
      return std::nullopt;
    count *= size;
  }
  return count;
}

/// Looks through extf, which does not change values.
static Value skipExtF(Value value) {
  while (auto ext = value.getDefiningOp<arith::ExtFOp>())
    value = ext.getIn();
  return value;
}

/// out + a * b with one of a, b a constant operand of the op: the exact
/// per-channel bound. Channels are the parallel dims in the constant's
/// indexing map; every reduction dim must index the constant, so each
/// constant element enters each output element exactly once.
static std::optional<FloatInterval>
constantContraction(linalg::LinalgOp op, ArrayRef<FloatInterval> operands) {
  if (op.getNumDpsInits() != 1 || op.getNumReductionLoops() == 0)
    return std::nullopt;
  Block *body = op.getBlock();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return std::nullopt;
  BlockArgument outArg = op.getRegionOutputArgs().front();
  Value product = add.getLhs() == outArg   ? add.getRhs()
                  : add.getRhs() == outArg ? add.getLhs()
                                           : Value();
  auto mul = product ? product.getDefiningOp<arith::MulFOp>() : nullptr;
  if (!mul)
    return std::nullopt;
  auto lhs = dyn_cast<BlockArgument>(skipExtF(mul.getLhs()));
  auto rhs = dyn_cast<BlockArgument>(skipExtF(mul.getRhs()));
  if (!lhs || !rhs || lhs.getOwner() != body || rhs.getOwner() != body ||
      lhs.getArgNumber() >= op.getNumDpsInputs() ||
      rhs.getArgNumber() >= op.getNumDpsInputs())
    return std::nullopt;

  for (auto [weightArg, inputArg] :
       {std::pair(lhs, rhs), std::pair(rhs, lhs)}) {
    OpOperand *weightOperand = op.getDpsInputOperand(weightArg.getArgNumber());
    DenseFPElementsAttr weights = constantElements(weightOperand->get());
    if (!weights)
      continue;
    AffineMap map = op.getMatchingIndexingMap(weightOperand);
    if (!map.isProjectedPermutation())
      continue;
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    SmallVector<int64_t> groupDims;
    llvm::SmallBitVector indexed(iterators.size());
    for (auto [position, expr] : llvm::enumerate(map.getResults())) {
      unsigned loop = cast<AffineDimExpr>(expr).getPosition();
      indexed.set(loop);
      if (iterators[loop] == utils::IteratorType::parallel)
        groupDims.push_back(position);
    }
    bool allReductionsIndexWeights =
        llvm::all_of(llvm::enumerate(iterators), [&](auto entry) {
          return entry.value() != utils::IteratorType::reduction ||
                 indexed.test(entry.index());
        });
    if (!allReductionsIndexWeights)
      continue;
    FloatInterval sums = groupedWeightedSum(weights, groupDims,
                                            operands[inputArg.getArgNumber()]);
    return operands[op.getNumDpsInputs()] + sums;
  }
  return std::nullopt;
}

/// Evaluates the body of a linalg op on intervals. For reductions the
/// yielded value must be combine(out, t) with t independent of out;
/// `unknownOp` is set to a body op without a transfer function.
static std::optional<SmallVector<FloatInterval>>
evaluateLinalgBody(linalg::LinalgOp op, ArrayRef<FloatInterval> operands,
                   Operation *&unknownOp) {
  Block *body = op.getBlock();
  DenseMap<Value, FloatInterval> env;
  for (auto [arg, operand] : llvm::zip(body->getArguments(), operands))
    env.try_emplace(arg, operand);
  auto lookup = [&](Value value) -> FloatInterval {
    if (auto it = env.find(value); it != env.end())
      return it->second;
    // Values from outside the body: constants, or unknown.
    Attribute attr;
    if (matchPattern(value, m_Constant(&attr)))
      if (std::optional<FloatInterval> constant = constantInterval(attr))
        return *constant;
    return FloatInterval::unbounded();
  };

  // Values depending on an output argument (the accumulator).
  llvm::SmallPtrSet<Value, 8> onAccumulator;
  for (BlockArgument arg : op.getRegionOutputArgs())
    onAccumulator.insert(arg);

  for (Operation &bodyOp : body->without_terminator()) {
    if (llvm::any_of(bodyOp.getOperands(),
                     [&](Value v) { return onAccumulator.contains(v); }))
      for (Value result : bodyOp.getResults())
        onAccumulator.insert(result);
    if (bodyOp.getNumResults() != 1 ||
        !isFloatLike(bodyOp.getResult(0).getType())) {
      // Integer index arithmetic etc.: only harmless if no float uses it.
      if (llvm::any_of(bodyOp.getResults(),
                       [](Value v) { return isFloatLike(v.getType()); })) {
        unknownOp = &bodyOp;
        return std::nullopt;
      }
      continue;
    }
    SmallVector<FloatInterval> in;
    for (Value operand : bodyOp.getOperands())
      in.push_back(lookup(operand));
    std::optional<FloatInterval> result = elementwise(&bodyOp, in);
    if (!result) {
      unknownOp = &bodyOp;
      return std::nullopt;
    }
    env.try_emplace(bodyOp.getResult(0), *result);
  }

  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  SmallVector<FloatInterval> results;
  bool reduces = op.getNumReductionLoops() > 0;
  std::optional<int64_t> tripCount = reductionTripCount(op);
  for (auto [index, yielded] : llvm::enumerate(yield.getOperands())) {
    if (!reduces || !onAccumulator.contains(yielded)) {
      results.push_back(lookup(yielded));
      continue;
    }
    BlockArgument outArg = op.getRegionOutputArgs()[index];
    Operation *combine = yielded.getDefiningOp();
    if (!combine || combine->getNumOperands() != 2) {
      unknownOp = combine ? combine : yield.getOperation();
      return std::nullopt;
    }
    Value term = combine->getOperand(0) == outArg   ? combine->getOperand(1)
                 : combine->getOperand(1) == outArg ? combine->getOperand(0)
                                                    : Value();
    if (!term || onAccumulator.contains(term)) {
      unknownOp = combine;
      return std::nullopt;
    }
    FloatInterval init = lookup(outArg), each = lookup(term);
    if (isa<arith::AddFOp>(combine)) {
      results.push_back(tripCount ? init + each.sumOf(*tripCount)
                                  : FloatInterval::unbounded());
    } else if (isa<arith::MaximumFOp, arith::MaxNumFOp>(combine)) {
      results.push_back(FloatInterval::max(init, each));
    } else if (isa<arith::MinimumFOp, arith::MinNumFOp>(combine)) {
      results.push_back(FloatInterval::min(init, each));
    } else {
      unknownOp = combine;
      return std::nullopt;
    }
  }
  return results;
}

//===----------------------------------------------------------------------===//
// Whole-tensor ops
//===----------------------------------------------------------------------===//

/// Hull of all float operands (data movement, concatenation).
static FloatInterval hullOf(ArrayRef<FloatInterval> intervals) {
  FloatInterval result = intervals.front();
  for (const FloatInterval &interval : intervals.drop_front())
    result = FloatInterval::hull(result, interval);
  return result;
}

static bool anyPadding(ArrayRef<int64_t> padding) {
  return llvm::any_of(padding, [](int64_t p) { return p != 0; });
}

/// A tosa convolution or matmul against constant weights; `groupDims` are
/// the weights' output-channel dims. Zero padding adds 0 to the input range.
/// A constant bias is added channel by channel; any other bias as a whole.
static std::optional<FloatInterval>
tosaContraction(Value weightsValue, ArrayRef<int64_t> groupDims,
                FloatInterval input, bool padded, Value biasValue = {},
                std::optional<FloatInterval> bias = std::nullopt) {
  DenseFPElementsAttr weights = constantElements(weightsValue);
  if (!weights)
    return std::nullopt;
  if (padded)
    input = FloatInterval::hull(input, FloatInterval::point(0.0));
  DenseFPElementsAttr constantBias = constantElements(biasValue);
  FloatInterval sums =
      groupedWeightedSum(weights, groupDims, input, constantBias);
  return bias && !constantBias ? sums + *bias : sums;
}

/// Transfer function of a non-elementwise op; nullopt if unknown.
static std::optional<SmallVector<FloatInterval>>
wholeTensor(Operation *op, ArrayRef<FloatInterval> in, Operation *&unknownOp) {
  using Result = std::optional<SmallVector<FloatInterval>>;
  auto one = [](std::optional<FloatInterval> value) -> Result {
    if (!value)
      return std::nullopt;
    return SmallVector<FloatInterval>{*value};
  };
  return llvm::TypeSwitch<Operation *, Result>(op)
      // Data movement: the values are the input's.
      .Case<tosa::ReshapeOp, tosa::TransposeOp, tosa::SliceOp, tosa::TileOp,
            tosa::ReverseOp, tosa::IdentityOp, tosa::ReduceMaxOp,
            tosa::ReduceMinOp, tosa::MaxPool2dOp, tensor::ExpandShapeOp,
            tensor::CollapseShapeOp, tensor::ReshapeOp, tensor::ExtractSliceOp,
            tensor::ExtractOp, tensor::CastOp, tensor::SplatOp>(
          [&](Operation *) { return one(in[0]); })
      .Case<tosa::ConcatOp, tensor::ConcatOp, tensor::FromElementsOp>(
          [&](Operation *) { return one(hullOf(in)); })
      .Case<tensor::InsertSliceOp, tensor::InsertOp>(
          [&](Operation *) { return one(FloatInterval::hull(in[0], in[1])); })
      .Case([&](tosa::PadOp pad) {
        return one(FloatInterval::hull(in[0], in[pad.getPadConst() ? 2 : 0]));
      })
      .Case([&](tensor::PadOp pad) -> Result {
        Value padValue = pad.getConstantPaddingValue();
        if (!padValue)
          return one(FloatInterval::unbounded());
        std::optional<double> constant = constantScalar(padValue);
        return one(FloatInterval::hull(
            in[0], constant ? FloatInterval::point(*constant)
                            : FloatInterval::unbounded()));
      })
      .Case([&](tosa::ReduceSumOp reduce) -> Result {
        int64_t size = reduce.getInput().getType().getDimSize(
            reduce.getAxisAttr().getInt());
        if (ShapedType::isDynamic(size))
          return one(FloatInterval::unbounded());
        return one(in[0].sumOf(size));
      })
      .Case([&](tosa::AvgPool2dOp pool) {
        // The mean of values in [lo, hi]; padding may count as zeros.
        FloatInterval x = in[0];
        if (anyPadding(pool.getPad()))
          x = FloatInterval::hull(x, FloatInterval::point(0.0));
        return one(x);
      })
      .Case([&](tosa::MatMulOp matmul) -> Result {
        // B [N, C, W] constant: channels (n, w). A [N, H, C] constant:
        // channels (n, h).
        if (auto sums = tosaContraction(matmul.getB(), {0, 2}, in[0], false))
          return one(sums);
        if (auto sums = tosaContraction(matmul.getA(), {0, 1}, in[1], false))
          return one(sums);
        int64_t depth = matmul.getA().getType().getDimSize(2);
        if (ShapedType::isDynamic(depth))
          return one(FloatInterval::unbounded());
        return one((in[0] * in[1]).sumOf(depth));
      })
      .Case<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>([&](auto conv) -> Result {
        // Output channels: weights [O, KH, KW, C] for conv2d,
        // [KH, KW, C, M] for depthwise_conv2d.
        SmallVector<int64_t> groupDims = isa<tosa::Conv2DOp>(op)
                                             ? SmallVector<int64_t>{0}
                                             : SmallVector<int64_t>{2, 3};
        auto sums =
            tosaContraction(conv.getWeight(), groupDims, in[0],
                            anyPadding(conv.getPad()), conv.getBias(), in[2]);
        if (sums)
          return one(sums);
        unknownOp = op;
        return std::nullopt;
      })
      .Case([&](linalg::SoftmaxOp softmax) -> Result {
        int64_t size =
            softmax.getInputOperandType().getDimSize(softmax.getDimension());
        if (ShapedType::isDynamic(size))
          return one(FloatInterval(0.0, 1.0));
        return one(in[0].softmax(size));
      })
      .Case([&](linalg::LinalgOp linalgOp) -> Result {
        if (auto sums = constantContraction(linalgOp, in))
          return one(sums);
        return evaluateLinalgBody(linalgOp, in, unknownOp);
      })
      .Case<tensor::EmptyOp>([&](Operation *) {
        // Undefined contents: only sound as unbounded.
        return one(FloatInterval::unbounded());
      })
      .Default([&](Operation *) -> Result {
        if (op->getNumResults() != 1)
          return std::nullopt;
        return one(elementwise(op, in));
      });
}

//===----------------------------------------------------------------------===//
// FloatRangeAnalysis
//===----------------------------------------------------------------------===//

/// The calibrated `qa.range` of result `index` of `op`, if present.
static std::optional<FloatInterval> calibratedRange(Operation *op,
                                                    unsigned index) {
  Attribute attr = op->getAttr(QADialect::kRangeAttrName);
  if (auto array = dyn_cast_or_null<ArrayAttr>(attr))
    attr = index < array.size() ? array[index] : Attribute();
  auto range = dyn_cast_or_null<RangeAttr>(attr);
  if (!range || range.isProven())
    return std::nullopt;
  return FloatInterval(range.getLo(), range.getHi());
}

void FloatRangeAnalysis::setToEntryState(FloatRangeLattice *lattice) {
  FloatRange entry = FloatRange::unbounded();
  if (auto arg = dyn_cast<BlockArgument>(lattice->getAnchor())) {
    auto function =
        dyn_cast_or_null<FunctionOpInterface>(arg.getOwner()->getParentOp());
    if (function && arg.getOwner()->isEntryBlock())
      if (auto range = function.getArgAttrOfType<RangeAttr>(
              arg.getArgNumber(), QADialect::kRangeAttrName))
        entry = FloatRange({range.getLo(), range.getHi()}, range.isProven());
  }
  propagateIfChanged(lattice, lattice->join(entry));
}

LogicalResult
FloatRangeAnalysis::visitOperation(Operation *op,
                                   ArrayRef<const FloatRangeLattice *> operands,
                                   ArrayRef<FloatRangeLattice *> results) {
  if (llvm::none_of(op->getResultTypes(), isFloatLike)) {
    setAllToEntryStates(results);
    return success();
  }
  // Wait until every float operand has a range.
  SmallVector<FloatInterval> in;
  bool proven = true;
  for (auto [value, lattice] : llvm::zip_equal(op->getOperands(), operands)) {
    if (!isFloatLike(value.getType())) {
      in.push_back(FloatInterval::unbounded());
      continue;
    }
    const FloatRange &range = lattice->getValue();
    if (range.isUninitialized())
      return success();
    in.push_back(range.getInterval());
    proven &= range.isProven();
  }

  Operation *unknownOp = nullptr;
  std::optional<SmallVector<FloatInterval>> out =
      wholeTensor(op, in, unknownOp);
  if (!out || out->size() != results.size()) {
    // Blame the body op of a linalg op when that is what is missing.
    unsupported.insert(unknownOp ? unknownOp : op);
    out =
        SmallVector<FloatInterval>(results.size(), FloatInterval::unbounded());
  }

  for (auto [index, interval, lattice] : llvm::enumerate(*out, results)) {
    FloatRange range(interval, proven);
    // Where static reasoning knows nothing, a calibrated range continues the
    // propagation (and what follows is no longer proven).
    if (!interval.isBounded())
      if (std::optional<FloatInterval> calibrated = calibratedRange(op, index))
        range = FloatRange(*calibrated, /*proven=*/false);
    propagateIfChanged(lattice, lattice->join(range));
  }
  return success();
}

FloatRangeAnalysis *mlir::qa::loadFloatRangeAnalysis(DataFlowSolver &solver) {
  solver.load<DeadCodeAnalysis>();
  solver.load<SparseConstantPropagation>();
  return solver.load<FloatRangeAnalysis>();
}

FloatRange mlir::qa::getFloatRange(const DataFlowSolver &solver, Value value) {
  if (const auto *lattice = solver.lookupState<FloatRangeLattice>(value))
    return lattice->getValue();
  return FloatRange();
}
