/**
 * Systematic encoder for QC-LDPC codes whose parity part has the IEEE 802.11n / 802.16e shape:
 * the first parity block column has three circulants P^a (first block row), P^b (one middle row)
 * and P^a (last row); the other parity block columns form a dual diagonal of identities. No dense
 * generator matrix: with lambda_R = (systematic part of block row R) u,
 *   sum over all block rows:  P^b p0 = sum_R lambda_R          (the two P^a terms cancel)
 *   block row 0:              p1 = lambda_0 + P^a p0
 *   block row R (1..M-2):     p_{R+1} = lambda_R + p_R + [P^{s_R} p0 where row R has one]
 * Codeword layout: [u (k bits) | p0 | p1 | ... | p_{M-1}], matching the columns of H.
 */
import type { ParityCheck } from './parity-check.js';

export class DualDiagonalEncoder {
  readonly k: number;
  readonly n: number;
  readonly z: number;
  /** Block rows of the base matrix. */
  private readonly mb: number;
  /** CSR over checks, systematic columns only (index tables built once). */
  private readonly sysPtr: Int32Array;
  private readonly sysIdx: Int32Array;
  /** Per block row: shift of the p0 circulant, -1 where none. */
  private readonly p0Shift: Int32Array;
  /** The shift b of the middle P^b term (P^b p0 = sum of lambda). */
  private readonly midShift: number;
  private readonly lambda: Uint8Array;
  private readonly acc: Uint8Array;

  constructor(h: ParityCheck) {
    const qc = h.qc;
    if (!qc) throw new RangeError('DualDiagonalEncoder needs a parity-check matrix built with ParityCheck.fromQc');
    const { rows: mb, cols: nb, z, shifts } = qc;
    const kb = nb - mb;
    if (kb < 1 || mb < 2) throw new RangeError(`DualDiagonalEncoder: base ${mb}x${nb} has no systematic part or too few rows`);
    const at = (r: number, c: number): number => shifts[r * nb + c];
    // Check the parity structure (a malformed table must fail here, not encode wrong codewords).
    const col0: number[] = [];
    for (let r = 0; r < mb; r++) if (at(r, kb) >= 0) col0.push(r);
    if (col0.length !== 3 || col0[0] !== 0 || col0[2] !== mb - 1 || at(0, kb) !== at(mb - 1, kb)) {
      throw new RangeError('DualDiagonalEncoder: the first parity column must hold P^a, P^b, P^a (first, middle, last row)');
    }
    for (let j = 1; j < mb; j++) {
      for (let r = 0; r < mb; r++) {
        const s = at(r, kb + j);
        const want = r === j - 1 || r === j ? 0 : -1;
        if (s !== want) throw new RangeError(`DualDiagonalEncoder: parity column ${j} is not a dual diagonal of identities (row ${r})`);
      }
    }
    this.k = kb * z;
    this.n = nb * z;
    this.z = z;
    this.mb = mb;
    this.midShift = at(col0[1], kb);
    this.p0Shift = new Int32Array(mb).fill(-1);
    for (let r = 1; r < mb - 1; r++) this.p0Shift[r] = at(r, kb);
    this.p0Shift[0] = at(0, kb);
    // Systematic part of H in CSR (column < k), in check order.
    const k = this.k;
    const sysPtr = new Int32Array(h.m + 1);
    let count = 0;
    for (let e = 0; e < h.edges; e++) if (h.colIdx[e] < k) count++;
    const sysIdx = new Int32Array(count);
    let w = 0;
    for (let r = 0; r < h.m; r++) {
      sysPtr[r] = w;
      for (let e = h.rowPtr[r]; e < h.rowPtr[r + 1]; e++) if (h.colIdx[e] < k) sysIdx[w++] = h.colIdx[e];
    }
    sysPtr[h.m] = w;
    this.sysPtr = sysPtr;
    this.sysIdx = sysIdx;
    this.lambda = new Uint8Array(h.m);
    this.acc = new Uint8Array(z);
  }

  /** Codeword [u | parity] of n bits; `u` must hold k bits (0/1), `out` n bits. */
  encode(u: Uint8Array, out: Uint8Array): Uint8Array {
    const { k, z, mb, sysPtr, sysIdx, lambda, acc, p0Shift } = this;
    const m = mb * z;
    // lambda = H_s u, one parity per check.
    for (let r = 0; r < m; r++) {
      let p = 0;
      for (let e = sysPtr[r], end = sysPtr[r + 1]; e < end; e++) p ^= u[sysIdx[e]];
      lambda[r] = p & 1;
    }
    out.set(u.subarray(0, k), 0);
    // p0: (P^b p0)[i] = p0[(i + b) mod z] = sum_R lambda_R[i].
    acc.fill(0);
    for (let R = 0; R < mb; R++) {
      const off = R * z;
      for (let i = 0; i < z; i++) acc[i] ^= lambda[off + i];
    }
    const p0 = k;
    const b = this.midShift;
    for (let i = 0; i < z; i++) out[p0 + ((i + b) % z)] = acc[i];
    // p_{R+1} = lambda_R + p_R (R >= 1) + P^{s_R} p0.
    for (let R = 0; R < mb - 1; R++) {
      const dst = k + (R + 1) * z;
      const prev = k + R * z;
      const s = p0Shift[R];
      const off = R * z;
      for (let i = 0; i < z; i++) {
        let bit = lambda[off + i];
        if (R > 0) bit ^= out[prev + i];
        if (s >= 0) bit ^= out[p0 + ((i + s) % z)];
        out[dst + i] = bit;
      }
    }
    return out;
  }
}
