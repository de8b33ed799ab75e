;; Loops over the tfjs wasm backend's own memory (imported), for the conv gradient kernels.
;; All addresses are byte offsets into that memory; `tab` holds, per output pixel m and filter tap t,
;; the byte address of the input pixel the tap reads (tab[m * taps + t], i32), or of a zero / sink
;; area of C floats where the tap falls into the padding.
(module
  (import "env" "memory" (memory 1))

  ;; Transposed im2col over runs: a unit u < units of output pixel j reads L contiguous floats from
;; tab[j * units + u]; colsT[(u * L + r) * rows + j] = f32 at that address + 4r, j < rows.
;; Blocked by 64 columns (the block's source runs stay in cache across r). When L % 4 == 0, 4x4
;; blocks are transposed in registers: 4 loads, 8 shuffles, 4 stores per 16 floats.
(func (export "im2colT") (param $tab i32) (param $rows i32) (param $units i32) (param $L i32) (param $dst i32)
    (local $u i32) (local $j0 i32) (local $nb i32) (local $r i32) (local $j i32)
    (local $d i32) (local $tp i32) (local $rowBytes i32) (local $unitStride i32) (local $r4 i32)
    (local $a i32) (local $b i32) (local $c i32) (local $e i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rowBytes (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $unitStride (i32.shl (local.get $units) (i32.const 2)))
    (local.set $u (i32.const 0))
    (block $udone (loop $uloop
      (br_if $udone (i32.ge_u (local.get $u) (local.get $units)))
      (local.set $j0 (i32.const 0))
      (block $jbdone (loop $jbloop
        (br_if $jbdone (i32.ge_u (local.get $j0) (local.get $rows)))
        (local.set $nb (i32.sub (local.get $rows) (local.get $j0)))
        (if (i32.gt_u (local.get $nb) (i32.const 64)) (then (local.set $nb (i32.const 32))))
        (local.set $r (i32.const 0))
        ;; SIMD part: r in steps of 4 (while r + 4 <= L), j in steps of 4 (while j + 4 <= nb)
        (block $rvdone (loop $rvloop
          (br_if $rvdone (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $L)))
          (local.set $r4 (i32.shl (local.get $r) (i32.const 2)))
          (local.set $d (i32.add (local.get $dst)
            (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $u) (local.get $L)) (local.get $r)) (local.get $rows)) (local.get $j0)) (i32.const 2))))
          (local.set $tp (i32.add (local.get $tab) (i32.shl (i32.add (i32.mul (local.get $j0) (local.get $units)) (local.get $u)) (i32.const 2))))
          (local.set $j (i32.const 0))
          (block $jvdone (loop $jvloop
            (br_if $jvdone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $nb)))
            (local.set $a (i32.load (local.get $tp)))
            (local.set $b (i32.load (i32.add (local.get $tp) (local.get $unitStride))))
            (local.set $c (i32.load (i32.add (local.get $tp) (i32.shl (local.get $unitStride) (i32.const 1)))))
            (local.set $e (i32.load (i32.add (local.get $tp) (i32.mul (local.get $unitStride) (i32.const 3)))))
            (local.set $v0 (v128.load (i32.add (local.get $a) (local.get $r4))))
            (local.set $v1 (v128.load (i32.add (local.get $b) (local.get $r4))))
            (local.set $v2 (v128.load (i32.add (local.get $c) (local.get $r4))))
            (local.set $v3 (v128.load (i32.add (local.get $e) (local.get $r4))))
            ;; t0 = a0 b0 a1 b1, t1 = a2 b2 a3 b3, t2 = c0 e0 c1 e1, t3 = c2 e2 c3 e3
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v0) (local.get $v1)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v0) (local.get $v1)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v2) (local.get $v3)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v2) (local.get $v3)))
            ;; rows: r = a0 b0 c0 e0 | a1 b1 c1 e1 | a2 b2 c2 e2 | a3 b3 c3 e3
            (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $d) (local.get $rowBytes)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $d) (i32.shl (local.get $rowBytes) (i32.const 1))) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $d) (i32.mul (local.get $rowBytes) (i32.const 3))) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (local.set $tp (i32.add (local.get $tp) (i32.shl (local.get $unitStride) (i32.const 2))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $jvloop)))
          ;; leftover columns of this 4-row band, scalar
          (block $jsdone (loop $jsloop
            (br_if $jsdone (i32.ge_u (local.get $j) (local.get $nb)))
            (local.set $a (i32.add (i32.load (local.get $tp)) (local.get $r4)))
            (f32.store (local.get $d) (f32.load (local.get $a)))
            (f32.store (i32.add (local.get $d) (local.get $rowBytes)) (f32.load offset=4 (local.get $a)))
            (f32.store (i32.add (local.get $d) (i32.shl (local.get $rowBytes) (i32.const 1))) (f32.load offset=8 (local.get $a)))
            (f32.store (i32.add (local.get $d) (i32.mul (local.get $rowBytes) (i32.const 3))) (f32.load offset=12 (local.get $a)))
            (local.set $d (i32.add (local.get $d) (i32.const 4)))
            (local.set $tp (i32.add (local.get $tp) (local.get $unitStride)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $jsloop)))
          (local.set $r (i32.add (local.get $r) (i32.const 4)))
          (br $rvloop)))
        ;; leftover rows (L % 4), scalar
        (block $rdone (loop $rloop
          (br_if $rdone (i32.ge_u (local.get $r) (local.get $L)))
          (local.set $r4 (i32.shl (local.get $r) (i32.const 2)))
          (local.set $d (i32.add (local.get $dst)
            (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $u) (local.get $L)) (local.get $r)) (local.get $rows)) (local.get $j0)) (i32.const 2))))
          (local.set $tp (i32.add (local.get $tab) (i32.shl (i32.add (i32.mul (local.get $j0) (local.get $units)) (local.get $u)) (i32.const 2))))
          (local.set $j (i32.const 0))
          (block $jdone (loop $jloop
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $nb)))
            (f32.store (local.get $d) (f32.load (i32.add (i32.load (local.get $tp)) (local.get $r4))))
            (local.set $d (i32.add (local.get $d) (i32.const 4)))
            (local.set $tp (i32.add (local.get $tp) (local.get $unitStride)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $jloop)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $rloop)))
        (local.set $j0 (i32.add (local.get $j0) (i32.const 32)))
        (br $jbloop)))
      (local.set $u (i32.add (local.get $u) (i32.const 1)))
      (br $uloop))))

  ;; col2im (scatter-add): for m < rows, t < taps, c < C: f32 at tab[m * taps + t] + 4c += cols[(m * taps + t) * C + c].
  ;; Padding taps point at a sink area (written, never read back). SIMD over c when C % 4 == 0.
  (func (export "col2im") (param $tab i32) (param $rows i32) (param $taps i32) (param $C i32) (param $cols i32)
    (local $i i32) (local $n i32) (local $p i32) (local $s i32) (local $c i32) (local $cb i32)
    (local.set $n (i32.mul (local.get $rows) (local.get $taps)))
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $s (local.get $cols))
    (local.set $i (i32.const 0))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $p (i32.load (i32.add (local.get $tab) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $c (i32.const 0))
      (if (i32.eqz (i32.and (local.get $C) (i32.const 3)))
        (then
          (block $vdone (loop $vloop
            (br_if $vdone (i32.ge_u (local.get $c) (local.get $cb)))
            (v128.store (i32.add (local.get $p) (local.get $c))
              (f32x4.add (v128.load (i32.add (local.get $p) (local.get $c))) (v128.load (i32.add (local.get $s) (local.get $c)))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $vloop))))
        (else
          (block $sdone (loop $sloop
            (br_if $sdone (i32.ge_u (local.get $c) (local.get $cb)))
            (f32.store (i32.add (local.get $p) (local.get $c))
              (f32.add (f32.load (i32.add (local.get $p) (local.get $c))) (f32.load (i32.add (local.get $s) (local.get $c)))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $sloop)))))
      (local.set $s (i32.add (local.get $s) (local.get $cb)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $loop))))

  ;; ---- batch norm over [n, C] rows (C % 4 == 0), for batch-norm.ts ----
  ;; Per-channel f32x4 partial sums over blocks of 32 rows, added into f64 totals (acc: C f64).

  ;; acc[c] += sum_p (x[p, c] - sub[c]) ^ pow, pow 1 or 2 (sub: C f32; pass zeros for plain sums)
  (func (export "bnSums") (param $x i32) (param $n i32) (param $C i32) (param $sub i32) (param $pow i32) (param $acc i32)
    (local $p0 i32) (local $pe i32) (local $c i32) (local $cb i32) (local $rb i32) (local $q i32) (local $end i32)
    (local $v v128) (local $d v128) (local $m v128) (local $a i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $p0 (i32.const 0))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $p0) (local.get $n)))
      (local.set $pe (i32.add (local.get $p0) (i32.const 32)))
      (if (i32.gt_u (local.get $pe) (local.get $n)) (then (local.set $pe (local.get $n))))
      (local.set $c (i32.const 0))
      (block $cdone (loop $cloop
        (br_if $cdone (i32.ge_u (local.get $c) (local.get $cb)))
        (local.set $m (v128.load (i32.add (local.get $sub) (local.get $c))))
        (local.set $v (v128.const f32x4 0 0 0 0))
        (local.set $q (i32.add (i32.add (local.get $x) (i32.mul (local.get $p0) (local.get $cb))) (local.get $c)))
        (local.set $end (i32.add (i32.add (local.get $x) (i32.mul (local.get $pe) (local.get $cb))) (local.get $c)))
        (if (i32.eq (local.get $pow) (i32.const 1))
          (then
            (block $pdone (loop $ploop
              (br_if $pdone (i32.ge_u (local.get $q) (local.get $end)))
              (local.set $v (f32x4.add (local.get $v) (f32x4.sub (v128.load (local.get $q)) (local.get $m))))
              (local.set $q (i32.add (local.get $q) (local.get $cb)))
              (br $ploop))))
          (else
            (block $p2done (loop $p2loop
              (br_if $p2done (i32.ge_u (local.get $q) (local.get $end)))
              (local.set $d (f32x4.sub (v128.load (local.get $q)) (local.get $m)))
              (local.set $v (f32x4.add (local.get $v) (f32x4.mul (local.get $d) (local.get $d))))
              (local.set $q (i32.add (local.get $q) (local.get $cb)))
              (br $p2loop)))))
        (local.set $a (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 1))))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (f64x2.promote_low_f32x4 (local.get $v))))
        (v128.store offset=16 (local.get $a) (f64x2.add (v128.load offset=16 (local.get $a))
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $cloop)))
      (local.set $p0 (local.get $pe))
      (br $bloop))))

  ;; accDy[c] += sum_p dy[p, c];  accDyx[c] += sum_p dy[p, c] * (x[p, c] - mean[c]) * rstd[c]
  (func (export "bnGradSums") (param $dy i32) (param $x i32) (param $n i32) (param $C i32) (param $mean i32) (param $rstd i32) (param $accDy i32) (param $accDyx i32)
    (local $p0 i32) (local $pe i32) (local $c i32) (local $cb i32) (local $off i32) (local $end i32)
    (local $s v128) (local $t v128) (local $m v128) (local $r v128) (local $g v128) (local $a i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $p0 (i32.const 0))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $p0) (local.get $n)))
      (local.set $pe (i32.add (local.get $p0) (i32.const 32)))
      (if (i32.gt_u (local.get $pe) (local.get $n)) (then (local.set $pe (local.get $n))))
      (local.set $c (i32.const 0))
      (block $cdone (loop $cloop
        (br_if $cdone (i32.ge_u (local.get $c) (local.get $cb)))
        (local.set $m (v128.load (i32.add (local.get $mean) (local.get $c))))
        (local.set $r (v128.load (i32.add (local.get $rstd) (local.get $c))))
        (local.set $s (v128.const f32x4 0 0 0 0))
        (local.set $t (v128.const f32x4 0 0 0 0))
        (local.set $off (i32.add (i32.mul (local.get $p0) (local.get $cb)) (local.get $c)))
        (local.set $end (i32.add (i32.mul (local.get $pe) (local.get $cb)) (local.get $c)))
        (block $pdone (loop $ploop
          (br_if $pdone (i32.ge_u (local.get $off) (local.get $end)))
          (local.set $g (v128.load (i32.add (local.get $dy) (local.get $off))))
          (local.set $s (f32x4.add (local.get $s) (local.get $g)))
          (local.set $t (f32x4.add (local.get $t) (f32x4.mul (local.get $g)
            (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $off))) (local.get $m)) (local.get $r)))))
          (local.set $off (i32.add (local.get $off) (local.get $cb)))
          (br $ploop)))
        (local.set $a (i32.add (local.get $accDy) (i32.shl (local.get $c) (i32.const 1))))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (f64x2.promote_low_f32x4 (local.get $s))))
        (v128.store offset=16 (local.get $a) (f64x2.add (v128.load offset=16 (local.get $a))
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s) (local.get $s)))))
        (local.set $a (i32.add (local.get $accDyx) (i32.shl (local.get $c) (i32.const 1))))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (f64x2.promote_low_f32x4 (local.get $t))))
        (v128.store offset=16 (local.get $a) (f64x2.add (v128.load offset=16 (local.get $a))
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $t) (local.get $t)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $cloop)))
      (local.set $p0 (local.get $pe))
      (br $bloop))))

  ;; out[p, c] = (a[p, c] - u[c]) * v[c] + z[c] over `total` floats (the forward normalization:
  ;; u = mean, v = rstd * gamma, z = beta).
  (func (export "bnAffine") (param $a i32) (param $out i32) (param $total i32) (param $C i32) (param $u i32) (param $v i32) (param $z i32)
    (local $off i32) (local $c i32) (local $cb i32) (local $end i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $end (i32.shl (local.get $total) (i32.const 2)))
    (local.set $off (i32.const 0))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
      (local.set $c (i32.const 0))
      (block $cdone (loop $cloop
        (br_if $cdone (i32.ge_u (local.get $c) (local.get $cb)))
        (v128.store (i32.add (local.get $out) (i32.add (local.get $off) (local.get $c)))
          (f32x4.add (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $a) (i32.add (local.get $off) (local.get $c))))
            (v128.load (i32.add (local.get $u) (local.get $c)))) (v128.load (i32.add (local.get $v) (local.get $c))))
            (v128.load (i32.add (local.get $z) (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $cloop)))
      (local.set $off (i32.add (local.get $off) (local.get $cb)))
      (br $loop))))

  ;; dx[p, c] = (dy[p, c] - mdy[c] - (x[p, c] - mean[c]) * rstd[c] * mdyx[c]) * k[c]
  (func (export "bnDx") (param $dy i32) (param $x i32) (param $dx i32) (param $total i32) (param $C i32)
      (param $mean i32) (param $rstd i32) (param $mdy i32) (param $mdyx i32) (param $k i32)
    (local $off i32) (local $c i32) (local $cb i32) (local $end i32) (local $i i32)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $end (i32.shl (local.get $total) (i32.const 2)))
    (local.set $off (i32.const 0))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
      (local.set $c (i32.const 0))
      (block $cdone (loop $cloop
        (br_if $cdone (i32.ge_u (local.get $c) (local.get $cb)))
        (local.set $i (i32.add (local.get $off) (local.get $c)))
        (v128.store (i32.add (local.get $dx) (local.get $i))
          (f32x4.mul
            (f32x4.sub
              (f32x4.sub (v128.load (i32.add (local.get $dy) (local.get $i))) (v128.load (i32.add (local.get $mdy) (local.get $c))))
              (f32x4.mul
                (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $i))) (v128.load (i32.add (local.get $mean) (local.get $c))))
                  (v128.load (i32.add (local.get $rstd) (local.get $c))))
                (v128.load (i32.add (local.get $mdyx) (local.get $c)))))
            (v128.load (i32.add (local.get $k) (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $cloop)))
      (local.set $off (i32.add (local.get $off) (local.get $cb)))
      (br $loop))))
)
