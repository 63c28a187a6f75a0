//===- HostJit.h - Compile and run a tensor function on the host -*- C++ -*-===//
//
// Lowers a function on static float/integer tensors (tosa, linalg, tensor,
// arith, math) to LLVM and JIT-compiles it for the host, with a plain
// calling convention: every argument and result is a pointer to contiguous
// row-major storage, results last. Calibration runs float graphs with it;
// the integer-lowering tests run quantized ones.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_EXECUTIONENGINE_HOSTJIT_H
#define QUANTAWARE_EXECUTIONENGINE_HOSTJIT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <memory>

namespace mlir::qa {

/// Options of `qa-tensor-to-llvm`.
struct TensorToLLVMOptions : public PassPipelineOptions<TensorToLLVMOptions> {
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("Target descriptor whose micro-kernels replace the int8 "
                     "contractions (qa-lower-to-target-kernels)"),
      llvm::cl::init("host")};
};

/// Appends the passes that lower tosa/linalg-on-tensors functions to the
/// LLVM dialect with results as out-parameters and bare-pointer memrefs.
/// The qa attributes are dropped first, and public functions never write
/// into their arguments' buffers. After bufferization, int8 contractions
/// with constant weights become `target`'s micro-kernels.
void buildTensorToLLVMPipeline(OpPassManager &pm, StringRef target = "host");

/// Registers `buildTensorToLLVMPipeline` as `qa-tensor-to-llvm`.
void registerTensorToLLVMPipeline();

/// Storage for one argument or result of a compiled function, with element
/// conversions from and to double: exact for the float types and for
/// integers up to 2^53. Integers are read as signed (the storage type is
/// signless: view them as unsigned where the quantization says so).
class HostBuffer {
public:
  explicit HostBuffer(RankedTensorType type);
  void *data() { return storage.data(); }
  RankedTensorType getType() const { return type; }
  int64_t size() const { return type.getNumElements(); }
  void read(std::vector<double> &out) const;
  /// Fails when a value does not fit the element type exactly (a fraction or
  /// an out-of-range value for an integer type).
  llvm::Error write(ArrayRef<double> values);

private:
  RankedTensorType type;
  std::vector<uint64_t> storage;
};

class HostJit {
public:
  /// Compiles `function` of `module` (which is lowered in place: pass a
  /// clone to keep the original). Errors are reported as diagnostics at the
  /// op that could not be lowered.
  static FailureOr<std::unique_ptr<HostJit>> compile(ModuleOp module,
                                                     StringRef function);

  /// Diagnoses arguments and results the calling convention cannot pass
  /// (anything but tensors of static shape with integer or float elements).
  static LogicalResult verifySignature(func::FuncOp function);

  /// Calls the function: one pointer per argument, then one per result,
  /// each to storage of the type's static shape.
  llvm::Error call(ArrayRef<void *> buffers);

  unsigned getNumBuffers() const { return numBuffers; }

private:
  HostJit(std::unique_ptr<ExecutionEngine> engine, std::string function,
          unsigned numBuffers)
      : engine(std::move(engine)), function(std::move(function)),
        numBuffers(numBuffers) {}

  std::unique_ptr<ExecutionEngine> engine;
  std::string function;
  unsigned numBuffers;
};

} // namespace mlir::qa

#endif // QUANTAWARE_EXECUTIONENGINE_HOSTJIT_H
