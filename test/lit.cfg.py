# -*- Python -*-
# lit configuration of the QuantAware tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QUANTAWARE"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.quantaware_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%quantaware_src_root", config.quantaware_src_root))
config.substitutions.append(("%quantaware_obj_root", config.quantaware_obj_root))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

# FileCheck, not, count come from LLVM; the quant-* tools from this build.
tool_dirs = [config.quantaware_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["quant-compile", "quant-opt", "quant-run", "not", "count"], tool_dirs)

# Debian's Python, which sees python3-numpy (the first python3 on PATH may not).
config.substitutions.append(("%python", "/usr/bin/python3"))

# A C compiler for tests that link quant-compile's objects into C programs.
import shutil

c_compiler = next(filter(None, map(shutil.which, ["clang-22", "clang", "cc", "gcc"])), None)
if c_compiler:
    config.available_features.add("c-compiler")
    config.substitutions.append(("%cc", c_compiler))

# Cross targets, run under user-mode QEMU with their cross C compilers and
# sysroots (scripts/setup installs them): missing ones make the tests that
# need them UNSUPPORTED.
for arch, qemu in (("aarch64", "qemu-aarch64"), ("riscv64", "qemu-riscv64")):
    cross_cc, emulator = shutil.which(arch + "-linux-gnu-gcc"), shutil.which(qemu)
    sysroot = "/usr/%s-linux-gnu" % arch
    if cross_cc and emulator and os.path.isdir(sysroot):
        config.available_features.add(arch + "-emulator")
        config.substitutions.append(("%" + arch + "-cc", cross_cc))
        config.substitutions.append(("%" + arch + "-run", "%s -L %s" % (emulator, sysroot)))

# Instruction sets of this CPU, for tests that run x86 kernels natively.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        flags = next((line.split(":", 1)[1].split() for line in cpuinfo
                      if line.startswith("flags")), [])
except OSError:
    flags = []
if "avx2" in flags:
    config.available_features.add("host-avx2")
# x86_64-avx512vnni code is for icelake-server, which may use any of its
# AVX-512 extensions (vpopcntb, vpermb...), not only VNNI: a Cascade Lake has
# VNNI without them.
icelake_server = ("avx512f avx512cd avx512bw avx512dq avx512vl avx512ifma avx512vbmi "
                  "avx512_vbmi2 avx512_vnni avx512_bitalg avx512_vpopcntdq gfni vaes "
                  "vpclmulqdq").split()
if all(flag in flags for flag in icelake_server):
    config.available_features.add("host-avx512vnni")

# Bochs (bochs, bochs-term, bochsbios, vgabios) runs the bare-metal AVX-512
# VNNI harness; script(1) gives its terminal display a terminal.
if all(map(os.path.exists, ("/usr/bin/bochs", "/usr/bin/script",
                            "/usr/share/bochs/BIOS-bochs-latest",
                            "/usr/share/vgabios/vgabios.bin",
                            "/usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_term_gui.so",
                            "/usr/lib/llvm-22/bin/ld.lld"))):
    config.available_features.add("bochs")

# `--param require_features=a,b` (CI sets it through scripts/test): stop
# unless these features were found, so that a missing emulator fails the run
# instead of leaving its tests UNSUPPORTED.
missing = [feature for feature in lit_config.params.get("require_features", "").split(",")
           if feature and feature not in config.available_features]
if missing:
    lit_config.fatal("required but not found: %s (scripts/setup installs them)"
                     % ", ".join(missing))
