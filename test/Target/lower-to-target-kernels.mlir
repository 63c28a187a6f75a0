// RUN: quant-opt %s --qa-lower-to-target-kernels=target=x86_64-avx2 | FileCheck %s --check-prefix=AVX2
// RUN: quant-opt %s --qa-lower-to-target-kernels=target=x86_64-avx512vnni | FileCheck %s --check-prefix=VNNI
// RUN: quant-opt %s --qa-lower-to-target-kernels=target=aarch64-dotprod | FileCheck %s --check-prefix=DOT
// RUN: quant-opt %s --qa-lower-to-target-kernels=target=aarch64-i8mm | FileCheck %s --check-prefix=I8MM
// RUN: quant-opt %s --qa-lower-to-target-kernels=target=aarch64-neon | FileCheck %s --check-prefix=NEON
// RUN: quant-opt %s --qa-lower-to-target-kernels=target=riscv64-rvv | FileCheck %s --check-prefix=RVV
// RUN: not quant-opt %s --qa-lower-to-target-kernels=target=sparc 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// The contraction qa-lower-to-integer emits for a dense layer, on buffers.
// (The globals the pass adds lead the module; @unsigned_input's and
// @unsigned_weights's corrections and @many_rows's transposed weights are
// checked here, with their functions below.)
// DOT-DAG: memref.global "private" constant @__qa_bias_correction : memref<4xi32> = dense<[768, -256, 0, 0]>
// DOT-DAG: memref.global "private" constant @__qa_bias_correction{{.*}} : memref<4xi32> = dense<[-26496, 0, 0, 0]>
// RVV-DAG: memref.global "private" constant @__qa_packed_weights{{.*}} : memref<5x3xi8> = dense<{{\[\[}}1, -1, 10], [2, -2, 20], [3, -3, 30], [4, -4, 40], [5, -5, 50]]>
// RVV-DAG: memref.global "private" constant @__qa_packed_weights{{.*}} : memref<4x3xi8> = dense<{{\[\[}}1, -1, 0], [2, -2, 127], [3, -3, -128], [4, -4, 5]]>
// @packed_fields (4-bit weights, kept packed), see there:
// VNNI-DAG: memref.global "private" constant @__qa_packed_weights{{.*}} : memref<1x1x64xi8> = dense<{{\[\[\[}}113, -113, 2, 14, 0, 0, 0, 0, 3, 4, 5, 6, {{(0, ){51}(0)}}]]]>
// VNNI-DAG: memref.global "private" constant @__qa_bias_correction{{.*}} : memref<16xi32> = dense<[2048, 0, -36864, {{(0, ){12}(0)}}]>
// AVX2-DAG: memref.global "private" constant @__qa_packed_weights{{.*}} : memref<1x1x32xi8> = dense<{{\[\[\[}}-7, 7, -118, -122, -120, -120, -120, -120, -117, -116, -115, -114, {{(0, ){19}(0)}}]]]>
// AVX2-DAG: memref.global "private" constant @__qa_bias_correction{{.*}} : memref<8xi32> = dense<[-8064, -8192, -10496, 0, 0, 0, 0, 0]>
// @packed_fields_rest, see there:
// AVX2-DAG: memref.global "private" constant @__qa_bias_correction{{.*}} : memref<32xi32> = dense<[{{(-768, ){16}-8960, (0, ){14}0}}]>
// @packed_fields_one_row, see there:
// AVX2-DAG: memref.global "private" constant @__qa_packed_weights{{.*}} : memref<1x2x32xi8> = dense<{{\[\[\[}}-7, 7, -118, -122, -120, -120, -120, -120, -117, -116, -115, -114, {{(0, ){19}(0)}}], [{{(-120, ){12}(0, ){19}(0)}}]]]>
// AVX2-DAG: memref.global "private" constant @__qa_bias_correction{{.*}} : memref<8xi32> = dense<[-16256, -16384, -18688, 0, 0, 0, 0, 0]>
// RVV-DAG: memref.global "private" constant @__qa_packed_weights{{.*}} : memref<3x3xi8> = dense<{{\[\[}}-15, 0, 67], [-30, 0, 101], [-121, 0, 0]]>
// I8MM-DAG: memref.global "private" constant @__qa_packed_weights{{.*}} : memref<1x1x32xi8> = dense<{{\[\[\[}}1, 15, 2, 14, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 4, 5, 6, {{(0, ){11}(0)}}]]]>
#x = affine_map<(m, n, k) -> (m, k)>
#w = affine_map<(m, n, k) -> (n, k)>
#acc = affine_map<(m, n, k) -> (m, n)>

