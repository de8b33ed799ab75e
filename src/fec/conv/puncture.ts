/**
 * Puncturing of the rate-1/2 K=7 mother code to rates 2/3, 3/4 and 5/6, as in IEEE 802.11-2020:
 * 17.3.5.6 and Figure 17-9 (R = 2/3 and 3/4, OFDM PHY) and clause 19 (HT PHY, BCC puncturing
 * for R = 5/6).
 * One row per encoder output (A = generator 133, B = 171), one column per input bit of the
 * puncturing period; 1 = sent, 0 = stolen. Sent bits keep the mother code's order
 * A0 B0 A1 B1 ... with the stolen ones removed. These are also the DVB-S (EN 300 421) patterns.
 */
import { UsageError } from '../../core/errors.js';

export type ConvRate = '1/2' | '2/3' | '3/4' | '5/6';
export const CONV_RATES: readonly ConvRate[] = ['1/2', '2/3', '3/4', '5/6'];

export interface PuncturePattern {
  readonly rate: ConvRate;
  /** Input bits per period. */
  readonly period: number;
  /** Sent flags of output A over the period. */
  readonly a: readonly (0 | 1)[];
  /** Sent flags of output B over the period. */
  readonly b: readonly (0 | 1)[];
}

export const PUNCTURE_PATTERNS: Readonly<Record<ConvRate, PuncturePattern>> = {
  '1/2': { rate: '1/2', period: 1, a: [1], b: [1] },
  // Figure 17-9: sent A0 B0 A1 (B1 stolen).
  '2/3': { rate: '2/3', period: 2, a: [1, 1], b: [1, 0] },
  // Figure 17-9: sent A0 B0 A1 B2 (B1, A2 stolen).
  '3/4': { rate: '3/4', period: 3, a: [1, 1, 0], b: [1, 0, 1] },
  // Clause 19 (HT PHY): sent A0 B0 A1 B2 A3 B4 (B1, A2, B3, A4 stolen).
  '5/6': { rate: '5/6', period: 5, a: [1, 1, 0, 1, 0], b: [1, 0, 1, 0, 1] },
};

export function isConvRate(s: string): s is ConvRate {
  return (CONV_RATES as readonly string[]).includes(s);
}

export function puncturePattern(rate: string): PuncturePattern {
  if (!isConvRate(rate)) {
    throw new UsageError(`convolutional rate ${JSON.stringify(rate)} is not allowed: use ${CONV_RATES.join(', ')}`);
  }
  return PUNCTURE_PATTERNS[rate];
}

/**
 * The mother-code positions that are sent, in transmission order, for `steps` trellis steps
 * (mother position 2t is A_t, 2t+1 is B_t). The pattern runs on from step 0 through the tail,
 * as 802.11 punctures the whole DATA field including its tail.
 */
export function keptPositions(pattern: PuncturePattern, steps: number): Int32Array {
  let count = 0;
  for (let t = 0; t < steps; t++) count += pattern.a[t % pattern.period] + pattern.b[t % pattern.period];
  const kept = new Int32Array(count);
  let i = 0;
  for (let t = 0; t < steps; t++) {
    const p = t % pattern.period;
    if (pattern.a[p]) kept[i++] = 2 * t;
    if (pattern.b[p]) kept[i++] = 2 * t + 1;
  }
  return kept;
}
