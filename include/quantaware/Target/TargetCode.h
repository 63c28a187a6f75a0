//===- TargetCode.h - Object code and C headers for a target ----*- C++ -*-===//
//
// The ahead-of-time end of the flow: a module lowered to the LLVM dialect by
// `qa-quantize-to-host` becomes an object file, assembly or LLVM IR for a
// target descriptor (the host, or a cross target), and its entry point gets
// a C header describing the bare-pointer calling convention.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_TARGET_TARGETCODE_H
#define QUANTAWARE_TARGET_TARGETCODE_H

#include "quantaware/Target/TargetDescriptor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::qa {

enum class CodeFileType { Object, Assembly, LLVMIR };

/// Translates `module` (LLVM dialect only) to LLVM IR, optimizes it at -O2
/// for the target's triple, CPU and features (for "host" as the host JIT
/// does, so both run the same machine code) and writes it as `fileType`.
/// The entry points' translation dialects must be registered in the
/// module's context.
LogicalResult emitTargetCode(ModuleOp module, const TargetDescriptor &target,
                             CodeFileType fileType,
                             llvm::raw_pwrite_stream &os);

/// Diagnoses at `loc` an entry point the C header cannot describe: a name
/// that is no C identifier, or anything but tensors of static shape whose
/// elements have a C type.
LogicalResult verifyCInterface(StringRef function, FunctionType interface,
                               Location loc);

/// How a float buffer of an entry point crosses the boundary of its integer
/// graph: the uniform type an argument is quantized to on entry (by a
/// `qa.quantize`, with ties rounded to even or away from zero), or a result
/// is dequantized from on exit. A null `type`: the buffer does not cross.
struct BoundaryQuantization {
  quant::UniformQuantizedType type;
  bool tiesToEven = false;
};

/// The boundary of each argument and result of `entry` (before the lowering
/// to integers): a float argument whose every use is a `qa.quantize` to one
/// uniform type, a float result made by a `qa.dequantize` of one.
struct InterfaceQuantization {
  SmallVector<BoundaryQuantization> arguments, results;
};
InterfaceQuantization getInterfaceQuantization(func::FuncOp entry);

/// Writes a C header for `function` of `module` (lowered to the LLVM
/// dialect, whose signature is checked to be the bare-pointer convention):
/// a prototype with one pointer per argument (const) then one per result,
/// each to contiguous row-major storage, and macros giving every buffer's
/// shape and element count; for quantized buffers, their scales, zero points
/// and storage range; for float buffers that cross `boundary`, those of the
/// quantization they cross with (`<BUFFER>_QUANTIZED_...`). `interface` is
/// the signature before the lowering to integers: quantized element types
/// say whether storage is signed and what it means.
LogicalResult emitCHeader(ModuleOp module, StringRef function,
                          FunctionType interface,
                          const InterfaceQuantization &boundary,
                          llvm::raw_ostream &os);

} // namespace mlir::qa

#endif // QUANTAWARE_TARGET_TARGETCODE_H