// Small weights: no pair a * w0 + a' * w1 of u8 activations leaves i16, so
// AVX2 takes vpmaddubsw. Its u8 operand is the s8 input xor 0x80 (x + 128),
// and -128 * sum_k w[n, k] per channel takes the bias back: sums 15, -15 and
// 150, padded to the tile of 8 channels.
// AVX2-DAG: memref.global "private" constant @__qa_bias_correction : memref<8xi32> = dense<[-1920, 1920, -19200, 0, 0, 0, 0, 0]>
// Packed [tiles][K / 4][8 channels x 4]: k = 0..3 of each channel, then k = 4
// and zero padding.
// AVX2-DAG: memref.global "private" constant @__qa_packed_weights : memref<1x2x32xi8> = dense<{{\[\[\[}}1, 2, 3, 4, -1, -2, -3, -4, 10, 20, 30, 40, {{(0, ){19}(0)}}], [5, 0, 0, 0, -5, 0, 0, 0, 50, {{(0, ){22}(0)}}]]]>
// The unpacked weights are gone.
// AVX2-NOT: @small_weights_w
// AVX2-LABEL: func.func @small_weights
// The packed activations, words of four, on the stack (small).
// AVX2: memref.alloca() {alignment = 64 : i64} : memref<2x8xi32>
// AVX2: arith.xori %{{.*}}, %{{.*}} : vector<32xi8>
// AVX2: scf.for
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"({{.*}}) : (vector<32xi8>, vector<32xi8>) -> vector<16xi16>
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"({{.*}}) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// Three valid channels of eight: masked loads and stores of the output.
// AVX2: vector.maskedstore
// AVX2-NOT: linalg.generic
// AVX2: return
// VNNI-LABEL: func.func @small_weights
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"({{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// DOT-LABEL: func.func @small_weights
// DOT-NOT: arith.xori
// DOT: llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"
// i8mm: pairs of rows, 8 steps of K, by pairs of channels; the packed
// weights are 8 bytes of channel 0, then of channel 1, and so on.
// I8MM-DAG: memref.global "private" constant @__qa_packed_weights : memref<1x1x32xi8> = dense<{{\[\[\[}}1, 2, 3, 4, 5, 0, 0, 0, -1, -2, -3, -4, -5, 0, 0, 0, 10, 20, 30, 40, 50, 0, 0, 0, {{(0, ){7}(0)}}]]]>
// I8MM-LABEL: func.func @small_weights
// I8MM: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : vector<8xi8>, vector<8xi8>
// I8MM: llvm.call_intrinsic "llvm.aarch64.neon.smmla.v4i32.v16i8"({{.*}}) : (vector<4xi32>, vector<16xi8>, vector<16xi8>) -> vector<4xi32>
// I8MM: vector.extract_strided_slice %{{.*}} {offsets = [2], sizes = [2], strides = [1]}
// NEON-LABEL: func.func @small_weights
// NEON: llvm.call_intrinsic "llvm.aarch64.neon.smull.v8i16"({{.*}}) : (vector<8xi8>, vector<8xi8>) -> vector<8xi16>
// NEON: llvm.call_intrinsic "llvm.aarch64.neon.saddlp.v4i32.v8i16"
// RISC-V V, vector-length agnostic: the weights transposed to [K][N]
// (checked at the top), vectors of 8 x vscale lanes, whole blocks of columns
// unmasked, then the rest one masked vector at a time. One block of rows
// (2 of 7), and one vector (3 channels fill no more at VLEN 128): each step
// widens its weights; the first step's products start the sums, and each
// step loads the weights of the next (carried by the loop over K).
// RVV-LABEL: func.func @small_weights
// RVV: vector.vscale
// RVV-NOT: memref.alloc
// RVV: scf.for
// RVV: vector.load %{{.*}} : memref<5x3xi8>, vector<[8]xi8>
// RVV: arith.extsi %{{.*}} : vector<[8]xi8> to vector<[8]xi16>
// RVV: arith.muli %{{.*}} : vector<[8]xi32>
// RVV-NOT: arith.addi %{{.*}} : vector<[8]xi32>
// RVV: scf.for {{.*}} iter_args({{.*}}) -> (vector<[8]xi32>, vector<[8]xi32>, vector<[8]xi16>)
// RVV: arith.addi %{{.*}} : vector<[8]xi32>
// RVV: vector.load %{{.*}} : memref<5x3xi8>, vector<[8]xi8>
// RVV: scf.yield
// RVV: scf.for %{{.*}} = %{{.*}} to %c3 step %c8_vscale {
// RVV: vector.create_mask %{{.*}} : vector<[8]xi1>
// RVV: vector.maskedload %{{.*}} : memref<5x3xi8>, vector<[8]xi1>, vector<[8]xi8> into vector<[8]xi8>
// RVV: vector.maskedstore
// RVV-NOT: linalg.generic
// RVV: return
memref.global "private" constant @small_weights_w : memref<3x5xi8> = dense<[[1, 2, 3, 4, 5], [-1, -2, -3, -4, -5], [10, 20, 30, 40, 50]]>
func.func @small_weights(%x: memref<2x5xi8>, %out: memref<2x3xi32>) {
  %w = memref.get_global @small_weights_w : memref<3x5xi8>
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<2x5xi8>, memref<3x5xi8>) outs(%out : memref<2x3xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %c, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// A pair 127, 127 can reach 255 * 254 > 32767 in vpmaddubsw: with two rows
// AVX2 takes the exact path, both operands sign-extended to i16 and
// vpmaddwd, K in pairs.
// AVX2-LABEL: func.func @full_weights
// AVX2: arith.extsi %{{.*}} : vector<16xi8> to vector<16xi16>
// AVX2: scf.for
// AVX2: arith.extsi %{{.*}} : vector<16xi8> to vector<16xi16>
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"({{.*}}) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// AVX2-NOT: pmadd.ub.sw
// AVX2: return
memref.global "private" constant @full_weights_w : memref<2x4xi8> = dense<[[127, 127, -128, -128], [1, 2, 3, 4]]>
func.func @full_weights(%x: memref<2x4xi8>, %out: memref<2x2xi32>) {
  %w = memref.get_global @full_weights_w : memref<2x4xi8>
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<2x4xi8>, memref<2x4xi8>) outs(%out : memref<2x2xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %2, %c : i32
    linalg.yield %3 : i32
  }
  return
}

