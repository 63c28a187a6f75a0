//===- HostJit.cpp - Compile and run a tensor function on the host --------===//
//
// tosa -> linalg -> one-shot bufferization (results become out-parameters,
// intermediate buffers freed) -> loops -> LLVM, then MLIR's ExecutionEngine
// at -O2. Static shapes only: that is what makes the bare-pointer calling
// convention possible.
//
//===----------------------------------------------------------------------===//

#include "quantaware/ExecutionEngine/HostJit.h"

#include "quantaware/Target/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/TargetSelect.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::qa;

namespace {
/// memref.copy between strided buffers lowers to a call into MLIR's runtime
/// library; as linalg.copy it becomes plain loops, so compiled code needs
/// no runtime at all.
struct CopyToLinalgCopy final
    : PassWrapper<CopyToLinalgCopy, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CopyToLinalgCopy)
  StringRef getArgument() const final { return "qa-copy-to-linalg"; }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<linalg::LinalgDialect>();
  }
  void runOnOperation() override {
    getOperation().walk([](memref::CopyOp copy) {
      OpBuilder builder(copy);
      linalg::CopyOp::create(builder, copy.getLoc(),
                             ValueRange{copy.getSource()},
                             ValueRange{copy.getTarget()});
      copy.erase();
    });
  }
};
/// Removes the discardable qa attributes (ranges, precisions): the lowering
/// changes the types they describe, and the machine code does not need them.
struct StripQAAttributes final
    : PassWrapper<StripQAAttributes, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(StripQAAttributes)
  StringRef getArgument() const final { return "qa-strip-attributes"; }
  void runOnOperation() override {
    auto isQA = [](NamedAttribute attr) {
      return attr.getName().strref().starts_with("qa.");
    };
    getOperation().walk([&](Operation *op) {
      for (NamedAttribute attr : llvm::to_vector(op->getDiscardableAttrs()))
        if (isQA(attr))
          op->removeDiscardableAttr(attr.getName());
      if (auto function = dyn_cast<func::FuncOp>(op))
        for (unsigned i = 0; i < function.getNumArguments(); ++i)
          if (DictionaryAttr attrs = function.getArgAttrDict(i))
            for (NamedAttribute attr : llvm::to_vector(attrs.getValue()))
              if (isQA(attr))
                function.removeArgAttr(i, attr.getName());
    });
  }
};

/// Marks the arguments of public functions read-only for bufferization, which
/// otherwise may compute in place in an argument's buffer: callers (the C
/// header declares inputs `const`) expect their inputs back unchanged.
struct ReadOnlyArguments final
    : PassWrapper<ReadOnlyArguments, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ReadOnlyArguments)
  StringRef getArgument() const final { return "qa-read-only-arguments"; }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<bufferization::BufferizationDialect>();
  }
  void runOnOperation() override {
    Builder builder(&getContext());
    for (auto function : getOperation().getOps<func::FuncOp>())
      if (function.isPublic() && !function.isExternal())
        for (unsigned i = 0; i < function.getNumArguments(); ++i)
          if (isa<TensorType>(function.getArgument(i).getType()))
            function.setArgAttr(
                i, bufferization::BufferizationDialect::kWritableAttrName,
                builder.getBoolAttr(false));
  }
};
} // namespace

void mlir::qa::buildTensorToLLVMPipeline(OpPassManager &pm, StringRef target) {
  pm.addPass(std::make_unique<StripQAAttributes>());
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  funcPm.addPass(tosa::createTosaToLinalgNamed());
  funcPm.addPass(tosa::createTosaToLinalg());
  funcPm.addPass(createTosaToArithPass());
  funcPm.addPass(createTosaToTensorPass());
  pm.addPass(createCanonicalizerPass());

  pm.addPass(std::make_unique<ReadOnlyArguments>());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::buildBufferDeallocationPipeline(pm);

  QALowerToTargetKernelsOptions kernels;
  kernels.target = target.str();
  pm.addPass(createQALowerToTargetKernels(kernels));
  pm.addNestedPass<func::FuncOp>(createQAPromoteBuffersToStack());
  pm.addPass(std::make_unique<CopyToLinalgCopy>());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::qa::registerTensorToLLVMPipeline() {
  PassPipelineRegistration<TensorToLLVMOptions>(
      "qa-tensor-to-llvm",
      "Lower static tosa/linalg tensor functions to LLVM with out-parameter "
      "results and bare-pointer memrefs (the host JIT's convention)",
      [](OpPassManager &pm, const TensorToLLVMOptions &options) {
        buildTensorToLLVMPipeline(pm, options.target);
      });
}

LogicalResult HostJit::verifySignature(func::FuncOp function) {
  auto check = [&](Type type, const Twine &what) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (tensor && tensor.hasStaticShape() &&
        tensor.getElementType().isIntOrFloat())
      return success();
    return function.emitError() << what << " has type " << type
                                << "; the host JIT needs tensors of static "
                                   "shape with integer or float elements";
  };
  for (auto [index, type] : llvm::enumerate(function.getArgumentTypes()))
    if (failed(check(type, "argument #" + Twine(index))))
      return failure();
  for (auto [index, type] : llvm::enumerate(function.getResultTypes()))
    if (failed(check(type, "result #" + Twine(index))))
      return failure();
  return success();
}

