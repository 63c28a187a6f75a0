//===- TargetDescriptor.h - The CPUs QuantAware generates code for -*- C++
//-*-===//
//
// A target descriptor names a CPU the compiler emits code for: its LLVM
// triple, CPU and features, vector width, and which instruction sequence
// serves each (activation bits, weight bits) pair with its nominal cost,
// which qa-assign-precision's latency objective reads.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_TARGET_TARGETDESCRIPTOR_H
#define QUANTAWARE_TARGET_TARGETDESCRIPTOR_H

#include "mlir/Support/LLVM.h"

#include <string>
#include <vector>

namespace mlir::qa {

/// The instruction sequence of an inner product of `activationBits` by
/// `weightBits` integers (1: binary signs) and its nominal throughput: MACs
/// per cycle of one core, from the sequence's MACs per instruction and the
/// core's issue rate for it (not measured: a cost to compare choices by).
struct TargetKernel {
  unsigned activationBits, weightBits;
  std::string sequence;
  double macsPerCycle;
};

struct TargetDescriptor {
  std::string name, triple, cpu, features;
  unsigned vectorBits;
  /// Ordered by widths, narrowest first.
  std::vector<TargetKernel> kernels;

  /// The kernel serving (activationBits, weightBits): binary x binary only
  /// where the target lists one, else the first whose widths cover both
  /// (narrower integers are widened into it); null when none does.
  const TargetKernel *kernelFor(unsigned activationBits,
                                unsigned weightBits) const;
};

/// The named descriptors: x86_64-avx512vnni, x86_64-avx2, aarch64-dotprod,
/// aarch64-i8mm, aarch64-neon, riscv64-rvv.
ArrayRef<TargetDescriptor> getTargetDescriptors();

/// The descriptor called `name`; "host" is the machine the compiler runs
/// on (its triple, CPU and features), with the kernels of the named
/// descriptor its features cover (x86 with AVX-512 VNNI or AVX2, AArch64
/// with i8mm or dotprod), else none. Null for an unknown name.
const TargetDescriptor *lookupTargetDescriptor(StringRef name);

} // namespace mlir::qa

#endif // QUANTAWARE_TARGET_TARGETDESCRIPTOR_H
