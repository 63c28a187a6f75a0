//===- HostJit.cpp - Compile and run a tensor function on the host --------===//
//
// tosa -> linalg -> one-shot bufferization (results become out-parameters,
// intermediate buffers freed) -> loops -> LLVM, then MLIR's ExecutionEngine
// at -O2. Static shapes only: that is what makes the bare-pointer calling
// convention possible.
//
//===----------------------------------------------------------------------===//

#include "quantaware/ExecutionEngine/HostJit.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir;
using namespace mlir::qa;

void mlir::qa::buildTensorToLLVMPipeline(OpPassManager &pm) {
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  funcPm.addPass(tosa::createTosaToLinalgNamed());
  funcPm.addPass(tosa::createTosaToLinalg());
  funcPm.addPass(createTosaToArithPass());
  funcPm.addPass(createTosaToTensorPass());
  pm.addPass(createCanonicalizerPass());

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

  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
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
  PassPipelineRegistration<>(
      "qa-tensor-to-llvm",
      "Lower static tosa/linalg tensor functions to LLVM with out-parameter "
      "results and bare-pointer memrefs (the host JIT's convention)",
      buildTensorToLLVMPipeline);
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
