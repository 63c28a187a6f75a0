//===- TargetCode.cpp - Object code and C headers for a target ------------===//
//
// LLVM dialect -> LLVM IR -> -O2 -> machine code for a target descriptor
// (for the host, the target machine set up as MLIR's ExecutionEngine does),
// and the C header that lets a C program call the result.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Target/TargetCode.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "quantaware/Dialect/QA/IR/QAOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
using namespace mlir::qa;

LogicalResult mlir::qa::emitTargetCode(ModuleOp module,
                                       const TargetDescriptor &descriptor,
                                       CodeFileType fileType,
                                       llvm::raw_pwrite_stream &os) {
  static bool targetsInitialized = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    return true;
  }();
  (void)targetsInitialized;

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return failure();

  llvm::Triple triple(descriptor.triple);
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return module.emitError()
           << "no LLVM target for " << descriptor.triple << ": " << error;
  // Position-independent, so the object links into PIE executables (what
  // Debian's compilers build by default).
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, descriptor.cpu, descriptor.features, llvm::TargetOptions(),
      llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return module.emitError()
           << "cannot create a target machine for " << triple.str();
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());

  if (llvm::Error error = makeOptimizingTransformer(
          /*optLevel=*/2, /*sizeLevel=*/0, machine.get())(llvmModule.get()))
    return module.emitError()
           << "LLVM optimization failed: " << llvm::toString(std::move(error));
  if (fileType == CodeFileType::LLVMIR) {
    llvmModule->print(os, /*AAW=*/nullptr);
    return success();
  }
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, os, /*DwoOut=*/nullptr,
                                   fileType == CodeFileType::Object
                                       ? llvm::CodeGenFileType::ObjectFile
                                       : llvm::CodeGenFileType::AssemblyFile))
    return module.emitError()
           << descriptor.triple << " cannot emit this file type";
  codegen.run(*llvmModule);
  return success();
}

//===----------------------------------------------------------------------===//
// C header
//===----------------------------------------------------------------------===//

static std::optional<std::string> getIntegerCType(unsigned width,
                                                  bool isSigned) {
  if (!llvm::is_contained({8u, 16u, 32u, 64u}, width))
    return std::nullopt;
  return (isSigned ? "int" : "uint") + std::to_string(width) + "_t";
}

/// The C type of one stored element; quantized types are stored as their
/// storage integers, whose signedness only the quantized type records, 2-
/// and 4-bit ones one per byte (as qa-lower-to-integer holds them).
static std::optional<std::string> getCType(Type element) {
  if (auto quantized = dyn_cast<quant::QuantizedType>(element))
    return getIntegerCType(
        std::max(quantized.getStorageTypeIntegralWidth(), 8u),
        quantized.isSigned());
  if (element.isF32())
    return "float";
  if (element.isF64())
    return "double";
  if (auto integer = dyn_cast<IntegerType>(element))
    return getIntegerCType(integer.getWidth(), !integer.isUnsigned());
  return std::nullopt;
}

static bool isCIdentifier(StringRef name) {
  return !name.empty() && !llvm::isDigit(name.front()) &&
         llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

LogicalResult mlir::qa::verifyCInterface(StringRef function,
                                         FunctionType interface, Location loc) {
  if (!isCIdentifier(function))
    return emitError(loc) << "@" << function
                          << " is not a C identifier: the C header cannot "
                             "declare it";
  auto check = [&](Type type, const Twine &what) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (tensor && tensor.hasStaticShape() && getCType(tensor.getElementType()))
      return success();
    return emitError(loc) << what << " of @" << function << " has type " << type
                          << "; a C interface needs tensors of static shape "
                             "with f32, f64 or 8, 16, 32 or 64-bit integer "
                             "elements";
  };
  for (auto [index, type] : llvm::enumerate(interface.getInputs()))
    if (failed(check(type, "argument #" + Twine(index))))
      return failure();
  for (auto [index, type] : llvm::enumerate(interface.getResults()))
    if (failed(check(type, "result #" + Twine(index))))
      return failure();
  return success();
}

/// A C double literal that reads back as exactly `value`.
static std::string formatDouble(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.17g", value);
  if (StringRef(text).find_first_of(".en") == StringRef::npos)
    text += ".0";
  return text;
}

