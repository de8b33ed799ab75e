/**
 * 8-bit uniform quantization of a feature (the separate scheme's first step, as in the paper).
 *
 * Range rule: `feature` (default) uses one [min, max] for the whole tensor; `channel` uses one per
 * channel. The range travels as side information: two float32 per range (64 bits per feature, or
 * 64 * C bits per feature with `channel`), inside the same protected byte stream as the JPEG.
 * q = round((x - min) / step), step = (max - min) / 255; x' = min + q * step, so |x - x'| <= step / 2.
 * D1 is post-ReLU (min usually 0) but any finite values work; max == min gives step 0 and x' = min.
 */
import type { Feature } from '../../src/core/types.js';
import { UsageError } from '../../src/core/errors.js';

export type RangeRule = 'feature' | 'channel';

export interface QuantRange {
  rule: RangeRule;
  /** One entry (rule `feature`) or C entries (rule `channel`); float32 values, as sent. */
  min: Float32Array;
  max: Float32Array;
}

/** Side-information bits for a range rule: two float32 per range. */
export function rangeSideInfoBits(rule: RangeRule, channels: number): number {
  return (rule === 'feature' ? 1 : channels) * 2 * 32;
}

/** The quantization range of a feature (throws a UsageError on non-finite values). */
export function quantRange(feature: Feature, rule: RangeRule): QuantRange {
  const { data } = feature;
  const C = feature.shape[2];
  const nr = rule === 'feature' ? 1 : C;
  const min = new Float32Array(nr).fill(Infinity);
  const max = new Float32Array(nr).fill(-Infinity);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) throw new UsageError(`feature value ${v} at index ${i} is not allowed: features must be finite`);
    const r = nr === 1 ? 0 : i % C;
    if (v < min[r]) min[r] = v;
    if (v > max[r]) max[r] = v;
  }
  if (data.length === 0) { min.fill(0); max.fill(0); }
  return { rule, min, max };
}

/** Quantize an HWC feature to 8 bits with the given range. */
export function quantize8(feature: Feature, range: QuantRange, out = new Uint8Array(feature.data.length)): Uint8Array {
  const { data } = feature;
  const C = feature.shape[2];
  const nr = range.min.length;
  for (let i = 0; i < data.length; i++) {
    const r = nr === 1 ? 0 : i % C;
    const lo = range.min[r];
    const span = range.max[r] - lo;
    if (span > 0) {
      const q = Math.round(((data[i] - lo) / span) * 255);
      out[i] = q < 0 ? 0 : q > 255 ? 255 : q;
    } else {
      out[i] = 0;
    }
  }
  return out;
}

/** Back to float32: x' = min + q * (max - min) / 255. */
export function dequantize8(q: Uint8Array, channels: number, range: QuantRange, out = new Float32Array(q.length)): Float32Array {
  const nr = range.min.length;
  for (let i = 0; i < q.length; i++) {
    const r = nr === 1 ? 0 : i % channels;
    const lo = range.min[r];
    out[i] = lo + (q[i] * (range.max[r] - lo)) / 255;
  }
  return out;
}

/** Largest quantization step of a range (for the <= step / 2 error bound). */
export function maxStep(range: QuantRange): number {
  let s = 0;
  for (let r = 0; r < range.min.length; r++) s = Math.max(s, (range.max[r] - range.min[r]) / 255);
  return s;
}