// With more than one block of rows (48 rows here; 6 per block), the first
// block extends each tile's weights to i16 in its loop over K, as it must,
// and stores them into a buffer in the kernel's layout, which every other
// block of rows reads: no extension in their loops.
// AVX2-LABEL: func.func @full_weights_rows
// AVX2: %[[WIDE:.*]] = memref.alloca() {alignment = 64 : i64} : memref<1x2x32xi16>
// AVX2: scf.for %[[FIRST:.*]] =
// AVX2: scf.for %[[TILE:.*]] = %[[FIRST]] to
// AVX2: %[[AT:.*]] = arith.subi %[[TILE]], %[[FIRST]] : index
// AVX2: scf.for %[[STEP:[a-z0-9_]+]] =
// AVX2: %[[BYTES:.*]] = vector.load %{{.*}}[%[[TILE]], %[[STEP]], %{{.*}}] : memref<1x2x32xi8>, vector<16xi8>
// AVX2: %[[EXTENDED:.*]] = arith.extsi %[[BYTES]] : vector<16xi8> to vector<16xi16>
// AVX2: vector.store %[[EXTENDED]], %[[WIDE]][%[[AT]], %[[STEP]], %{{.*}}] : memref<1x2x32xi16>, vector<16xi16>
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%{{.*}}, %[[EXTENDED]])
// AVX2: %[[ROWS:.*]] = arith.constant 48 : index
// AVX2: %[[SECOND:.*]] = arith.constant 6 : index
// AVX2: scf.for %{{.*}} = %[[SECOND]] to %[[ROWS]]
// AVX2: %[[WEIGHTS:.*]] = vector.load %[[WIDE]][%{{.*}}] : memref<1x2x32xi16>, vector<16xi16>
// AVX2-NOT: arith.extsi
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%{{.*}}, %[[WEIGHTS]])
// AVX2: return
memref.global "private" constant @full_weights_rows_w : memref<16x4xi8> = dense<-128>
func.func @full_weights_rows(%x: memref<48x4xi8>, %out: memref<48x16xi32>) {
  %w = memref.get_global @full_weights_rows_w : memref<16x4xi8>
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<48x4xi8>, memref<16x4xi8>) outs(%out : memref<48x16xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %2, %c : i32
    linalg.yield %3 : i32
  }
  return
}

// One block of rows: each step extends its weights, and nothing is stored.
// AVX2-LABEL: func.func @full_weights_one_block
// AVX2-NOT: xi16>
// AVX2: scf.for
// AVX2: %[[BYTES:.*]] = vector.load %{{.*}} : memref<1x2x32xi8>, vector<16xi8>
// AVX2: %[[WEIGHTS:.*]] = arith.extsi %[[BYTES]] : vector<16xi8> to vector<16xi16>
// AVX2-NOT: vector.store
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%{{.*}}, %[[WEIGHTS]])
// AVX2: return
func.func @full_weights_one_block(%x: memref<6x4xi8>, %out: memref<6x16xi32>) {
  %w = memref.get_global @full_weights_rows_w : memref<16x4xi8>
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<6x4xi8>, memref<16x4xi8>) outs(%out : memref<6x16xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %2, %c : i32
    linalg.yield %3 : i32
  }
  return
}

// The same weights for a batch of one: the activations biased to u8 u and
// split, u = (u & 31) + 32 * (u >> 5), packed as the low parts' 8 words
// then the top parts' 8. Both parts go through vpmaddubsw; the low parts'
// pair sums add up in i16 over a group of 4 steps (K padded to 4 steps),
// then vpmaddwd widens them; the top parts' add up in i16 over blocks of up
// to 16 steps, then vpmaddwd widens them times 32.
// AVX2-LABEL: func.func @full_weights_one_row
// AVX2: memref.alloca() {alignment = 64 : i64} : memref<1x16xi32>
// AVX2: arith.xori %{{.*}}, %{{.*}} : vector<32xi8>
// AVX2: %[[LOW:.*]] = arith.constant dense<31> : vector<32xi8>
// AVX2: arith.andi %{{.*}}, %[[LOW]] : vector<32xi8>
// AVX2: %[[SHIFT:.*]] = arith.constant dense<5> : vector<32xi8>
// AVX2: arith.shrui %{{.*}}, %[[SHIFT]] : vector<32xi8>
// AVX2: %[[FLUSH:.*]] = arith.constant 16 : index
// AVX2: %[[STEPS:.*]] = arith.constant 4 : index
// AVX2: scf.for %[[FIRST:.*]] = %{{.*}} to %[[STEPS]] step %[[FLUSH]]
// AVX2: %[[BLOCK:.*]] = arith.addi %[[FIRST]], %{{.*}} : index
// AVX2: %[[END:.*]] = arith.minsi %[[BLOCK]], %{{.*}} : index
// AVX2: %[[GROUP:.*]] = arith.constant 4 : index
// AVX2: scf.for %[[K:.*]] = %[[FIRST]] to %[[END]] step %[[GROUP]]
// AVX2: vector.load %{{.*}}[%{{.*}}, %[[K]]] : memref<1x16xi32>, vector<4xi32>
// AVX2: %[[EIGHT:.*]] = arith.constant 8 : index
// AVX2: %[[TOP:.*]] = arith.addi %[[K]], %[[EIGHT]] : index
// AVX2: vector.load %{{.*}}[%{{.*}}, %[[TOP]]] : memref<1x16xi32>, vector<4xi32>
// AVX2: %[[LOW0:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// AVX2: %[[TOP0:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// AVX2: arith.addi %{{.*}}, %[[TOP0]] : vector<16xi16>
// AVX2: %[[LOW1:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// AVX2: arith.addi %[[LOW0]], %[[LOW1]] : vector<16xi16>
// AVX2-COUNT-5: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// AVX2: scf.yield
// AVX2: %[[TIMES32:.*]] = arith.constant dense<32> : vector<16xi16>
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%{{.*}}#1, %[[TIMES32]]) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// AVX2: scf.yield
// AVX2-NOT: arith.extsi %{{.*}} : vector<16xi8> to vector<16xi16>
// AVX2: return
func.func @full_weights_one_row(%x: memref<1x4xi8>, %out: memref<1x2xi32>) {
  %w = memref.get_global @full_weights_w : memref<2x4xi8>
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<1x4xi8>, memref<2x4xi8>) outs(%out : memref<1x2xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %2, %c : i32
    linalg.yield %3 : i32
  }
  return
}

