#!/usr/bin/python3
"""End-to-end latency of the example models, int8 against float (see
bench/models/README.md).

For each model (examples/mlp, examples/cnn):
  int8   quant-compile float.mlir --samples samples.npy -o X_int8.o
         --header X_int8.h  (host target: calibrate, quantize, lower to
         integers, the host's micro-kernels, LLVM -O2, codegen -O3 for the
         host CPU and its features);
  float  quant-opt float.mlir --pass-pipeline='builtin.module(qa-tensor-to-
         llvm)' (the same lowering, without quantization), mlir-translate
         --mlir-to-llvmir, opt -passes='default<O2>' and llc -O3, both with
         -mcpu=native (the same IR pipeline, codegen level and CPU as
         quant-compile), the entry point renamed X_float;
then one C program (driver.c) links both, checks top-1 accuracy on
test_images.npy / test_labels.npy and times repetitions over the test
images, single thread. The float object's logits are also checked against
quant-run's JIT of the float model, so the float number is the model's own.

Prints a Markdown table; exits non-zero if a step fails, if the float
build disagrees with the JIT, if the float accuracy is implausible (below
50%), or if int8 accuracy is more than --max-drop points below float.

Usage: bench/models/run.py [--models mlp,cnn] [--min-reps N]
                           [--min-time SECONDS] [--max-drop POINTS]
                           [--float-fast-math] [--work DIR] [--json FILE]
Environment: BUILD_DIR (default build/), QUANT_COMPILE, QUANT_OPT,
QUANT_RUN (default $BUILD_DIR/bin/...), LLVM_BIN (default
/usr/lib/llvm-22/bin), CC (default clang-22, else cc).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class StepError(Exception):
    pass


def run(cmd, what, capture=False):
    """Runs a command; raises StepError with its output if it fails."""
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True)
    if result.returncode != 0:
        raise StepError("%s failed (exit %d): %s\n%s%s" % (
            what, result.returncode, " ".join(cmd), result.stdout, result.stderr))
    return result.stdout


def tool(env, default):
    path = os.environ.get(env) or default
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise StepError("%s not found at %s (build it with scripts/build, or set %s)"
                        % (os.path.basename(default), path, env))
    return path


def section_bytes(size_tool, obj):
    """(.rodata* + .data* bytes, .text bytes) of an object, from llvm-size -A."""
    data = text = 0
    for line in run([size_tool, "-A", obj], "llvm-size").splitlines():
        fields = line.split()
        if len(fields) < 2 or not fields[1].isdigit():
            continue
        name, size = fields[0], int(fields[1])
        if re.match(r"^\.(l?rodata|l?data|data\.rel\.ro)(\.|$)", name):
            data += size
        elif re.match(r"^\.text(\.|$)", name):
            text += size
    return data, text


def bench_model(name, args, tools, work):
    example = os.path.join(ROOT, "examples", name)
    model = os.path.join(example, "float.mlir")
    prefix = os.path.join(work, name)
    for required in ("float.mlir", "samples.npy", "test_images.npy", "test_labels.npy"):
        if not os.path.isfile(os.path.join(example, required)):
            raise StepError("examples/%s/%s is missing" % (name, required))

    # (a) the int8 model, as a user gets it.
    run([tools["quant-compile"], model, "--samples", os.path.join(example, "samples.npy"),
         "-o", prefix + "_int8.o", "--header", prefix + "_int8.h"], "quant-compile (%s)" % name)
    header = open(prefix + "_int8.h").read()
    upper = name.upper()
    if not re.search(r"void %s\(const float \*arg0, float \*result0\);" % name, header):
        raise StepError("%s_int8.h does not declare void %s(const float *arg0, float *result0)"
                        % (name, name))

    # (b) the float model, lowered by the same pipeline minus quantization and
    # given the same LLVM treatment as quant-compile's (-O2 IR, -O3 codegen,
    # host CPU and features, PIC).
    llvm = tools["llvm"]
    run([tools["quant-opt"], model, "--pass-pipeline=builtin.module(qa-tensor-to-llvm)",
         "-o", prefix + "_float.llvm.mlir"], "quant-opt qa-tensor-to-llvm (%s)" % name)
    run([os.path.join(llvm, "mlir-translate"), "--mlir-to-llvmir", prefix + "_float.llvm.mlir",
         "-o", prefix + "_float.ll"], "mlir-translate (%s)" % name)
    ir = open(prefix + "_float.ll").read()
    if not re.search(r"^define void @%s\(ptr %%\w+, ptr %%\w+\)" % name, ir, re.M):
        raise StepError("the float lowering of @%s is not void(ptr, ptr): see %s_float.ll"
                        % (name, prefix))
    if args.float_fast_math:
        # Diagnostic: let LLVM reassociate and fuse the float arithmetic
        # (what -ffp-contract=fast -fassociative-math allow in C), so float
        # reductions can vectorize as the integer ones do.
        ir = re.sub(r"= (fadd|fsub|fmul) ", r"= \1 reassoc contract ", ir)
        with open(prefix + "_float.ll", "w") as f:
            f.write(ir)
    triple = run([os.path.join(llvm, "llvm-config"), "--host-target"], "llvm-config").strip()
    run([os.path.join(llvm, "opt"), "-passes=default<O2>", "-mtriple=" + triple, "-mcpu=native",
         prefix + "_float.ll", "-o", prefix + "_float.bc"], "opt -O2 (%s)" % name)
    run([os.path.join(llvm, "llc"), "-O3", "-mtriple=" + triple, "-mcpu=native",
         "-relocation-model=pic", "-filetype=obj", prefix + "_float.bc",
         "-o", prefix + "_float.o"], "llc -O3 (%s)" % name)
    run([os.path.join(llvm, "llvm-objcopy"), "--redefine-sym", "%s=%s_float" % (name, name),
         prefix + "_float.o"], "llvm-objcopy (%s)" % name)

    # Data for the C program.
    images = np.load(os.path.join(example, "test_images.npy")).astype(np.float32)
    labels = np.load(os.path.join(example, "test_labels.npy")).astype(np.int64)
    if images.shape[0] != labels.shape[0]:
        raise StepError("examples/%s: %d test images, %d labels"
                        % (name, images.shape[0], labels.shape[0]))
    np.ascontiguousarray(images).tofile(prefix + "_images.raw")
    labels.tofile(prefix + "_labels.raw")

    driver = os.path.join(ROOT, "bench", "models", "driver.c")
    run([tools["cc"], "-O2", "-march=native", "-std=c11", "-Wall", "-Werror",
         "-DMODEL=" + name, "-DPREFIX=" + upper, '-DMODEL_HEADER="%s_int8.h"' % name, "-I" + work,
         driver,
         prefix + "_int8.o", prefix + "_float.o", "-o", prefix + "_bench"],
        "compiling the driver (%s)" % name)
    out = run([prefix + "_bench", prefix + "_images.raw", prefix + "_labels.raw",
               str(args.min_reps), str(args.min_time), prefix + "_logits_"],
              "the benchmark (%s)" % name)
    result = {}
    for line in out.splitlines():
        key, _, value = line.partition("=")
        result[key] = value if key == "model" else float(value)

    # The float object computes what the float model says: its logits against
    # quant-run's JIT of the same float.mlir.
    run([tools["quant-run"], model, "--inputs", os.path.join(example, "test_images.npy"),
         "--outputs", prefix + "_jit_float.npy"], "quant-run (%s)" % name)
    jit = np.load(prefix + "_jit_float.npy").astype(np.float32).reshape(len(labels), -1)
    native = {v: np.fromfile(prefix + "_logits_%s.raw" % v, dtype=np.float32)
              .reshape(len(labels), -1) for v in ("float", "int8")}
    diff = float(np.abs(native["float"] - jit).max())
    result["float_vs_jit_max_abs"] = diff
    tolerance = 1e-3 if args.float_fast_math else 1e-4
    if diff > tolerance * max(1.0, float(np.abs(jit).max())):
        raise StepError("%s: the float object's logits differ from quant-run's by up to %g"
                        % (name, diff))
    result["agreement"] = 100.0 * float(
        (native["float"].argmax(1) == native["int8"].argmax(1)).mean())
    size_tool = os.path.join(llvm, "llvm-size")
    result["float_data_bytes"], result["float_text_bytes"] = section_bytes(size_tool, prefix + "_float.o")
    result["int8_data_bytes"], result["int8_text_bytes"] = section_bytes(size_tool, prefix + "_int8.o")
    result["speedup"] = result["float_median_us"] / result["int8_median_us"]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default="mlp,cnn")
    parser.add_argument("--min-reps", type=int, default=51,
                        help="at least this many timed passes over the test images per model")
    parser.add_argument("--min-time", type=float, default=1.0,
                        help="at least this many seconds of timed passes per model and variant")
    parser.add_argument("--max-drop", type=float, default=2.0,
                        help="fail if int8 top-1 is more than this many points below float")
    parser.add_argument("--float-fast-math", action="store_true",
                        help="diagnostic: compile the float model with reassoc and contract on every "
                        "fadd/fsub/fmul (reordered, fused float arithmetic, as C's -ffast-math allows)")
    parser.add_argument("--work", help="build and data directory (default $BUILD_DIR/bench-models)")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()

    build = os.environ.get("BUILD_DIR") or os.path.join(ROOT, "build")
    work = os.path.abspath(args.work or os.path.join(build, "bench-models"))
    os.makedirs(work, exist_ok=True)
    try:
        llvm = os.environ.get("LLVM_BIN") or "/usr/lib/llvm-22/bin"
        tools = {t: tool(t.upper().replace("-", "_"), os.path.join(build, "bin", t))
                 for t in ("quant-compile", "quant-opt", "quant-run")}
        for t in ("mlir-translate", "opt", "llc", "llvm-objcopy", "llvm-size", "llvm-config"):
            tool("LLVM_BIN", os.path.join(llvm, t))
        tools["llvm"] = llvm
        cc = os.environ.get("CC") or shutil.which("clang-22") or shutil.which("cc")
        if not cc:
            raise StepError("no C compiler (clang-22 or cc; or set CC)")
        tools["cc"] = cc
        results = [bench_model(m, args, tools, work) for m in args.models.split(",") if m]
    except StepError as error:
        print("bench-models: %s" % error, file=sys.stderr)
        return 1

    cpu = run([os.path.join(llvm, "llc"), "--version"], "llc --version")
    cpu = re.search(r"Host CPU: (\S+)", cpu)
    print("Single thread, per image (batch 1), median of timed passes over the test images; "
          "host CPU %s.\n" % (cpu.group(1) if cpu else "?"))
    float_name = "float (reassoc, contract)" if args.float_fast_math else "float"
    print("| model | %s (us/image) | int8 (us/image) | speedup | float top-1 | int8 top-1 "
          "| float .rodata+.data (B) | int8 .rodata+.data (B) |" % float_name)
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print("| %s | %.2f | %.2f | %.2fx | %.2f%% | %.2f%% | %d | %d |" % (
            r["model"], r["float_median_us"], r["int8_median_us"], r["speedup"],
            r["float_accuracy"], r["int8_accuracy"], r["float_data_bytes"], r["int8_data_bytes"]))
    print("\nSpread (us/image, min / p10 / median / p90 over the timed passes), code size, agreement:\n")
    for r in results:
        for v in ("float", "int8"):
            print("- %s %s: %.2f / %.2f / %.2f / %.2f over %d passes of %d images; .text %d B"
                  % (r["model"], v, r["%s_min_us" % v], r["%s_p10_us" % v], r["%s_median_us" % v],
                     r["%s_p90_us" % v], r["%s_reps" % v], r["images"], r["%s_text_bytes" % v]))
        print("- %s: int8 and float agree on top-1 for %.2f%% of images; float object vs "
              "quant-run JIT: max |diff| %.2g" % (r["model"], r["agreement"], r["float_vs_jit_max_abs"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)

    failed = False
    for r in results:
        if r["float_accuracy"] < 50.0:
            print("bench-models: %s float accuracy %.2f%% is implausible"
                  % (r["model"], r["float_accuracy"]), file=sys.stderr)
            failed = True
        if r["int8_accuracy"] < r["float_accuracy"] - args.max_drop:
            print("bench-models: %s int8 accuracy %.2f%% is more than %.1f points below float %.2f%%"
                  % (r["model"], r["int8_accuracy"], args.max_drop, r["float_accuracy"]),
                  file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
