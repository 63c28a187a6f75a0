#!/usr/bin/python3
"""Static throughput of the int8 micro-kernels quant-compile generates for
targets without hardware here, by llvm-mca.

For each (target descriptor, llvm-mca -mcpu) pair below, the script writes a
quantized fully-connected model (qa.fully_connected of constant i8 weights,
as bench/gemm/gen_model writes), compiles it with
`quant-compile --target=<descriptor> -S`, takes the innermost loop that
holds the most MAC instructions of the kernel (one basic block, from its
label to its backward branch; of such loops, the shortest), runs llvm-mca
on it, and compares its MACs
per cycle with the peak of the same core: llvm-mca on a block of only
independent MAC instructions of the same form. Both numbers come from
llvm-mca's own scheduling model of that core, so the ratio says how close
the loop comes to what that model lets the MAC instruction do.

cycles/iter is llvm-mca's "Total Cycles / Iterations" over many iterations,
not "Block RThroughput": the latter is only a resource-pressure bound and
ignores dependencies (an accumulator chain longer than the loop body, a
vsetvli that waits for the vector unit), which the simulation includes.
Both are printed.

Exit status: 0 when every row was measured, 1 when anything failed to
compile, to be found or to parse (nothing is printed for a row that could
not be measured), 3 with --check when a row is under --threshold percent.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_QUANT_COMPILE = os.path.join(ROOT, "build", "bin", "quant-compile")
DEFAULT_LLVM_MCA = "/usr/lib/llvm-22/bin/llvm-mca"


class Failure(Exception):
    """Something did not compile, could not be found or did not parse."""


class Row:
    """One line of the report.

    target:     quant-compile's descriptor (--list-targets)
    weights:    "s8" (full range -128..127), "s7" (-64..63, which lets the
                AVX2 lowering prove that vpmaddubsw pair sums cannot saturate)
                or "s4" (-8..7 stored as i4, which the kernels read packed)
    mcpu:       llvm-mca's core
    macs:       mnemonics that do the multiply-adds; each is counted by its
                register width
    companions: the other instructions the sequence needs per MAC
                instruction (the "sequence peak" block has them too)
    vlen:       RISC-V V register bits of that core
    """

    def __init__(self, target, weights, mcpu, macs, companions=(), vlen=None):
        self.target, self.weights, self.mcpu = target, weights, mcpu
        self.macs, self.companions, self.vlen = tuple(macs), tuple(companions), vlen


# RISC-V V's widening multiply-adds.
RVV_MACS = ["vwmacc.vv", "vwmaccu.vv", "vwmaccsu.vv", "vwmacc.vx", "vwmaccu.vx",
            "vwmaccsu.vx", "vwmaccus.vx"]

ROWS = [
    Row("x86_64-avx512vnni", "s8", "icelake-server", ["vpdpbusd"]),
    # Exact path: vpmovsxbw weights, vpmaddwd, vpaddd.
    Row("x86_64-avx2", "s8", "znver2", ["vpmaddwd"], ["vpaddd"]),
    # 7-bit weights: vpmaddubsw, then vpmaddwd by ones (not a MAC: it only
    # widens the pair sums) and vpaddd.
    Row("x86_64-avx2", "s7", "znver2", ["vpmaddubsw"], ["vpmaddwd", "vpaddd"]),
    Row("aarch64-dotprod", "s8", "cortex-a76", ["sdot", "udot"]),
    Row("aarch64-dotprod", "s8", "neoverse-n1", ["sdot", "udot"]),
    Row("aarch64-i8mm", "s8", "neoverse-v1", ["smmla", "usmmla"]),
    # The NEON descriptor's own core (LLVM models cortex-a76 with the same
    # Cortex-A57 scheduling model).
    Row("aarch64-neon", "s8", "cortex-a57", ["smull", "smull2"], ["sadalp"]),
    # No dedicated kernel: LLVM's loop vectorizer (VLA) emits vwmacc.
    # SiFive X280: VLEN 512 (llvm-mca's model is "VLEN512SiFive7").
    Row("riscv64-rvv", "s8", "sifive-x280", RVV_MACS, vlen=512),
    # 4-bit weights (read packed, and with many rows once per call into an
    # 8-bit buffer): the 8-bit rows' MAC instructions on one core each, and
    # on AVX2 the 7-bit row's (vpmaddubsw reads the fields).
]
ROWS += [Row(r.target, "s4", r.mcpu, r.macs, r.companions, r.vlen)
         for r in ROWS
         if (r.weights == "s7" or (r.weights == "s8" and r.target != "x86_64-avx2"))
         and r.mcpu != "cortex-a76"]


def run(cmd, what):
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True)
    except OSError as error:
        raise Failure("%s: cannot run %s: %s" % (what, cmd[0], error))
    if proc.returncode != 0:
        raise Failure("%s failed (exit %d): %s\n%s" % (
            what, proc.returncode, " ".join(cmd), proc.stderr.strip()))
    return proc.stdout


# ---------------------------------------------------------------- the model

def write_model(path, m, n, k, weights):
    """qa.fully_connected of an [M, K] int8 input by constant [N, K] weights,
    the same layer bench/gemm/gen_model writes (s8 result, half_even)."""
    rng = random.Random(0x5EED + m * 7919 + n * 104729 + k * 1299709)
    low, high = {"s8": (-128, 127), "s7": (-64, 63), "s4": (-8, 7)}[weights]
    storage = "i4" if weights == "s4" else "i8"
    # A byte per element, i4 too.
    hexdigits = "".join("%02X" % (rng.randint(low, high) & 0xFF)
                        for _ in range(n * k))
    mk, nk, mn = "%dx%d" % (m, k), "%dx%d" % (n, k), "%dx%d" % (m, n)
    with open(path, "w") as out:
        out.write("!in = !quant.uniform<i8:f32, 1.0:-128>\n"
                  "!w = !quant.uniform<%s:f32, 1.0>\n"
                  "!out = !quant.uniform<i8:f32, 4096.0>\n" % storage)
        out.write("func.func @qa_fc(%%x: tensor<%sx!in>) -> tensor<%sx!out> {\n"
                  % (mk, mn))
        out.write('  %%w = qa.constant dense<"0x%s"> : tensor<%sx%s> : tensor<%sx!w>\n'
                  % (hexdigits, nk, storage, nk))
        out.write("  %%y = qa.fully_connected %%x, %%w {rounding = #qa.rounding<half_even>}"
                  " : (tensor<%sx!in>, tensor<%sx!w>) -> tensor<%sx!out>\n" % (mk, nk, mn))
        out.write("  return %%y : tensor<%sx!out>\n}\n" % mn)


def list_targets(quant_compile):
    """name -> (triple, cpu, features) from quant-compile --list-targets."""
    targets = {}
    for line in run([quant_compile, "--list-targets"], "quant-compile --list-targets").splitlines():
        if not line or line[0].isspace():
            continue
        fields = line.split()
        if len(fields) < 4:
            raise Failure("quant-compile --list-targets: cannot parse %r" % line)
        targets[fields[0]] = (fields[1], fields[2], fields[3])
    return targets


# ---------------------------------------------------------- assembly parsing

def arch_of(triple):
    for prefix, arch in (("x86_64", "x86"), ("aarch64", "aarch64"), ("riscv64", "riscv")):
        if triple.startswith(prefix):
            return arch
    raise Failure("no assembly parser for triple %s" % triple)


LABEL = re.compile(r"^([.\w$]+):")
BLOCK_LABEL = re.compile(r"^\.?LBB\d+_\d+$")


class Line:
    def __init__(self, label=None, text=None):
        self.label, self.text = label, text  # exactly one is set
        self.mnemonic = text.split()[0] if text else None


def parse_assembly(text, arch):
    """Labels and instructions, without comments and directives."""
    comment = "//" if arch == "aarch64" else "#"
    lines = []
    for raw in text.splitlines():
        code = raw.split(comment, 1)[0].strip()
        if not code:
            continue
        match = LABEL.match(code)
        if match:
            lines.append(Line(label=match.group(1)))
            code = code[match.end():].strip()
            if not code:
                continue
        if code.startswith("."):
            continue  # directive
        lines.append(Line(text=code))
    return lines


def branch_target(line):
    """The basic-block label an instruction branches to, if any."""
    if line.text is None:
        return None
    last = re.split(r"[\s,]+", line.text.strip())[-1]
    return last if BLOCK_LABEL.match(last) else None


def single_block_loops(lines):
    """(label index, branch index) of every loop that is one basic block:
    a backward branch to a label with no other block label or branch
    between them."""
    position = {line.label: i for i, line in enumerate(lines) if line.label}
    loops = []
    for j, line in enumerate(lines):
        target = branch_target(line)
        if target is None or target not in position or position[target] >= j:
            continue
        i = position[target]
        inside = lines[i + 1:j]
        if any((l.label and BLOCK_LABEL.match(l.label)) or branch_target(l)
               for l in inside):
            continue
        loops.append((i, j))
    return loops


X86_WIDTH = {"x": 128, "y": 256, "z": 512}
# MACs per 32-bit (vpdpbusd, vpmaddwd) or 16-bit (vpmaddubsw) result lane.
X86_MACS = {"vpdpbusd": (32, 4), "vpdpbusds": (32, 4), "vpdpwssd": (32, 2),
            "vpdpwssds": (32, 2), "vpmaddwd": (32, 2), "vpmaddubsw": (16, 2)}
ARM_LANES = re.compile(r"\bv\d+\.(\d+)([bhsd])\b")
# MACs per destination lane.
# smmla & co: each of the 4 lanes of a 2x2 tile sums 8 products.
ARM_MACS = {"sdot": 4, "udot": 4, "usdot": 4, "sudot": 4, "smmla": 8, "ummla": 8,
            "usmmla": 8, "smull": 1, "smull2": 1,
            "umull": 1, "umull2": 1, "smlal": 1, "smlal2": 1, "umlal": 1, "umlal2": 1}
VTYPE = re.compile(r"\be(8|16|32|64)\s*,\s*m(f?)(\d)\b")


def vtype_of(line):
    """(SEW, LMUL) set by a vsetvli/vsetivli."""
    if line.mnemonic not in ("vsetvli", "vsetivli"):
        return None
    match = VTYPE.search(line.text)
    if not match:
        raise Failure("cannot parse the vtype of %r" % line.text)
    lmul = float(match.group(3))
    return int(match.group(1)), (1.0 / lmul if match.group(2) else lmul)


def vtype_instruments(sew, lmul):
    """llvm-mca's instrument comments that set the vtype of what follows."""
    name = ("MF%d" % round(1 / lmul)) if lmul < 1 else "M%d" % lmul
    return "# LLVM-MCA-RISCV-LMUL %s\n# LLVM-MCA-RISCV-SEW E%d\n" % (name, sew)