FailureOr<std::unique_ptr<HostJit>> HostJit::compile(ModuleOp module,
                                                     StringRef name) {
  auto function = module.lookupSymbol<func::FuncOp>(name);
  if (!function)
    return module.emitError() << "no function @" << name << " to compile";
  if (failed(verifySignature(function)))
    return failure();
  unsigned numBuffers = function.getNumArguments() + function.getNumResults();

  PassManager pm(module.getContext());
  buildTensorToLLVMPipeline(pm);
  if (failed(pm.run(module)))
    return failure();
  // Anything left outside the LLVM dialect has no lowering.
  WalkResult leftover = module.walk([](Operation *op) {
    if (isa<ModuleOp>(op) || isa<LLVM::LLVMDialect>(op->getDialect()))
      return WalkResult::advance();
    op->emitError() << "'" << op->getName()
                    << "' cannot be compiled for the host: no lowering to LLVM";
    return WalkResult::interrupt();
  });
  if (leftover.wasInterrupted())
    return failure();

  static bool nativeTargetInitialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)nativeTargetInitialized;
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  module.getContext()->appendDialectRegistry(registry);

  ExecutionEngineOptions options;
  options.transformer = makeOptimizingTransformer(/*optLevel=*/2,
                                                  /*sizeLevel=*/0, nullptr);
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  llvm::Expected<std::unique_ptr<ExecutionEngine>> engine =
      ExecutionEngine::create(module, options);
  if (!engine)
    return module.emitError() << "JIT compilation failed: "
                              << llvm::toString(engine.takeError());
  return std::unique_ptr<HostJit>(
      new HostJit(std::move(*engine), name.str(), numBuffers));
}

llvm::Error HostJit::call(ArrayRef<void *> buffers) {
  if (buffers.size() != numBuffers)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "@" + function + " takes " + Twine(numBuffers) + " buffers, got " +
            Twine(buffers.size()));
  // The packed interface reads each argument through a pointer to it.
  SmallVector<void *> pointers(buffers.begin(), buffers.end());
  SmallVector<void *> packed;
  for (void *&pointer : pointers)
    packed.push_back(&pointer);
  return engine->invokePacked(function, packed);
}

HostBuffer::HostBuffer(RankedTensorType type)
    : type(type),
      storage((type.getNumElements() *
                   std::max<int64_t>(8, type.getElementTypeBitWidth()) / 8 +
               7) /
              8) {}

void HostBuffer::read(std::vector<double> &out) const {
  out.resize(size());
  const char *bytes = reinterpret_cast<const char *>(storage.data());
  Type element = type.getElementType();
  unsigned width = std::max(8u, element.getIntOrFloatBitWidth()) / 8;
  for (int64_t i = 0; i < size(); ++i) {
    const char *at = bytes + width * i;
    if (element.isF32()) {
      float value;
      std::memcpy(&value, at, 4);
      out[i] = value;
    } else if (element.isF64()) {
      std::memcpy(&out[i], at, 8);
    } else {
      uint64_t bits = 0;
      std::memcpy(&bits, at, width);
      if (auto floatType = dyn_cast<FloatType>(element)) {
        APFloat value(floatType.getFloatSemantics(), APInt(8 * width, bits));
        bool losesInfo;
        value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                      &losesInfo);
        out[i] = value.convertToDouble();
      } else {
        unsigned bitWidth = element.getIntOrFloatBitWidth();
        out[i] = static_cast<double>(llvm::SignExtend64(bits, bitWidth));
      }
    }
  }
}

llvm::Error HostBuffer::write(ArrayRef<double> values) {
  assert(static_cast<int64_t>(values.size()) == size() && "size mismatch");
  char *bytes = reinterpret_cast<char *>(storage.data());
  Type element = type.getElementType();
  unsigned width = std::max(8u, element.getIntOrFloatBitWidth()) / 8;
  for (auto [i, value] : llvm::enumerate(values)) {
    char *at = bytes + width * i;
    if (element.isF32()) {
      auto narrow = static_cast<float>(value);
      std::memcpy(at, &narrow, 4);
    } else if (element.isF64()) {
      std::memcpy(at, &value, 8);
    } else if (auto floatType = dyn_cast<FloatType>(element)) {
      APFloat converted(value);
      bool losesInfo;
      converted.convert(floatType.getFloatSemantics(),
                        APFloat::rmNearestTiesToEven, &losesInfo);
      uint64_t bits = converted.bitcastToAPInt().getZExtValue();
      std::memcpy(at, &bits, width);
    } else {
      // Signless integers take either reading: [-2^(n-1), 2^n - 1].
      unsigned bitWidth = element.getIntOrFloatBitWidth();
      double lo = -std::ldexp(1.0, bitWidth - 1), hi = std::ldexp(1.0, bitWidth) - 1;
      if (value != std::trunc(value) || value < lo || value > hi)
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            llvm::formatv("{0} is not an {1} value", value, element).str());
      auto integer = static_cast<int64_t>(value);
      std::memcpy(at, &integer, width);
    }
  }
  return llvm::Error::success();
}
