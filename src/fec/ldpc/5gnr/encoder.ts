/**
 * 5G NR LDPC encoder (TS 38.212 5.3.2) on the lifted base graph, without a generator matrix:
 *  1. c = [info (K' bits), filler zeros up to K = kbFull Z];
 *  2. core parity (4 Z bits): every core column except the first one appears in exactly two core
 *     rows with the same shift, so the sum of the 4 core rows leaves P^b p0 = sum of the info
 *     syndromes, which gives p0; the other three follow row by row;
 *  3. extension parity: extension row i has its own parity column with shift 0 and otherwise only
 *     info and core columns, so each extension block is one sparse sum.
 * The structure is checked when the tables are built, not assumed. Output is the codeword before
 * rate matching (the first 2Z bits still present), truncated to `rows` base rows if asked.
 */
import { BASE_GRAPHS, CORE_ROWS, liftedBase, selectLifting, type BaseGraphId } from './base-graph.js';
import type { QcBase } from '../parity-check.js';

/** acc[accOff + r] ^= src[srcOff + (r + s) mod z] for r < z: adds P^s x (P^s = identity shifted right by s). */
function addShifted(acc: Uint8Array, accOff: number, src: Uint8Array, srcOff: number, z: number, s: number): void {
  const head = z - s;
  for (let r = 0; r < head; r++) acc[accOff + r] ^= src[srcOff + r + s];
  for (let r = head; r < z; r++) acc[accOff + r] ^= src[srcOff + r - head];
}

/** One step of the core solve: P^shift p_col = lambda_row + sum of the known terms. */
interface CoreStep {
  row: number;
  col: number;
  shift: number;
  /** Known core columns in this row and their shifts (flattened pairs). */
  terms: Int32Array;
}

export interface Ldpc5gEncoderOptions {
  /** Base rows to encode: 4 core rows + (rows - 4) extension rows. Default: all (46 or 42). */
  rows?: number;
}

export class Ldpc5gEncoder {
  readonly bg: BaseGraphId;
  /** Information bits K' per block (filler bits follow them). */
  readonly k: number;
  readonly z: number;
  readonly iLS: number;
  /** K = kbFull * Z: systematic bits including filler. */
  readonly kFull: number;
  /** Base rows encoded. */
  readonly rows: number;
  /** Codeword length before rate matching: (kbFull + rows) * Z. */
  readonly n: number;
  /** The lifted (possibly truncated) base the codeword satisfies: H c = 0. */
  readonly base: QcBase;

  /** Per base row: [col, shift, col, shift, ...] over the info columns. */
  private readonly infoTerms: Int32Array[];
  /** Per extension row (index row - 4): [col, shift, ...] over the core columns. */
  private readonly extCoreTerms: Int32Array[];
  /** p0: P^b p0 = sum of the core rows' info syndromes. */
  private readonly p0Shift: number;
  private readonly coreSteps: CoreStep[];
  private readonly lambda: Uint8Array;
  private readonly sum: Uint8Array;

