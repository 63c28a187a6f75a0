//===- quant-run.cpp - Run a compiled function on .npy data ---------------===//
//
// JIT-compiles one function of an MLIR file for the host (lowering qa ops to
// integers first) and runs it on every sample of the .npy inputs, writing
// one .npy per result with a leading batch dimension. The way tests and
// users execute a model before cross-compiling it.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Conversion/Passes.h"
#include "quantaware/ExecutionEngine/HostJit.h"
#include "quantaware/InitAllDialects.h"
#include "quantaware/Support/Npy.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qa;

static llvm::cl::opt<std::string> inputFile(llvm::cl::Positional,
                                            llvm::cl::desc("<input .mlir>"),
                                            llvm::cl::Required);
static llvm::cl::opt<std::string>
    functionName("function", llvm::cl::desc("Function to run (default: the "
                                            "only public one)"));
static llvm::cl::list<std::string>
    inputs("inputs", llvm::cl::CommaSeparated,
           llvm::cl::desc(".npy file or directory per argument, each with a "
                          "leading batch dimension"));
static llvm::cl::list<std::string>
    outputs("outputs", llvm::cl::CommaSeparated,
            llvm::cl::desc(".npy file per result (written with the batch "
                           "dimension first)"));

static int fail(const Twine &message) {
  llvm::errs() << "quant-run: " << message << "\n";
  return 1;
}

/// The .npy dtype of a tensor element type.
static std::optional<std::string> dtypeOf(Type element) {
  if (element.isF32())
    return "<f4";
  if (element.isF64())
    return "<f8";
  if (auto integer = dyn_cast<IntegerType>(element)) {
    switch (integer.getWidth()) {
    case 8:
      return "|i1";
    case 16:
      return "<i2";
    case 32:
      return "<i4";
    case 64:
      return "<i8";
    }
  }
  return std::nullopt;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::cl::ParseCommandLineOptions(argc, argv, "QuantAware host runner\n");

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(inputFile.getValue(), sourceMgr, &context);
  if (!module)
    return 1;

  // Results stored as unsigned integers are written with unsigned dtypes
  // (the lowered storage types are signless): remember which, first.
  llvm::StringMap<SmallVector<bool>> unsignedResults;
  for (auto candidate : module->getOps<func::FuncOp>())
    for (Type type : candidate.getResultTypes()) {
      auto quantized = dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(type));
      unsignedResults[candidate.getName()].push_back(quantized &&
                                                     !quantized.isSigned());
    }

  // Quantized ops run as the integer arithmetic they lower to.
  PassManager lower(&context);
  lower.addPass(createQALowerToInteger());
  if (failed(lower.run(*module)))
    return 1;

  func::FuncOp function;
  for (auto candidate : module->getOps<func::FuncOp>())
    if (functionName.empty() ? candidate.isPublic() && !candidate.isExternal()
                             : candidate.getName() == functionName) {
      if (function)
        return fail("several public functions: choose one with --function");
      function = candidate;
    }
  if (!function)
    return fail(functionName.empty() ? "no public function to run"
                                     : "no function @" + functionName);
  if (failed(HostJit::verifySignature(function)))
    return 1;
  if (inputs.size() != function.getNumArguments())
    return fail("@" + function.getName() + " takes " +
                Twine(function.getNumArguments()) + " argument(s); --inputs " +
                "names " + Twine(inputs.size()));
  if (outputs.size() != function.getNumResults())
    return fail("@" + function.getName() + " has " +
                Twine(function.getNumResults()) + " result(s); --outputs " +
                "names " + Twine(outputs.size()));

  std::vector<HostBuffer> buffers;
  for (Type type : llvm::concat<const Type>(function.getArgumentTypes(),
                                            function.getResultTypes()))
    buffers.emplace_back(cast<RankedTensorType>(type));
  std::vector<NpyArray> batches;
  for (auto [index, path] : llvm::enumerate(inputs)) {
    llvm::Expected<NpyArray> batch = readNpyBatch(path);
    if (!batch)
      return fail(llvm::toString(batch.takeError()));
    RankedTensorType type = buffers[index].getType();
    if (!isBatchOf(*batch, type.getShape()))
      return fail(path + ": not a batch of " + llvm::formatv("{0}", type).str() +
                  " values (argument #" + Twine(index) + ")");
    if (!batches.empty() && batch->shape[0] != batches[0].shape[0])
      return fail(path + ": batch size differs from " + inputs[0]);
    batches.push_back(std::move(*batch));
  }
  int64_t count = batches.empty() ? 1 : batches[0].shape[0];

  std::string name = function.getName().str();
  unsigned numArguments = function.getNumArguments();
  std::vector<NpyArray> results;
  for (unsigned r = numArguments; r < buffers.size(); ++r) {
    std::optional<std::string> dtype =
        dtypeOf(buffers[r].getType().getElementType());
    if (!dtype)
      return fail("result #" + Twine(r - numArguments) + " has an element type "
                  "with no .npy dtype");
    NpyArray result;
    result.dtype = *dtype;
    if (unsignedResults[name][r - numArguments])
      result.dtype[1] = 'u';
    result.shape.push_back(count);
    llvm::append_range(result.shape, buffers[r].getType().getShape());
    results.push_back(std::move(result));
  }

  FailureOr<std::unique_ptr<HostJit>> jit = HostJit::compile(*module, name);
  if (failed(jit))
    return 1;
  SmallVector<void *> pointers;
  for (HostBuffer &buffer : buffers)
    pointers.push_back(buffer.data());
  std::vector<double> scratch;
  for (int64_t sample = 0; sample < count; ++sample) {
    for (auto [index, batch] : llvm::enumerate(batches)) {
      int64_t size = buffers[index].size();
      if (llvm::Error error = buffers[index].write(
              ArrayRef(batch.data).slice(sample * size, size)))
        return fail(inputs[index] + ": sample " + Twine(sample) + ": " +
                    llvm::toString(std::move(error)));
    }
    if (llvm::Error error = (*jit)->call(pointers))
      return fail(llvm::toString(std::move(error)));
    for (auto [index, result] : llvm::enumerate(results)) {
      buffers[numArguments + index].read(scratch);
      if (result.dtype[1] == 'u') {
        // Signless storage reads as signed: u8 200 came back as -56.
        double wrap = std::ldexp(1.0, 8 * (result.dtype[2] - '0'));
        for (double &value : scratch)
          value = value < 0 ? value + wrap : value;
      }
      llvm::append_range(result.data, scratch);
    }
  }
  for (auto [index, result] : llvm::enumerate(results))
    if (llvm::Error error = writeNpy(outputs[index], result))
      return fail(llvm::toString(std::move(error)));
  return 0;
}
