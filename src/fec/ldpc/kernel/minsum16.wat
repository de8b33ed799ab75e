;; Inter-frame layered min-sum, 16-bit fixed point, WebAssembly SIMD (i16x8): lane f of every
;; vector is frame f, so 8 frames are decoded at once on any parity-check matrix (CSR rows, no
;; QC structure needed). The layered schedule, the min1/min2 rule and the sign rule are those of
;; the float kernels (decoder.ts); only the number format differs: LLRs are quantized to
;; round(llr * scale) in [-qmax, qmax], messages and posteriors are int16 with saturating adds.
;; Source of src/fec/ldpc/kernel/minsum16-wasm.ts (regenerate: see that file's header).
;;
;; Memory (imported, laid out by src/fec/ldpc/kernel/minsum16-kernel.ts; byte offsets in globals):
;;   post   n x v128      posterior of variable v, lane f = frame f
;;   msg    E x 48 B      per edge (CSR order): the check-to-variable message (v128) at +0, the
;;                        variable-to-check value of the current row (v128) at +16 and the byte
;;                        address of its variable's posterior (i32) at +32
;;   rowPtr (m+1) i32     CSR row starts (every row has at least one edge)
;;   out    n x v128      latched posteriors (a frame's lanes are copied when it converges)
;;   llr    8 n f32       input LLRs, frame-major (frame f at llr + 4 f n)
;;   bits   8 n u8        output hard decisions, frame-major
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

  (func (export "init") (param $n i32) (param $m i32) (param $post i32) (param $msg i32)
        (param $rowPtr i32) (param $out i32) (param $llr i32) (param $bits i32) (param $edges i32)
    (global.set $n (local.get $n))
    (global.set $m (local.get $m))
    (global.set $post (local.get $post))
    (global.set $msg (local.get $msg))
    (global.set $rowPtr (local.get $rowPtr))
    (global.set $out (local.get $out))
    (global.set $llr (local.get $llr))
    (global.set $bits (local.get $bits))
    (global.set $edges (local.get $edges)))

  ;; Start a decode of `frames` (1..8) frames: post lane f = clamp(nearest(llr_f * scale), +-qmax),
  ;; lanes >= frames = 0 (they decide all-zero, a codeword); messages zero. Returns 1 on a NaN LLR.
  (func (export "load") (param $frames i32) (param $scale f32) (param $qmax f32) (result i32)
    (local $v i32) (local $f i32) (local $x f32) (local $src i32) (local $dst i32) (local $nan i32)
    (memory.fill (global.get $post) (i32.const 0) (i32.shl (global.get $n) (i32.const 4)))
    (local.set $f (i32.const 0))
    (block $fdone
      (loop $floop
        (br_if $fdone (i32.ge_u (local.get $f) (local.get $frames)))
        (local.set $src (i32.add (global.get $llr) (i32.shl (i32.mul (local.get $f) (global.get $n)) (i32.const 2))))
        (local.set $dst (i32.add (global.get $post) (i32.shl (local.get $f) (i32.const 1))))
        (local.set $v (i32.const 0))
        (block $vdone
          (loop $vloop
            (br_if $vdone (i32.ge_u (local.get $v) (global.get $n)))
            (local.set $x (f32.mul (f32.load (local.get $src)) (local.get $scale)))
            (local.set $nan (i32.or (local.get $nan) (f32.ne (local.get $x) (local.get $x))))
            (local.set $x (f32.min (f32.max (f32.nearest (local.get $x)) (f32.neg (local.get $qmax))) (local.get $qmax)))
            (i32.store16 (local.get $dst) (i32.trunc_sat_f32_s (local.get $x)))
            (local.set $src (i32.add (local.get $src) (i32.const 4)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (local.set $v (i32.add (local.get $v) (i32.const 1)))
            (br $vloop)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $floop)))
    (local.set $dst (global.get $msg))
    (local.set $src (i32.add (global.get $msg) (i32.mul (global.get $edges) (i32.const 48))))
    (block $mdone
      (loop $mloop
        (br_if $mdone (i32.ge_u (local.get $dst) (local.get $src)))
        (v128.store (local.get $dst) (v128.const i32x4 0 0 0 0))
        (local.set $dst (i32.add (local.get $dst) (i32.const 48)))
        (br $mloop)))
    (memory.fill (global.get $out) (i32.const 0) (i32.shl (global.get $n) (i32.const 4)))
    (local.get $nan))

  ;; One layered pass over all rows. nms: magnitude = q15mulr(min, alphaQ15); oms: max(min - offset, 0).
  ;; Edge records of 48 bytes: the message (v128) at +0, the variable-to-check value t of the
  ;; current row (v128) at +16, the byte address of its variable's posterior (i32) at +32, so one
  ;; running pointer walks all three; every row has >= 1 edge (do-while loops).
  (func (export "iterate") (param $alpha i32) (param $offset i32)
    (local $r i32) (local $pe i32) (local $peEnd i32) (local $pe0 i32)
    (local $x v128) (local $a v128) (local $min1 v128) (local $min2 v128) (local $sgn v128)
    (local $m1 v128) (local $m2 v128) (local $c v128) (local $s v128)
    (local $big v128) (local $va v128) (local $vo v128) (local $zero v128)
    (local.set $big (i16x8.splat (i32.const 32767)))
    (local.set $va (i16x8.splat (local.get $alpha)))
    (local.set $vo (i16x8.splat (local.get $offset)))
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
          (local.set $x (i16x8.sub_sat_s (v128.load (i32.load offset=32 (local.get $pe))) (v128.load (local.get $pe))))
          (v128.store offset=16 (local.get $pe) (local.get $x))
          (local.set $sgn (v128.xor (local.get $sgn) (local.get $x)))
          ;; |t| as unsigned (abs(-32768) = 0x8000 = 32768); the minima start at 32767, so stay <= 32767
          (local.set $a (i16x8.abs (local.get $x)))
          (local.set $min2 (i16x8.min_u (local.get $min2) (i16x8.max_u (local.get $a) (local.get $min1))))
          (local.set $min1 (i16x8.min_u (local.get $min1) (local.get $a)))
          (local.set $pe (i32.add (local.get $pe) (i32.const 48)))
          (br_if $p1 (i32.lt_u (local.get $pe) (local.get $peEnd))))
        (local.set $m1 (i16x8.max_s (i16x8.sub_sat_s (i16x8.q15mulr_sat_s (local.get $min1) (local.get $va)) (local.get $vo)) (local.get $zero)))
        (local.set $m2 (i16x8.max_s (i16x8.sub_sat_s (i16x8.q15mulr_sat_s (local.get $min2) (local.get $va)) (local.get $vo)) (local.get $zero)))
        ;; pass 2: message = other-min with the product of the other signs; post = t + message
        (local.set $pe (local.get $pe0))
        (loop $p2
          (local.set $x (v128.load offset=16 (local.get $pe)))
          (local.set $c (v128.bitselect (local.get $m2) (local.get $m1) (i16x8.eq (i16x8.abs (local.get $x)) (local.get $min1))))
          (local.set $s (i16x8.shr_s (v128.xor (local.get $sgn) (local.get $x)) (i32.const 15)))
          (local.set $c (i16x8.sub (v128.xor (local.get $c) (local.get $s)) (local.get $s)))
          (v128.store (local.get $pe) (local.get $c))
          (v128.store (i32.load offset=32 (local.get $pe)) (i16x8.add_sat_s (local.get $x) (local.get $c)))
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
    (i32.xor (i16x8.bitmask (local.get $bad)) (i32.const 255)))

  ;; out[v] lanes in `mask` (bit f = frame f) = post[v] lanes.
  (func (export "latch") (param $mask i32)
    (local $sel v128) (local $p i32) (local $q i32) (local $end i32)
    (local.set $sel (i16x8.ne
      (v128.and (i16x8.splat (local.get $mask)) (v128.const i16x8 1 2 4 8 16 32 64 128))
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

  ;; bits (frame-major) = out < 0, for the first `frames` frames.
  (func (export "readBits") (param $frames i32)
    (local $f i32) (local $v i32) (local $src i32) (local $dst i32)
    (local.set $f (i32.const 0))
    (block $fdone
      (loop $floop
        (br_if $fdone (i32.ge_u (local.get $f) (local.get $frames)))
        (local.set $src (i32.add (global.get $out) (i32.shl (local.get $f) (i32.const 1))))
        (local.set $dst (i32.add (global.get $bits) (i32.mul (local.get $f) (global.get $n))))
        (local.set $v (i32.const 0))
        (block $vdone
          (loop $vloop
            (br_if $vdone (i32.ge_u (local.get $v) (global.get $n)))
            (i32.store8 (i32.add (local.get $dst) (local.get $v)) (i32.lt_s (i32.load16_s (local.get $src)) (i32.const 0)))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $v (i32.add (local.get $v) (i32.const 1)))
            (br $vloop)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $floop))))
)
