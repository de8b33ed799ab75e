/**
 * Systematic encoder for any parity-check matrix by Gaussian elimination over GF(2): H is reduced
 * to [.. I ..] form with pivots chosen from the last column backwards, so a code whose parity part
 * is the last M columns and invertible (802.11n, 5G, most catalogue codes) gets its information
 * bits in the first k positions, as the QC encoders do. Rank-deficient H (redundant checks) gives
 * k = n - rank. Rows are bit-packed (32 columns per word); encoding a block costs rank * n / 32
 * word operations, so the dense reduced matrix limits n (MAX_N).
 */
import { UsageError } from '../../core/errors.js';
import type { ParityCheck } from './parity-check.js';

export const GF2_MAX_N = 20000;

export class Gf2Encoder {
  readonly n: number;
  /** Information bits n - rank(H). */
  readonly k: number;
  /** Codeword positions of the information bits (ascending) and of the parity bits. */
  readonly infoPositions: Int32Array;
  readonly parityPositions: Int32Array;
  /** Reduced rows, one per parity bit: parity p_i = row_i . c over the information positions. */
  private readonly rows: Uint32Array;
  private readonly words: number;
  private readonly packed: Uint32Array;

  constructor(h: ParityCheck) {
    const { n, m } = h;
    if (n > GF2_MAX_N) throw new UsageError(`GF(2) encoder: n=${n} is not allowed: use n <= ${GF2_MAX_N} (the reduced matrix is dense)`);
    const W = (n + 31) >>> 5;
    const a = new Uint32Array(m * W);
    for (let r = 0; r < m; r++) {
      for (let e = h.rowPtr[r]; e < h.rowPtr[r + 1]; e++) {
        const c = h.colIdx[e];
        a[r * W + (c >>> 5)] ^= 1 << (c & 31);
      }
    }
    // reduced row echelon form, pivot columns from n-1 down
    const pivotCol: number[] = [];
    let rank = 0;
    for (let c = n - 1; c >= 0 && rank < m; c--) {
      const w = c >>> 5;
      const bit = 1 << (c & 31);
      let p = -1;
      for (let r = rank; r < m; r++) if (a[r * W + w] & bit) { p = r; break; }
      if (p < 0) continue;
      if (p !== rank) {
        for (let i = 0; i < W; i++) {
          const t = a[p * W + i];
          a[p * W + i] = a[rank * W + i];
          a[rank * W + i] = t;
        }
      }
      for (let r = 0; r < m; r++) {
        if (r !== rank && a[r * W + w] & bit) for (let i = 0; i < W; i++) a[r * W + i] ^= a[rank * W + i];
      }
      pivotCol.push(c);
      rank++;
    }
    this.n = n;
    this.k = n - rank;
    this.words = W;
    this.rows = a.slice(0, rank * W);
    this.parityPositions = Int32Array.from(pivotCol);
    const isPivot = new Uint8Array(n);
    for (const c of pivotCol) isPivot[c] = 1;
    this.infoPositions = Int32Array.from({ length: n }, (_, c) => c).filter((c) => !isPivot[c]);
    // pivot bits cleared from their rows: what remains is the information part
    pivotCol.forEach((c, i) => (this.rows[i * W + (c >>> 5)] &= ~(1 << (c & 31))));
    this.packed = new Uint32Array(W);
  }

  /** Codeword of n bits: information bits at infoPositions, parities so that H c = 0. */
  encode(bits: Uint8Array, out?: Uint8Array): Uint8Array {
    if (bits.length !== this.k) throw new UsageError(`GF(2) encoder: message of ${bits.length} bits is not allowed: use k=${this.k}`);
    const o = out ?? new Uint8Array(this.n);
    if (o.length !== this.n) throw new UsageError(`GF(2) encoder: output of ${o.length} bits is not allowed: use n=${this.n}`);
    const W = this.words;
    const p = this.packed;
    p.fill(0);
    o.fill(0);
    const info = this.infoPositions;
    for (let j = 0; j < info.length; j++) {
      if (bits[j]) {
        const c = info[j];
        p[c >>> 5] |= 1 << (c & 31);
        o[c] = 1;
      }
    }
    const rows = this.rows;
    for (let i = 0; i < this.parityPositions.length; i++) {
      let x = 0;
      for (let w = 0, base = i * W; w < W; w++) x ^= rows[base + w] & p[w];
      // parity of x
      x ^= x >>> 16;
      x ^= x >>> 8;
      x ^= x >>> 4;
      x ^= x >>> 2;
      x ^= x >>> 1;
      o[this.parityPositions[i]] = x & 1;
    }
    return o;
  }
}
