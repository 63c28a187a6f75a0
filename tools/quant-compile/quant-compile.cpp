//===- quant-compile.cpp - Quantize a float model into target code --------===//
//
// Runs `qa-quantize-to-host` on a float model and writes an object file
// (or assembly, or LLVM IR) for a target descriptor (the host by default,
// or a cross target), plus a C header declaring the entry point: the way to
// link a quantized model into a C program.
//
//===----------------------------------------------------------------------===//

#include "quantaware/InitAllDialects.h"
#include "quantaware/Pipelines/Pipelines.h"
#include "quantaware/Target/TargetCode.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::qa;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional,
                                      cl::desc("<float model .mlir>"));
static cl::opt<bool>
    listTargets("list-targets",
                cl::desc("Print the target descriptors (name, triple, CPU, "
                         "features, vector bits, then one kernel per line: "
                         "activation bits, weight bits, nominal MACs per "
                         "cycle, instructions) and exit"));
static cl::opt<std::string> outputFile("o", cl::init("-"),
                                       cl::desc("Output file"),
                                       cl::value_desc("filename"));
static cl::opt<std::string>
    headerFile("header", cl::value_desc("filename"),
               cl::desc("Also write a C header declaring the entry point"));
static cl::opt<std::string>
    functionName("function", cl::desc("Entry point (default: the only "
                                      "public function)"));
static cl::opt<CodeFileType>
    emit("emit", cl::init(CodeFileType::Object), cl::desc("Output kind"),
         cl::values(clEnumValN(CodeFileType::Object, "obj", "Object file"),
                    clEnumValN(CodeFileType::Assembly, "asm", "Assembly"),
                    clEnumValN(CodeFileType::LLVMIR, "llvm", "LLVM IR")));
static cl::opt<std::string>
    targetName("target", cl::init("host"),
               cl::desc("Target descriptor: host, x86_64-avx512vnni, "
                        "x86_64-avx2, aarch64-dotprod, aarch64-i8mm, "
                        "aarch64-neon or riscv64-rvv"));
static cl::opt<bool> emitAssembly("S", cl::desc("Same as --emit=asm"));

// The options of qa-quantize-to-host; the pipeline's defaults apply to those
// not given, and the passes check the values.
static cl::OptionCategory
    pipelineCategory("Quantization (qa-quantize-to-host)");
static cl::opt<std::string> samples("samples", cl::cat(pipelineCategory),
                                    cl::desc("Calibration .npy inputs"));
static cl::opt<std::string> statsIn("stats-in", cl::cat(pipelineCategory),
                                    cl::desc("Calibration statistics JSON"));
static cl::opt<std::string> method("method", cl::cat(pipelineCategory),
                                   cl::desc("Calibration method"));
static cl::opt<unsigned> activationBits("activation-bits",
                                        cl::cat(pipelineCategory),
                                        cl::desc("2, 4, 8 or 16"));
static cl::opt<unsigned> weightBits("weight-bits", cl::cat(pipelineCategory),
                                    cl::desc("1 (binary), 2, 4, 8 or 16"));
static cl::opt<std::string>
    weightGranularity("weight-granularity", cl::cat(pipelineCategory),
                      cl::desc("per-channel or per-tensor"));
static cl::opt<bool> weightSymmetric("weight-symmetric",
                                     cl::cat(pipelineCategory),
                                     cl::desc("Symmetric weights"));
static cl::opt<int64_t>
    weightGroupSize("weight-group-size", cl::cat(pipelineCategory),
                    cl::desc("Fully-connected weights per group of this many "
                             "along K (0: per channel)"));
static cl::opt<std::string> weightClipping("weight-clipping",
                                           cl::cat(pipelineCategory),
                                           cl::desc("max, mse or auto"));
static cl::opt<std::string>
    rounding("rounding", cl::cat(pipelineCategory),
             cl::desc("tflite_double, tflite_single or half_even"));
static cl::opt<bool>
    integerOnly("integer-only", cl::cat(pipelineCategory),
                cl::desc("Fail where an op would stay float (no quantized "
                         "form; float-fallback=false). The entry's quantize, "
                         "the exit's dequantize and half_even rescales "
                         "still use exact float32 arithmetic"));

static int fail(const Twine &message) {
  llvm::errs() << "quant-compile: " << message << "\n";
  return 1;
}

template <typename T, typename Option>
static void forward(const cl::opt<T> &flag, Option &option) {
  if (flag.getNumOccurrences())
    option = flag.getValue();
}

