/**
 * 5G NR transport-block sizing (TS 38.212 7.2.1, 5.2.2, 5.4.2.1), as pure functions:
 * - TB CRC: L = 24 (gCRC24A) when A > 3824, else 16 (gCRC16); B = A + L;
 * - code-block segmentation 5.2.2: Kcb = 8448 (BG1) or 3840 (BG2); B <= Kcb: C = 1, no block CRC;
 *   else C = ceil(B / (Kcb - 24)) blocks each with a 24-bit gCRC24B, B' = B + 24 C, K' = B' / C;
 *   Kb = 22 (BG1) or 10/9/8/6 by B (BG2: B > 640, > 560, > 192, else); Zc = the smallest lifting
 *   size with Kb Zc >= K'; K = 22 Zc or 10 Zc, F = K - K' filler bits per block;
 * - rate matching output lengths 5.4.2.1 (NL = 1 layer, all C blocks scheduled):
 *   E_r = Qm floor(G / (Qm C)) for r <= C - mod(G / Qm, C) - 1, else Qm ceil(G / (Qm C)).
 * K' = B' / C must be an integer: the TBS of TS 38.214 5.1.3.2 always make it one;
 * `transportBlockSize` finds the smallest such A that holds a payload.
 */
import { BASE_GRAPHS, selectBaseGraph, type BaseGraphId } from './base-graph.js';
import { LIFTING_SETS } from './tables.js';

/** TB size above which the TB CRC is 24 bits (TS 38.212 7.2.1). */
export const TB_CRC24_ABOVE = 3824;

export function tbCrcLength(a: number): 16 | 24 {
  return a > TB_CRC24_ABOVE ? 24 : 16;
}

export interface Segmentation {
  /** Transport block size A, TB CRC length, B = A + tbCrc. */
  readonly a: number;
  readonly tbCrc: 16 | 24;
  readonly b: number;
  readonly bg: BaseGraphId;
  /** Number of code blocks C, per-block CRC length L (24 when C > 1, else 0), B' = B + C L. */
  readonly c: number;
  readonly l: 0 | 24;
  readonly bPrime: number;
  /** Bits per code block before filler, K' = B' / C (payload K' - L plus the block CRC). */
  readonly kPrime: number;
  readonly kb: number;
  readonly z: number;
  /** K = 22 Z (BG1) or 10 Z (BG2); F = K - K' filler bits. */
  readonly k: number;
  readonly filler: number;
}

/** TS 38.212 5.2.2 for a TB of A bits on base graph bg; null when K' = B'/C is not an integer. */
export function segment(a: number, bg: BaseGraphId): Segmentation | null {
  if (!(Number.isInteger(a) && a >= 1)) throw new RangeError(`transport block size A=${a} must be a positive integer`);
  const tbCrc = tbCrcLength(a);
  const b = a + tbCrc;
  const kcb = BASE_GRAPHS[bg].kMax;
  let c = 1;
  let l: 0 | 24 = 0;
  if (b > kcb) {
    l = 24;
    c = Math.ceil(b / (kcb - l));
  }
  const bPrime = b + c * l;
  if (bPrime % c !== 0) return null;
  const kPrime = bPrime / c;
  const kb = bg === 'bg1' ? 22 : b > 640 ? 10 : b > 560 ? 9 : b > 192 ? 8 : 6;
  let z = Infinity;
  for (const set of LIFTING_SETS) for (const zc of set) if (kb * zc >= kPrime && zc < z) z = zc;
  const k = BASE_GRAPHS[bg].kbFull * z;
  return { a, tbCrc, b, bg, c, l, bPrime, kPrime, kb, z, k, filler: k - kPrime };
}

/** Rate-matching output lengths E_r (TS 38.212 5.4.2.1, one layer): G split over C blocks in multiples of Qm. */
export function rateMatchLengths(g: number, c: number, qm: number): number[] {
  if (!(Number.isInteger(qm) && qm >= 1 && Number.isInteger(g) && g % qm === 0)) throw new RangeError(`G=${g} must be a multiple of Qm=${qm}`);
  const q = g / qm;
  const lo = qm * Math.floor(q / c);
  const hi = qm * Math.ceil(q / c);
  const out: number[] = [];
  for (let r = 0; r < c; r++) out.push(r <= c - (q % c) - 1 ? lo : hi);
  return out;
}

/** The base graph for a TB (TS 38.212 7.2.2): 'auto' applies the rule with A and the target rate. */
export function tbBaseGraph(a: number, rate: number, choice: BaseGraphId | 'auto'): BaseGraphId {
  return choice === 'auto' ? selectBaseGraph(a, rate) : choice;
}

/**
 * The smallest A >= minBits, a multiple of 8 (TS 38.214 sizes are whole bytes), whose segmentation
 * is exact (K' integer) on the graph the rule picks for A at `rate`.
 */
export function transportBlockSize(minBits: number, rate: number, choice: BaseGraphId | 'auto' = 'auto'): number {
  let a = Math.max(8, Math.ceil(minBits / 8) * 8);
  for (;;) {
    if (segment(a, tbBaseGraph(a, rate, choice))) return a;
    a += 8;
  }
}
