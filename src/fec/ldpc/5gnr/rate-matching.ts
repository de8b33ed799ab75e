/**
 * 5G NR LDPC rate matching (TS 38.212 5.4.2) as one index table: output bit e is codeword bit
 * positions[e] (codeword = encoder output, first 2Z systematic bits included).
 *
 * - 5.4.2.1 bit selection: the circular buffer is d = codeword without its first 2Z bits
 *   (N = 66Z or 50Z), with filler bits marked <NULL> and skipped. Ncb = N by default (full
 *   buffer, I_LBRM = 0); option `ncb` sets a limited buffer (I_LBRM = 1: Ncb = min(N, Nref), the
 *   caller computes Nref = floor(TBS_LBRM / (C R_LBRM))). Output e_k = d[(k0 + j) mod Ncb] over
 *   j = 0, 1, ... skipping NULL, so E > N - F repeats bits. k0 from Table 5.4.2.1-2 for rv 0..3.
 * - 5.4.2.2 bit interleaving (optional, `bitsPerSymbol` = Qm): f[i + j Qm] = e[i E/Qm + j]. Off by
 *   default; Sionna's LDPC5GEncoder without num_bits_per_symbol (the reference vectors) omits it.
 *
 * The receiver side (`recover`) inverts it: LLRs of repeated bits add, filler bits get +Infinity
 * (known zeros), punctured and unsent bits stay 0.
 */
import { BASE_GRAPHS, type BaseGraphId } from './base-graph.js';

export type RedundancyVersion = 0 | 1 | 2 | 3;

export interface RateMatchOptions {
  rv?: RedundancyVersion;
  /** Modulation order Qm for the 5.4.2.2 bit interleaver; omit (or 0) for none. E must be a multiple. */
  bitsPerSymbol?: number;
  /** Circular-buffer length Ncb (limited buffer rate matching); default N. K + 2Z <= Ncb <= N. */
  ncb?: number;
}

/** Table 5.4.2.1-2 numerators over 66 (BG1) and 50 (BG2) for rv 0..3. */
const K0_NUM: Readonly<Record<BaseGraphId, readonly number[]>> = { bg1: [0, 17, 33, 56], bg2: [0, 13, 25, 43] };

/** k0 = floor(num * Ncb / (den * Z)) * Z (TS 38.212 Table 5.4.2.1-2). */
export function startingPosition(bg: BaseGraphId, rv: RedundancyVersion, ncb: number, z: number): number {
  const den = bg === 'bg1' ? 66 : 50;
  return Math.floor((K0_NUM[bg][rv] * ncb) / (den * z)) * z;
}

/** The 5.4.2.2 interleaver as a permutation: f[q] = e[perm[q]]. */
export function bitInterleaverPermutation(e: number, qm: number): Int32Array {
  if (!(Number.isInteger(qm) && qm >= 1 && e % qm === 0)) throw new RangeError(`bit interleaver: E=${e} must be a multiple of Qm=${qm}`);
  const perm = new Int32Array(e);
  const rowsLen = e / qm;
  for (let j = 0; j < rowsLen; j++) for (let i = 0; i < qm; i++) perm[i + j * qm] = i * rowsLen + j;
  return perm;
}

export class RateMatcher {
  readonly bg: BaseGraphId;
  readonly z: number;
  /** Info bits K' (filler from K' to kFull). */
  readonly k: number;
  readonly kFull: number;
  /** Circular buffer length Ncb (N unless limited). */
  readonly ncb: number;
  /** Output bits E. */
  readonly e: number;
  readonly rv: RedundancyVersion;
  readonly k0: number;
  readonly bitsPerSymbol: number;
  /** positions[q] = codeword index of output bit q (interleaver included). */
  readonly positions: Int32Array;
  /** One past the largest codeword index used: the encoder/decoder need only this many bits. */
  readonly span: number;

  constructor(bg: BaseGraphId, z: number, k: number, e: number, options: RateMatchOptions = {}) {
    const g = BASE_GRAPHS[bg];
    const rv = options.rv ?? 0;
    if (![0, 1, 2, 3].includes(rv)) throw new RangeError(`rv ${rv}: use 0, 1, 2 or 3`);
    const kFull = g.kbFull * z;
    if (!(Number.isInteger(k) && k > 2 * z && k <= kFull)) throw new RangeError(`K'=${k} with Z=${z}: need 2Z < K' <= ${kFull}`);
    if (!(Number.isInteger(e) && e >= 1)) throw new RangeError(`E=${e}: must be a positive integer`);
    this.bg = bg;
    this.z = z;
    this.k = k;
    this.kFull = kFull;
    const nFull = (g.cols - 2) * z;
    const ncb = options.ncb ?? nFull;
    // The buffer must hold the systematic part and the core parity (Nref >= 1.5 K in the TS).
    if (!(Number.isInteger(ncb) && ncb >= kFull + 2 * z && ncb <= nFull)) {
      throw new RangeError(`Ncb=${ncb}: use an integer ${kFull + 2 * z}..${nFull} (K + 2Z .. N)`);
    }
    this.ncb = ncb;
    this.e = e;
    this.rv = rv;
    this.k0 = startingPosition(bg, rv, this.ncb, z);
    this.bitsPerSymbol = options.bitsPerSymbol ?? 0;

    const sel = new Int32Array(e);
    const fillerLo = k - 2 * z; // buffer indices [fillerLo, fillerHi) are NULL
    const fillerHi = kFull - 2 * z;
    let span = 0;
    for (let q = 0, j = 0; q < e; j++) {
      const d = (this.k0 + j) % this.ncb;
      if (d >= fillerLo && d < fillerHi) continue;
      sel[q++] = d + 2 * z;
      if (d + 2 * z + 1 > span) span = d + 2 * z + 1;
    }
    if (this.bitsPerSymbol) {
      const perm = bitInterleaverPermutation(e, this.bitsPerSymbol);
      this.positions = new Int32Array(e);
      for (let q = 0; q < e; q++) this.positions[q] = sel[perm[q]];
    } else {
      this.positions = sel;
    }
    this.span = span;
  }

  /** out[q] = codeword[positions[q]]. */
  select(codeword: Uint8Array, out?: Uint8Array): Uint8Array {
    const o = out ?? new Uint8Array(this.e);
    const p = this.positions;
    for (let q = 0; q < p.length; q++) o[q] = codeword[p[q]];
    return o;
  }

  /**
   * Codeword-domain LLRs (length n >= span) from the E received LLRs: sums over repeats, +Infinity
   * on filler bits, 0 where nothing was received (punctured first 2Z, unsent parity).
   */
  recover(llr: Float32Array, n: number, out?: Float32Array): Float32Array {
    if (n < this.span) throw new RangeError(`rate recovery: n=${n} is shorter than the span ${this.span}`);
    const o = out ?? new Float32Array(n);
    o.fill(0, 0, n);
    o.fill(Infinity, this.k, Math.min(this.kFull, n));
    const p = this.positions;
    for (let q = 0; q < p.length; q++) o[p[q]] += llr[q];
    return o;
  }
}