InterfaceQuantization mlir::qa::getInterfaceQuantization(func::FuncOp entry) {
  InterfaceQuantization boundary;
  for (BlockArgument argument : entry.getArguments()) {
    BoundaryQuantization &crossing = boundary.arguments.emplace_back();
    if (!isa<FloatType>(getElementTypeOrSelf(argument.getType())))
      continue;
    QuantizeOp first;
    bool onlyQuantized = llvm::all_of(argument.getUsers(), [&](Operation *op) {
      auto quantize = dyn_cast<QuantizeOp>(op);
      if (!quantize)
        return false;
      if (!first)
        first = quantize;
      // The TFLite modes both quantize ties away from zero.
      return quantize.getOutput().getType() == first.getOutput().getType() &&
             (quantize.getRounding() == RoundingMode::HalfEven) ==
                 (first.getRounding() == RoundingMode::HalfEven);
    });
    if (!onlyQuantized || !first)
      continue;
    if (auto type = dyn_cast<quant::UniformQuantizedType>(
            getElementTypeOrSelf(first.getOutput().getType())))
      crossing = {type, first.getRounding() == RoundingMode::HalfEven};
  }
  // The graphs quant-compile lowers are one block: its terminator returns.
  auto returnOp = dyn_cast_if_present<func::ReturnOp>(
      entry.getFunctionBody().empty()
          ? nullptr
          : entry.getFunctionBody().back().getTerminator());
  for (unsigned i = 0, e = entry.getNumResults(); i < e; ++i) {
    BoundaryQuantization &crossing = boundary.results.emplace_back();
    auto dequantize = returnOp
                          ? returnOp.getOperand(i).getDefiningOp<DequantizeOp>()
                          : DequantizeOp();
    if (dequantize)
      crossing.type = dyn_cast<quant::UniformQuantizedType>(
          getElementTypeOrSelf(dequantize.getInput().getType()));
  }
  return boundary;
}

/// Writes the quantization of `element` as macros `<macro>_SCALE` and
/// `_ZERO_POINT` (per axis: `_QUANTIZED_DIMENSION`, `_SCALES`,
/// `_ZERO_POINTS`), and its storage range, `_STORAGE_MIN` and `_MAX`.
static void writeQuantizationMacros(llvm::raw_ostream &os, StringRef macro,
                                    quant::QuantizedType element) {
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(element)) {
    os << "#define " << macro << "_SCALE " << formatDouble(uniform.getScale())
       << "\n";
    os << "#define " << macro << "_ZERO_POINT (" << uniform.getZeroPoint()
       << ")\n";
  } else if (auto perAxis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    os << "#define " << macro << "_QUANTIZED_DIMENSION "
       << perAxis.getQuantizedDimension() << "\n";
    os << "#define " << macro << "_SCALES {"
       << llvm::join(llvm::map_range(perAxis.getScales(), formatDouble), ", ")
       << "}\n";
    os << "#define " << macro << "_ZERO_POINTS {"
       << llvm::join(
              llvm::map_range(perAxis.getZeroPoints(),
                              [](int64_t zp) { return std::to_string(zp); }),
              ", ")
       << "}\n";
  } else {
    return;
  }
  os << "#define " << macro << "_STORAGE_MIN (" << element.getStorageTypeMin()
     << ")\n";
  os << "#define " << macro << "_STORAGE_MAX (" << element.getStorageTypeMax()
     << ")\n";
}

