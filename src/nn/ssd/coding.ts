/**
 * SSD box coding with variances (0.1, 0.2) (the Caffe SSD / ssd.pytorch convention):
 *   t = ((g_cx - p_cx) / (v0 p_w), (g_cy - p_cy) / (v0 p_h), log(g_w / p_w) / v1, log(g_h / p_h) / v1).
 * All boxes normalized centre form (cx, cy, w, h).
 */
export const VARIANCES: readonly [number, number] = [0.1, 0.2];

/** Encode box `g` (4 values at gi) against prior `p` (at pi) into `out` at oi. */
export function encodeBox(g: ArrayLike<number>, gi: number, p: ArrayLike<number>, pi: number, out: Float32Array, oi: number): void {
  const [v0, v1] = VARIANCES;
  out[oi] = (g[gi] - p[pi]) / (v0 * p[pi + 2]);
  out[oi + 1] = (g[gi + 1] - p[pi + 1]) / (v0 * p[pi + 3]);
  out[oi + 2] = Math.log(Math.max(g[gi + 2], 1e-8) / p[pi + 2]) / v1;
  out[oi + 3] = Math.log(Math.max(g[gi + 3], 1e-8) / p[pi + 3]) / v1;
}

/** Decode offsets `t` (at ti) against prior `p` (at pi) into a centre-form box in `out` at oi. */
export function decodeBox(t: ArrayLike<number>, ti: number, p: ArrayLike<number>, pi: number, out: Float32Array, oi: number): void {
  const [v0, v1] = VARIANCES;
  out[oi] = p[pi] + t[ti] * v0 * p[pi + 2];
  out[oi + 1] = p[pi + 1] + t[ti + 1] * v0 * p[pi + 3];
  // Clamp the exponent: an untrained net can emit huge offsets; exp(>~88) is Infinity in float32.
  out[oi + 2] = p[pi + 2] * Math.exp(Math.min(t[ti + 2] * v1, 10));
  out[oi + 3] = p[pi + 3] * Math.exp(Math.min(t[ti + 3] * v1, 10));
}

/** Encode every box of a P x 4 array against P priors. */
export function encodeBoxes(boxes: Float32Array, priorBoxes: Float32Array, out = new Float32Array(boxes.length)): Float32Array {
  if (boxes.length !== priorBoxes.length) throw new RangeError(`boxes (${boxes.length / 4}) and priors (${priorBoxes.length / 4}) must have equal counts`);
  for (let i = 0; i < boxes.length; i += 4) encodeBox(boxes, i, priorBoxes, i, out, i);
  return out;
}

/** Decode P x 4 offsets against P priors (centre form out). */
export function decodeBoxes(offsets: ArrayLike<number>, priorBoxes: Float32Array, out = new Float32Array(priorBoxes.length)): Float32Array {
  if (offsets.length !== priorBoxes.length) throw new RangeError(`offsets (${offsets.length / 4}) and priors (${priorBoxes.length / 4}) must have equal counts`);
  for (let i = 0; i < priorBoxes.length; i += 4) decodeBox(offsets, i, priorBoxes, i, out, i);
  return out;
}

/** IoU of two centre-form boxes. */
export function iouCenter(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number): number {
  const ax0 = a[ai] - a[ai + 2] / 2, ax1 = a[ai] + a[ai + 2] / 2, ay0 = a[ai + 1] - a[ai + 3] / 2, ay1 = a[ai + 1] + a[ai + 3] / 2;
  const bx0 = b[bi] - b[bi + 2] / 2, bx1 = b[bi] + b[bi + 2] / 2, by0 = b[bi + 1] - b[bi + 3] / 2, by1 = b[bi + 1] + b[bi + 3] / 2;
  const iw = Math.min(ax1, bx1) - Math.max(ax0, bx0);
  const ih = Math.min(ay1, by1) - Math.max(ay0, by0);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = a[ai + 2] * a[ai + 3] + b[bi + 2] * b[bi + 3] - inter;
  return union > 0 ? inter / union : 0;
}