def mac_info(line, arch, vtype, vlen):
    """(MACs, form) of one MAC instruction; form names the register shape,
    the same one the peak block uses."""
    if arch == "x86":
        regs = re.findall(r"%([xyz])mm\d+", line.text)
        if not regs or line.mnemonic not in X86_MACS:
            raise Failure("cannot count the MACs of %r" % line.text)
        width = X86_WIDTH[regs[-1]]  # AT&T: the destination is last
        lane_bits, per_lane = X86_MACS[line.mnemonic]
        return width // lane_bits * per_lane, "%smm" % regs[-1]
    if arch == "aarch64":
        match = ARM_LANES.search(line.text)  # the destination is first
        if not match or line.mnemonic not in ARM_MACS:
            raise Failure("cannot count the MACs of %r" % line.text)
        return int(match.group(1)) * ARM_MACS[line.mnemonic], ".%s%s" % match.groups()
    if vtype is None:
        raise Failure("no vsetvli gives the vtype of %r" % line.text)
    if vlen is None:
        raise Failure("no VLEN for this RISC-V core (--add TARGET:WEIGHTS:MCPU:VLEN)")
    sew, lmul = vtype
    lmul_name = ("mf%d" % round(1 / lmul)) if lmul < 1 else "m%d" % lmul
    return int(vlen * lmul) // sew, "e%d %s" % (sew, lmul_name)


