//===- TargetDescriptorTest.cpp - Target descriptors and their kernels ----===//

#include "quantaware/Target/TargetDescriptor.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <gtest/gtest.h>

using namespace mlir::qa;

namespace {

TEST(TargetDescriptor, EveryNamedOneIsKnownToLLVM) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  std::vector<std::string> names;
  for (const TargetDescriptor &descriptor : getTargetDescriptors()) {
    names.push_back(descriptor.name);
    std::string error;
    llvm::Triple triple(descriptor.triple);
    const llvm::Target *target =
        llvm::TargetRegistry::lookupTarget(triple, error);
    ASSERT_NE(target, nullptr) << descriptor.name << ": " << error;
    std::unique_ptr<llvm::MCSubtargetInfo> info(target->createMCSubtargetInfo(
        triple, descriptor.cpu, descriptor.features));
    ASSERT_NE(info, nullptr);
    EXPECT_TRUE(info->isCPUStringValid(descriptor.cpu)) << descriptor.cpu;
    EXPECT_EQ(lookupTargetDescriptor(descriptor.name), &descriptor);
    EXPECT_FALSE(descriptor.kernels.empty());
  }
  EXPECT_EQ(names, (std::vector<std::string>{
                       "x86_64-avx512vnni", "x86_64-avx2", "aarch64-dotprod",
                       "aarch64-i8mm", "aarch64-neon", "riscv64-rvv"}));
  EXPECT_EQ(lookupTargetDescriptor("sparc"), nullptr);
}

TEST(TargetDescriptor, KernelsCoverNarrowerWidths) {
  const TargetDescriptor *avx2 = lookupTargetDescriptor("x86_64-avx2");
  ASSERT_NE(avx2, nullptr);
  // Full-range 8-bit weights need the exact path; 4-bit ones cannot make
  // vpmaddubsw's pair sums saturate.
  EXPECT_EQ(avx2->kernelFor(8, 8)->sequence, "vpmovsxbw + vpmaddwd");
  EXPECT_EQ(avx2->kernelFor(8, 4)->sequence, "vpmaddubsw + vpmaddwd");
  EXPECT_EQ(avx2->kernelFor(4, 2)->sequence, "vpmaddubsw + vpmaddwd");
  EXPECT_EQ(avx2->kernelFor(16, 8)->sequence, "vpmovsxbw + vpmaddwd");
  // Binary x binary has its own kernel; binary weights with integer
  // activations are integers of one bit.
  EXPECT_EQ(avx2->kernelFor(1, 1)->activationBits, 1u);
  EXPECT_EQ(avx2->kernelFor(8, 1)->sequence, "vpmaddubsw + vpmaddwd");
  const TargetDescriptor *vnni = lookupTargetDescriptor("x86_64-avx512vnni");
  EXPECT_EQ(vnni->kernelFor(8, 8)->sequence, "vpdpbusd");
  // 16-bit by narrower products keep i32 sums, 16 x 16-bit ones need i64.
  EXPECT_EQ(vnni->kernelFor(16, 4)->sequence, "vpdpwssd / vpmaddwd");
  EXPECT_EQ(vnni->kernelFor(8, 16)->sequence, "vpdpwssd / vpmaddwd");
  EXPECT_EQ(vnni->kernelFor(16, 16)->sequence, "vpmuldq + vpaddq (i64 sums)");
  EXPECT_EQ(vnni->kernelFor(32, 8), nullptr);
}

TEST(TargetDescriptor, SixteenBitProductsNeedI64Sums) {
  // Every target: 16 x 16-bit layers accumulate in i64, slower than the i32
  // sums of 16 x 8 and 8 x 16 bits.
  for (const TargetDescriptor &target : getTargetDescriptors()) {
    SCOPED_TRACE(target.name);
    const TargetKernel *wide = target.kernelFor(16, 16);
    ASSERT_NE(wide, nullptr);
    EXPECT_NE(wide->sequence.find("i64 sums"), std::string::npos);
    for (auto [activationBits, weightBits] : {std::pair(16u, 8u), {8u, 16u}}) {
      const TargetKernel *narrower =
          target.kernelFor(activationBits, weightBits);
      ASSERT_NE(narrower, nullptr);
      EXPECT_EQ(narrower->sequence.find("i64"), std::string::npos);
      EXPECT_LT(wide->macsPerCycle, narrower->macsPerCycle);
    }
  }
}

TEST(TargetDescriptor, HostIsTheProcess) {
  const TargetDescriptor *host = lookupTargetDescriptor("host");
  ASSERT_NE(host, nullptr);
  EXPECT_EQ(host->triple, llvm::sys::getProcessTriple());
  EXPECT_EQ(host->cpu, llvm::sys::getHostCPUName().str());
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (llvm::Triple(host->triple).getArch() == llvm::Triple::x86_64 &&
      features.lookup("avx2") && !features.lookup("avx512vnni")) {
    EXPECT_EQ(host->kernels.size(),
              lookupTargetDescriptor("x86_64-avx2")->kernels.size());
  }
}

} // namespace
