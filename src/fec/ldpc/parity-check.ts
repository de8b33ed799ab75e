/**
 * A sparse binary parity-check matrix H (m x n), stored by rows (CSR): the variable nodes of check
 * r are colIdx[rowPtr[r] .. rowPtr[r+1]). Built from a quasi-cyclic base matrix (802.11n, 5G NR)
 * or from explicit rows. Immutable after construction; decoders build their own index tables from it.
 */

/**
 * A quasi-cyclic base (prototype) matrix: rows x cols blocks of Z x Z. shifts is row-major; -1 is
 * the zero block, s >= 0 the identity cyclically shifted right by s (row i has a 1 in column
 * (i + s) mod Z), as in IEEE 802.11 Annex F and TS 38.212 (where s = V mod Z).
 */
export interface QcBase {
  rows: number;
  cols: number;
  z: number;
  shifts: Int32Array;
}

export class ParityCheck {
  /** Check nodes (rows of H). */
  readonly m: number;
  /** Variable nodes (columns of H, code bits). */
  readonly n: number;
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  /** Edges (ones in H). */
  readonly edges: number;
  /** Set by fromQc: the base matrix it was lifted from (layers = base rows of z checks each). */
  readonly qc?: Readonly<QcBase>;

  private constructor(m: number, n: number, rowPtr: Int32Array, colIdx: Int32Array, qc?: QcBase) {
    this.m = m;
    this.n = n;
    this.rowPtr = rowPtr;
    this.colIdx = colIdx;
    this.edges = colIdx.length;
    this.qc = qc;
  }

  /** Lift a QC base matrix: block (R, C) with shift s puts a 1 at (R z + i, C z + (i + s) mod z). */
  static fromQc(base: QcBase): ParityCheck {
    const { rows, cols, z, shifts } = base;
    if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0 && Number.isInteger(z) && z > 0)) {
      throw new RangeError(`QC base ${rows}x${cols} with Z=${z}: rows, cols and Z must be positive integers`);
    }
    if (shifts.length !== rows * cols) {
      throw new RangeError(`QC base has ${shifts.length} shifts, expected rows*cols = ${rows * cols}`);
    }
    let perRowTotal = 0;
    for (let i = 0; i < shifts.length; i++) {
      const s = shifts[i];
      if (!Number.isInteger(s) || s < -1) throw new RangeError(`QC shift ${s} at ${i}: use -1 or a shift >= 0`);
      if (s >= 0) perRowTotal++;
    }
    const m = rows * z;
    const n = cols * z;
    const rowPtr = new Int32Array(m + 1);
    const colIdx = new Int32Array(perRowTotal * z);
    let e = 0;
    for (let R = 0; R < rows; R++) {
      for (let i = 0; i < z; i++) {
        rowPtr[R * z + i] = e;
        for (let C = 0; C < cols; C++) {
          const s = shifts[R * cols + C];
          if (s < 0) continue;
          colIdx[e++] = C * z + ((i + s) % z);
        }
      }
    }
    rowPtr[m] = e;
    return new ParityCheck(m, n, rowPtr, colIdx, { rows, cols, z, shifts: Int32Array.from(shifts) });
  }

  /** From explicit rows: rows[r] lists the columns (0..n-1) with a 1 in check r (duplicates rejected). */
  static fromRows(n: number, rows: number[][]): ParityCheck {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`n=${n}: must be a positive integer`);
    const m = rows.length;
    const rowPtr = new Int32Array(m + 1);
    let total = 0;
    for (const r of rows) total += r.length;
    const colIdx = new Int32Array(total);
    let e = 0;
    for (let r = 0; r < m; r++) {
      rowPtr[r] = e;
      const sorted = [...rows[r]].sort((a, b) => a - b);
      for (let j = 0; j < sorted.length; j++) {
        const c = sorted[j];
        if (!Number.isInteger(c) || c < 0 || c >= n) throw new RangeError(`row ${r}: column ${c} is outside 0..${n - 1}`);
        if (j > 0 && sorted[j - 1] === c) throw new RangeError(`row ${r}: column ${c} appears twice`);
        colIdx[e++] = c;
      }
    }
    rowPtr[m] = e;
    return new ParityCheck(m, n, rowPtr, colIdx);
  }

  /** Column weight of every variable node. */
  columnWeights(): Int32Array {
    const w = new Int32Array(this.n);
    for (let e = 0; e < this.edges; e++) w[this.colIdx[e]]++;
    return w;
  }

  /** True when H c = 0 (mod 2) over the first n bits (each bit read as its lowest bit). */
  syndromeOk(bits: Uint8Array): boolean {
    if (bits.length < this.n) throw new RangeError(`syndromeOk: got ${bits.length} bits, H has n = ${this.n}`);
    const { rowPtr, colIdx, m } = this;
    for (let r = 0; r < m; r++) {
      let p = 0;
      for (let e = rowPtr[r], end = rowPtr[r + 1]; e < end; e++) p ^= bits[colIdx[e]];
      if (p & 1) return false;
    }
    return true;
  }

  /** Number of unsatisfied checks (0 = codeword). */
  syndromeWeight(bits: Uint8Array): number {
    if (bits.length < this.n) throw new RangeError(`syndromeWeight: got ${bits.length} bits, H has n = ${this.n}`);
    const { rowPtr, colIdx, m } = this;
    let w = 0;
    for (let r = 0; r < m; r++) {
      let p = 0;
      for (let e = rowPtr[r], end = rowPtr[r + 1]; e < end; e++) p ^= bits[colIdx[e]];
      w += p & 1;
    }
    return w;
  }
}
