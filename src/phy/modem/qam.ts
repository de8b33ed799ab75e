/**
 * Gray-mapped BPSK and square QAM (QPSK, 16/64/256-QAM) with Es = 1 per complex symbol.
 *
 * Labelling: 3GPP TS 38.211 V17 section 5.1 (BPSK on the real axis instead of (1+j)/sqrt 2). For
 * M = 2^m, symbol bits b0..b(m-1): even bits b0, b2, ... label the I axis and odd bits b1, b3, ...
 * the Q axis; on each axis with bits c0..c(k-1) the amplitude is
 *   (1-2c0) * (2^(k-1) - (1-2c1) * (2^(k-2) - (1-2c2) * ( ... )))
 * (e.g. 16-QAM: (1-2b0)(2-(1-2b2)) + j (1-2b1)(2-(1-2b3)), over sqrt 10), a binary-reflected
 * Gray code per axis, so neighbouring points differ in one bit.
 */
import type { DemapMethod, Modem } from '../../core/types.js';
import { UsageError } from '../../core/errors.js';
import { AxisDemapper } from './demap.js';

export type QamBitsPerSymbol = 1 | 2 | 4 | 6 | 8;

const NAMES: Record<QamBitsPerSymbol, string> = { 1: 'bpsk', 2: 'qpsk', 4: '16qam', 6: '64qam', 8: '256qam' };

/** Axis amplitudes (unnormalized, odd integers) by axis label, per TS 38.211 5.1. */
function axisAmplitudes(k: number): Float64Array {
  const L = 1 << k;
  const amp = new Float64Array(L);
  for (let lab = 0; lab < L; lab++) {
    const c = (t: number): number => (lab >> (k - 1 - t)) & 1;
    let v = 1;
    for (let t = k - 1; t >= 1; t--) v = (1 << (k - t)) - (1 - 2 * c(t)) * v;
    amp[lab] = (1 - 2 * c(0)) * v;
  }
  return amp;
}

export class QamModem implements Modem {
  readonly name: string;
  readonly bitsPerSymbol: number;
  /** Constellation size M = 2^bitsPerSymbol. */
  readonly order: number;
  /** Points by symbol label (b0 = MSB), interleaved (re, im), Es = 1. */
  readonly constellation: Float32Array;
  /** Real axes carrying bits: 1 for BPSK, 2 for QAM. */
  private readonly axes: number;
  private readonly demapper: AxisDemapper;

  constructor(bitsPerSymbol: QamBitsPerSymbol) {
    if (!(bitsPerSymbol in NAMES)) throw new UsageError(`bitsPerSymbol ${bitsPerSymbol} is not allowed: use 1, 2, 4, 6 or 8`);
    this.bitsPerSymbol = bitsPerSymbol;
    this.name = NAMES[bitsPerSymbol];
    this.order = 1 << bitsPerSymbol;
    this.axes = bitsPerSymbol === 1 ? 1 : 2;
    const k = bitsPerSymbol / this.axes;
    const L = 1 << k;
    // Es = 1: average of a^2 over L-PAM with odd integer points is (L^2 - 1) / 3 per axis.
    const norm = this.axes === 1 ? 1 : 1 / Math.sqrt((2 * (L * L - 1)) / 3);
    const amp = axisAmplitudes(k).map((a) => a * norm);
    this.demapper = new AxisDemapper({ amplitudes: amp, bitsPerSymbol, bitStride: this.axes });
    this.constellation = new Float32Array(2 * this.order);
    const bits = new Uint8Array(bitsPerSymbol);
    for (let lab = 0; lab < this.order; lab++) {
      for (let b = 0; b < bitsPerSymbol; b++) bits[b] = (lab >> (bitsPerSymbol - 1 - b)) & 1;
      this.modulate(bits, this.constellation.subarray(2 * lab, 2 * lab + 2));
    }
  }

  modulate(bits: Uint8Array, out?: Float32Array): Float32Array {
    const m = this.bitsPerSymbol;
    if (bits.length % m !== 0) throw new UsageError(`modulate: ${bits.length} bits is not a multiple of ${m} (${this.name})`);
    const nSym = bits.length / m;
    const y = out ?? new Float32Array(2 * nSym);
    if (y.length < 2 * nSym) throw new UsageError(`modulate: out holds ${y.length / 2} symbols, need ${nSym}`);
    const amp = this.demapper.table.amp;
    if (this.axes === 1) {
      for (let s = 0; s < nSym; s++) {
        y[2 * s] = amp[bits[s] & 1];
        y[2 * s + 1] = 0;
      }
      return y;
    }
    const k = m >> 1;
    for (let s = 0, b = 0; s < nSym; s++, b += m) {
      let li = 0;
      let lq = 0;
      for (let t = 0; t < k; t++) {
        li = (li << 1) | (bits[b + 2 * t] & 1);
        lq = (lq << 1) | (bits[b + 2 * t + 1] & 1);
      }
      y[2 * s] = amp[li];
      y[2 * s + 1] = amp[lq];
    }
    return y;
  }

  /**
   * LLR per bit (positive = 0). y: interleaved received symbols; n0: complex noise variance;
   * csi[s] = |h_s|^2 after equalization (effective noise variance n0 / csi[s]).
   */
  demodulate(y: Float32Array, n0: number, csi?: Float32Array, out?: Float32Array, method: DemapMethod = 'exact'): Float32Array {
    if (y.length % 2 !== 0) throw new UsageError(`demodulate: y has odd length ${y.length} (interleaved re, im expected)`);
    if (!(n0 > 0) || !Number.isFinite(n0)) throw new UsageError(`demodulate: n0 ${n0} must be a positive finite number`);
    if (method !== 'exact' && method !== 'maxlog') throw new UsageError(`demodulate: method ${method} is not exact or maxlog`);
    const nSym = y.length / 2;
    if (csi !== undefined && csi.length < nSym) throw new UsageError(`demodulate: csi has ${csi.length} values for ${nSym} symbols`);
    const m = this.bitsPerSymbol;
    const llr = out ?? new Float32Array(nSym * m);
    if (llr.length < nSym * m) throw new UsageError(`demodulate: out holds ${llr.length} LLRs, need ${nSym * m}`);
    const exact = method === 'exact';
    this.demapper.demap(y, 0, nSym, n0, csi, exact, llr);
    if (this.axes === 2) this.demapper.demap(y, 1, nSym, n0, csi, exact, llr);
    return llr;
  }
}
