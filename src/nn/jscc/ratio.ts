/**
 * The JSCC bandwidth: Table III of the paper. The encoder maps D1 = (H, W, C) to (H/s, W/s, C')
 * reals; pairs of reals form complex symbols, so channelUses = (H/s)(W/s)C'/2 per image, and
 *
 *   compressionRatio = H*W*C / (2 * channelUses) = s^2 * C / C'
 *
 * (docs/architecture.md, "Units": elements of D1 over real channel values; the paper's
 * 64*64*512 / (16*16*16) = 512).
 */
import { UsageError } from '../../core/errors.js';

export type JsccRatio = 128 | 256 | 512 | 1024;

export interface TableIIIRow {
  ratio: JsccRatio;
  stride: 2 | 4;
  /** C' = C / channelDivisor. */
  channelDivisor: 32 | 64;
  /** The paper's label for the encoder output size. */
  label: string;
}

export const TABLE_III: readonly TableIIIRow[] = [
  { ratio: 128, stride: 2, channelDivisor: 32, label: '(H/2, W/2, C/32)' },
  { ratio: 256, stride: 2, channelDivisor: 64, label: '(H/2, W/2, C/64)' },
  { ratio: 512, stride: 4, channelDivisor: 32, label: '(H/4, W/4, C/32)' },
  { ratio: 1024, stride: 4, channelDivisor: 64, label: '(H/4, W/4, C/64)' },
];

export const JSCC_RATIOS: readonly JsccRatio[] = TABLE_III.map((r) => r.ratio);

/** Parse a `--ratio` value (UsageError naming the allowed ones). */
export function parseJsccRatio(value: unknown): JsccRatio {
  const n = Number(value);
  const row = TABLE_III.find((r) => r.ratio === n);
  if (!row || String(value).trim() === '') throw new UsageError(`--ratio ${JSON.stringify(value)} is not allowed: use one of ${JSCC_RATIOS.join(', ')}`);
  return row.ratio;
}

/** Complex channel uses per image for D1 = (H, W, C), spatial stride s and C' encoder channels. */
export function jsccChannelUses(d1: readonly [number, number, number], stride: number, cPrime: number): number {
  const [h, w] = d1;
  return ((h / stride) * (w / stride) * cPrime) / 2;
}

/** H*W*C / (2 * channelUses). */
export function jsccCompressionRatio(d1: readonly [number, number, number], stride: number, cPrime: number): number {
  const [h, w, c] = d1;
  return (h * w * c) / (2 * jsccChannelUses(d1, stride, cPrime));
}
