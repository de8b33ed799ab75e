/**
 * 5G NR base graphs (TS 38.212 5.3.2): dimensions, the lifting-size choice, the base-graph choice
 * rule (7.2.2 / 6.2.2) and the lifted QC base matrix for the LDPC engine.
 */
import type { QcBase } from '../parity-check.js';
import { BG1_SHIFTS, BG2_SHIFTS, LIFTING_SETS } from './tables.js';

export type BaseGraphId = 'bg1' | 'bg2';

export interface BaseGraphShape {
  /** Base rows (check-node groups). */
  readonly rows: number;
  /** Base columns (variable-node groups). */
  readonly cols: number;
  /** Systematic base columns Kb of the full graph (22 or 10); K = kbFull * Z. */
  readonly kbFull: number;
  /** Largest code block K' (TS 38.212 5.2.2: Kcb). */
  readonly kMax: number;
  /** Mother code rate after puncturing the first 2Z systematic bits: kbFull / (cols - 2). */
  readonly motherRate: number;
}

export const BASE_GRAPHS: Readonly<Record<BaseGraphId, BaseGraphShape>> = {
  bg1: { rows: 46, cols: 68, kbFull: 22, kMax: 8448, motherRate: 1 / 3 },
  bg2: { rows: 42, cols: 52, kbFull: 10, kMax: 3840, motherRate: 1 / 5 },
};

/** Core parity: the first 4 rows and the 4 parity columns after the systematic part. */
export const CORE_ROWS = 4;

/** Parsed Table 5.3.2-2/3: per entry (row, col, V for iLS 0..7). */
interface ShiftTable {
  row: Int16Array;
  col: Int16Array;
  /** v[8 * e + iLS]. */
  v: Int16Array;
}

const parsed: Partial<Record<BaseGraphId, ShiftTable>> = {};

function shiftTable(bg: BaseGraphId): ShiftTable {
  const cached = parsed[bg];
  if (cached) return cached;
  const lines = (bg === 'bg1' ? BG1_SHIFTS : BG2_SHIFTS).trim().split('\n');
  const t: ShiftTable = { row: new Int16Array(lines.length), col: new Int16Array(lines.length), v: new Int16Array(8 * lines.length) };
  lines.forEach((line, e) => {
    const f = line.trim().split(/\s+/).map(Number);
    if (f.length !== 10 || f.some((x) => !Number.isInteger(x) || x < 0)) throw new Error(`5G NR ${bg} table line ${e}: ${line}`);
    t.row[e] = f[0];
    t.col[e] = f[1];
    for (let s = 0; s < 8; s++) t.v[8 * e + s] = f[2 + s];
  });
  parsed[bg] = t;
  return t;
}

/**
 * The coefficients V_{i,j} of one base graph for lifting-size set iLS, as a rows x cols row-major
 * matrix (-1 = zero block). Not reduced mod Z.
 */
export function baseMatrix(bg: BaseGraphId, iLS: number): Int32Array {
  if (!(Number.isInteger(iLS) && iLS >= 0 && iLS < 8)) throw new RangeError(`iLS ${iLS}: use 0..7`);
  const { rows, cols } = BASE_GRAPHS[bg];
  const t = shiftTable(bg);
  const m = new Int32Array(rows * cols).fill(-1);
  for (let e = 0; e < t.row.length; e++) m[t.row[e] * cols + t.col[e]] = t.v[8 * e + iLS];
  return m;
}

/** The set index iLS of a lifting size Z (Table 5.3.2-1), or -1 if Z is not a 5G lifting size. */
export function liftingSetIndex(z: number): number {
  return LIFTING_SETS.findIndex((set) => set.includes(z));
}

export interface Lifting {
  /** Lifting size Zc. */
  z: number;
  /** Its set index iLS (which column of V applies). */
  iLS: number;
  /** Kb used to choose Z (BG2: 6, 8, 9 or 10 by K'; BG1: 22). */
  kb: number;
  /** K = kbFull * Z systematic bits of the lifted graph (K - K' are filler bits). */
  kFull: number;
}

/**
 * TS 38.212 5.2.2 with one code block (C = 1, so K' = B = k): Kb = 22 for BG1; for BG2 Kb = 10 if
 * B > 640, 9 if B > 560, 8 if B > 192, else 6; Zc = the smallest lifting size with Kb * Zc >= K'.
 */
export function selectLifting(bg: BaseGraphId, k: number): Lifting {
  const kb = bg === 'bg1' ? 22 : k > 640 ? 10 : k > 560 ? 9 : k > 192 ? 8 : 6;
  let z = Infinity;
  let iLS = -1;
  LIFTING_SETS.forEach((set, i) => {
    for (const zc of set) {
      if (kb * zc >= k && zc < z) {
        z = zc;
        iLS = i;
      }
    }
  });
  if (iLS < 0) throw new RangeError(`K'=${k} does not fit ${bg} (Kb=${kb}, largest Z=384)`);
  return { z, iLS, kb, kFull: BASE_GRAPHS[bg].kbFull * z };
}

/**
 * The base-graph choice of TS 38.212 7.2.2 (DL-SCH; 6.2.2 UL-SCH is the same): base graph 2 if
 * A <= 292, or A <= 3824 and R <= 0.67, or R <= 0.25; base graph 1 otherwise. A is the transport
 * block size and R the target code rate. This toolkit codes one block without a transport-block CRC,
 * so the caller passes A = K (as Sionna's LDPC5GEncoder does).
 */
export function selectBaseGraph(a: number, r: number): BaseGraphId {
  if (a <= 292 || (a <= 3824 && r <= 0.67) || r <= 0.25) return 'bg2';
  return 'bg1';
}

/**
 * The lifted QC base of the first `rows` base rows (4 core rows + rows-4 extension rows) and their
 * kbFull + rows columns, shifts V mod Z. rows = full graph by default. Truncating to the
 * extension rows whose parity bits are sent drops only degree-1 parity bits that carry no
 * information to the decoder, so it decodes identically and faster.
 */
export function liftedBase(bg: BaseGraphId, z: number, rows?: number): QcBase {
  const g = BASE_GRAPHS[bg];
  const iLS = liftingSetIndex(z);
  if (iLS < 0) throw new RangeError(`Z=${z} is not a TS 38.212 lifting size`);
  const r = rows ?? g.rows;
  if (!(Number.isInteger(r) && r >= CORE_ROWS && r <= g.rows)) throw new RangeError(`rows ${r}: use ${CORE_ROWS}..${g.rows}`);
  const cols = g.kbFull + r;
  const full = baseMatrix(bg, iLS);
  const shifts = new Int32Array(r * cols);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < cols; j++) {
      const v = full[i * g.cols + j];
      shifts[i * cols + j] = v < 0 ? -1 : v % z;
    }
    // The columns past kbFull + r belong to later extension rows only.
    for (let j = cols; j < g.cols; j++) {
      if (full[i * g.cols + j] >= 0) throw new Error(`${bg} row ${i} touches column ${j} beyond its extension`);
    }
  }
  return { rows: r, cols, z, shifts };
}