def analyse_loop(lines, arch, row):
    """The hot loop: its instructions, MAC instruction count, MACs and form."""
    loops = single_block_loops(lines)
    # The most MAC instructions (the full register block); of loops with as
    # many, the shortest: the one most blocks of rows run (AVX2's first block
    # of rows also extends and stores the weights the others load).
    best = None
    for i, j in loops:
        count = sum(1 for l in lines[i:j + 1] if l.mnemonic in row.macs)
        key = (count, -(j - i))
        if count and (best is None or key > best[0]):
            best = (key, i, j)
    if best is None:
        raise Failure("no single-block loop with %s in the assembly (%d single-block loops)"
                      % ("/".join(row.macs), len(loops)))
    _, i, j = best
    body = lines[i:j + 1]
    # The vtype at the top of the loop is the one its back edge carries, or
    # without a vsetvli in the loop, the one set before it (the preheader).
    vtype = None
    for l in body:
        vtype = vtype_of(l) or vtype
    entry_vtype = None
    if vtype is None:
        for l in reversed(lines[:i]):
            entry_vtype = vtype_of(l)
            if entry_vtype:
                break
        vtype = entry_vtype
    macs, forms, mnemonics = 0, set(), set()
    count = 0
    for l in body:
        vtype = vtype_of(l) or vtype
        if l.mnemonic in row.macs:
            n, form = mac_info(l, arch, vtype, row.vlen)
            macs += n
            count += 1
            forms.add(form)
            mnemonics.add(l.mnemonic)
    if len(forms) != 1 or len(mnemonics) != 1:
        raise Failure("the hot loop mixes MAC forms: %s %s" % (sorted(mnemonics), sorted(forms)))
    total = sum(1 for l in lines if l.mnemonic in row.macs)
    text = "\n".join(l.label + ":" if l.label else "\t" + l.text for l in body) + "\n"
    if entry_vtype:
        text = vtype_instruments(*entry_vtype) + text
    return {
        "text": text,
        "instructions": sum(1 for l in body if l.text),
        "mac_instructions": count,
        "macs": macs,
        "mnemonic": mnemonics.pop(),
        "form": forms.pop(),
        "macs_per_instruction": macs // count,
        "file_mac_instructions": total,
        "other_mac_loops": sum(1 for a, b in loops if (a, b) != (i, j) and
                               any(l.mnemonic in row.macs for l in lines[a:b + 1])),
    }


