//===- Passes.td - QuantAware target passes ----------------*- tablegen -*-===//
//
// Passes that specialize the integer code for a target descriptor.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTAWARE_TARGET_PASSES_TD
#define QUANTAWARE_TARGET_PASSES_TD

include "mlir/Pass/PassBase.td"

def QALowerToTargetKernels : Pass<"qa-lower-to-target-kernels", "ModuleOp"> {
  let summary = "Lower int8 contractions with constant weights to packed-weight "
                "micro-kernels of a target's dot-product instructions (and "
                "binary ones to mask popcounts on RISC-V V)";
  let description = [{
    Runs on buffers, after bufferization. Rewrites each `linalg.generic` that
    `qa-lower-to-integer` emits for a dense layer, `acc[m, n] += ext(x[m, k])
    * ext(w[n, k])` with 8-bit storage operands (or 2- and 4-bit weights
    packed in bytes), an i32 accumulator and weights read from a constant
    `memref.global`, into a register-blocked
    micro-kernel using the target descriptor's instructions. The result is
    bit-identical with the loop it replaces: every sequence is exact in
    32-bit wrapping arithmetic, which the lowering's accumulator proof covers.

    Each instruction multiplies `d` consecutive K elements of a broadcast
    activation by `d` elements of each of `l` output channels and adds them
    into `l` i32 lanes:

    | target (features) | sequence | l x d | condition |
    |---|---|---|---|
    | x86 `+avx512vnni` | `vpdpbusd` | 16 x 4 | always: s8 weights as its s8 operand, u8 weights (beyond 127) as its u8 operand |
    | x86 `+avx2` | `vpmaddubsw` + `vpmaddwd` + `vpaddd` | 8 x 4 | no pair of weights can saturate the i16 pair sum (checked on the constant weights, e.g. 7-bit weights) |
    | x86 `+avx2` | `vpmaddubsw` on the activations' low 5 bits and on their top 3, each summed in i16 (`vpaddw`), then `vpmaddwd` + `vpaddd` | 8 x 4 | a batch of one whose 8-bit weights fit s8 (exact for full range) |
    | x86 `+avx2` | `vpmaddubsw` on unsigned 2- or 4-bit fields, summed in i16 over 4 steps (`vpaddw`), then `vpmaddwd` + `vpaddd` | 8 x 4 | a batch of one with packed weights |
    | x86 `+avx2` | sign/zero extension + `vpmaddwd` + `vpaddd` | 8 x 2 | always (exact for full-range 8-bit) |
    | AArch64 `+i8mm` | `smmla` (s8 activations) or `usmmla` (u8): 2 rows x 2 channels x 8 | 2 x 8 | weights fit s8 |
    | AArch64 `+dotprod` | `sdot`, or `udot` for u8 weights beyond 127 (also on i8mm targets) | 4 x 4 | always |
    | AArch64 (NEON) | `smull` + `sadalp`, or `umull` + `uadalp` for u8 weights beyond 127 | 4 x 2 | always |
    | RISC-V `+v` | `vwmacc.vx` on i16 weights | 8 vscale x 1 | always |

    A binary layer's XNOR + popcount contraction (bytes of 8 packed bits)
    becomes, on RISC-V V, a kernel that reads each row's bits as a mask
    register (`vlm.v`) and counts a register's worth of bits (VLEN) per
    step with `vmxnor.mm` and `vcpop.m`, `vl` taking the tail; on the other
    targets its loop stays, which LLVM vectorizes with their popcount
    sequences (`vpshufb` nibble lookup, `vpopcntb`, `cnt`). 2- and 4-bit
    weights take the kernels, read packed (below). Other contractions (i64
    accumulators, weights not known at compile time) keep their loops.

    The u8 x s8 instructions read activations of the other signedness than
    their operand with the 128 bias: the kernel packs `x xor 0x80` (`x + 128`
    for s8, `x - 128` for u8) and adds the compile-time correction
    `-+128 * sum_k w[n, k]`. (With u8 weights on `vpdpbusd` the activations
    are the s8 operand: u8 ones take the bias; with `udot` and `umull` both
    are u8: s8 ones take it.)

    Two mixed-sign instructions are not used, as nothing would gain from
    them: `usdot` exists only with `+i8mm`, where `usmmla` does the same
    u8 x s8 products at twice the MACs per instruction; and RVV's
    `vwmaccsu` is not needed, because the RISC-V kernel widens the weights
    to i16 and loads u8 activations zero-extended (`lbu`), so both operands
    of `vwmacc.vx` hold their exact values as signed i16 (at SEW 8 the
    i16 sums of `vwmaccsu` would overflow after two products).

    2- and 4-bit weights, which `qa-lower-to-integer` keeps packed (fields
    of a byte, lowest first, with the input grouped `[rows, bytes,
    fields]`), stay packed: in the kernel's layout the fields of a byte
    belong to consecutive steps (`[N / (b l)][K / (d f)][b l d]` for `f`
    fields per byte). With VNNI and on AArch64 each field is read at the
    top of its byte, by an i16 shift left (`vpsllw`, `shl`) and a mask, so
    the instruction reads `2^(8 - bits) * w` as s8 (u8 for unsigned
    storage); the sums, with the correction of those scaled weights, are
    shifted right by `8 - bits` at the end, exact as every term is a
    multiple of it (K is at most 32768, so that the scaled sums cannot
    wrap). On AVX2 the field is read where it is, as an unsigned value (an
    i16 shift right and a mask), for `vpmaddubsw`, whose pair sums of such
    weights (within `2 * 255 * 15`) cannot saturate: signed weights are
    stored as `w + 2^(bits - 1)`, which saves their sign extension; each
    row's sum of the activations, taken while packing them, times that
    offset is subtracted from the sums at the end (and the correction is
    that of the stored values). For a batch of one the pair sums add up in
    i16 over groups of 4 steps before `vpmaddwd` widens them. Where more
    than one block of rows meets them, the fields of each block of whole
    tiles are read once per call into an 8-bit buffer in the kernel's
    layout (256 KiB at most), which the blocks of rows then read as 8-bit
    weights: on AVX2 as the signed weights (the offset subtracted there),
    so those tiles need neither the offset's correction nor the row sums.
    (AVX2's steps past K hold the stored zero, `2^(bits - 1)`, counted in
    the correction of the tiles that read the fields.) With i8mm, steps
    past K that the fields round up to get zero activations too.
    On RISC-V V, which widens weights to i16 anyway, the transposed weights
    keep K packed (byte `[j, n]` holds `k = f j ... f j + f - 1`), and each
    step's field is shifted to the top of its byte and back (`vsll`, then
    `vsra` or `vsrl`) before the widening.

    A batch of one on AVX2 with 8-bit weights reads each weight once, so
    extending it to i16 for `vpmaddwd` costs as much as the multiply-add it
    feeds. There the
    (u8, or biased) activations `u` are split instead: `u * w = (u & 31) *
    w + 32 * (u >> 5) * w`, both parts through `vpmaddubsw` with the s8
    weights. The low parts' pair sums lie within `+-2 * 31 * 128`, so a
    group of 4 steps adds up in i16 (`vpaddw`) before `vpmaddwd` widens it;
    the top parts' (`u >> 5 <= 7`) within `[-1792, 1778]`, so they add up in
    i16 over blocks of 16 steps, then go into the i32 sums times 32: about
    17.5 instructions per 128 MACs instead of 24. K is padded to groups of 4
    steps; the packed activation row holds the low parts' words, then the
    top parts'.

    With dotprod, one load brings four steps of a row's activation words,
    used lane by lane (`sdot` by element): no broadcasts and no address
    arithmetic in the loop. With i8mm the activations are packed by pairs of
    rows (8 bytes of each per step, the 2x8 operand of `smmla`), the
    weights by pairs of channels, and each accumulator holds 2 rows by 2
    channels; blocks are 4 row pairs by 4 channel pairs.

    RISC-V V is vector-length agnostic: weights transposed to `[K][N]` at
    compile time (8-bit), blocks of `r` rows by `b` scalable vectors of
    `8 x vscale` i32 lanes (LMUL 4; 7 rows by 1 vector, or for fewer rows
    more vectors, as many as N fills at VLEN 128) strip-mining N, the
    columns past the whole blocks one masked vector at a time (`v0` is the
    only mask register), each step multiply-accumulating a vector of i16
    weights with each row's activation as the scalar operand. With one
    block of rows each step widens its own weights (`vsext`); with more,
    they are widened once per call, a block of columns at a time (128
    columns or a multiple, fitting 256 KiB where K allows), into a buffer
    every block of rows reads, so the inner loop is loads and `vwmacc.vx`
    only. For in-order cores the loop over K is software-pipelined (each
    step loads the next step's weights) and the first step's products start
    the sums (`vwmul`: no zeroing, no `vsetvli` in the loop). What follows
    describes the fixed-width kernels.

    Weights are packed at compile time (in the spirit of mmt4d data tiling)
    into a constant global laid out `[N / (b l)][K / d][b l d]`: one load per
    vector of `l` channels per step, zero-padded in N and K. Activations are
    packed into rows of `K / d` words of `d` elements (extended to i16 for
    `vpmaddwd`, or biased), each broadcast to all lanes, on the stack up to
    64 KiB where the contraction is not in a loop. The register block is
    `r` rows by `b` vectors, `r` up to 6 and `b` chosen so that
    accumulators, weights and temporaries fit the target's vector registers
    (a batch of one widens to up to 8 vectors with 32 registers). Column
    tiles go in blocks whose weights, as the loops read them, fit 256 KiB
    (a quarter of a typical L2): for each block, every row block meets
    every tile of the block, so the weights come from L2. For `vpmaddwd`,
    where more than one block of rows meets them, the first block of rows
    extends each tile's weights in its loop over K and also stores them,
    as i16, into a buffer of the block of tiles, which the other blocks of
    rows read: their loops have no `vpmovsxbw` (one per two `vpmaddwd`),
    for a store per weight vector in the first block's. Where the blocks go
    through the rows once (one block of columns), each row block's
    activations are packed right before it into a buffer of one row block
    that stays in L1; else all rows are packed once per call. Sums are added to the output
    buffer, or stored into it where a `linalg.fill` of zeros right before
    the contraction initialized it (the fill is then dropped).
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"host\"",
           "Target descriptor (see quant-compile --list-targets)">,
  ];
  let dependentDialects = [
    "arith::ArithDialect", "LLVM::LLVMDialect", "memref::MemRefDialect",
    "scf::SCFDialect", "vector::VectorDialect"
  ];
}

def QAPromoteBuffersToStack
    : Pass<"qa-promote-buffers-to-stack", "func::FuncOp"> {
  let summary = "Turn a function's small heap buffers into stack buffers";
  let description = [{
    Runs on buffers, after deallocation was made explicit. Each
    `memref.alloc` of a static shape and int or float elements in the entry
    block (so allocated once per call) whose buffer and its views
    (`memref.cast`, subviews, reshapes, transposes) are only read, written
    and freed by `memref.dealloc` in the function, becomes a
    `memref.alloca` at the start of the entry block, and its
    `memref.dealloc`s go, while the function's stack buffers (those it had,
    such as the kernels' packed operands, and the promoted ones) fit
    `max-bytes` in all (in program order; the rest stay on the heap). A
    buffer that is returned, passed to a call, carried into or out of a
    region, selected between, freed through a view or by a bufferization
    op, or used by an op of unknown effect on memrefs is left alone.

    The lowering bufferizes every intermediate tensor into a heap buffer
    freed at the end of the call: for small models, `malloc` and `free` cost
    as much as the layers themselves.
  }];
  let options = [
    Option<"maxBytes", "max-bytes", "int64_t", /*default=*/"65536",
           "Stack bytes the promoted buffers may take in all">,
  ];
  let dependentDialects = ["memref::MemRefDialect"];
}

#endif // QUANTAWARE_TARGET_PASSES_TD
