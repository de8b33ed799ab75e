/**
 * Soft demapping kernels for one real axis of a Gray-labelled constellation (PAM per axis).
 *
 * For square QAM with a product Gray labelling the log-likelihoods factor over I and Q, so the
 * exact log-MAP LLR of an I bit depends on Re(y) only: demapping one axis with L = sqrt(M) points
 * is exact, not an approximation. The effective complex noise variance of symbol s is
 * n0 / csi[s], so a point a on one axis has metric -(y - a)^2 * csi[s] / n0 (the N0/2 per real
 * dimension is already in that scaling). LLR = ln P(b=0|y) - ln P(b=1|y): positive means 0.
 */

/** LLRs are clipped to this magnitude so that they stay finite in float32 at any SNR. */
export const LLR_CLIP = 1e30;

/** Index tables for one axis, built once per modem. */
export interface AxisTable {
  /** Bits on this axis. */
  readonly k: number;
  /** Points on this axis, L = 2^k. */
  readonly L: number;
  /** amp[label]: amplitude of the point whose axis label (first axis bit = MSB) is `label`. */
  readonly amp: Float64Array;
  /** For bit t: the labels with that bit 0, then those with it 1 (L/2 each), flattened [t][L]. */
  readonly split: Int32Array;
}

export function makeAxisTable(amp: Float64Array): AxisTable {
  const L = amp.length;
  const k = Math.round(Math.log2(L));
  const split = new Int32Array(k * L);
  for (let t = 0; t < k; t++) {
    let z = 0;
    let o = L / 2;
    for (let lab = 0; lab < L; lab++) {
      if (((lab >> (k - 1 - t)) & 1) === 0) split[t * L + z++] = lab;
      else split[t * L + o++] = lab;
    }
  }
  return { k, L, amp, split };
}

/**
 * Demap one axis (offset 0 = I, 1 = Q) of nSym interleaved symbols. The LLR of axis bit t of
 * symbol s goes to out[s * bitsPerSymbol + bitOffset + t * bitStride].
 * `metric` is scratch of length L (float64).
 */
export function demapAxis(
  y: Float32Array, axis: number, nSym: number, csi: Float32Array | undefined, n0: number,
  tab: AxisTable, out: Float32Array, bitsPerSymbol: number, bitOffset: number, bitStride: number,
  exact: boolean, metric: Float64Array,
): void {
  const { k, L, amp, split } = tab;
  const half = L >> 1;
  const invN0 = 1 / n0;
  if (L === 2) {
    demapTwoPoint(y, axis, nSym, csi, n0, amp[0], amp[1], out, bitsPerSymbol, bitOffset);
    return;
  }
  for (let s = 0; s < nSym; s++) {
    const yv = y[2 * s + axis];
    const sc = csi === undefined ? invN0 : csi[s] * invN0;
    let mMax = -Infinity;
    for (let j = 0; j < L; j++) {
      const d = yv - amp[j];
      const m = -d * d * sc;
      metric[j] = m;
      if (m > mMax) mMax = m;
    }
    const base = s * bitsPerSymbol + bitOffset;
    if (!exact) {
      for (let t = 0, o = 0; t < k; t++, o += L) {
        let m0 = -Infinity;
        let m1 = -Infinity;
        for (let j = 0; j < half; j++) {
          const a = metric[split[o + j]];
          if (a > m0) m0 = a;
          const b = metric[split[o + half + j]];
          if (b > m1) m1 = b;
        }
        out[base + t * bitStride] = clip(m0 - m1);
      }
      continue;
    }
    // exact: exponentials relative to the global maximum, computed once for all k bits.
    for (let j = 0; j < L; j++) metric[L + j] = Math.exp(metric[j] - mMax);
    for (let t = 0, o = 0; t < k; t++, o += L) {
      let s0 = 0;
      let s1 = 0;
      for (let j = 0; j < half; j++) {
        s0 += metric[L + split[o + j]];
        s1 += metric[L + split[o + half + j]];
      }
      let llr: number;
      if (s0 > 1e-280 && s1 > 1e-280) {
        llr = Math.log(s0 / s1);
      } else {
        // One side underflowed (high SNR): log-sum-exp of each side about its own maximum.
        llr = sideLse(metric, split, o, half) - sideLse(metric, split, o + half, half);
      }
      out[base + t * bitStride] = clip(llr);
    }
  }
}

/**
 * Two points a0 (bit 0), a1 (bit 1) on an axis (BPSK, QPSK): exact = max-log =
 * ((y - a1)^2 - (y - a0)^2) csi / n0, a closed form.
 */
export function demapTwoPoint(
  y: Float32Array, axis: number, nSym: number, csi: Float32Array | undefined, n0: number,
  a0: number, a1: number, out: Float32Array, bitsPerSymbol: number, bitOffset: number,
): void {
  const c = (2 * (a0 - a1)) / n0;
  const d = (a1 * a1 - a0 * a0) / n0;
  if (csi === undefined) {
    for (let s = 0, o = bitOffset; s < nSym; s++, o += bitsPerSymbol) {
      const v = c * y[2 * s + axis] + d;
      out[o] = v > LLR_CLIP ? LLR_CLIP : v < -LLR_CLIP ? -LLR_CLIP : v;
    }
    return;
  }
  for (let s = 0, o = bitOffset; s < nSym; s++, o += bitsPerSymbol) {
    const v = (c * y[2 * s + axis] + d) * csi[s];
    out[o] = v > LLR_CLIP ? LLR_CLIP : v < -LLR_CLIP ? -LLR_CLIP : v === v ? v : 0;
  }
}

function sideLse(metric: Float64Array, split: Int32Array, o: number, count: number): number {
  let m = -Infinity;
  for (let j = 0; j < count; j++) {
    const a = metric[split[o + j]];
    if (a > m) m = a;
  }
  if (m === -Infinity) return m;
  let s = 0;
  for (let j = 0; j < count; j++) s += Math.exp(metric[split[o + j]] - m);
  return m + Math.log(s);
}

function clip(x: number): number {
  return x > LLR_CLIP ? LLR_CLIP : x < -LLR_CLIP ? -LLR_CLIP : x === x ? x : 0;
}
