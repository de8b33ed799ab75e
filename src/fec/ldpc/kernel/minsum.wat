;; Layered min-sum for QC-LDPC codes, WebAssembly SIMD (f32x4), vectorized over the Z rows of a
;; layer (the rows of one base row touch disjoint variables, so they update in parallel).
;; Source of src/fec/ldpc/kernel/minsum-wasm.ts (regenerate: see that file's header).
;;
;; Memory (imported, laid out by src/fec/ldpc/kernel/minsum-kernel.ts; byte offsets in globals):
;;   post  cols x stride f32  posterior LLRs of block column c, stored twice after a 4-float guard:
;;                            post[c][j] holds variable c Z + (j mod Z); positions 0 .. 2Z-2 are
;;                            kept valid (bcol entries are relative to post[c][0], i.e. guard + 16 B)
;;   msg   E zp f32     check messages, one padded block (zp = Z rounded up to 4) per base-matrix entry
;;   tmp   D zp f32     the current layer's variables, rotated so that lane i = row i of the layer
;;   acc   zp i32       syndrome accumulator
;;   mask  zp i32       -1 on lanes < Z, 0 on padding lanes
;;   lptr  (layers+1) i32, bcol E i32, bshift E i32: per layer, its base entries (column, shift)
;;   boff  E i32        per entry, the byte address of post[c][s]
;; A base entry (column c, shift s) of a layer puts variable c Z + (i + s) mod Z in row i, which is
;; post[c][s + i]: thanks to the doubled storage every rotated access is a run of v128 loads/stores.
(module
  (import "env" "memory" (memory 1))
  (global $z (mut i32) (i32.const 0))
  (global $zpb (mut i32) (i32.const 0))
  (global $layers (mut i32) (i32.const 0))
  (global $post (mut i32) (i32.const 0))
  (global $msg (mut i32) (i32.const 0))
  (global $tmp (mut i32) (i32.const 0))
  (global $strideb (mut i32) (i32.const 0))
  (global $acc (mut i32) (i32.const 0))
  (global $mask (mut i32) (i32.const 0))
  (global $lptr (mut i32) (i32.const 0))
  (global $bcol (mut i32) (i32.const 0))
  (global $bshift (mut i32) (i32.const 0))
  (global $boff (mut i32) (i32.const 0))
  (global $cols (mut i32) (i32.const 0))
  (global $io (mut i32) (i32.const 0))
  (global $bits (mut i32) (i32.const 0))

  (func (export "init") (param $z i32) (param $zp i32) (param $layers i32) (param $post i32) (param $msg i32)
        (param $tmp i32) (param $strideb i32) (param $acc i32) (param $mask i32) (param $lptr i32) (param $bcol i32) (param $bshift i32)
        (param $boff i32)
    (global.set $z (local.get $z))
    (global.set $zpb (i32.shl (local.get $zp) (i32.const 2)))
    (global.set $layers (local.get $layers))
    (global.set $post (local.get $post))
    (global.set $msg (local.get $msg))
    (global.set $tmp (local.get $tmp))
    (global.set $strideb (local.get $strideb))
    (global.set $acc (local.get $acc))
    (global.set $mask (local.get $mask))
    (global.set $lptr (local.get $lptr))
    (global.set $bcol (local.get $bcol))
    (global.set $bshift (local.get $bshift))
    (global.set $boff (local.get $boff)))

  (func (export "initIo") (param $cols i32) (param $io i32) (param $bits i32)
    (global.set $cols (local.get $cols))
    (global.set $io (local.get $io))
    (global.set $bits (local.get $bits)))

  ;; Start a decode from the n LLRs at io (contiguous; 3 floats of zero slack after them): both
  ;; copies of the posterior = LLR saturated at +/-clamp, messages zero. Returns 1 if an LLR is NaN.
  (func (export "load") (param $clamp f32) (result i32)
    (local $c i32) (local $src i32) (local $dst i32) (local $zb i32) (local $qo i32)
    (local $x v128) (local $hi v128) (local $lo v128) (local $nan v128)
    (local.set $hi (f32x4.splat (local.get $clamp)))
    (local.set $lo (f32x4.neg (local.get $hi)))
    (local.set $nan (v128.const i32x4 0 0 0 0))
    (local.set $zb (i32.shl (global.get $z) (i32.const 2)))
    (local.set $c (i32.const 0))
    (block $done
      (loop $col
        (br_if $done (i32.ge_u (local.get $c) (global.get $cols)))
        (local.set $src (i32.add (global.get $io) (i32.mul (local.get $c) (local.get $zb))))
        (local.set $dst (i32.add (global.get $post) (i32.mul (local.get $c) (global.get $strideb))))
        ;; first copy, then the second (which overwrites the first copy's spill past Z)
        (local.set $qo (i32.const 0))
        (block $a_done
          (loop $a
            (br_if $a_done (i32.ge_u (local.get $qo) (local.get $zb)))
            (local.set $x (v128.load (i32.add (local.get $src) (local.get $qo))))
            (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $x) (local.get $x))))
            (v128.store (i32.add (local.get $dst) (local.get $qo))
              (f32x4.pmin (f32x4.pmax (local.get $x) (local.get $lo)) (local.get $hi)))
            (local.set $qo (i32.add (local.get $qo) (i32.const 16)))
            (br $a)))
        (local.set $qo (i32.const 0))
        (block $b_done
          (loop $b
            (br_if $b_done (i32.ge_u (local.get $qo) (local.get $zb)))
            (v128.store (i32.add (i32.add (local.get $dst) (local.get $zb)) (local.get $qo))
              (v128.load (i32.add (local.get $dst) (local.get $qo))))
            (local.set $qo (i32.add (local.get $qo) (i32.const 16)))
            (br $b)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $col)))
    (memory.fill (global.get $msg) (i32.const 0)
      (i32.mul (i32.load (i32.add (global.get $lptr) (i32.shl (global.get $layers) (i32.const 2)))) (global.get $zpb)))
    (v128.any_true (local.get $nan)))

  ;; The posterior, contiguous, to io and its hard decisions (< 0 -> 1) as bytes to bits.
  (func (export "readOut")
    (local $c i32) (local $src i32) (local $dst i32) (local $bdst i32) (local $zb i32) (local $qo i32)
    (local $x v128) (local $m v128) (local $zero v128) (local $one v128)
    (local.set $zero (v128.const i32x4 0 0 0 0))
    (local.set $one (v128.const i32x4 0x01010101 0x01010101 0x01010101 0x01010101))
    (local.set $zb (i32.shl (global.get $z) (i32.const 2)))
    (local.set $c (i32.const 0))
    (block $done
      (loop $col
        (br_if $done (i32.ge_u (local.get $c) (global.get $cols)))
        (local.set $src (i32.add (global.get $post) (i32.mul (local.get $c) (global.get $strideb))))
        (local.set $dst (i32.add (global.get $io) (i32.mul (local.get $c) (local.get $zb))))
        (local.set $bdst (i32.add (global.get $bits) (i32.mul (local.get $c) (global.get $z))))
        ;; in increasing order: each chunk's spill past Z is overwritten by the next column
        (local.set $qo (i32.const 0))
        (block $a_done
          (loop $a
            (br_if $a_done (i32.ge_u (local.get $qo) (local.get $zb)))
            (local.set $x (v128.load (i32.add (local.get $src) (local.get $qo))))
            (v128.store (i32.add (local.get $dst) (local.get $qo)) (local.get $x))
            (local.set $m (f32x4.lt (local.get $x) (local.get $zero)))
            (local.set $m (i16x8.narrow_i32x4_s (local.get $m) (local.get $m)))
            (local.set $m (i8x16.narrow_i16x8_s (local.get $m) (local.get $m)))
            (v128.store32_lane 0 (i32.add (local.get $bdst) (i32.shr_u (local.get $qo) (i32.const 2)))
              (v128.and (local.get $m) (local.get $one)))
            (local.set $qo (i32.add (local.get $qo) (i32.const 16)))
            (br $a)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $col))))

  ;; One iteration over all layers. Message magnitude = max(scale min - offset, 0).
  (func (export "iterate") (param $scale f32) (param $offset f32)
    (local $L i32) (local $b0 i32) (local $d i32) (local $k i32) (local $e i32)
    (local $src i32) (local $dst i32) (local $sb i32) (local $zb i32)
    (local $qo i32) (local $tp i32) (local $mp i32) (local $mstart i32) (local $op i32)
    (local $min1 v128) (local $min2 v128) (local $sg v128) (local $t v128) (local $a v128)
    (local $m1 v128) (local $m2 v128) (local $c v128) (local $vs v128) (local $vo v128)
    (local $big v128) (local $sign v128) (local $zero v128)
    (local $pa i32) (local $min1b v128) (local $min2b v128) (local $sgb v128) (local $tb v128) (local $ab v128)
    (local $m1b v128) (local $m2b v128) (local $cb v128)
    (local.set $vs (f32x4.splat (local.get $scale)))
    (local.set $vo (f32x4.splat (local.get $offset)))
    (local.set $big (f32x4.splat (f32.const 1e6)))
    (local.set $sign (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))
    (local.set $zero (v128.const i32x4 0 0 0 0))
    (local.set $zb (i32.shl (global.get $z) (i32.const 2)))
    (local.set $L (i32.const 0))
    (block $done
      (loop $layer
        (br_if $done (i32.ge_u (local.get $L) (global.get $layers)))
        (local.set $b0 (i32.load (i32.add (global.get $lptr) (i32.shl (local.get $L) (i32.const 2)))))
        (local.set $d (i32.sub
          (i32.load (i32.add (global.get $lptr) (i32.shl (i32.add (local.get $L) (i32.const 1)) (i32.const 2))))
          (local.get $b0)))
        ;; check-node update, 4 rows at a time
        (local.set $mstart (i32.add (global.get $msg) (i32.mul (local.get $b0) (global.get $zpb))))
        (local.set $qo (i32.const 0))
        ;; two 4-row chunks per pass (independent min chains overlap), then the odd chunk if any
        (block $q2_done
          (loop $q2
            (br_if $q2_done (i32.gt_u (i32.add (local.get $qo) (i32.const 32)) (global.get $zpb)))
            (local.set $min1 (local.get $big))
            (local.set $min2 (local.get $big))
            (local.set $sg (local.get $zero))
            (local.set $min1b (local.get $big))
            (local.set $min2b (local.get $big))
            (local.set $sgb (local.get $zero))
            (local.set $tp (i32.add (global.get $tmp) (local.get $qo)))
            (local.set $mp (i32.add (local.get $mstart) (local.get $qo)))
            (local.set $op (i32.add (global.get $boff) (i32.shl (local.get $b0) (i32.const 2))))
            (local.set $k (i32.const 0))
            (block $p1b_done
              (loop $p1b
                (br_if $p1b_done (i32.ge_u (local.get $k) (local.get $d)))
                (local.set $pa (i32.add (i32.load (local.get $op)) (local.get $qo)))
                (local.set $t (f32x4.sub (v128.load (local.get $pa)) (v128.load (local.get $mp))))
                (local.set $tb (f32x4.sub (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $mp))))
                (v128.store (local.get $tp) (local.get $t))
                (v128.store offset=16 (local.get $tp) (local.get $tb))
                (local.set $op (i32.add (local.get $op) (i32.const 4)))
                (local.set $sg (v128.xor (local.get $sg) (local.get $t)))
                (local.set $sgb (v128.xor (local.get $sgb) (local.get $tb)))
                (local.set $a (f32x4.abs (local.get $t)))
                (local.set $ab (f32x4.abs (local.get $tb)))
                (local.set $min2 (f32x4.pmin (local.get $min2) (f32x4.pmax (local.get $min1) (local.get $a))))
                (local.set $min2b (f32x4.pmin (local.get $min2b) (f32x4.pmax (local.get $min1b) (local.get $ab))))
                (local.set $min1 (f32x4.pmin (local.get $min1) (local.get $a)))
                (local.set $min1b (f32x4.pmin (local.get $min1b) (local.get $ab)))
                (local.set $tp (i32.add (local.get $tp) (global.get $zpb)))
                (local.set $mp (i32.add (local.get $mp) (global.get $zpb)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $p1b)))
            (local.set $m1 (f32x4.pmax (f32x4.sub (f32x4.mul (local.get $vs) (local.get $min1)) (local.get $vo)) (local.get $zero)))
            (local.set $m2 (f32x4.pmax (f32x4.sub (f32x4.mul (local.get $vs) (local.get $min2)) (local.get $vo)) (local.get $zero)))
            (local.set $m1b (f32x4.pmax (f32x4.sub (f32x4.mul (local.get $vs) (local.get $min1b)) (local.get $vo)) (local.get $zero)))
            (local.set $m2b (f32x4.pmax (f32x4.sub (f32x4.mul (local.get $vs) (local.get $min2b)) (local.get $vo)) (local.get $zero)))
            (local.set $tp (i32.add (global.get $tmp) (local.get $qo)))
            (local.set $mp (i32.add (local.get $mstart) (local.get $qo)))
            (local.set $op (i32.add (global.get $boff) (i32.shl (local.get $b0) (i32.const 2))))
            (local.set $k (i32.const 0))
            (block $p2b_done
              (loop $p2b
                (br_if $p2b_done (i32.ge_u (local.get $k) (local.get $d)))
                (local.set $t (v128.load (local.get $tp)))
                (local.set $tb (v128.load offset=16 (local.get $tp)))
                (local.set $c (v128.or
                  (v128.bitselect (local.get $m2) (local.get $m1) (f32x4.eq (f32x4.abs (local.get $t)) (local.get $min1)))
                  (v128.and (v128.xor (local.get $sg) (local.get $t)) (local.get $sign))))
                (local.set $cb (v128.or
                  (v128.bitselect (local.get $m2b) (local.get $m1b) (f32x4.eq (f32x4.abs (local.get $tb)) (local.get $min1b)))
                  (v128.and (v128.xor (local.get $sgb) (local.get $tb)) (local.get $sign))))
                (v128.store (local.get $mp) (local.get $c))
                (v128.store offset=16 (local.get $mp) (local.get $cb))
                (local.set $pa (i32.add (i32.load (local.get $op)) (local.get $qo)))
                (v128.store (local.get $pa) (f32x4.add (local.get $t) (local.get $c)))
                (v128.store offset=16 (local.get $pa) (f32x4.add (local.get $tb) (local.get $cb)))
                (local.set $op (i32.add (local.get $op) (i32.const 4)))
                (local.set $tp (i32.add (local.get $tp) (global.get $zpb)))
                (local.set $mp (i32.add (local.get $mp) (global.get $zpb)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $p2b)))
            (local.set $qo (i32.add (local.get $qo) (i32.const 32)))
            (br $q2)))
        (block $q_done
          (loop $q
            (br_if $q_done (i32.ge_u (local.get $qo) (global.get $zpb)))
            (local.set $min1 (local.get $big))
            (local.set $min2 (local.get $big))
            (local.set $sg (local.get $zero))
            (local.set $tp (i32.add (global.get $tmp) (local.get $qo)))
            (local.set $mp (i32.add (local.get $mstart) (local.get $qo)))
            (local.set $op (i32.add (global.get $boff) (i32.shl (local.get $b0) (i32.const 2))))
            (local.set $k (i32.const 0))
            (block $p1_done
              (loop $p1
                (br_if $p1_done (i32.ge_u (local.get $k) (local.get $d)))
                ;; t = posterior (rotated: post[c][s + i], at boff[entry]) - message
                (local.set $t (f32x4.sub (v128.load (i32.add (i32.load (local.get $op)) (local.get $qo))) (v128.load (local.get $mp))))
                (v128.store (local.get $tp) (local.get $t))
                (local.set $op (i32.add (local.get $op) (i32.const 4)))
                (local.set $sg (v128.xor (local.get $sg) (local.get $t)))
                (local.set $a (f32x4.abs (local.get $t)))
                (local.set $min2 (f32x4.pmin (local.get $min2) (f32x4.pmax (local.get $min1) (local.get $a))))
                (local.set $min1 (f32x4.pmin (local.get $min1) (local.get $a)))
                (local.set $tp (i32.add (local.get $tp) (global.get $zpb)))
                (local.set $mp (i32.add (local.get $mp) (global.get $zpb)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $p1)))
            (local.set $m1 (f32x4.pmax (f32x4.sub (f32x4.mul (local.get $vs) (local.get $min1)) (local.get $vo)) (local.get $zero)))
            (local.set $m2 (f32x4.pmax (f32x4.sub (f32x4.mul (local.get $vs) (local.get $min2)) (local.get $vo)) (local.get $zero)))
            (local.set $tp (i32.add (global.get $tmp) (local.get $qo)))
            (local.set $mp (i32.add (local.get $mstart) (local.get $qo)))
            (local.set $op (i32.add (global.get $boff) (i32.shl (local.get $b0) (i32.const 2))))
            (local.set $k (i32.const 0))
            (block $p2_done
              (loop $p2
                (br_if $p2_done (i32.ge_u (local.get $k) (local.get $d)))
                (local.set $t (v128.load (local.get $tp)))
                ;; magnitude: min2 on the edge holding min1, else min1; sign: all signs xor own
                (local.set $c (v128.or
                  (v128.bitselect (local.get $m2) (local.get $m1) (f32x4.eq (f32x4.abs (local.get $t)) (local.get $min1)))
                  (v128.and (v128.xor (local.get $sg) (local.get $t)) (local.get $sign))))
                (v128.store (local.get $mp) (local.get $c))
                ;; new posterior straight back to post[c][s + i] (padding lanes spill past s + Z)
                (v128.store (i32.add (i32.load (local.get $op)) (local.get $qo)) (f32x4.add (local.get $t) (local.get $c)))
                (local.set $op (i32.add (local.get $op) (i32.const 4)))
                (local.set $tp (i32.add (local.get $tp) (global.get $zpb)))
                (local.set $mp (i32.add (local.get $mp) (global.get $zpb)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $p2)))
            (local.set $qo (i32.add (local.get $qo) (i32.const 16)))
            (br $q)))
        ;; restore the second copy of each updated block column: positions [s, s+Z) are new, so
        ;;   (3) positions [s+Z, 2Z-1) <- [s, Z-1), forward (also overwrites the padding spill; what
        ;;       it writes at >= 2Z-1 is never read);
        ;;   (1) positions [0, s) <- [Z, Z+s), in 4-lane chunks ending at s (the first may write into
        ;;       the 4-float guard before the column).
        (local.set $k (i32.const 0))
        (block $s_done
          (loop $s
            (br_if $s_done (i32.ge_u (local.get $k) (local.get $d)))
            (local.set $e (i32.shl (i32.add (local.get $b0) (local.get $k)) (i32.const 2)))
            (local.set $src (i32.add (global.get $post)
              (i32.mul (i32.load (i32.add (global.get $bcol) (local.get $e))) (global.get $strideb))))
            (local.set $sb (i32.shl (i32.load (i32.add (global.get $bshift) (local.get $e))) (i32.const 2)))
            (local.set $qo (i32.const 0))
            (block $s3_done
              (loop $s3
                (br_if $s3_done (i32.ge_s (local.get $qo) (i32.sub (i32.sub (local.get $zb) (i32.const 4)) (local.get $sb))))
                (v128.store (i32.add (i32.add (local.get $src) (i32.add (local.get $sb) (local.get $zb))) (local.get $qo))
                  (v128.load (i32.add (i32.add (local.get $src) (local.get $sb)) (local.get $qo))))
                (local.set $qo (i32.add (local.get $qo) (i32.const 16)))
                (br $s3)))
            (local.set $qo (local.get $sb))
            (block $s1_done
              (loop $s1
                (br_if $s1_done (i32.le_s (local.get $qo) (i32.const 0)))
                (local.set $qo (i32.sub (local.get $qo) (i32.const 16)))
                (v128.store (i32.add (local.get $src) (local.get $qo))
                  (v128.load (i32.add (i32.add (local.get $src) (local.get $zb)) (local.get $qo))))
                (br $s1)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $s)))
        (local.set $L (i32.add (local.get $L) (i32.const 1)))
        (br $layer))))

  ;; 1 when the hard decisions (posterior < 0 -> 1) satisfy every check, else 0.
  (func (export "syndromeOk") (result i32)
    (local $L i32) (local $b0 i32) (local $d i32) (local $k i32) (local $e i32)
    (local $src i32) (local $sb i32) (local $zb i32) (local $qo i32) (local $any v128) (local $zero v128)
    (local.set $zero (v128.const i32x4 0 0 0 0))
    (local.set $any (local.get $zero))
    (local.set $L (i32.const 0))
    (block $done
      (loop $layer
        (br_if $done (i32.ge_u (local.get $L) (global.get $layers)))
        (local.set $b0 (i32.load (i32.add (global.get $lptr) (i32.shl (local.get $L) (i32.const 2)))))
        (local.set $d (i32.sub
          (i32.load (i32.add (global.get $lptr) (i32.shl (i32.add (local.get $L) (i32.const 1)) (i32.const 2))))
          (local.get $b0)))
        (memory.fill (global.get $acc) (i32.const 0) (global.get $zpb))
        (local.set $k (i32.const 0))
        (block $k_done
          (loop $kl
            (br_if $k_done (i32.ge_u (local.get $k) (local.get $d)))
            (local.set $e (i32.shl (i32.add (local.get $b0) (local.get $k)) (i32.const 2)))
            (local.set $src (i32.add (i32.add (global.get $post)
              (i32.mul (i32.load (i32.add (global.get $bcol) (local.get $e))) (global.get $strideb)))
              (i32.shl (i32.load (i32.add (global.get $bshift) (local.get $e))) (i32.const 2))))
            (local.set $qo (i32.const 0))
            (block $q_done
              (loop $q
                (br_if $q_done (i32.ge_u (local.get $qo) (global.get $zpb)))
                (v128.store (i32.add (global.get $acc) (local.get $qo))
                  (v128.xor (v128.load (i32.add (global.get $acc) (local.get $qo)))
                            (f32x4.lt (v128.load (i32.add (local.get $src) (local.get $qo))) (local.get $zero))))
                (local.set $qo (i32.add (local.get $qo) (i32.const 16)))
                (br $q)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kl)))
        (local.set $qo (i32.const 0))
        (block $o_done
          (loop $o
            (br_if $o_done (i32.ge_u (local.get $qo) (global.get $zpb)))
            (local.set $any (v128.or (local.get $any)
              (v128.and (v128.load (i32.add (global.get $acc) (local.get $qo))) (v128.load (i32.add (global.get $mask) (local.get $qo))))))
            (local.set $qo (i32.add (local.get $qo) (i32.const 16)))
            (br $o)))
        (if (v128.any_true (local.get $any)) (then (return (i32.const 0))))
        (local.set $L (i32.add (local.get $L) (i32.const 1)))
        (br $layer)))
    (i32.const 1))
)