namespace {
/// Records the entry point's signature as qa-lower-to-integer receives it:
/// the quantized interface whose storage types and scales the C header
/// describes (the lowering leaves only signless integers), and the
/// quantization its float buffers cross the integer graph's boundary with.
struct InterfaceRecorder final : PassInstrumentation {
  InterfaceRecorder(StringRef function, FunctionType &interface,
                    InterfaceQuantization &boundary)
      : function(function), interface(interface), boundary(boundary) {}
  void runBeforePass(Pass *pass, Operation *op) override {
    if (pass->getArgument() != "qa-lower-to-integer")
      return;
    if (auto entry = cast<ModuleOp>(op).lookupSymbol<func::FuncOp>(function)) {
      interface = entry.getFunctionType();
      boundary = getInterfaceQuantization(entry);
    }
  }
  StringRef function;
  FunctionType &interface;
  InterfaceQuantization &boundary;
};
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(
      argc, argv,
      "QuantAware compiler: float model in, object file and C header out\n");
  if (listTargets) {
    std::vector<TargetDescriptor> all(getTargetDescriptors().begin(),
                                      getTargetDescriptors().end());
    all.push_back(*lookupTargetDescriptor("host"));
    for (const TargetDescriptor &target : all) {
      llvm::outs() << target.name << " " << target.triple << " " << target.cpu
                   << " " << target.features << " " << target.vectorBits
                   << "\n";
      for (const TargetKernel &kernel : target.kernels)
        llvm::outs() << llvm::formatv("  {0} {1} {2:f1} {3}\n",
                                      kernel.activationBits, kernel.weightBits,
                                      kernel.macsPerCycle, kernel.sequence);
    }
    return 0;
  }
  if (inputFile.empty())
    return fail("no input model (quant-compile <model.mlir> -o <out.o>)");
  if (emitAssembly)
    emit = CodeFileType::Assembly;
  if (method.getNumOccurrences() && samples.empty() && statsIn.empty())
    return fail("--method needs --samples or --stats-in");
  const TargetDescriptor *target = lookupTargetDescriptor(targetName);
  if (!target)
    return fail("unknown --target '" + targetName +
                "': expected host, x86_64-avx512vnni, x86_64-avx2, "
                "aarch64-dotprod, aarch64-i8mm, aarch64-neon or riscv64-rvv");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input = openInputFile(inputFile, &error);
  if (!input)
    return fail(error);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  func::FuncOp entry;
  for (auto candidate : module->getOps<func::FuncOp>())
    if (functionName.empty() ? candidate.isPublic() && !candidate.isExternal()
                             : candidate.getName() == functionName) {
      if (entry)
        return fail("several public functions: choose one with --function");
      entry = candidate;
    }
  if (!entry)
    return fail(functionName.empty() ? "no public function to compile"
                                     : "no function @" + functionName);
  std::string name = entry.getName().str();
  FunctionType interface = entry.getFunctionType();
  if (failed(verifyCInterface(name, interface, entry.getLoc())))
    return 1;

  // Opened first to fail before compiling; removed again unless kept.
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFile, &error);
  if (!output)
    return fail(error);
  std::unique_ptr<llvm::ToolOutputFile> header;
  if (!headerFile.empty() && !(header = openOutputFile(headerFile, &error)))
    return fail(error);

  QuantizeToHostOptions options;
  options.function = name;
  forward(samples, options.samples);
  forward(statsIn, options.statsIn);
  forward(method, options.method);
  forward(activationBits, options.activationBits);
  forward(weightBits, options.weightBits);
  forward(weightGranularity, options.weightGranularity);
  forward(weightSymmetric, options.weightSymmetric);
  forward(weightGroupSize, options.weightGroupSize);
  forward(weightClipping, options.weightClipping);
  forward(rounding, options.rounding);
  options.floatFallback = !integerOnly;
  options.target = targetName;
  PassManager pm(&context);
  buildQuantizeToHostPipeline(pm, options);
  InterfaceQuantization boundary;
  pm.addInstrumentation(
      std::make_unique<InterfaceRecorder>(name, interface, boundary));
  if (failed(pm.run(*module)))
    return 1;

  if (failed(emitTargetCode(*module, *target, emit, output->os())))
    return 1;
  if (header) {
    if (failed(emitCHeader(*module, name, interface, boundary, header->os())))
      return 1;
    header->keep();
  }
  output->keep();
  return 0;
}
