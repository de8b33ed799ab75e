;; Add-compare-select of the K=7 [133,171] Viterbi decoder in WebAssembly SIMD (i32x4), the same
;; integer arithmetic as acs() in ../viterbi.ts, so both give the same decisions bit for bit.
;;
;; Memory (laid out by acs-kernel.ts):
;;   0    .. 127   8 swizzle patterns: lanes of butterflies 4v..4v+3 pick their branch metric
;;                 (index (A << 1) | B) from the step's vector [la+lb, la-lb, lb-la, -la-lb]
;;   128  .. 383   metric bank A (64 x i32), the start bank (written by the caller)
;;   384  .. 639   metric bank B
;;   llr:          2 x i32 per step (quantized mother-code LLRs)
;;   dec:          2 x i32 per step (decision bits of states 0..31, then 32..63)
;;
;; Butterfly j joins states 2j, 2j+1 to j and j+32. Four butterflies per vector: even states
;; (p0) and odd states (p1) are split out of two loads by shuffles; d = p1 - p0, ta = 2m - d,
;; tb = -2m - d; successor j = p0 + m - min(ta, 0), successor j+32 = p0 - m - min(tb, 0); the
;; decisions are the sign bits of ta and tb (i32x4.bitmask).
(module
  (memory (export "memory") 1)
  (func (export "acs") (param $steps i32) (param $llr i32) (param $dec i32)
    (local $t i32) (local $v i32) (local $cur i32) (local $nxt i32) (local $tmp i32)
    (local $src i32) (local $dst i32) (local $w0 i32) (local $w1 i32)
    (local $base v128) (local $m v128) (local $m2 v128) (local $a v128) (local $b v128)
    (local $p0 v128) (local $d v128) (local $ta v128) (local $tb v128) (local $zero v128)
    (local.set $cur (i32.const 128))
    (local.set $nxt (i32.const 384))
    (local.set $zero (v128.const i32x4 0 0 0 0))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $t) (local.get $steps)))
        ;; base = la * [1, 1, -1, -1] + lb * [1, -1, 1, -1]
        (local.set $base
          (i32x4.add
            (i32x4.mul (i32x4.splat (i32.load (local.get $llr))) (v128.const i32x4 1 1 -1 -1))
            (i32x4.mul (i32x4.splat (i32.load offset=4 (local.get $llr))) (v128.const i32x4 1 -1 1 -1))))
        (local.set $w0 (i32.const 0))
        (local.set $w1 (i32.const 0))
        (local.set $v (i32.const 0))
        (loop $bfly
          (local.set $src (i32.add (local.get $cur) (i32.shl (local.get $v) (i32.const 5))))
          (local.set $dst (i32.add (local.get $nxt) (i32.shl (local.get $v) (i32.const 4))))
          (local.set $a (v128.load (local.get $src)))
          (local.set $b (v128.load offset=16 (local.get $src)))
          (local.set $p0 (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a) (local.get $b)))
          (local.set $d
            (i32x4.sub
              (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a) (local.get $b))
              (local.get $p0)))
          (local.set $m (i8x16.swizzle (local.get $base) (v128.load (i32.shl (local.get $v) (i32.const 4)))))
          (local.set $m2 (i32x4.shl (local.get $m) (i32.const 1)))
          (local.set $ta (i32x4.sub (local.get $m2) (local.get $d)))
          (local.set $tb (i32x4.sub (i32x4.neg (local.get $m2)) (local.get $d)))
          (v128.store (local.get $dst)
            (i32x4.sub (i32x4.add (local.get $p0) (local.get $m)) (i32x4.min_s (local.get $ta) (local.get $zero))))
          (v128.store offset=128 (local.get $dst)
            (i32x4.sub (i32x4.sub (local.get $p0) (local.get $m)) (i32x4.min_s (local.get $tb) (local.get $zero))))
          (local.set $w0 (i32.or (local.get $w0)
            (i32.shl (i32x4.bitmask (local.get $ta)) (i32.shl (local.get $v) (i32.const 2)))))
          (local.set $w1 (i32.or (local.get $w1)
            (i32.shl (i32x4.bitmask (local.get $tb)) (i32.shl (local.get $v) (i32.const 2)))))
          (local.set $v (i32.add (local.get $v) (i32.const 1)))
          (br_if $bfly (i32.lt_u (local.get $v) (i32.const 8))))
        (i32.store (local.get $dec) (local.get $w0))
        (i32.store offset=4 (local.get $dec) (local.get $w1))
        (local.set $tmp (local.get $cur))
        (local.set $cur (local.get $nxt))
        (local.set $nxt (local.get $tmp))
        (local.set $llr (i32.add (local.get $llr) (i32.const 8)))
        (local.set $dec (i32.add (local.get $dec) (i32.const 8)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $step))))
)
