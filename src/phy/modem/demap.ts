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
  /** Labels in increasing amplitude order, the lowest amplitude and the (uniform) spacing. */
  readonly order: Int32Array;
  /** `split` with each label replaced by its position in `order` (the exact kernel's indexing). */
  readonly posSplit: Int32Array;
  readonly lo: number;
  readonly step: number;
}

/** The tables of one axis; throws unless the points are uniformly spaced (needed by the exact kernel). */
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
  const order = Int32Array.from([...amp.keys()].sort((a, b) => amp[a] - amp[b]));
  const lo = amp[order[0]];
  const step = (amp[order[L - 1]] - lo) / (L - 1);
  for (let j = 0; j < L; j++) {
    if (Math.abs(amp[order[j]] - (lo + j * step)) > 1e-9 * Math.abs(step)) throw new RangeError('makeAxisTable: points must be uniformly spaced');
  }
  const pos = new Int32Array(L);
  for (let j = 0; j < L; j++) pos[order[j]] = j;
  const posSplit = split.map((lab) => pos[lab]);
  return { k, L, amp, split, order, posSplit, lo, step };
}

/** Structure of the bits an axis demapper writes: where each axis's LLRs go in a symbol's bits. */
export interface AxisDemapperOptions {
  /** Amplitude of each axis label (first axis bit = MSB), uniformly spaced, Es already normalized. */
  readonly amplitudes: Float64Array;
  /** Bits per complex symbol (all axes together). */
  readonly bitsPerSymbol: number;
  /** Distance between consecutive bits of one axis inside a symbol: 1 for BPSK, 2 for QAM (I, Q interleaved). */
  readonly bitStride: number;
}

/**
 * Soft demapper for the real axes of one constellation, built once per modem: the index tables
 * and the float64 metric scratch are made in the constructor and reused on every call.
 * Axis a (0 = I, 1 = Q) writes the LLR of its bit t of symbol s to
 * out[s * bitsPerSymbol + a + t * bitStride].
 */
export class AxisDemapper {
  readonly table: AxisTable;
  readonly bitsPerSymbol: number;
  readonly bitStride: number;
  private readonly metric: Float64Array;

  constructor(options: AxisDemapperOptions) {
    const { amplitudes, bitsPerSymbol, bitStride } = options;
    this.table = makeAxisTable(amplitudes);
    if (!(Number.isInteger(bitStride) && bitStride >= 1 && (this.table.k - 1) * bitStride < bitsPerSymbol)) {
      throw new RangeError(`AxisDemapper: bitStride ${bitStride} does not fit ${this.table.k} axis bits into ${bitsPerSymbol} bits per symbol`);
    }
    this.bitsPerSymbol = bitsPerSymbol;
    this.bitStride = bitStride;
    this.metric = new Float64Array(2 * this.table.L);
  }

  /** LLRs of axis `axis` for the nSym interleaved symbols of y; n0 complex noise variance, csi[s] = |h_s|^2. */
  demap(y: Float32Array, axis: 0 | 1, nSym: number, n0: number, csi: Float32Array | undefined, exact: boolean, out: Float32Array): void {
    const tab = this.table;
    const m = this.bitsPerSymbol;
    if (tab.L === 2) {
      demapTwoPoint(y, axis, nSym, csi, n0, tab.amp[0], tab.amp[1], out, m, axis);
    } else if (exact) {
      demapExactUniform(y, axis, nSym, csi, 1 / n0, tab, out, m, axis, this.bitStride, this.metric);
    } else {
      demapMaxLog(y, axis, nSym, csi, 1 / n0, tab, out, m, axis, this.bitStride, this.metric);
    }
  }
}