// 4-bit weights as qa-lower-to-integer keeps them: packed two per byte,
// lowest first (channel 0: 1, -1, 2, -2, 7, -8; channel 2: 3, 4, 5, 6, 0,
// 0), the input grouped [rows, bytes, 2]. The kernel keeps them packed, two
// steps per byte: on VNNI step 0's four k (field 0) with step 1's (field
// 1), so byte 0 of channel 0 holds k = 0 and k = 4: 1 | 7 << 4 = 113, byte 1
// k = 1 and 5: 15 | 8 << 4 = -113. Each field is read at the top of its
// byte (times 16: an i16 shift, then the mask 0xf0), the correction is that
// of 16 w (-128 * 16 * sum_k w: 2048, -36864), and the sums are shifted
// back by 4.
// The unpacked global is gone.
// VNNI-NOT: @packed_fields_w
// VNNI-LABEL: func.func @packed_fields
// VNNI: memref.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : memref<2x3x2xi8> into memref<2x6xi8>
// VNNI: %[[WIDE:.*]] = vector.bitcast %[[BYTES:.*]] : vector<64xi8> to vector<32xi16>
// VNNI: %[[FOUR:.*]] = arith.constant dense<4> : vector<32xi16>
// VNNI: %[[UP:.*]] = arith.shli %[[WIDE]], %[[FOUR]] : vector<32xi16>
// VNNI: %[[NARROW:.*]] = vector.bitcast %[[UP]] : vector<32xi16> to vector<64xi8>
// VNNI: %[[MASK:.*]] = arith.constant dense<-16> : vector<64xi8>
// VNNI: %[[LOW:.*]] = arith.andi %[[NARROW]], %[[MASK]] : vector<64xi8>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %{{.*}}, %[[LOW]])
// VNNI: %[[MASK1:.*]] = arith.constant dense<-16> : vector<64xi8>
// VNNI: %[[HIGH:.*]] = arith.andi %[[BYTES]], %[[MASK1]] : vector<64xi8>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %{{.*}}, %[[HIGH]])
// VNNI: %[[BACK:.*]] = arith.constant dense<4> : vector<16xi32>
// VNNI: arith.shrsi %{{.*}}, %[[BACK]] : vector<16xi32>
// VNNI-NOT: linalg.generic
// VNNI: return
// AVX2 reads the fields where they are, as unsigned values: stored as w +
// 8 (checked at the top: channel 0's 9, 7, 10, 6, 15, 0 and the padding to
// K = 8 as the stored zero, 8, give bytes 9 | 15 << 4 = -7, 7, 10 | 8 << 4 =
// -118, -122; channel 1's 8s 8 | 8 << 4 = -120), a mask (and a shift) from
// vpmaddubsw (pair sums within 2 * 255 * 15). The correction is -128 *
// sum_k (w + 8) over the 8 k (-8064, -8192, -10496), each row's 8 * sum_k x
// is taken back (see @packed_fields_one_row), and no shift follows.
// AVX2-LABEL: func.func @packed_fields
// AVX2: vector.reduction <add>
// AVX2: %[[LOWMASK:.*]] = arith.constant dense<15> : vector<32xi8>
// AVX2: %[[W0:.*]] = arith.andi %[[BYTES:.*]], %[[LOWMASK]] : vector<32xi8>
// AVX2-NOT: arith.xori
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"(%{{.*}}, %[[W0]])
// AVX2: %[[WIDE:.*]] = vector.bitcast %[[BYTES]] : vector<32xi8> to vector<16xi16>
// AVX2: %[[FOUR:.*]] = arith.constant dense<4> : vector<16xi16>
// AVX2: %[[DOWN:.*]] = arith.shrui %[[WIDE]], %[[FOUR]] : vector<16xi16>
// AVX2: %[[NARROW:.*]] = vector.bitcast %[[DOWN]] : vector<16xi16> to vector<32xi8>
// AVX2: %[[HIGHMASK:.*]] = arith.constant dense<15> : vector<32xi8>
// AVX2: %[[W1:.*]] = arith.andi %[[NARROW]], %[[HIGHMASK]] : vector<32xi8>
// AVX2-NOT: arith.xori
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"(%{{.*}}, %[[W1]])
// AVX2: memref.load
// AVX2: arith.subi
// AVX2-NOT: arith.shrsi
// AVX2: return
// i8mm: 8 steps of K per smmla, so field 0 holds k = 0..7 of each channel
// (checked at the top) and field 1 k = 8..15, all padding, whose
// activations the packing zeroes too (the second half of the pair's row).
// I8MM-LABEL: func.func @packed_fields
// I8MM: %[[PAIRS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<1x32xi8>
// I8MM: %[[ZEROS:.*]] = arith.constant dense<0> : vector<16xi8>
// I8MM: %[[SIXTEEN:.*]] = arith.constant 16 : index
// I8MM: vector.store %[[ZEROS]], %[[PAIRS]][%{{.*}}, %[[SIXTEEN]]] : memref<1x32xi8>, vector<16xi8>
// I8MM: arith.shli %{{.*}}, %{{.*}} : vector<8xi16>
// I8MM: llvm.call_intrinsic "llvm.aarch64.neon.smmla.v4i32.v16i8"
// I8MM: %[[BACK:.*]] = arith.constant dense<4> : vector<2xi32>
// I8MM: arith.shrsi %{{.*}}, %[[BACK]] : vector<2xi32>
// I8MM: return
// RISC-V V widens the weights to i16 anyway: byte [j, n] of the transposed
// weights holds k = 2j and 2j + 1 (checked at the top: the input's bytes,
// transposed), each field shifted to the top of its byte by 4 - 4 (k mod
// 2) and back, arithmetically, then sign-extended.
// RVV-LABEL: func.func @packed_fields
// RVV: memref.collapse_shape
// RVV: %[[BYTE:.*]] = arith.divui %[[K:.*]], %{{.*}} : index
// RVV: arith.remui %[[K]], %{{.*}} : index
// RVV: %[[UP:.*]] = arith.shli %{{.*}}, %{{.*}} : vector<[8]xi8>
// RVV: %[[FIELD:.*]] = arith.shrsi %[[UP]], %{{.*}} : vector<[8]xi8>
// RVV: arith.extsi %[[FIELD]] : vector<[8]xi8> to vector<[8]xi16>
// RVV-NOT: linalg.generic
// RVV: return
memref.global "private" constant @packed_fields_w : memref<3x3xi8> = dense<[[-15, -30, -121], [0, 0, 0], [67, 101, 0]]>
func.func @packed_fields(%x: memref<2x3x2xi8>, %out: memref<2x3xi32>) {
  %w = memref.get_global @packed_fields_w : memref<3x3xi8>
  linalg.generic {indexing_maps = [affine_map<(m, n, j, p) -> (m, j, p)>, affine_map<(m, n, j, p) -> (n, j)>, affine_map<(m, n, j, p) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : memref<2x3x2xi8>, memref<3x3xi8>) outs(%out : memref<2x3xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %c4 = arith.constant 4 : i8
    %p = linalg.index 3 : index
    %0 = arith.index_cast %p : index to i8
    %1 = arith.muli %0, %c4 : i8
    %2 = arith.subi %c4, %1 : i8
    %3 = arith.shli %b, %2 : i8
    %4 = arith.shrsi %3, %c4 : i8
    %5 = arith.extsi %a : i8 to i32
    %6 = arith.extsi %4 : i8 to i32
    %7 = arith.muli %5, %6 : i32
    %8 = arith.addi %c, %7 : i32
    linalg.yield %8 : i32
  }
  return
}

// The same weights for a batch of one, stored as for @packed_fields (with
// the padding steps of a group of 4, K = 16, checked at the top: bytes of
// two stored zeros, -120, and the correction over 16 k, -16256, -16384,
// -18688): the pair sums of 4 steps add up in i16 before vpmaddwd widens
// them. Each row's 8 * sum_k x, summed as the activations are packed, is
// taken back.
// AVX2-LABEL: func.func @packed_fields_one_row
// AVX2: %[[SUMS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<1xi32>
// AVX2: %[[RAW:.*]] = vector.maskedload
// AVX2: %[[INPUT:.*]] = arith.extsi %[[RAW]] : vector<32xi8> to vector<32xi32>
// AVX2: %[[CHUNK:.*]] = vector.reduction <add>, %[[INPUT]] : vector<32xi32> into i32
// AVX2: %[[SUM:.*]] = arith.addi %{{.*}}, %[[CHUNK]] : i32
// AVX2: memref.store %[[SUM]], %[[SUMS]][%{{.*}}] : memref<1xi32>
// AVX2: %[[GROUP:.*]] = arith.constant 4 : index
// AVX2: scf.for %{{.*}} step %[[GROUP]]
// AVX2: %[[MASK:.*]] = arith.constant dense<15> : vector<32xi8>
// AVX2: %[[W0:.*]] = arith.andi %{{.*}}, %[[MASK]] : vector<32xi8>
// AVX2-NOT: arith.xori
// AVX2: %[[P0:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"(%{{.*}}, %[[W0]])
// AVX2: %[[P1:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// AVX2: %[[G1:.*]] = arith.addi %[[P0]], %[[P1]] : vector<16xi16>
// AVX2: %[[P2:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// AVX2: %[[G2:.*]] = arith.addi %[[G1]], %[[P2]] : vector<16xi16>
// AVX2: %[[P3:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// AVX2: %[[G3:.*]] = arith.addi %[[G2]], %[[P3]] : vector<16xi16>
// AVX2: %[[ONES:.*]] = arith.constant dense<1> : vector<16xi16>
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%[[G3]], %[[ONES]])
// AVX2: %[[EIGHT:.*]] = arith.constant 8 : i32
// AVX2: %[[ROWSUM:.*]] = memref.load %[[SUMS]][%{{.*}}] : memref<1xi32>
// AVX2: %[[OFFSET:.*]] = arith.muli %[[ROWSUM]], %[[EIGHT]] : i32
// AVX2: %[[OFFSETS:.*]] = vector.broadcast %[[OFFSET]] : i32 to vector<8xi32>
// AVX2: %[[CORRECTED:.*]] = arith.addi
// AVX2: arith.subi %[[CORRECTED]], %[[OFFSETS]] : vector<8xi32>
// AVX2: return
memref.global "private" constant @packed_fields_one_row_w : memref<3x3xi8> = dense<[[-15, -30, -121], [0, 0, 0], [67, 101, 0]]>
func.func @packed_fields_one_row(%x: memref<1x3x2xi8>, %out: memref<1x3xi32>) {
  %w = memref.get_global @packed_fields_one_row_w : memref<3x3xi8>
  linalg.generic {indexing_maps = [affine_map<(m, n, j, p) -> (m, j, p)>, affine_map<(m, n, j, p) -> (n, j)>, affine_map<(m, n, j, p) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : memref<1x3x2xi8>, memref<3x3xi8>) outs(%out : memref<1x3xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %c4 = arith.constant 4 : i8
    %p = linalg.index 3 : index
    %0 = arith.index_cast %p : index to i8
    %1 = arith.muli %0, %c4 : i8
    %2 = arith.subi %c4, %1 : i8
    %3 = arith.shli %b, %2 : i8
    %4 = arith.shrsi %3, %c4 : i8
    %5 = arith.extsi %a : i8 to i32
    %6 = arith.extsi %4 : i8 to i32
    %7 = arith.muli %5, %6 : i32
    %8 = arith.addi %c, %7 : i32
    linalg.yield %8 : i32
  }
  return
}

// With more than one block of rows (8 rows; 6 per block on VNNI), the
// fields of each block of whole tiles are read once per call into an 8-bit
// buffer in the kernel's layout, which every block of rows reads.
// VNNI-LABEL: func.func @packed_fields_rows
// VNNI: %[[UNPACKED:.*]] = memref.alloca() {alignment = 64 : i64} : memref<1x2x64xi8>
// VNNI: scf.for %[[FIRST:.*]] =
// VNNI: scf.for %[[TILE:.*]] = %[[FIRST]] to
// VNNI: %[[AT:.*]] = arith.subi %[[TILE]], %[[FIRST]] : index
// VNNI: scf.for %[[GROUP:.*]] =
// VNNI: vector.load %{{.*}}[%[[TILE]], %[[GROUP]], %{{.*}}] : memref<1x1x64xi8>, vector<64xi8>
// VNNI: arith.shli %{{.*}}, %{{.*}} : vector<32xi16>
// VNNI: vector.store %{{.*}}, %[[UNPACKED]][%[[AT]], %{{.*}}, %{{.*}}] : memref<1x2x64xi8>, vector<64xi8>
// VNNI: vector.store %{{.*}}, %[[UNPACKED]][%[[AT]], %{{.*}}, %{{.*}}] : memref<1x2x64xi8>, vector<64xi8>
// VNNI: %[[WEIGHTS:.*]] = vector.load %[[UNPACKED]]
// VNNI-NOT: arith.shli
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %{{.*}}, %[[WEIGHTS]])
// VNNI: return
memref.global "private" constant @packed_fields_rows_w : memref<16x3xi8> = dense<-15>
func.func @packed_fields_rows(%x: memref<8x3x2xi8>, %out: memref<8x16xi32>) {
  %w = memref.get_global @packed_fields_rows_w : memref<16x3xi8>
  linalg.generic {indexing_maps = [affine_map<(m, n, j, p) -> (m, j, p)>, affine_map<(m, n, j, p) -> (n, j)>, affine_map<(m, n, j, p) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : memref<8x3x2xi8>, memref<16x3xi8>) outs(%out : memref<8x16xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %c4 = arith.constant 4 : i8
    %p = linalg.index 3 : index
    %0 = arith.index_cast %p : index to i8
    %1 = arith.muli %0, %c4 : i8
    %2 = arith.subi %c4, %1 : i8
    %3 = arith.shli %b, %2 : i8
    %4 = arith.shrsi %3, %c4 : i8
    %5 = arith.extsi %a : i8 to i32
    %6 = arith.extsi %4 : i8 to i32
    %7 = arith.muli %5, %6 : i32
    %8 = arith.addi %c, %7 : i32
    linalg.yield %8 : i32
  }
  return
}

// 4-bit weights of 17 channels met by 13 rows (three blocks of rows): each
// block of tiles' offset fields are read once per call as the signed
// weights (w + 8, then 8 subtracted), so the whole tile's 16 channels are
// the 7-bit kernel's: their correction is -128 * sum_k w (every w 1, 6 k:
// -768), and the row sums are not taken back from them. The last, partial
// tile (channel 16, w 1 too) reads the offset fields: its correction is that
// of the stored 9s and the padding's 8s (-128 * (6 * 9 + 2 * 8) = -8960),
// less each row's 8 * sum_k x.
// AVX2-LABEL: func.func @packed_fields_rest
// AVX2: %[[SUMS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<13xi32>
// AVX2: %[[PREPARED:.*]] = memref.alloca() {alignment = 64 : i64} : memref<1x2x64xi8>
// AVX2: %[[EIGHT:.*]] = arith.constant dense<8> : vector<32xi8>
// AVX2: %[[SIGNED:.*]] = arith.subi %{{.*}}, %[[EIGHT]] : vector<32xi8>
// AVX2: vector.store %[[SIGNED]], %[[PREPARED]]
// AVX2: vector.load %[[PREPARED]]
// AVX2-NOT: arith.andi
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// AVX2-NOT: memref.load %[[SUMS]]
// AVX2: arith.andi
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// AVX2: memref.load %[[SUMS]]
// AVX2: return
memref.global "private" constant @packed_fields_rest_w : memref<17x3xi8> = dense<17>
func.func @packed_fields_rest(%x: memref<13x3x2xi8>, %out: memref<13x17xi32>) {
  %w = memref.get_global @packed_fields_rest_w : memref<17x3xi8>
  linalg.generic {indexing_maps = [affine_map<(m, n, j, p) -> (m, j, p)>, affine_map<(m, n, j, p) -> (n, j)>, affine_map<(m, n, j, p) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : memref<13x3x2xi8>, memref<17x3xi8>) outs(%out : memref<13x17xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %c4 = arith.constant 4 : i8
    %p = linalg.index 3 : index
    %0 = arith.index_cast %p : index to i8
    %1 = arith.muli %0, %c4 : i8
    %2 = arith.subi %c4, %1 : i8
    %3 = arith.shli %b, %2 : i8
    %4 = arith.shrsi %3, %c4 : i8
    %5 = arith.extsi %a : i8 to i32
    %6 = arith.extsi %4 : i8 to i32
    %7 = arith.muli %5, %6 : i32
    %8 = arith.addi %c, %7 : i32
    linalg.yield %8 : i32
  }
  return
}

// Beyond K = 32768 the sums of 16 w could wrap: the loop stays.
// VNNI-LABEL: func.func @packed_fields_deep
// VNNI: linalg.generic
// VNNI-NOT: vpdpbusd
// VNNI: return
memref.global "private" constant @packed_fields_deep_w : memref<1x16385xi8> = dense<-121>
func.func @packed_fields_deep(%x: memref<1x16385x2xi8>, %out: memref<1x1xi32>) {
  %w = memref.get_global @packed_fields_deep_w : memref<1x16385xi8>
  linalg.generic {indexing_maps = [affine_map<(m, n, j, p) -> (m, j, p)>, affine_map<(m, n, j, p) -> (n, j)>, affine_map<(m, n, j, p) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : memref<1x16385x2xi8>, memref<1x16385xi8>) outs(%out : memref<1x1xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %c4 = arith.constant 4 : i8
    %p = linalg.index 3 : index
    %0 = arith.index_cast %p : index to i8
    %1 = arith.muli %0, %c4 : i8
    %2 = arith.subi %c4, %1 : i8
    %3 = arith.shli %b, %2 : i8
    %4 = arith.shrsi %3, %c4 : i8
    %5 = arith.extsi %a : i8 to i32
    %6 = arith.extsi %4 : i8 to i32
    %7 = arith.muli %5, %6 : i32
    %8 = arith.addi %c, %7 : i32
    linalg.yield %8 : i32
  }
  return
}

// Unsigned activations: u8 as the x86 instructions and usmmla read them (no
// bias); sdot and smull read them as x xor 0x80 = x - 128, and +128 * sum_k w
// takes the bias back (sums 6 and -2).
// AVX2-LABEL: func.func @unsigned_input
// AVX2-NOT: arith.xori
// AVX2: pmadd.ub.sw
// I8MM-LABEL: func.func @unsigned_input
// I8MM-NOT: arith.xori
// I8MM: llvm.call_intrinsic "llvm.aarch64.neon.usmmla.v4i32.v16i8"
// DOT-LABEL: func.func @unsigned_input
// DOT: arith.xori
// DOT: llvm.call_intrinsic "llvm.aarch64.neon.sdot.v4i32.v16i8"
memref.global "private" constant @unsigned_input_w : memref<2x3xi8> = dense<[[1, 2, 3], [-1, 0, -1]]>
func.func @unsigned_input(%x: memref<4x3xi8>, %out: memref<4x2xi32>) {
  %w = memref.get_global @unsigned_input_w : memref<2x3xi8>
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<4x3xi8>, memref<2x3xi8>) outs(%out : memref<4x2xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extui %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %c, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// Unsigned weights beyond 127 (the i8 pattern -56 is 200) fit no s8
// operand: VNNI makes them vpdpbusd's u8 operand and the s8 activations its
// s8 one (no bias, no correction); dotprod takes udot and plain NEON umull
// + uaddlp, the s8 activations biased to u8 (x xor 0x80) and
// -128 * (200 + 7) = -26496 taken back.
// VNNI-LABEL: func.func @unsigned_weights
// VNNI-NOT: arith.xori
// VNNI: %[[WEIGHTS:.*]] = vector.load %{{.*}} : memref<1x1x64xi8>, vector<64xi8>
// VNNI-NOT: arith.xori
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %[[WEIGHTS]], %{{.*}})
// VNNI-NOT: pmadd.wd
// VNNI: return
// NEON-LABEL: func.func @unsigned_weights
// NEON: arith.xori
// NEON: llvm.call_intrinsic "llvm.aarch64.neon.umull.v8i16"
// NEON: llvm.call_intrinsic "llvm.aarch64.neon.uaddlp.v4i32.v8i16"
// DOT-LABEL: func.func @unsigned_weights
// DOT: arith.xori
// DOT: llvm.call_intrinsic "llvm.aarch64.neon.udot.v4i32.v16i8"
// DOT-NOT: linalg.generic
// DOT: return
memref.global "private" constant @unsigned_weights_w : memref<1x2xi8> = dense<[[-56, 7]]>
func.func @unsigned_weights(%x: memref<1x2xi8>, %out: memref<1x1xi32>) {
  %w = memref.get_global @unsigned_weights_w : memref<1x2xi8>
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<1x2xi8>, memref<1x2xi8>) outs(%out : memref<1x1xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extui %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %c, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// The zero fill of the output right before the contraction goes: the sums
// are stored, not added to what the output held. A fill of another value
// stays and is added to.
// AVX2-LABEL: func.func @zero_filled
// AVX2-NOT: linalg.fill
// AVX2-NOT: vector.load %arg1
// AVX2: vector.store %{{.*}}, %arg1
// AVX2-LABEL: func.func @one_filled
// AVX2: linalg.fill
// AVX2: vector.load %arg1
// AVX2: vector.store %{{.*}}, %arg1
memref.global "private" constant @eight_channels_w : memref<8x4xi8> = dense<1>
func.func @zero_filled(%x: memref<1x4xi8>, %out: memref<1x8xi32>) {
  %zero = arith.constant 0 : i32
  linalg.fill ins(%zero : i32) outs(%out : memref<1x8xi32>)
  %w = memref.get_global @eight_channels_w : memref<8x4xi8>
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<1x4xi8>, memref<8x4xi8>) outs(%out : memref<1x8xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %c, %2 : i32
    linalg.yield %3 : i32
  }
  return
}
func.func @one_filled(%x: memref<1x4xi8>, %out: memref<1x8xi32>) {
  %one = arith.constant 1 : i32
  linalg.fill ins(%one : i32) outs(%out : memref<1x8xi32>)
  %w = memref.get_global @eight_channels_w : memref<8x4xi8>
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<1x4xi8>, memref<8x4xi8>) outs(%out : memref<1x8xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %c, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// RISC-V V, a batch of two by 40 channels: registers for 3 vectors (6
// LMUL-4 accumulators), which 40 channels fill at VLEN 128.
// RVV-LABEL: func.func @two_rows_many_channels
// RVV: scf.for {{.*}} iter_args({{.*}}) -> (vector<[8]xi32>, vector<[8]xi32>, vector<[8]xi32>, vector<[8]xi32>, vector<[8]xi32>, vector<[8]xi32>, vector<[8]xi16>, vector<[8]xi16>, vector<[8]xi16>)
memref.global "private" constant @forty_channels_w : memref<40x4xi8> = dense<3>
func.func @two_rows_many_channels(%x: memref<2x4xi8>, %out: memref<2x40xi32>) {
  %w = memref.get_global @forty_channels_w : memref<40x4xi8>
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<2x4xi8>, memref<40x4xi8>) outs(%out : memref<2x40xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %c, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// RISC-V V with more than one block of rows (9 = 7 + 2): the 8-bit weights
// are widened once, a block of 128 columns at a time, into an i16 buffer on
// the stack, which every block of rows reads without widening.
// RVV-LABEL: func.func @many_rows
// RVV: %[[WIDE:.*]] = memref.alloca() {alignment = 64 : i64} : memref<4x128xi16>
// RVV: scf.for
// RVV: vector.maskedload %{{.*}} : memref<4x3xi8>, vector<[8]xi1>, vector<[8]xi8> into vector<[8]xi8>
// RVV: arith.extsi %{{.*}} : vector<[8]xi8> to vector<[8]xi16>
// RVV: vector.maskedstore %[[WIDE]]
// RVV-NOT: vector<[8]xi8>
// RVV: vector.load %[[WIDE]]{{.*}} : memref<4x128xi16>, vector<[8]xi16>
// RVV: arith.muli %{{.*}} : vector<[8]xi32>
// RVV-NOT: vector<[8]xi8>
// RVV: vector.maskedload %[[WIDE]]{{.*}} : memref<4x128xi16>, vector<[8]xi1>, vector<[8]xi16> into vector<[8]xi16>
// RVV-NOT: vector<[8]xi8>
// RVV: return
// VNNI, one block of columns (3 channels) and two blocks of rows (6 + 3):
// each block's activations are packed right before it into a buffer of
// 6 rows, which its steps read from row 0.
// VNNI-LABEL: func.func @many_rows
// VNNI: %[[PACKED:.*]] = memref.alloca() {alignment = 64 : i64} : memref<6x8xi32>
// VNNI: scf.for %[[FIRST:.*]] = %{{.*}} to %{{.*}} step %c6
// VNNI: scf.for %[[ROW:.*]] = %{{.*}} to %c6{{.*}} step %{{.*}}
// VNNI: arith.addi %[[FIRST]], %[[ROW]]
// VNNI: arith.xori %{{.*}} : vector<32xi8>
// VNNI: vector.store %{{.*}}, %[[PACKED]][%[[ROW]], %{{.*}}]
// VNNI: memref.load %[[PACKED]][%c0{{.*}}, %{{.*}}] : memref<6x8xi32>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// The last 3 rows, packed the same way.
// VNNI: scf.for %{{.*}} = %{{.*}} to %c3{{.*}} step %{{.*}}
// VNNI: vector.store %{{.*}}, %[[PACKED]]
// VNNI: return
memref.global "private" constant @many_rows_w : memref<3x4xi8> = dense<[[1, 2, 3, 4], [-1, -2, -3, -4], [0, 127, -128, 5]]>
func.func @many_rows(%x: memref<9x4xi8>, %out: memref<9x3xi32>) {
  %w = memref.get_global @many_rows_w : memref<3x4xi8>
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<9x4xi8>, memref<3x4xi8>) outs(%out : memref<9x3xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %c, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// A binary layer's XNOR + popcount contraction (bytes of 8 bits). RISC-V V
// reads each row's bits as a mask register and counts a register's worth
// per step (vl takes the tail); the other targets keep the loop, which
// LLVM vectorizes with their popcount sequences.
// RVV-LABEL: func.func @binary_rows
// RVV: vector.vscale
// RVV: scf.for
// RVV: scf.for
// RVV: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (i64)
// RVV: arith.minui
// RVV: llvm.call_intrinsic "llvm.riscv.vlm.nxv64i1.i64"({{.*}}) : (!llvm.ptr, i64) -> vector<[64]xi1>
// RVV: llvm.call_intrinsic "llvm.riscv.vlm.nxv64i1.i64"
// RVV: arith.xori %{{.*}} : vector<[64]xi1>
// RVV: arith.xori %{{.*}} : vector<[64]xi1>
// RVV: llvm.call_intrinsic "llvm.riscv.vcpop.i64.nxv64i1"({{.*}}) : (vector<[64]xi1>, i64) -> i64
// RVV: arith.shli %{{.*}} : i32
// RVV: memref.store
// RVV-NOT: linalg.generic
// RVV: return
// AVX2-LABEL: func.func @binary_rows
// AVX2: math.ctpop
// Without the complement it is not an XNOR count: the loop stays.
// RVV-LABEL: func.func @xor_popcount
// RVV-NOT: llvm.call_intrinsic
// RVV: linalg.generic
func.func @binary_rows(%x: memref<3x25xi8>, %w: memref<17x25xi8>, %out: memref<3x17xi32>) {
  %ones = arith.constant -1 : i8
  %one = arith.constant 1 : i32
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<3x25xi8>, memref<17x25xi8>) outs(%out : memref<3x17xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.xori %a, %b : i8
    %1 = arith.xori %0, %ones : i8
    %2 = math.ctpop %1 : i8
    %3 = arith.extui %2 : i8 to i32
    %4 = arith.shli %3, %one : i32
    %5 = arith.addi %c, %4 : i32
    linalg.yield %5 : i32
  }
  return
}
func.func @xor_popcount(%x: memref<3x25xi8>, %w: memref<17x25xi8>, %out: memref<3x17xi32>) {
  %one = arith.constant 1 : i32
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<3x25xi8>, memref<17x25xi8>) outs(%out : memref<3x17xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.xori %a, %b : i8
    %1 = arith.xori %0, %a : i8
    %2 = math.ctpop %1 : i8
    %3 = arith.extui %2 : i8 to i32
    %4 = arith.shli %3, %one : i32
    %5 = arith.addi %c, %4 : i32
    linalg.yield %5 : i32
  }
  return
}

// Weights not known at compile time cannot be packed: the loop stays.
// AVX2-LABEL: func.func @runtime_weights
// AVX2-NOT: llvm.call_intrinsic
// AVX2: linalg.generic
func.func @runtime_weights(%x: memref<1x2xi8>, %w: memref<1x2xi8>, %out: memref<1x1xi32>) {
  linalg.generic {indexing_maps = [#x, #w, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<1x2xi8>, memref<1x2xi8>) outs(%out : memref<1x1xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %c, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// UNKNOWN: error: qa-lower-to-target-kernels: unknown target 'sparc'
