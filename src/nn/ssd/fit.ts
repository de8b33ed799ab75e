/**
 * Prior scales fitted to a data set's boxes. SSD's linear rule (Liu et al. 2016) assumes objects
 * spread over 0.1-0.9 of the image; when they do not, most priors never match (measured on the
 * shapes set: the 16x16 map held 66 % of the priors and got 3.5 % of the positives, and 16 % of
 * the boxes had no prior at IoU >= 0.5). Here the scale of each map (s_0..s_m, see priors.ts) is
 * chosen (non-decreasing from the finest map) by coordinate ascent on a grid to maximize, over the given boxes, the fraction that has
 * a prior at IoU >= threshold (coverage), then the mean number of such priors per box.
 */
import { priors } from './priors.js';
import { iouCenter } from './coding.js';

export interface PriorFitOptions {
  /** Feature-map sizes per scale. */
  sizes: number[];
  /** Priors per location per scale (4 or 6). */
  anchors: number[];
  /** IoU of a positive match (SSD: 0.5). */
  threshold?: number;
  /** Coordinate-ascent passes over the maps (default 3). */
  passes?: number;
  /** Fit on at most this many boxes (every k-th, in order; default 800): cost is boxes x priors. */
  maxBoxes?: number;
}

export interface PriorFit {
  /** s_0..s_m, rounded to 3 decimals. */
  scales: number[];
  /** Fraction of boxes with at least one prior at IoU >= threshold. */
  coverage: number;
  /** Mean number of priors at IoU >= threshold per box. */
  positivesPerBox: number;
}

/** Coverage and positives of `boxes` (cx, cy, w, h normalized, 4 per box) under the priors of `scales`. */
export function priorCoverage(boxes: Float32Array, o: PriorFitOptions, scales: number[]): { coverage: number; positivesPerBox: number } {
  const p = priors({ sizes: o.sizes, anchors: o.anchors, scales });
  const t = o.threshold ?? 0.5;
  const n = boxes.length / 4;
  let covered = 0, positives = 0;
  for (let b = 0; b < n; b++) {
    let hits = 0;
    for (let j = 0; j < p.length; j += 4) if (iouCenter(boxes, b * 4, p, j) >= t) hits++;
    if (hits > 0) covered++;
    positives += hits;
  }
  return { coverage: n ? covered / n : 0, positivesPerBox: n ? positives / n : 0 };
}

/** Fit s_0..s_m to `boxes` (see the file comment). Deterministic: no random draws. */
export function fitPriorScales(allBoxes: Float32Array, o: PriorFitOptions): PriorFit {
  const m = o.sizes.length;
  if (o.anchors.length !== m) throw new RangeError(`anchors has ${o.anchors.length} entries, sizes ${m}: they must match`);
  const total = allBoxes.length / 4;
  if (total === 0) throw new RangeError('fitPriorScales: no boxes');
  const every = Math.max(1, Math.ceil(total / (o.maxBoxes ?? 800)));
  const boxes = every === 1 ? allBoxes : Float32Array.from({ length: Math.ceil(total / every) * 4 }, (_, i) => allBoxes[(Math.floor(i / 4) * every) * 4 + (i % 4)]);
  const n = boxes.length / 4;
  // Start from the box-size quantiles 5 %..95 % spread over the maps.
  const side = Array.from({ length: n }, (_, b) => Math.sqrt(boxes[b * 4 + 2] * boxes[b * 4 + 3])).sort((a, b) => a - b);
  const q = (f: number) => side[Math.min(n - 1, Math.floor(f * (n - 1)))];
  const scales = Array.from({ length: m + 1 }, (_, k) => q(0.05 + (0.9 * Math.min(k, m - 1)) / Math.max(1, m - 1)));
  scales[m] = Math.min(1, Math.max(scales[m - 1] * 1.2, q(0.99)));
  const grid = Array.from({ length: 41 }, (_, i) => 0.04 * Math.pow(1 / 0.04, i / 40));
  const score = (s: number[]) => {
    const c = priorCoverage(boxes, o, s);
    return { ...c, value: c.coverage + 1e-3 * c.positivesPerBox };
  };
  let best = score(scales);
  for (let pass = 0; pass < (o.passes ?? 3); pass++) {
    let improved = false;
    for (let k = 0; k <= m; k++) {
      // Scales stay non-decreasing from the finest map to the coarsest, as in SSD.
      const lo = k > 0 ? scales[k - 1] : 0, hi = k < m ? scales[k + 1] : Infinity;
      for (const g of grid) {
        if (g < lo || g > hi) continue;
        const trial = scales.slice();
        trial[k] = g;
        const r = score(trial);
        if (r.value > best.value + 1e-12) { best = r; scales[k] = g; improved = true; }
      }
    }
    if (!improved) break;
  }
  return { scales: scales.map((s) => Math.round(s * 1000) / 1000), coverage: best.coverage, positivesPerBox: best.positivesPerBox };
}