  constructor(bg: BaseGraphId, k: number, options: Ldpc5gEncoderOptions = {}) {
    const g = BASE_GRAPHS[bg];
    if (!g) throw new RangeError(`base graph ${String(bg)}: use bg1 or bg2`);
    if (!(Number.isInteger(k) && k >= 1 && k <= g.kMax)) throw new RangeError(`K'=${k}: ${bg} allows 1..${g.kMax}`);
    const lift = selectLifting(bg, k);
    this.bg = bg;
    this.k = k;
    this.z = lift.z;
    this.iLS = lift.iLS;
    this.kFull = lift.kFull;
    this.rows = options.rows ?? g.rows;
    this.base = liftedBase(bg, this.z, this.rows);
    const { cols, shifts } = this.base;
    this.n = cols * this.z;
    const kb = g.kbFull;
    const at = (i: number, j: number) => shifts[i * cols + j];

    this.infoTerms = [];
    for (let i = 0; i < this.rows; i++) {
      const t: number[] = [];
      for (let j = 0; j < kb; j++) if (at(i, j) >= 0) t.push(j, at(i, j));
      this.infoTerms.push(Int32Array.from(t));
    }
    this.extCoreTerms = [];
    for (let i = CORE_ROWS; i < this.rows; i++) {
      const t: number[] = [];
      for (let j = kb; j < kb + CORE_ROWS; j++) if (at(i, j) >= 0) t.push(j, at(i, j));
      for (let j = kb + CORE_ROWS; j < cols; j++) {
        const s = at(i, j);
        const own = j === kb + i;
        if (own ? s !== 0 : s >= 0) throw new Error(`${bg} extension row ${i}: column ${j} breaks the identity extension`);
      }
      this.extCoreTerms.push(Int32Array.from(t));
    }

    // Core: shifts that appear an even number of times in a column cancel in the row sum.
    let p0Shift = -1;
    for (let u = 0; u < CORE_ROWS; u++) {
      const counts = new Map<number, number>();
      for (let i = 0; i < CORE_ROWS; i++) {
        const s = at(i, kb + u);
        if (s >= 0) counts.set(s, (counts.get(s) ?? 0) + 1);
      }
      const odd = [...counts].filter(([, c]) => c % 2 === 1).map(([s]) => s);
      if (u === 0 ? odd.length !== 1 : odd.length !== 0) throw new Error(`${bg} Z=${this.z}: core column ${u} lacks the 5G structure`);
      if (u === 0) p0Shift = odd[0];
    }
    this.p0Shift = p0Shift;
    const known = new Set<number>([kb]);
    const done = new Set<number>();
    this.coreSteps = [];
    while (known.size < CORE_ROWS) {
      let progressed = false;
      for (let i = 0; i < CORE_ROWS && !progressed; i++) {
        if (done.has(i)) continue;
        const unknown: number[] = [];
        for (let j = kb; j < kb + CORE_ROWS; j++) if (at(i, j) >= 0 && !known.has(j)) unknown.push(j);
        if (unknown.length !== 1) continue;
        const col = unknown[0];
        const terms: number[] = [];
        for (let j = kb; j < kb + CORE_ROWS; j++) if (j !== col && at(i, j) >= 0) terms.push(j, at(i, j));
        this.coreSteps.push({ row: i, col, shift: at(i, col), terms: Int32Array.from(terms) });
        known.add(col);
        done.add(i);
        progressed = true;
      }
      if (!progressed) throw new Error(`${bg} Z=${this.z}: core parity cannot be solved row by row`);
    }
    this.lambda = new Uint8Array(CORE_ROWS * this.z);
    this.sum = new Uint8Array(this.z);
  }

  /** Codeword (length n) for K' info bits; each input bit is read as its lowest bit. */
  encode(info: Uint8Array, out?: Uint8Array): Uint8Array {
    if (info.length !== this.k) throw new RangeError(`5G NR LDPC encoder: got ${info.length} info bits, K'=${this.k}`);
    const c = out ?? new Uint8Array(this.n);
    if (c.length !== this.n) throw new RangeError(`5G NR LDPC encoder: out has ${c.length} bits, n=${this.n}`);
    for (let i = 0; i < this.k; i++) c[i] = info[i] & 1;
    c.fill(0, this.k);
    this.encodeKernel(c);
    return c;
  }

  /** Fills the parity part of c from its systematic part c[0..kFull). */
  private encodeKernel(c: Uint8Array): void {
    const { z, lambda, sum, kFull } = this;
    lambda.fill(0);
    for (let i = 0; i < CORE_ROWS; i++) {
      const t = this.infoTerms[i];
      for (let e = 0; e < t.length; e += 2) addShifted(lambda, i * z, c, t[e] * z, z, t[e + 1]);
    }
    // p0: P^b p0 = sum_i lambda_i, i.e. p0[(r + b) mod z] = sum[r].
    sum.fill(0);
    for (let i = 0; i < CORE_ROWS; i++) for (let r = 0; r < z; r++) sum[r] ^= lambda[i * z + r];
    const b = this.p0Shift;
    for (let r = 0; r < z; r++) c[kFull + ((r + b) % z)] = sum[r];
    for (const step of this.coreSteps) {
      sum.set(lambda.subarray(step.row * z, step.row * z + z));
      const t = step.terms;
      for (let e = 0; e < t.length; e += 2) addShifted(sum, 0, c, t[e] * z, z, t[e + 1]);
      const off = step.col * z;
      for (let r = 0; r < z; r++) c[off + ((r + step.shift) % z)] = sum[r];
    }
    // Extension rows: p_i = sum of the info and core terms of row i.
    const kb = BASE_GRAPHS[this.bg].kbFull;
    for (let i = CORE_ROWS; i < this.rows; i++) {
      const off = (kb + i) * z;
      const ti = this.infoTerms[i];
      for (let e = 0; e < ti.length; e += 2) addShifted(c, off, c, ti[e] * z, z, ti[e + 1]);
      const tc = this.extCoreTerms[i - CORE_ROWS];
      for (let e = 0; e < tc.length; e += 2) addShifted(c, off, c, tc[e] * z, z, tc[e + 1]);
    }
  }
}