# ------------------------------------------------------------------ peak blocks

def peak_blocks(arch, mnemonic, form, row):
    """Two straight-line blocks without loads: independent `mnemonic`
    instructions only (the peak), and each with the companion instructions
    of its sequence (the sequence peak). Returns (peak text, its number of
    MAC instructions, sequence text)."""
    if arch == "x86":
        reg = "%" + form                      # %zmm / %ymm / %xmm
        nregs = 32 if form == "zmm" else 16
        count = nregs - 2                     # two source registers
        peak = ["%s %s%d, %s%d, %s%d" % (mnemonic, reg, nregs - 2, reg, nregs - 1, reg, i)
                for i in range(count)]
        seq = []
        if not row.companions:
            seq = peak
        elif row.companions == ("vpaddd",):
            for t in range(6):                # temporary t, accumulator t + 6
                seq += ["%s %s14, %s15, %s%d" % (mnemonic, reg, reg, reg, t),
                        "vpaddd %s%d, %s%d, %s%d" % (reg, t, reg, t + 6, reg, t + 6)]
        elif row.companions == ("vpmaddwd", "vpaddd"):
            for t in range(6):                # %reg13 holds the i16 ones
                seq += ["%s %s14, %s15, %s%d" % (mnemonic, reg, reg, reg, t),
                        "vpmaddwd %s13, %s%d, %s%d" % (reg, reg, t, reg, t),
                        "vpaddd %s%d, %s%d, %s%d" % (reg, t, reg, t + 6, reg, t + 6)]
        else:
            raise Failure("no sequence block for %s + %s" % (mnemonic, row.companions))
        return "\n".join(peak) + "\n", count, "\n".join(seq) + "\n"
    if arch == "aarch64":
        arrangement = form[1:]                # 4s, 8h, ...
        if mnemonic in ("sdot", "udot", "usdot", "sudot", "smmla", "ummla", "usmmla"):
            sources = {"4s": "16b", "2s": "8b"}
        elif mnemonic.endswith("2"):          # smull2 & co: upper halves
            sources = {"8h": "16b", "4s": "8h", "2d": "4s"}
        else:
            sources = {"8h": "8b", "4s": "4h", "2d": "2s"}
        if arrangement not in sources:
            raise Failure("no peak block for %s %s" % (mnemonic, form))
        source = sources[arrangement]
        count = 24
        peak = ["%s v%d.%s, v30.%s, v31.%s" % (mnemonic, i, arrangement, source, source)
                for i in range(count)]
        if not row.companions:
            seq = peak
        elif row.companions == ("sadalp",):
            wide = {"8h": "4s", "4s": "2d"}[arrangement]
            seq = []
            for t in range(12):               # temporary t, accumulator t + 12
                seq += ["%s v%d.%s, v30.%s, v31.%s" % (mnemonic, t, arrangement, source, source),
                        "sadalp v%d.%s, v%d.%s" % (t + 12, wide, t, arrangement)]
        else:
            raise Failure("no sequence block for %s + %s" % (mnemonic, row.companions))
        return "\n".join(peak) + "\n", count, "\n".join(seq) + "\n"
    # RISC-V: the loop's SEW and LMUL as llvm-mca instruments (a vsetvli in
    # the block would cost cycles of its own).
    sew, lmul = form.split()
    group = max(1, int(lmul[1:]) if not lmul.startswith("mf") else 1)
    dest = 2 * group                          # widening: 2 * LMUL registers
    count = min(12, (32 - 2 * group) // dest)
    head = vtype_instruments(int(sew[1:]), 1.0 / int(lmul[2:]) if lmul.startswith("mf")
                             else float(lmul[1:]))
    x, y = 32 - 2 * group, 32 - group
    operand = ("v%d" % y) if mnemonic.endswith(".vv") else "a0"
    if mnemonic.endswith(".vx"):
        peak = ["%s v%d, a0, v%d" % (mnemonic, i * dest, x) for i in range(count)]
    else:
        peak = ["%s v%d, v%d, %s" % (mnemonic, i * dest, x, operand) for i in range(count)]
    text = head + "\n".join(peak) + "\n"
    return text, count, text


# ----------------------------------------------------------------- llvm-mca

def mca(llvm_mca, triple, cpu, features, iterations, text, path, what):
    with open(path, "w") as out:
        out.write(text)
    cmd = [llvm_mca, "-mtriple=" + triple, "-mcpu=" + cpu, "-iterations=%d" % iterations]
    if features:
        cmd.append("-mattr=" + features)
    cmd.append(path)
    output = run(cmd, "llvm-mca (%s)" % what)
    with open(path + ".mca.txt", "w") as out:
        out.write(output)
    fields = {}
    for key in ("Iterations", "Instructions", "Total Cycles", "Block RThroughput"):
        match = re.search(r"^%s:\s+([0-9.]+)\s*$" % key, output, re.M)
        if not match:
            raise Failure("llvm-mca (%s): no %r in its output" % (what, key))
        fields[key] = float(match.group(1))
    if fields["Iterations"] != iterations or fields["Total Cycles"] <= 0:
        raise Failure("llvm-mca (%s): unexpected output\n%s" % (what, output[:400]))
    instructions = sum(1 for l in text.splitlines()
                       if l.strip() and not l.lstrip().startswith(("#", "//"))
                       and not LABEL.match(l.strip()))
    if fields["Instructions"] != instructions * iterations:
        raise Failure("llvm-mca (%s) simulated %d instructions, expected %d x %d"
                      % (what, fields["Instructions"], instructions, iterations))
    return fields["Total Cycles"] / iterations, fields["Block RThroughput"]


# ------------------------------------------------------------------- report

def measure(row, args, targets, workdir):
    if row.target not in targets:
        raise Failure("quant-compile does not know the target %s" % row.target)
    triple, _, features = targets[row.target]
    arch = arch_of(triple)
    name = "%s-%s-%s" % (row.target, row.weights, row.mcpu)
    model = os.path.join(workdir, "model-%s.mlir" % row.weights)
    if not os.path.exists(model):
        write_model(model, args.m, args.n, args.k, row.weights)
    asm = os.path.join(workdir, "%s-%s.s" % (row.target, row.weights))
    if not os.path.exists(asm):
        run([args.quant_compile, model, "--target=" + row.target, "-S", "-o", asm],
            "quant-compile --target=%s (%s weights)" % (row.target, row.weights))
    with open(asm) as f:
        lines = parse_assembly(f.read(), arch)
    loop = analyse_loop(lines, arch, row)
    loop_cycles, loop_rthroughput = mca(
        args.llvm_mca, triple, row.mcpu, features, args.iterations, loop["text"],
        os.path.join(workdir, name + ".loop.s"), name + " loop")
    peak_text, peak_count, seq_text = peak_blocks(arch, loop["mnemonic"], loop["form"], row)
    peak_cycles, _ = mca(args.llvm_mca, triple, row.mcpu, features, args.iterations,
                         peak_text, os.path.join(workdir, name + ".peak.s"), name + " peak")
    seq_cycles, _ = mca(args.llvm_mca, triple, row.mcpu, features, args.iterations,
                        seq_text, os.path.join(workdir, name + ".sequence.s"),
                        name + " sequence")
    seq_count = sum(1 for l in seq_text.splitlines() if l.split() and l.split()[0] == loop["mnemonic"])
    per = loop["macs_per_instruction"]
    macs_per_cycle = loop["macs"] / loop_cycles
    peak = peak_count * per / peak_cycles
    seq_peak = seq_count * per / seq_cycles
    return dict(loop, row=row, loop_cycles=loop_cycles, loop_rthroughput=loop_rthroughput,
                macs_per_cycle=macs_per_cycle, peak=peak, seq_peak=seq_peak,
                percent=100.0 * macs_per_cycle / peak)


def describe(result):
    row = result["row"]
    text = "`%s` %s (%d)" % (result["mnemonic"], result["form"], result["macs_per_instruction"])
    if row.companions:
        text += " + " + " + ".join("`%s`" % c for c in row.companions)
    return text


def print_table(results, threshold, out):
    out.write("| target | weights | -mcpu | MAC instruction (MACs) | MAC instrs / instrs | "
              "MACs/iter | cycles/iter | Block RThroughput | MACs/cycle | peak MACs/cycle | "
              "% of peak | sequence peak | |\n")
    out.write("|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
    for r in results:
        row = r["row"]
        flag = "**under %g%%**" % threshold if r["percent"] < threshold else ""
        out.write("| %s | %s | %s | %s | %d / %d | %d | %.2f | %.2f | %.1f | %.1f | %.1f%% | %.1f | %s |\n" % (
            row.target, {"s8": "8-bit", "s7": "7-bit", "s4": "4-bit"}[row.weights], row.mcpu, describe(r),
            r["mac_instructions"], r["instructions"], r["macs"], r["loop_cycles"],
            r["loop_rthroughput"], r["macs_per_cycle"], r["peak"], r["percent"],
            r["seq_peak"], flag))


def parse_shape(text):
    match = re.match(r"^(\d+)x(\d+)x(\d+)$", text)
    if not match:
        raise argparse.ArgumentTypeError("expected MxNxK, e.g. 256x256x256")
    return tuple(int(v) for v in match.groups())


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].replace("\n", " "),
        epilog="Columns: MACs/iter counts the loop's MAC instructions by mnemonic and register "
               "width (RISC-V: VLEN * LMUL / SEW of the vsetvli in force). cycles/iter = llvm-mca "
               "Total Cycles / Iterations. peak = the same MAC instruction, independent, no loads; "
               "sequence peak = with the instructions its sequence needs per MAC instruction "
               "(vpaddd; vpmaddwd by ones + vpaddd; sadalp). Exit status: 1 if anything fails "
               "to compile or parse, 3 with --check if a row is under --threshold.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quant-compile", default=os.environ.get("QUANT_COMPILE", DEFAULT_QUANT_COMPILE),
                        help="quant-compile binary (default: $QUANT_COMPILE or build/bin/quant-compile)")
    parser.add_argument("--llvm-mca", default=DEFAULT_LLVM_MCA, help="default: %(default)s")
    parser.add_argument("--shape", type=parse_shape, default=(256, 256, 256),
                        help="fully-connected M x N x K, M >= 6 (default: 256x256x256)")
    parser.add_argument("--iterations", type=int, default=1000,
                        help="llvm-mca -iterations (default: %(default)s)")
    parser.add_argument("--threshold", type=float, default=85.0,
                        help="flag rows under this %% of peak (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="exit 3 when a row is under --threshold")
    parser.add_argument("--only", default="",
                        help="comma-separated substrings: keep rows whose target or -mcpu contains one")
    parser.add_argument("--add", action="append", default=[], metavar="TARGET:WEIGHTS:MCPU[:VLEN]",
                        help="also measure this pair, e.g. x86_64-avx2:s7:znver3 (WEIGHTS s8 or s7; "
                             "the MAC instructions are those of the listed row with that target "
                             "and weights; VLEN, the RISC-V V register bits, is needed for "
                             "another RISC-V core); repeatable")
    parser.add_argument("--show-loops", action="store_true",
                        help="print each hot loop as given to llvm-mca after the table")
    parser.add_argument("--keep", metavar="DIR",
                        help="write models, assembly, loops and llvm-mca outputs to DIR")
    args = parser.parse_args()
    args.m, args.n, args.k = args.shape
    if args.m < 6:
        parser.error("--shape: M must be at least 6 (the full 6-row register block)")
    if args.iterations < 100:
        parser.error("--iterations: at least 100, so that the pipeline fill is amortized")

    for tool in (args.quant_compile, args.llvm_mca):
        if not (os.path.isfile(tool) and os.access(tool, os.X_OK)):
            sys.stderr.write("bench/mca: no executable %s%s\n" % (
                tool, " (scripts/build quant-compile)" if tool == args.quant_compile else ""))
            return 1

    rows = list(ROWS)
    if args.only:
        keys = [k for k in args.only.split(",") if k]
        rows = [r for r in ROWS if any(k in r.target or k in r.mcpu for k in keys)]

    for spec in args.add:
        fields = spec.split(":")
        like = [r for r in ROWS if len(fields) in (3, 4) and (r.target, r.weights) == tuple(fields[:2])]
        if not like or not fields[2] or (len(fields) == 4 and not fields[3].isdigit()):
            sys.stderr.write("bench/mca: --add %s: expected TARGET:WEIGHTS:MCPU[:VLEN] with a listed "
                             "target and weights (%s)\n" % (spec, ", ".join(
                                 sorted(set("%s:%s" % (r.target, r.weights) for r in ROWS)))))
            return 1
        base = like[0]
        vlen = int(fields[3]) if len(fields) == 4 else (base.vlen if fields[2] == base.mcpu else None)
        rows.append(Row(base.target, base.weights, fields[2], base.macs, base.companions, vlen))
    if not rows:
        sys.stderr.write("bench/mca: --only %s matches no row\n" % args.only)
        return 1

    workdir = args.keep or tempfile.mkdtemp(prefix="qa-mca-")
    os.makedirs(workdir, exist_ok=True)
    try:
        targets = list_targets(args.quant_compile)
        results = []
        for row in rows:
            sys.stderr.write("bench/mca: %s (%s weights) on %s\n" % (row.target, row.weights, row.mcpu))
            results.append(measure(row, args, targets, workdir))
    except Failure as error:
        sys.stderr.write("bench/mca: %s\n" % error)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    out = sys.stdout
    out.write("llvm-mca static throughput of the innermost K loop, fully connected %dx%dx%d "
              "(M x N x K), -iterations=%d\n\n" % (args.m, args.n, args.k, args.iterations))
    print_table(results, args.threshold, out)
    under = [r for r in results if r["percent"] < args.threshold]
    out.write("\n%d of %d rows at >= %g%% of peak.\n" % (len(results) - len(under), len(results),
                                                         args.threshold))
    if args.show_loops:
        for r in results:
            row = r["row"]
            out.write("\n%s (%s weights), %s: %d instructions, %d of the file's %d %s "
                      "(%d other loops hold some: the remainder row or column blocks)\n```\n%s```\n" % (
                          row.target, row.weights, row.mcpu, r["instructions"],
                          r["mac_instructions"], r["file_mac_instructions"], r["mnemonic"],
                          r["other_mac_loops"], r["text"]))
    return 3 if args.check and under else 0


if __name__ == "__main__":
    sys.exit(main())
