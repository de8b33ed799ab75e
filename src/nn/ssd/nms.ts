/**
 * Greedy non-maximum suppression on corner-form boxes (x0, y0, x1, y1): visit candidates by
 * descending score (ties: lower index first), keep one unless it overlaps an already kept box with
 * IoU > iouThreshold. Returns kept indices, best first.
 */
export function nms(boxes: ArrayLike<number>, scores: ArrayLike<number>, candidates: number[], iouThreshold: number, maxKeep = Infinity): number[] {
  const order = candidates.slice().sort((a, b) => (scores[b] - scores[a]) || (a - b));
  const keep: number[] = [];
  for (const i of order) {
    if (keep.length >= maxKeep) break;
    let ok = true;
    for (const j of keep) {
      if (iouCorner(boxes, i * 4, boxes, j * 4) > iouThreshold) { ok = false; break; }
    }
    if (ok) keep.push(i);
  }
  return keep;
}

export function iouCorner(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number): number {
  const iw = Math.min(a[ai + 2], b[bi + 2]) - Math.max(a[ai], b[bi]);
  const ih = Math.min(a[ai + 3], b[bi + 3]) - Math.max(a[ai + 1], b[bi + 1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a[ai + 2] - a[ai]) * (a[ai + 3] - a[ai + 1]) + (b[bi + 2] - b[bi]) * (b[bi + 3] - b[bi + 1]) - inter;
  return union > 0 ? inter / union : 0;
}
