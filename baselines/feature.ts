/**
 * Features for `link`: validation of a user's tensor and a seeded post-ReLU-like random feature.
 */
import type { Feature } from '../src/core/types.js';
import type { Rng } from '../src/core/rng.js';
import { UsageError } from '../src/core/errors.js';

/** Wrap HWC data as a Feature, checking the shape (a leading batch dimension of 1 is dropped). */
export function toFeature(data: Float32Array, shape: readonly number[], what = 'feature'): Feature {
  let s = [...shape];
  if (s.length === 4 && s[0] === 1) s = s.slice(1);
  if (s.length !== 3 || s.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new UsageError(`${what} shape (${shape.join(', ')}) is not allowed: use H, W, C (or 1, H, W, C) with every size >= 1`);
  }
  if (data.length !== s[0] * s[1] * s[2]) throw new UsageError(`${what} has ${data.length} values, shape (${s.join(', ')}) needs ${s[0] * s[1] * s[2]}`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new UsageError(`${what} value ${data[i]} at index ${i} is not allowed: values must be finite`);
  }
  return { data, shape: [s[0], s[1], s[2]] };
}

/**
 * A post-ReLU-like HWC feature drawn from rng: per channel a smooth field (4 random plane waves,
 * spatial periods of 4 pixels or more) plus 30% white noise, scaled by a in [0.5, 2] and shifted
 * by b ~ N(-0.2, 0.3^2), then ReLU, so about half the values are 0 and the rest are spatially
 * correlated like a CNN feature map. Deterministic for a given rng stream.
 */
export function randomFeature(shape: readonly [number, number, number], rng: Rng): Feature {
  const [H, W, C] = shape;
  const data = new Float32Array(H * W * C);
  const plane = new Float64Array(H * W);
  for (let c = 0; c < C; c++) {
    plane.fill(0);
    for (let j = 0; j < 4; j++) {
      const fx = (rng.uniform() * 2 - 1) * 0.25; // cycles per pixel, |f| <= 0.25
      const fy = (rng.uniform() * 2 - 1) * 0.25;
      const ph = rng.uniform() * 2 * Math.PI;
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) plane[y * W + x] += Math.cos(2 * Math.PI * (fx * x + fy * y) + ph) / 2;
    }
    const a = 0.5 + 1.5 * rng.uniform();
    const b = -0.2 + 0.3 * rng.gaussian();
    for (let p = 0; p < H * W; p++) {
      const v = a * (plane[p] + 0.3 * rng.gaussian()) + b;
      data[p * C + c] = v > 0 ? v : 0;
    }
  }
  return { data, shape: [H, W, C] };
}