/// Writes the macros describing one buffer, named `<PREFIX>_<NAME>_...`:
/// its shape, its own quantization, and the one it crosses the integer
/// graph's boundary with (`crossing`, for a float buffer).
static void writeBufferMacros(llvm::raw_ostream &os, StringRef prefix,
                              StringRef name, RankedTensorType type,
                              bool isInput, BoundaryQuantization crossing) {
  std::string macro = (prefix + "_" + name.upper()).str();
  os << "/* " << name << ": " << type << " */\n";
  os << "#define " << macro << "_RANK " << type.getRank() << "\n";
  os << "#define " << macro << "_SHAPE {"
     << llvm::join(
            llvm::map_range(type.getShape(),
                            [](int64_t dim) { return std::to_string(dim); }),
            ", ")
     << "}\n";
  os << "#define " << macro << "_ELEMENTS " << type.getNumElements() << "\n";

  if (auto quantized = dyn_cast<quant::QuantizedType>(type.getElementType())) {
    if (isa<quant::UniformQuantizedPerAxisType>(quantized))
      os << "/* real = SCALES[c] * (stored - ZERO_POINTS[c]), c the index "
            "along QUANTIZED_DIMENSION */\n";
    else if (isa<quant::UniformQuantizedType>(quantized))
      os << "/* real = " << macro << "_SCALE * (stored - " << macro
         << "_ZERO_POINT) */\n";
    writeQuantizationMacros(os, macro, quantized);
    return;
  }
  if (!crossing.type)
    return;
  std::string q = macro + "_QUANTIZED";
  if (isInput)
    os << "/* quantized on entry, by " << q << "_<NAME>:\n"
       << "   stored = clamp(round(real / SCALE) + ZERO_POINT, STORAGE_MIN, "
          "STORAGE_MAX),\n   the quotient in float32 ((float)real / "
          "(float)SCALE),\n   ties rounded "
       << (crossing.tiesToEven ? "to even" : "away from zero") << " */\n";
  else
    os << "/* dequantized on exit, by " << q << "_<NAME>:\n"
       << "   real = SCALE * (stored - ZERO_POINT), stored in "
          "STORAGE_MIN..STORAGE_MAX */\n";
  writeQuantizationMacros(os, q, crossing.type);
  if (isInput)
    os << "#define " << q << "_TIES_TO_EVEN " << crossing.tiesToEven << "\n";
}

LogicalResult mlir::qa::emitCHeader(ModuleOp module, StringRef function,
                                    FunctionType interface,
                                    const InterfaceQuantization &boundary,
                                    llvm::raw_ostream &os) {
  auto lowered = module.lookupSymbol<LLVM::LLVMFuncOp>(function);
  if (!lowered)
    return module.emitError()
           << "no llvm.func @" << function << " to write a C header for";
  if (failed(verifyCInterface(function, interface, lowered.getLoc())))
    return failure();
  // The prototype below is only right for the bare-pointer convention with
  // results as out-parameters: check that the lowering produced exactly it.
  LLVM::LLVMFunctionType llvmType = lowered.getFunctionType();
  unsigned numBuffers = interface.getNumInputs() + interface.getNumResults();
  if (!isa<LLVM::LLVMVoidType>(llvmType.getReturnType()) ||
      llvmType.getNumParams() != numBuffers || llvmType.isVarArg() ||
      !llvm::all_of(llvmType.getParams(), llvm::IsaPred<LLVM::LLVMPointerType>))
    return lowered.emitError()
           << "@" << function << " was lowered to " << llvmType << ", not to "
           << numBuffers << " pointers returning void: no C prototype matches";

  std::string prefix = function.upper();
  os << "/* C interface of @" << function
     << ", generated by QuantAware. Every buffer is contiguous row-major\n"
        "   storage allocated by the caller: the arguments are read, the "
        "results written. */\n";
  std::string guard = "QUANTAWARE_" + prefix + "_H";
  os << "#ifndef " << guard << "\n#define " << guard << "\n\n";
  os << "#include <stdint.h>\n\n";

  SmallVector<std::string> parameters;
  auto addBuffer = [&](Type type, StringRef name, bool isInput,
                       BoundaryQuantization crossing) {
    auto tensor = cast<RankedTensorType>(type);
    writeBufferMacros(os, prefix, name, tensor, isInput, crossing);
    os << "\n";
    parameters.push_back((Twine(isInput ? "const " : "") +
                          *getCType(tensor.getElementType()) + " *" + name)
                             .str());
  };
  auto crossingOf = [](ArrayRef<BoundaryQuantization> crossings, size_t index) {
    return index < crossings.size() ? crossings[index] : BoundaryQuantization();
  };
  for (auto [index, type] : llvm::enumerate(interface.getInputs()))
    addBuffer(type, "arg" + std::to_string(index), /*isInput=*/true,
              crossingOf(boundary.arguments, index));
  for (auto [index, type] : llvm::enumerate(interface.getResults()))
    addBuffer(type, "result" + std::to_string(index), /*isInput=*/false,
              crossingOf(boundary.results, index));

  os << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  os << "void " << function << "(" << llvm::join(parameters, ", ") << ");\n\n";
  os << "#ifdef __cplusplus\n}\n#endif\n\n";
  os << "#endif /* " << guard << " */\n";
  return success();
}
