/**
 * SSD matching (Liu et al. 2016, Sec. 2.2): every ground-truth box takes its best-overlapping
 * prior; every other prior whose best IoU with a ground truth is >= threshold (0.5) takes that
 * ground truth. Other priors are background (label 0).
 */
import { encodeBox, iouCenter } from './coding.js';

export interface MatchTargets {
  /** Class target per prior: 0 background, 1..K. */
  labels: Int32Array;
  /** Encoded offsets per prior (P x 4); zero for background priors. */
  offsets: Float32Array;
  /** Number of positive priors. */
  numPositive: number;
}

/**
 * gtBoxes: G x 4 normalized centre form, gtLabels: G labels in 1..K, priorBoxes: P x 4.
 * Writes into `out` when given (buffers reused across a batch).
 */
export function matchPriors(gtBoxes: Float32Array, gtLabels: ArrayLike<number>, priorBoxes: Float32Array,
  threshold = 0.5, out?: MatchTargets): MatchTargets {
  const P = priorBoxes.length / 4;
  const G = gtLabels.length;
  if (gtBoxes.length !== G * 4) throw new RangeError(`gtBoxes has ${gtBoxes.length / 4} boxes but gtLabels ${G}`);
  const t: MatchTargets = out ?? { labels: new Int32Array(P), offsets: new Float32Array(P * 4), numPositive: 0 };
  t.labels.fill(0);
  t.offsets.fill(0);
  t.numPositive = 0;
  if (G === 0) return t;
  const bestGt = new Int32Array(P).fill(-1);
  const bestIou = new Float32Array(P);
  const gtBestPrior = new Int32Array(G).fill(-1);
  const gtBestIou = new Float32Array(G).fill(-1);
  for (let p = 0; p < P; p++) {
    for (let g = 0; g < G; g++) {
      const iou = iouCenter(priorBoxes, p * 4, gtBoxes, g * 4);
      if (iou > bestIou[p]) { bestIou[p] = iou; bestGt[p] = g; }
      if (iou > gtBestIou[g]) { gtBestIou[g] = iou; gtBestPrior[g] = p; }
    }
  }
  // Forced matches win over threshold matches (later GTs win ties on the same prior, as ssd.pytorch).
  for (let g = 0; g < G; g++) {
    const p = gtBestPrior[g];
    if (p >= 0) { bestGt[p] = g; bestIou[p] = 2; }
  }
  for (let p = 0; p < P; p++) {
    if (bestIou[p] < threshold || bestGt[p] < 0) continue;
    const g = bestGt[p];
    t.labels[p] = gtLabels[g];
    encodeBox(gtBoxes, g * 4, priorBoxes, p * 4, t.offsets, p * 4);
    t.numPositive++;
  }
  return t;
}

/**
 * Hard-negative mining: keep all positives and the `ratio` x numPositive background priors with
 * the highest classification loss (`bgLoss`, per prior). An image without positives keeps `ratio`
 * negatives (so empty images still teach "background"). Returns a 0/1 mask over priors.
 */
export function hardNegativeMask(labels: Int32Array, bgLoss: ArrayLike<number>, ratio = 3, out?: Float32Array): Float32Array {
  const P = labels.length;
  const mask = out ?? new Float32Array(P);
  mask.fill(0);
  let numPos = 0;
  const neg: number[] = [];
  for (let p = 0; p < P; p++) {
    if (labels[p] > 0) { mask[p] = 1; numPos++; } else neg.push(p);
  }
  const numNeg = Math.min(neg.length, ratio * Math.max(numPos, 1));
  // Stable: ties keep prior order.
  neg.sort((a, b) => (bgLoss[b] - bgLoss[a]) || (a - b));
  for (let i = 0; i < numNeg; i++) mask[neg[i]] = 1;
  return mask;
}
