//===- TargetDescriptor.cpp - The CPUs QuantAware generates code for ------===//
//
// Throughputs are nominal: the MACs one instruction (or short sequence)
// computes times how many of them the named core issues per cycle, for
// comparing choices until measured numbers replace them.
//
//===----------------------------------------------------------------------===//

#include "quantaware/Target/TargetDescriptor.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::qa;

const TargetKernel *TargetDescriptor::kernelFor(unsigned activationBits,
                                                unsigned weightBits) const {
  bool binary = activationBits == 1 && weightBits == 1;
  for (const TargetKernel &kernel : kernels) {
    bool binaryKernel = kernel.activationBits == 1 && kernel.weightBits == 1;
    if (binary ? binaryKernel
               : !binaryKernel && kernel.activationBits >= activationBits &&
                     kernel.weightBits >= weightBits)
      return &kernel;
  }
  return nullptr;
}

ArrayRef<TargetDescriptor> mlir::qa::getTargetDescriptors() {
  static const std::vector<TargetDescriptor> descriptors = {
      {"x86_64-avx512vnni",
       "x86_64-unknown-linux-gnu",
       "icelake-server",
       "+avx512f,+avx512bw,+avx512vl,+avx512vnni,+avx512vpopcntdq,"
       "+avx512bitalg",
       512,
       {// XNOR in one vpternlogq, then the byte popcount of BITALG.
        {1, 1, "vpternlogq + vpopcntb", 170},
        // u8 x s8 with the +128 activation bias and a compile-time
        // weight-column-sum correction: 64 MACs, one per cycle.
        {8, 8, "vpdpbusd", 64},
        // 16-bit by 8-bit products keep i32 sums (for K up to 2^9 at full
        // range); 16 x 16-bit ones need i64 sums, as LLVM vectorizes them.
        {16, 8, "vpdpwssd / vpmaddwd", 32},
        {8, 16, "vpdpwssd / vpmaddwd", 32},
        {16, 16, "vpmuldq + vpaddq (i64 sums)", 8}}},
      {"x86_64-avx2",
       "x86_64-unknown-linux-gnu",
       "znver2",
       "+avx2,+fma,+bmi2,+popcnt",
       256,
       {{1, 1, "vpxor + vpshufb nibble popcount", 40},
        // Only where ranges prove the i16 pair sums cannot saturate (7-bit
        // or narrower weights): 32 MACs, then vpmaddwd to add pairs.
        {8, 7, "vpmaddubsw + vpmaddwd", 32},
        // Exact for full-range int8, and 16 x 8-bit: sign-extend to i16,
        // 16 MACs.
        {16, 8, "vpmovsxbw + vpmaddwd", 27},
        {8, 16, "vpmovsxbw + vpmaddwd", 27},
        {16, 16, "vpmuldq + vpaddq (i64 sums)", 4}}},
      {"aarch64-dotprod",
       "aarch64-unknown-linux-gnu",
       "cortex-a76",
       "+neon,+dotprod",
       128,
       {{1, 1, "eor + cnt + widening adds", 64},
        {8, 8, "sdot / udot", 32},
        {16, 8, "smlal / smlal2", 8},
        {8, 16, "smlal / smlal2", 8},
        // i64 sums: LLVM leaves the products scalar.
        {16, 16, "mul + add (i64 sums)", 1}}},
      {"aarch64-i8mm",
       "aarch64-unknown-linux-gnu",
       "neoverse-v1",
       "+neon,+dotprod,+i8mm",
       128,
       {{1, 1, "eor + cnt + widening adds", 128},
        // smmla for s8 activations, usmmla for u8 ones: 32 MACs, four pipes.
        {8, 8, "smmla / usmmla", 128},
        {16, 8, "smlal / smlal2", 16},
        {8, 16, "smlal / smlal2", 16},
        {16, 16, "mul + add (i64 sums)", 2}}},
      {"aarch64-neon",
       "aarch64-unknown-linux-gnu",
       "cortex-a57",
       "+neon",
       128,
       {{1, 1, "eor + cnt + widening adds", 32},
        {8, 8, "smull + sadalp / umull + uadalp", 8},
        {16, 8, "smlal / smlal2", 4},
        {8, 16, "smlal / smlal2", 4},
        {16, 16, "mul + add (i64 sums)", 1}}},
      // Vector-length agnostic: a generic core with V (VLEN >= 128), not
      // sifive-x280, whose VLEN of 512 LLVM would assume; throughputs are
      // those of an x280-class core (VLEN 512, DLEN 256).
      {"riscv64-rvv",
       "riscv64-unknown-linux-gnu",
       "generic-rv64",
       "+m,+a,+f,+d,+c,+v",
       128,
       {// Bits as mask registers: VLEN of them per vmxnor.mm + vcpop.m.
        {1, 1, "vlm.v + vmxnor.mm + vcpop.m", 64},
        {8, 8, "vwmacc.vx on widened weights", 32},
        {16, 8, "vwmacc (SEW 16)", 16},
        {8, 16, "vwmacc (SEW 16)", 16},
        {16, 16, "vwmacc (SEW 32, i64 sums)", 8}}},
  };
  return descriptors;
}

const TargetDescriptor *mlir::qa::lookupTargetDescriptor(StringRef name) {
  ArrayRef<TargetDescriptor> all = getTargetDescriptors();
  if (name != "host") {
    for (const TargetDescriptor &descriptor : all)
      if (descriptor.name == name)
        return &descriptor;
    return nullptr;
  }
  static const TargetDescriptor host = [&] {
    TargetDescriptor descriptor;
    descriptor.name = "host";
    descriptor.triple = llvm::sys::getProcessTriple();
    descriptor.cpu = llvm::sys::getHostCPUName().str();
    llvm::StringMap<bool> has = llvm::sys::getHostCPUFeatures();
    llvm::SubtargetFeatures features;
    for (const auto &feature : has)
      features.AddFeature(feature.getKey(), feature.getValue());
    descriptor.features = features.getString();
    // The kernels of the richest named descriptor the host can run.
    StringRef like;
    llvm::Triple triple(descriptor.triple);
    if (triple.getArch() == llvm::Triple::x86_64)
      like = has.lookup("avx512vnni") ? "x86_64-avx512vnni"
             : has.lookup("avx2")     ? "x86_64-avx2"
                                      : "";
    else if (triple.getArch() == llvm::Triple::aarch64)
      like = has.lookup("i8mm")      ? "aarch64-i8mm"
             : has.lookup("dotprod") ? "aarch64-dotprod"
                                     : "aarch64-neon";
    descriptor.vectorBits = 128;
    for (const TargetDescriptor &named : all)
      if (named.name == like) {
        descriptor.vectorBits = named.vectorBits;
        descriptor.kernels = named.kernels;
      }
    return descriptor;
  }();
  return &host;
}