/** Max-log: per bit, the best metric with that bit 0 minus the best with it 1. */
function demapMaxLog(
  y: Float32Array, axis: number, nSym: number, csi: Float32Array | undefined, invN0: number,
  tab: AxisTable, out: Float32Array, bitsPerSymbol: number, bitOffset: number, bitStride: number,
  metric: Float64Array,
): void {
  const { k, L, amp, split } = tab;
  const half = L >> 1;
  for (let s = 0; s < nSym; s++) {
    const yv = y[2 * s + axis];
    const sc = csi === undefined ? invN0 : csi[s] * invN0;
    for (let j = 0; j < L; j++) {
      const d = yv - amp[j];
      metric[j] = -d * d * sc;
    }
    const base = s * bitsPerSymbol + bitOffset;
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
  }
}

/**
 * Exact log-MAP for uniformly spaced points. With d_j = y - (lo + j step), the ratio of
 * neighbouring terms exp(m_{j+1} - m_j) is geometric in j with factor q = exp(-2 step^2 sc), so
 * the L exponentials relative to the nearest point (the maximum) need 3 calls to exp (2 when
 * there is no CSI: q is then the same for every symbol), the rest are products. Terms below
 * 1e-300 are set to 0; a bit whose side sums underflow is recomputed by log-sum-exp over that
 * side's own maximum, so LLRs stay exact and finite at any SNR. Terms are kept by position
 * (amplitude order) in metric[L..2L); 4 points per axis (16-QAM) take an unrolled path with the
 * same arithmetic in the same order, so both paths give the same bits.
 */
function demapExactUniform(
  y: Float32Array, axis: number, nSym: number, csi: Float32Array | undefined, invN0: number,
  tab: AxisTable, out: Float32Array, bitsPerSymbol: number, bitOffset: number, bitStride: number,
  metric: Float64Array,
): void {
  if (tab.L === 4) {
    demapExact4(y, axis, nSym, csi, invN0, tab, out, bitsPerSymbol, bitOffset, bitStride, metric);
    return;
  }
  const { k, L, posSplit, lo, step } = tab;
  const half = L >> 1;
  const inv = 1 / step;
  const qFixed = Math.exp(-2 * step * step * invN0);
  for (let s = 0; s < nSym; s++) {
    const yv = y[2 * s + axis];
    const sc = csi === undefined ? invN0 : csi[s] * invN0;
    let jn = Math.round((yv - lo) * inv);
    jn = jn < 0 ? 0 : jn > L - 1 ? L - 1 : jn !== jn ? 0 : jn;
    const dn = yv - (lo + jn * step);
    const q = csi === undefined ? qFixed : Math.exp(-2 * step * step * sc);
    metric[L + jn] = 1;
    // upwards: m_{j+1} - m_j = sc (2 d_j step - step^2)
    let e = 1;
    let r = Math.exp(sc * (2 * dn * step - step * step));
    for (let j = jn + 1; j < L; j++) {
      e = e > 1e-300 ? e * r : 0;
      r *= q;
      metric[L + j] = e;
    }
    // downwards: m_{j-1} - m_j = sc (-2 d_j step - step^2)
    e = 1;
    r = Math.exp(sc * (-2 * dn * step - step * step));
    for (let j = jn - 1; j >= 0; j--) {
      e = e > 1e-300 ? e * r : 0;
      r *= q;
      metric[L + j] = e;
    }
    const base = s * bitsPerSymbol + bitOffset;
    for (let t = 0, o = 0; t < k; t++, o += L) {
      let s0 = 0;
      let s1 = 0;
      for (let j = 0; j < half; j++) {
        s0 += metric[L + posSplit[o + j]];
        s1 += metric[L + posSplit[o + half + j]];
      }
      out[base + t * bitStride] = s0 > 1e-280 && s1 > 1e-280 ? clip(Math.log(s0 / s1)) : underflowLlr(yv, dn, sc, s0, s1, tab, o, metric);
    }
  }
}

/**
 * demapExactUniform for 4 points per axis without data-dependent branches (the nearest point is
 * uniformly random at low SNR, so branches on it mispredict): both chains of products are always
 * formed and stored at offsets from the nearest point into a 10-slot window, of which slots
 * 3..6 are the 4 positions (the rest is discarded). Same arithmetic, same order, same bits.
 */
