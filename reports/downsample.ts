/**
 * Dense curves (a training log's loss per step) drawn as bin means: consecutive points grouped
 * `per` at a time so that at most `maxPoints` remain, each bin drawn at its mean x and mean y.
 * A 5500-step log with five loss parts is 33k points and a 12 MB SVG; 400 bins per series keep the
 * shape (and smooth the per-batch noise, as TensorBoard's smoothing does) at a few hundred kB.
 */

export interface XY {
  x: number;
  y: number;
}

/** Bin means of `points` (in x order; non-finite y dropped first) and the bin size used. */
export function binMeans<T extends XY>(points: readonly T[], maxPoints: number): { points: T[]; per: number } {
  if (!Number.isInteger(maxPoints) || maxPoints < 1) throw new RangeError(`maxPoints ${maxPoints} is not allowed: use an integer >= 1`);
  const finite = points.filter((p) => Number.isFinite(p.y) && Number.isFinite(p.x));
  const per = Math.max(1, Math.ceil(finite.length / maxPoints));
  if (per === 1) return { points: finite, per };
  const out: T[] = [];
  for (let i = 0; i < finite.length; i += per) {
    const bin = finite.slice(i, i + per);
    let sx = 0, sy = 0;
    for (const p of bin) { sx += p.x; sy += p.y; }
    out.push({ ...bin[0], x: sx / bin.length, y: sy / bin.length });
  }
  return { points: out, per };
}
