;; Inter-frame layered min-sum, 8-bit fixed point, WebAssembly SIMD (i8x16): lane f of every
;; vector is frame f, so 16 frames are decoded at once on any parity-check matrix (CSR rows, no
;; QC structure needed). The layered schedule, the min1/min2 rule and the sign rule are those of
;; the int16 kernel (minsum16.wat) and the float kernels (decoder.ts); only the number format
;; differs: LLRs are quantized to round(llr * scale) in [-qmax, qmax], messages and posteriors are
;; int8 with saturating adds; the per-row NMS scaling widens min1/min2 to i16 for q15mulr.
;; Source of src/fec/ldpc/kernel/minsum8-wasm.ts (regenerate: see that file's header).
;;
;; Memory (imported, laid out by src/fec/ldpc/kernel/minsum8-kernel.ts; byte offsets in globals):
;;   post   max(n, 16) x v128   posterior of variable v, lane f = frame f
;;   msg    E x 48 B      per edge (CSR order): the check-to-variable message (v128) at +0, the
;;                        variable-to-check value of the current row (v128) at +16 and the byte
;;                        address of its variable's posterior (i32) at +32
;;   rowPtr (m+1) i32     CSR row starts (every row has at least one edge)
;;   out    max(n, 16) x v128   latched posteriors (a frame's lanes are copied when it converges)
;;   llr    16 n f32      input LLRs, frame-major (frame f at llr + 4 f n)
;;   bits   16 n + 16 u8  output hard decisions, frame-major
;;   q8     16 n + 16 i8  scratch: the quantized LLRs, frame-major, before their transpose
;; The frame-major <-> lane-major moves are 16 x 16 byte transposes: done one byte at a time they
;; cost about five iterations (measured on (1944, 1/2)).
(module
  (import "env" "memory" (memory 1))
  (global $n (mut i32) (i32.const 0))
  (global $m (mut i32) (i32.const 0))
  (global $post (mut i32) (i32.const 0))
  (global $msg (mut i32) (i32.const 0))
  (global $rowPtr (mut i32) (i32.const 0))
  (global $out (mut i32) (i32.const 0))
  (global $llr (mut i32) (i32.const 0))
  (global $bits (mut i32) (i32.const 0))
  (global $edges (mut i32) (i32.const 0))
  (global $q8 (mut i32) (i32.const 0))

  (func (export "init") (param $n i32) (param $m i32) (param $post i32) (param $msg i32)
        (param $rowPtr i32) (param $out i32) (param $llr i32) (param $bits i32) (param $edges i32) (param $q8 i32)
    (global.set $n (local.get $n))
    (global.set $m (local.get $m))
    (global.set $post (local.get $post))
    (global.set $msg (local.get $msg))
    (global.set $rowPtr (local.get $rowPtr))
    (global.set $out (local.get $out))
    (global.set $llr (local.get $llr))
    (global.set $bits (local.get $bits))
    (global.set $edges (local.get $edges))
    (global.set $q8 (local.get $q8)))

  ;; 16 x 16 byte transpose: row k of the block at src + k sstride (16 bytes) becomes column k of the
  ;; block at dst + j dstride (byte k of row j). Four rounds of interleaving rows k and k + 8 (a
  ;; perfect shuffle of the 8 index bits, so four of them swap row and column bits); the
  ;; interleaves compile to punpck{l,h}bw. Rows are stored in order 0..15, so with dstride < 16
  ;; a row's overhang into the next row is overwritten by that row.
  (func $transpose16 (param $src i32) (param $sstride i32) (param $dst i32) (param $dstride i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $r4 v128) (local $r5 v128) (local $r6 v128) (local $r7 v128) (local $r8 v128) (local $r9 v128) (local $r10 v128) (local $r11 v128) (local $r12 v128) (local $r13 v128) (local $r14 v128) (local $r15 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $t4 v128) (local $t5 v128) (local $t6 v128) (local $t7 v128) (local $t8 v128) (local $t9 v128) (local $t10 v128) (local $t11 v128) (local $t12 v128) (local $t13 v128) (local $t14 v128) (local $t15 v128)
    (local.set $r0 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r1 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r2 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r3 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r4 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r5 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r6 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r7 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r8 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r9 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r10 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r11 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r12 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r13 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r14 (v128.load (local.get $src)))
    (local.set $src (i32.add (local.get $src) (local.get $sstride)))
    (local.set $r15 (v128.load (local.get $src)))
    (local.set $t0 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r0) (local.get $r8)))
    (local.set $t1 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r0) (local.get $r8)))
    (local.set $t2 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r1) (local.get $r9)))
    (local.set $t3 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r1) (local.get $r9)))
    (local.set $t4 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r2) (local.get $r10)))
    (local.set $t5 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r2) (local.get $r10)))
    (local.set $t6 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r3) (local.get $r11)))
    (local.set $t7 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r3) (local.get $r11)))
    (local.set $t8 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r4) (local.get $r12)))
    (local.set $t9 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r4) (local.get $r12)))
    (local.set $t10 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r5) (local.get $r13)))
    (local.set $t11 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r5) (local.get $r13)))
    (local.set $t12 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r6) (local.get $r14)))
    (local.set $t13 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r6) (local.get $r14)))
    (local.set $t14 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r7) (local.get $r15)))
    (local.set $t15 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r7) (local.get $r15)))
    (local.set $r0 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t0) (local.get $t8)))
    (local.set $r1 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t0) (local.get $t8)))
    (local.set $r2 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t1) (local.get $t9)))
    (local.set $r3 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t1) (local.get $t9)))
    (local.set $r4 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t2) (local.get $t10)))
    (local.set $r5 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t2) (local.get $t10)))
    (local.set $r6 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t3) (local.get $t11)))
    (local.set $r7 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t3) (local.get $t11)))
    (local.set $r8 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t4) (local.get $t12)))
    (local.set $r9 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t4) (local.get $t12)))
    (local.set $r10 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t5) (local.get $t13)))
    (local.set $r11 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t5) (local.get $t13)))
    (local.set $r12 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t6) (local.get $t14)))
    (local.set $r13 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t6) (local.get $t14)))
    (local.set $r14 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t7) (local.get $t15)))
    (local.set $r15 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t7) (local.get $t15)))
    (local.set $t0 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r0) (local.get $r8)))
    (local.set $t1 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r0) (local.get $r8)))
    (local.set $t2 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r1) (local.get $r9)))
    (local.set $t3 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r1) (local.get $r9)))
    (local.set $t4 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r2) (local.get $r10)))
    (local.set $t5 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r2) (local.get $r10)))
    (local.set $t6 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r3) (local.get $r11)))
    (local.set $t7 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r3) (local.get $r11)))
    (local.set $t8 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r4) (local.get $r12)))
    (local.set $t9 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r4) (local.get $r12)))
    (local.set $t10 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r5) (local.get $r13)))
    (local.set $t11 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r5) (local.get $r13)))
    (local.set $t12 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r6) (local.get $r14)))
    (local.set $t13 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r6) (local.get $r14)))
    (local.set $t14 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r7) (local.get $r15)))
    (local.set $t15 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $r7) (local.get $r15)))
    (local.set $r0 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t0) (local.get $t8)))
    (local.set $r1 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t0) (local.get $t8)))
    (local.set $r2 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t1) (local.get $t9)))
    (local.set $r3 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t1) (local.get $t9)))
    (local.set $r4 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t2) (local.get $t10)))
    (local.set $r5 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t2) (local.get $t10)))
    (local.set $r6 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t3) (local.get $t11)))
    (local.set $r7 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t3) (local.get $t11)))
    (local.set $r8 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t4) (local.get $t12)))
    (local.set $r9 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t4) (local.get $t12)))
    (local.set $r10 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t5) (local.get $t13)))
    (local.set $r11 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t5) (local.get $t13)))
    (local.set $r12 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t6) (local.get $t14)))
    (local.set $r13 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t6) (local.get $t14)))
    (local.set $r14 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $t7) (local.get $t15)))
    (local.set $r15 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $t7) (local.get $t15)))
    (v128.store (local.get $dst) (local.get $r0))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r1))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r2))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r3))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r4))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r5))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r6))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r7))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r8))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r9))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r10))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r11))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r12))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r13))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r14))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstride)))
    (v128.store (local.get $dst) (local.get $r15)))


  ;; Transpose between frame-major bytes (16 rows, dst/src stride n) and lane-major vectors (n x
  ;; 16 B), 16 variables at a time; steps: bytes from one block of variables to the next (1 on the
  ;; frame-major side, 16 on the other). A ragged end is redone as the overlapping block [n-16, n).
  (func $transposeAll (param $src i32) (param $sstride i32) (param $sstep i32)
        (param $dst i32) (param $dstride i32) (param $dstep i32)
    (local $v i32) (local $last i32)
    (local.set $last (select (i32.sub (global.get $n) (i32.const 16)) (i32.const 0) (i32.gt_u (global.get $n) (i32.const 16))))
    (block $done
      (loop $l
        (call $transpose16
          (i32.add (local.get $src) (i32.mul (local.get $v) (local.get $sstep))) (local.get $sstride)
          (i32.add (local.get $dst) (i32.mul (local.get $v) (local.get $dstep))) (local.get $dstride))
        (br_if $done (i32.ge_u (local.get $v) (local.get $last)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (if (i32.gt_u (local.get $v) (local.get $last)) (then (local.set $v (local.get $last))))
        (br $l))))

  ;; Start a decode of `frames` (1..16) frames: post lane f = clamp(nearest(llr_f * scale), +-qmax),
  ;; lanes >= frames = 0 (they decide all-zero, a codeword); messages zero. Returns 1 on a NaN LLR.
  ;; The frames' LLRs are one contiguous run: quantized 16 at a time into q8, the last few alone.
  (func (export "load") (param $frames i32) (param $scale f32) (param $qmax f32) (result i32)
    (local $p i32) (local $q i32) (local $end i32) (local $vend i32) (local $x f32) (local $nan i32)
    (local $vs v128) (local $vq v128) (local $vnq v128) (local $vnan v128) (local $magic v128)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local.set $vs (f32x4.splat (local.get $scale)))
    (local.set $vq (f32x4.splat (local.get $qmax)))
    (local.set $vnq (f32x4.splat (f32.neg (local.get $qmax))))
    (local.set $vnan (v128.const i32x4 0 0 0 0))
    (local.set $magic (f32x4.splat (f32.const 12582912)))
    (local.set $p (global.get $llr))
    (local.set $q (global.get $q8))
    (local.set $end (i32.add (global.get $llr) (i32.shl (i32.mul (local.get $frames) (global.get $n)) (i32.const 2))))
    (local.set $vend (i32.add (global.get $llr) (i32.shl (i32.and (i32.mul (local.get $frames) (global.get $n)) (i32.const -16)) (i32.const 2))))
    (block $vdone
      (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $p) (local.get $vend)))
        ;; clamp, then round to nearest even by adding 1.5 * 2^23 (the integer lands in the low mantissa
        ;; bits; the same as nearest-then-clamp, qmax being an integer): cheaper than f32x4.nearest +
        ;; i32x4.trunc_sat. pmin/pmax are single instructions (f32x4.min/max are not); NaNs: vnan
        (local.set $a (f32x4.mul (v128.load (local.get $p)) (local.get $vs)))
        (local.set $vnan (v128.or (local.get $vnan) (f32x4.ne (local.get $a) (local.get $a))))
        (local.set $a (i32x4.sub (f32x4.add (f32x4.pmin (f32x4.pmax (local.get $a) (local.get $vnq)) (local.get $vq)) (local.get $magic)) (local.get $magic)))
        (local.set $b (f32x4.mul (v128.load offset=16 (local.get $p)) (local.get $vs)))
        (local.set $vnan (v128.or (local.get $vnan) (f32x4.ne (local.get $b) (local.get $b))))
        (local.set $b (i32x4.sub (f32x4.add (f32x4.pmin (f32x4.pmax (local.get $b) (local.get $vnq)) (local.get $vq)) (local.get $magic)) (local.get $magic)))
        (local.set $c (f32x4.mul (v128.load offset=32 (local.get $p)) (local.get $vs)))
        (local.set $vnan (v128.or (local.get $vnan) (f32x4.ne (local.get $c) (local.get $c))))
        (local.set $c (i32x4.sub (f32x4.add (f32x4.pmin (f32x4.pmax (local.get $c) (local.get $vnq)) (local.get $vq)) (local.get $magic)) (local.get $magic)))
        (local.set $d (f32x4.mul (v128.load offset=48 (local.get $p)) (local.get $vs)))
        (local.set $vnan (v128.or (local.get $vnan) (f32x4.ne (local.get $d) (local.get $d))))
        (local.set $d (i32x4.sub (f32x4.add (f32x4.pmin (f32x4.pmax (local.get $d) (local.get $vnq)) (local.get $vq)) (local.get $magic)) (local.get $magic)))
        ;; exact narrows: |values| <= qmax <= 127
        (v128.store (local.get $q) (i8x16.narrow_i16x8_s
          (i16x8.narrow_i32x4_s (local.get $a) (local.get $b)) (i16x8.narrow_i32x4_s (local.get $c) (local.get $d))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $vloop)))
    (local.set $nan (v128.any_true (local.get $vnan)))
    (block $sdone
      (loop $sloop
        (br_if $sdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (f32.mul (f32.load (local.get $p)) (local.get $scale)))
        (local.set $nan (i32.or (local.get $nan) (f32.ne (local.get $x) (local.get $x))))
        (local.set $x (f32.min (f32.max (f32.nearest (local.get $x)) (f32.neg (local.get $qmax))) (local.get $qmax)))
        (i32.store8 (local.get $q) (i32.trunc_sat_f32_s (local.get $x)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $sloop)))
    ;; frames >= `frames` (and the padding) are zero
    (memory.fill (local.get $q) (i32.const 0)
      (i32.sub (i32.add (global.get $q8) (i32.add (i32.shl (global.get $n) (i32.const 4)) (i32.const 16))) (local.get $q)))
    (call $transposeAll (global.get $q8) (global.get $n) (i32.const 1) (global.get $post) (i32.const 16) (i32.const 16))
    (local.set $p (global.get $msg))
    (local.set $end (i32.add (global.get $msg) (i32.mul (global.get $edges) (i32.const 48))))
    (block $mdone
      (loop $mloop
        (br_if $mdone (i32.ge_u (local.get $p) (local.get $end)))
        (v128.store (local.get $p) (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.add (local.get $p) (i32.const 48)))
        (br $mloop)))
    (memory.fill (global.get $out) (i32.const 0) (i32.shl (global.get $n) (i32.const 4)))
    (local.get $nan))

  ;; One layered pass over all rows. nms: magnitude = q15mulr(min, alphaQ15); oms: max(min - offset, 0)
  ;; (offset in 0..127). Edge records of 48 bytes: the message (v128) at +0, the variable-to-check
  ;; value t of the current row (v128) at +16, the byte address of its variable's posterior (i32)
  ;; at +32, so one running pointer walks all three; every row has >= 1 edge (do-while loops).
  (func (export "iterate") (param $alpha i32) (param $offset i32)
    (local $r i32) (local $pe i32) (local $peEnd i32) (local $pe0 i32)
    (local $x v128) (local $a v128) (local $min1 v128) (local $min2 v128) (local $sgn v128)
    (local $m1 v128) (local $m2 v128) (local $c v128) (local $s v128)
    (local $big v128) (local $va v128) (local $vo v128) (local $zero v128)
    (local.set $big (i8x16.splat (i32.const 127)))
    (local.set $va (i16x8.splat (local.get $alpha)))
    (local.set $vo (i8x16.splat (local.get $offset)))
    (local.set $zero (v128.const i32x4 0 0 0 0))
    (local.set $r (i32.const 0))
    (local.set $pe (i32.add (global.get $msg) (i32.mul (i32.load (global.get $rowPtr)) (i32.const 48))))
    (block $rdone
      (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (global.get $m)))
        (local.set $peEnd (i32.add (global.get $msg)
          (i32.mul (i32.load (i32.add (global.get $rowPtr) (i32.shl (i32.add (local.get $r) (i32.const 1)) (i32.const 2)))) (i32.const 48))))
        (local.set $min1 (local.get $big))
        (local.set $min2 (local.get $big))
        (local.set $sgn (local.get $zero))
        (local.set $pe0 (local.get $pe))
        ;; pass 1: t = post - msg, sign product, the two smallest |t|
        (loop $p1
          (local.set $x (i8x16.sub_sat_s (v128.load (i32.load offset=32 (local.get $pe))) (v128.load (local.get $pe))))
          (v128.store offset=16 (local.get $pe) (local.get $x))
          (local.set $sgn (v128.xor (local.get $sgn) (local.get $x)))
          ;; |t| as unsigned (abs(-128) = 0x80 = 128); the minima start at 127, so stay <= 127
          (local.set $a (i8x16.abs (local.get $x)))
          (local.set $min2 (i8x16.min_u (local.get $min2) (i8x16.max_u (local.get $a) (local.get $min1))))
          (local.set $min1 (i8x16.min_u (local.get $min1) (local.get $a)))
          (local.set $pe (i32.add (local.get $pe) (i32.const 48)))
          (br_if $p1 (i32.lt_u (local.get $pe) (local.get $peEnd))))
        ;; magnitudes max(sat8(q15mulr(min, alpha)) - offset, 0): i8x16 has no multiply, so widen to
        ;; i16x8 and narrow back (both exact: minima <= 127); inline, a call spills every v128 local
        (local.set $m1 (i8x16.max_s (i8x16.sub_sat_s (i8x16.narrow_i16x8_s
          (i16x8.q15mulr_sat_s (i16x8.extend_low_i8x16_u (local.get $min1)) (local.get $va))
          (i16x8.q15mulr_sat_s (i16x8.extend_high_i8x16_u (local.get $min1)) (local.get $va))) (local.get $vo)) (local.get $zero)))
        (local.set $m2 (i8x16.max_s (i8x16.sub_sat_s (i8x16.narrow_i16x8_s
          (i16x8.q15mulr_sat_s (i16x8.extend_low_i8x16_u (local.get $min2)) (local.get $va))
          (i16x8.q15mulr_sat_s (i16x8.extend_high_i8x16_u (local.get $min2)) (local.get $va))) (local.get $vo)) (local.get $zero)))
        ;; pass 2: message = other-min with the product of the other signs; post = t + message
        (local.set $pe (local.get $pe0))
        (loop $p2
          (local.set $x (v128.load offset=16 (local.get $pe)))
          (local.set $c (v128.bitselect (local.get $m2) (local.get $m1) (i8x16.eq (i8x16.abs (local.get $x)) (local.get $min1))))
          ;; lt_s, not shr_s 7: x64 has no byte shift, a byte compare is one instruction
          (local.set $s (i8x16.lt_s (v128.xor (local.get $sgn) (local.get $x)) (local.get $zero)))
          (local.set $c (i8x16.sub (v128.xor (local.get $c) (local.get $s)) (local.get $s)))
          (v128.store (local.get $pe) (local.get $c))
          (v128.store (i32.load offset=32 (local.get $pe)) (i8x16.add_sat_s (local.get $x) (local.get $c)))
          (local.set $pe (i32.add (local.get $pe) (i32.const 48)))
          (br_if $p2 (i32.lt_u (local.get $pe) (local.get $peEnd))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rloop))))

  ;; Lane mask (bit f) of the frames whose hard decisions (post < 0 -> 1) satisfy every check.
  (func (export "syndrome") (result i32)
    (local $r i32) (local $pe i32) (local $peEnd i32) (local $acc v128) (local $bad v128)
    (local.set $bad (v128.const i32x4 0 0 0 0))
    (local.set $r (i32.const 0))
    (local.set $pe (i32.add (global.get $msg) (i32.mul (i32.load (global.get $rowPtr)) (i32.const 48))))
    (block $rdone
      (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (global.get $m)))
        (local.set $peEnd (i32.add (global.get $msg)
          (i32.mul (i32.load (i32.add (global.get $rowPtr) (i32.shl (i32.add (local.get $r) (i32.const 1)) (i32.const 2)))) (i32.const 48))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (loop $eloop
          (local.set $acc (v128.xor (local.get $acc) (v128.load (i32.load offset=32 (local.get $pe)))))
          (local.set $pe (i32.add (local.get $pe) (i32.const 48)))
          (br_if $eloop (i32.lt_u (local.get $pe) (local.get $peEnd))))
        (local.set $bad (v128.or (local.get $bad) (local.get $acc)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rloop)))
    (i32.xor (i8x16.bitmask (local.get $bad)) (i32.const 65535)))

  ;; out[v] lanes in `mask` (bit f = frame f) = post[v] lanes.
  (func (export "latch") (param $mask i32)
    (local $sel v128) (local $p i32) (local $q i32) (local $end i32)
    ;; byte f of sel: the byte of the mask holding bit f, tested against bit f mod 8
    (local.set $sel (i8x16.ne
      (v128.and
        (i8x16.shuffle 0 0 0 0 0 0 0 0 1 1 1 1 1 1 1 1 (i32x4.splat (local.get $mask)) (v128.const i32x4 0 0 0 0))
        (v128.const i8x16 1 2 4 8 16 32 64 -128 1 2 4 8 16 32 64 -128))
      (v128.const i32x4 0 0 0 0)))
    (local.set $p (global.get $post))
    (local.set $q (global.get $out))
    (local.set $end (i32.add (global.get $post) (i32.shl (global.get $n) (i32.const 4))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (v128.store (local.get $q) (v128.bitselect (v128.load (local.get $p)) (v128.load (local.get $q)) (local.get $sel)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $l))))

  ;; bits (frame-major) = out < 0, for the first `frames` frames (the transpose writes all 16 rows).
  (func (export "readBits") (param $frames i32)
    (local $p i32) (local $end i32) (local $vend i32)
    (call $transposeAll (global.get $out) (i32.const 16) (i32.const 16) (global.get $bits) (global.get $n) (i32.const 1))
    (local.set $p (global.get $bits))
    (local.set $end (i32.add (global.get $bits) (i32.mul (local.get $frames) (global.get $n))))
    (local.set $vend (i32.add (global.get $bits) (i32.and (i32.mul (local.get $frames) (global.get $n)) (i32.const -16))))
    (block $vdone
      (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $p) (local.get $vend)))
        (v128.store (local.get $p) (v128.and (i8x16.lt_s (v128.load (local.get $p)) (v128.const i32x4 0 0 0 0)) (i8x16.splat (i32.const 1))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $vloop)))
    (block $sdone
      (loop $sloop
        (br_if $sdone (i32.ge_u (local.get $p) (local.get $end)))
        (i32.store8 (local.get $p) (i32.lt_s (i32.load8_s (local.get $p)) (i32.const 0)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $sloop))))
)