function demapExact4(
  y: Float32Array, axis: number, nSym: number, csi: Float32Array | undefined, invN0: number,
  tab: AxisTable, out: Float32Array, bitsPerSymbol: number, bitOffset: number, bitStride: number,
  metric: Float64Array,
): void {
  const { posSplit, lo, step } = tab;
  const p00 = 3 + posSplit[0], p01 = 3 + posSplit[1], p10 = 3 + posSplit[2], p11 = 3 + posSplit[3];
  const p20 = 3 + posSplit[4], p21 = 3 + posSplit[5], p30 = 3 + posSplit[6], p31 = 3 + posSplit[7];
  const inv = 1 / step;
  const s2 = step * step;
  const qFixed = Math.exp(-2 * step * step * invN0);
  const g = new Float64Array(10);
  for (let s = 0; s < nSym; s++) {
    const yv = y[2 * s + axis];
    const sc = csi === undefined ? invN0 : csi[s] * invN0;
    let jn = Math.max(0, Math.min(3, Math.round((yv - lo) * inv)));
    if (jn !== jn) jn = 0;
    const dn = yv - (lo + jn * step);
    const q = csi === undefined ? qFixed : Math.exp(-2 * step * step * sc);
    // The same products as the generic loops, in the same order.
    const u1 = Math.exp(sc * (2 * dn * step - s2));
    const d1 = Math.exp(sc * (-2 * dn * step - s2));
    const ru2 = u1 * q, rd2 = d1 * q;
    const u2 = u1 > 1e-300 ? u1 * ru2 : 0;
    const d2 = d1 > 1e-300 ? d1 * rd2 : 0;
    const u3 = u2 > 1e-300 ? u2 * (ru2 * q) : 0;
    const d3 = d2 > 1e-300 ? d2 * (rd2 * q) : 0;
    // slot 3 + j holds position j: the nearest at 3 + jn, its neighbours around it
    g[jn] = d3;
    g[jn + 1] = d2;
    g[jn + 2] = d1;
    g[jn + 3] = 1;
    g[jn + 4] = u1;
    g[jn + 5] = u2;
    g[jn + 6] = u3;
    const base = s * bitsPerSymbol + bitOffset;
    const a0 = g[p00] + g[p01], a1 = g[p10] + g[p11];
    out[base] = a0 > 1e-280 && a1 > 1e-280 ? clip(Math.log(a0 / a1)) : underflowLlr(yv, dn, sc, a0, a1, tab, 0, metric);
    const b0 = g[p20] + g[p21], b1 = g[p30] + g[p31];
    out[base + bitStride] = b0 > 1e-280 && b1 > 1e-280 ? clip(Math.log(b0 / b1)) : underflowLlr(yv, dn, sc, b0, b1, tab, 4, metric);
  }
}

/**
 * One side's sum underflowed (high SNR): that side by log-sum-exp about its own maximum; the
 * other keeps its sum relative to the global maximum (the nearest point's metric). Writes the
 * label-indexed metrics into metric[0..L).
 */
function underflowLlr(yv: number, dn: number, sc: number, s0: number, s1: number, tab: AxisTable, o: number, metric: Float64Array): number {
  const { L, amp, split } = tab;
  const half = L >> 1;
  for (let j = 0; j < L; j++) {
    const d = yv - amp[j];
    metric[j] = -d * d * sc;
  }
  const mMax = -dn * dn * sc;
  const l0 = s0 > 1e-280 ? mMax + Math.log(s0) : sideLse(metric, split, o, half);
  const l1 = s1 > 1e-280 ? mMax + Math.log(s1) : sideLse(metric, split, o + half, half);
  return clip(l0 - l1);
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
  // Terms more than 40 nats below this side's maximum change the sum by < count * 4e-18: skipped.
  let s = 0;
  for (let j = 0; j < count; j++) {
    const d = metric[split[o + j]] - m;
    if (d > -40) s += Math.exp(d);
  }
  return m + Math.log(s);
}

function clip(x: number): number {
  return x > LLR_CLIP ? LLR_CLIP : x < -LLR_CLIP ? -LLR_CLIP : x === x ? x : 0;
}
