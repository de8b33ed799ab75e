/**
 * 95 % intervals of mAP@0.5, COCO AP@[.5:.95] and mIoU by the percentile bootstrap over images: resample the
 * evaluation images with replacement and recompute each metric, never rerunning the network.
 *
 * Everything image-dependent is computed once: for mAP (VOC all-point) the true/false-positive
 * flag of every detection, which depends on its own image only (greedy matching by score within an
 * image), the detections of each class in the metric's score order, and each image's number of
 * positives per class; for COCO AP the same at each of the 10 IoU thresholds (pycocotools'
 * per-image matching, cocoMatchImage); for mIoU each image's confusion matrix. A resample is a vector of image
 * multiplicities w: AP walks the score-ordered detections once accumulating w-weighted TP/FP (an
 * image drawn twice counts its detections twice, exactly as duplicating it would), and the
 * confusion matrix is the w-weighted sum. With w = 1 both give the point estimate bit for bit.
 */
import { Rng } from '../core/rng.js';
import { COCO_IOU_THRESHOLDS, COCO_RECALL_THRESHOLDS, cocoMatchImage, type Detection, type GroundTruth } from '../metrics/detection.js';
import { boxIoU } from '../metrics/iou.js';
import { ConfusionMatrix } from '../metrics/segmentation.js';
import type { PerImage } from './evaluate.js';

/** Stream of the bootstrap draws, below Rng(seed): the same resamples for every record of a sweep. */
export const BOOTSTRAP_STREAM = 0xb0075;

/** One class: detections in score order (image, flag 1 = TP, 0 = FP) and positives per image. */
interface ClassTable {
  image: Int32Array;
  tp: Uint8Array;
  npos: Float64Array;
}

export interface DetectionTable {
  images: number;
  classes: ClassTable[];
}

/** Match once (VOC devkit rule, IoU > thr strictly; crowd/difficult GT: detection ignored). */
export function detectionTable(dets: readonly Detection[][], gts: readonly GroundTruth[][], numClasses: number, iouThr = 0.5): DetectionTable {
  const n = dets.length;
  const classes: ClassTable[] = [];
  for (let c = 1; c <= numClasses; c++) {
    const npos = new Float64Array(n);
    const boxes: { box: GroundTruth['box']; ignore: boolean }[][] = [];
    for (let i = 0; i < n; i++) {
      const g = gts[i].filter((x) => x.label === c).map((x) => ({ box: x.box, ignore: !!(x.difficult || x.iscrowd) }));
      boxes.push(g);
      npos[i] = g.filter((x) => !x.ignore).length;
    }
    // The metric's order: all detections of the class in input order (image by image), stable by score.
    const all: { d: Detection; i: number }[] = [];
    for (let i = 0; i < n; i++) for (const d of dets[i]) if (d.label === c) all.push({ d, i });
    all.sort((p, q) => q.d.score - p.d.score);
    const used = boxes.map((g) => new Uint8Array(g.length));
    const image: number[] = [];
    const tp: number[] = [];
    for (const { d, i } of all) {
      let ovmax = -Infinity, jmax = -1;
      const g = boxes[i];
      for (let j = 0; j < g.length; j++) {
        const o = boxIoU(d.box, g[j].box);
        if (o > ovmax) { ovmax = o; jmax = j; }
      }
      let flag: number;
      if (g.length > 0 && ovmax > iouThr) {
        if (g[jmax].ignore) continue; // neither TP nor FP
        if (!used[i][jmax]) { flag = 1; used[i][jmax] = 1; } else flag = 0;
      } else flag = 0;
      image.push(i);
      tp.push(flag);
    }
    classes.push({ image: Int32Array.from(image), tp: Uint8Array.from(tp), npos });
  }
  return { images: n, classes };
}

/** Sum over images of multiplicity x per-image count (positives of a class in a resample). */
function weightedCount(w: Uint32Array, perImage: Float64Array): number {
  let n = 0;
  for (let i = 0; i < perImage.length; i++) n += w[i] * perImage[i];
  return n;
}

/**
 * mAP@thr of the images weighted by w (multiplicities); NaN when no class has a positive.
 * Only the true positives are stored: recall changes only there, and the precision envelope's
 * maxima lie there too (a false positive's precision is below that of the true positive before it),
 * so the area equals allPointAp (metrics/detection.ts) over every detection, bit for bit (same
 * operations in the same order: envelope from the right, recall steps summed from the left).
 */
export function weightedMap(t: DetectionTable, w: Uint32Array, scratch?: { rec: Float64Array; prec: Float64Array }): number {
  let sum = 0, present = 0;
  for (const c of t.classes) {
    const npos = weightedCount(w, c.npos);
    if (npos === 0) continue;
    const nd = c.image.length;
    const rec = scratch && scratch.rec.length >= nd ? scratch.rec : new Float64Array(nd);
    const prec = scratch && scratch.prec.length >= nd ? scratch.prec : new Float64Array(nd);
    const img = c.image, flag = c.tp;
    let tp = 0, fp = 0, m = 0;
    for (let k = 0; k < nd; k++) {
      const wi = w[img[k]];
      if (wi === 0) continue;
      if (flag[k]) {
        tp += wi;
        rec[m] = tp / npos;
        prec[m] = tp / (tp + fp);
        m++;
      } else fp += wi;
    }
    let next = 0; // envelope from the right; the point past the end has precision 0
    for (let i = m - 1; i >= 0; i--) {
      if (next > prec[i]) prec[i] = next;
      next = prec[i];
    }
    let ap = 0, prevRec = 0;
    for (let i = 0; i < m; i++) {
      if (rec[i] !== prevRec) ap += (rec[i] - prevRec) * prec[i];
      prevRec = rec[i];
    }
    sum += ap;
    present++;
  }
  return present > 0 ? sum / present : NaN;
}

/**
 * One class for COCO AP: its detections in the metric's order (images by id, stable by score), and
 * per IoU threshold the positions of the true positives and of the ignored detections (matched a
 * crowd / difficult GT). Every other detection is a false positive at that threshold.
 */
interface CocoClassTable {
  /** Image of detection k (score order). */
  image: Int32Array;
  /** tp[t]: positions k (ascending) of the true positives at threshold t. */
  tp: Int32Array[];
  ignored: Int32Array[];
  /** Non-ignored GTs per image. */
  npig: Float64Array;
}

export interface CocoTable {
  images: number;
  thresholds: readonly number[];
  classes: CocoClassTable[];
}

/**
 * Match once, as cocoAP (metrics/detection.ts) does: per image and class the maxDets best
 * detections, greedy matching at each threshold (cocoMatchImage); then all detections of a class in
 * the metric's order.
 */
export function cocoTable(dets: readonly Detection[][], gts: readonly GroundTruth[][], numClasses: number, maxDets = 100): CocoTable {
  const n = dets.length;
  const T = COCO_IOU_THRESHOLDS.length;
  const idOf = (i: number) => dets[i][0]?.imageId ?? gts[i][0]?.imageId ?? i;
  const imageOrder = Array.from({ length: n }, (_, i) => i).sort((a, b) => idOf(a) - idOf(b));
  const classes: CocoClassTable[] = [];
  for (let c = 1; c <= numClasses; c++) {
    const npig = new Float64Array(n);
    const image: number[] = [], scores: number[] = [];
    const m: number[][] = Array.from({ length: T }, () => []), ig: number[][] = Array.from({ length: T }, () => []);
    for (const i of imageOrder) {
      const g = gts[i].filter((x) => x.label === c);
      npig[i] = g.filter((x) => !(x.iscrowd || x.difficult)).length;
      const dt = dets[i].filter((x) => x.label === c).sort((p, q) => q.score - p.score).slice(0, maxDets);
      if (dt.length === 0) continue;
      const r = cocoMatchImage(dt, g, COCO_IOU_THRESHOLDS);
      for (let t = 0; t < T; t++) for (let k = 0; k < dt.length; k++) { m[t].push(r[t].m[k]); ig[t].push(r[t].ig[k]); }
      for (const d of dt) { image.push(i); scores.push(d.score); }
    }
    const order = scores.map((_, k) => k).sort((a, b) => scores[b] - scores[a]);
    const tp: Int32Array[] = [], ignored: Int32Array[] = [];
    for (let t = 0; t < T; t++) {
      const tpT: number[] = [], igT: number[] = [];
      order.forEach((k, q) => { if (ig[t][k]) igT.push(q); else if (m[t][k]) tpT.push(q); });
      tp.push(Int32Array.from(tpT));
      ignored.push(Int32Array.from(igT));
    }
    classes.push({ image: Int32Array.from(order.map((k) => image[k])), tp, ignored, npig });
  }
  return { images: n, thresholds: COCO_IOU_THRESHOLDS, classes };
}

/**
 * COCO AP@[.5:.95] of the images weighted by w; NaN when no class has a positive. With w = 1 it
 * equals cocoAP(...).ap bit for bit; an image of weight 2 counts its detections twice, as
 * duplicating the image would (up to score ties across images).
 *
 * Only the true positives are walked (one prefix sum of the weights per class serves every
 * threshold): recall changes only there, the precision envelope's maxima lie there (a false
 * positive's precision is below that of the point before it, or 0), and the first detection that
 * reaches a recall threshold is one of them (at recall 0, the first detection, whose envelope is the
 * same maximum). So the sampled precisions, and their sum in the same order, equal pycocotools'.
 */
export function weightedCocoAp(t: CocoTable, w: Uint32Array, scratch?: { rc: Float64Array; pr: Float64Array; before?: Float64Array }): number {
  const T = t.thresholds.length;
  const R = COCO_RECALL_THRESHOLDS;
  let sum = 0, present = 0;
  for (const c of t.classes) {
    const npig = weightedCount(w, c.npig);
    if (npig === 0) continue;
    const nd = c.image.length;
    // before[k]: weight of the detections ahead of k.
    const before = scratch?.before && scratch.before.length >= nd + 1 ? scratch.before : new Float64Array(nd + 1);
    for (let k = 0; k < nd; k++) before[k + 1] = before[k] + w[c.image[k]];
    let maxTp = 0;
    for (const x of c.tp) maxTp = Math.max(maxTp, x.length);
    const rc = scratch && scratch.rc.length >= maxTp ? scratch.rc : new Float64Array(maxTp);
    const pr = scratch && scratch.pr.length >= maxTp ? scratch.pr : new Float64Array(maxTp);
    let apSum = 0;
    for (let th = 0; th < T; th++) {
      const tpAt = c.tp[th], igAt = c.ignored[th];
      let tp = 0, ign = 0, g = 0, m = 0;
      for (let j = 0; j < tpAt.length; j++) {
        const k = tpAt[j];
        const wi = w[c.image[k]];
        if (wi === 0) continue;
        while (g < igAt.length && igAt[g] < k) ign += w[c.image[igAt[g++]]];
        const fp = before[k] - tp - ign; // the false positives ahead of k
        tp += wi;
        rc[m] = tp / npig;
        pr[m] = tp / (tp + fp);
        m++;
      }
      // interp101 (metrics/detection.ts) over these points: envelope from the right, then the
      // precision at the first point reaching each recall threshold.
      for (let i = m - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
      let s = 0, i = 0;
      for (let q = 0; q < R.length; q++) {
        while (i < m && rc[i] < R[q]) i++;
        if (i >= m) break;
        s += pr[i];
      }
      apSum += s / R.length;
    }
    sum += apSum / T;
    present++;
  }
  return present > 0 ? sum / present : NaN;
}

/** mIoU of the w-weighted sum of per-image confusion matrices. */
export function weightedMiou(cms: readonly Float64Array[], k: number, w: Uint32Array): number {
  const cm = new ConfusionMatrix(k);
  for (let i = 0; i < cms.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const src = cms[i];
    for (let j = 0; j < src.length; j++) cm.counts[j] += wi * src[j];
  }
  return cm.miou();
}

/** The percentile-bootstrap resamples: `resamples` multiplicity vectors over n images. */
export function resampleWeights(n: number, resamples: number, seed: number): Uint32Array[] {
  const rng = new Rng(seed).split(BOOTSTRAP_STREAM, n);
  const out: Uint32Array[] = [];
  for (let b = 0; b < resamples; b++) {
    const w = new Uint32Array(n);
    for (let i = 0; i < n; i++) w[rng.int(n)]++;
    out.push(w);
  }
  return out;
}

/** The (q)-quantile of sorted values, linear between order statistics (R type 7, numpy default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const h = (n - 1) * q;
  const lo = Math.floor(h), hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** [2.5 %, 97.5 %] of the finite values; null when there are none. */
export function percentileInterval(values: readonly number[]): [number, number] | null {
  const v = Float64Array.from(values.filter((x) => Number.isFinite(x))).sort();
  if (v.length === 0) return null;
  return [quantile(v, 0.025), quantile(v, 0.975)];
}

export interface Ci95 {
  mAP?: [number, number];
  mIoU?: [number, number];
  cocoAP?: [number, number];
}

/** The 95 % intervals of one work item's metrics under the given resamples (`coco`: its table, if built already). */
export function bootstrapCi(per: PerImage, numClasses: number, weights: readonly Uint32Array[], tasks: { det: boolean; seg: boolean }, coco?: CocoTable): Ci95 {
  const out: Ci95 = {};
  if (weights.length === 0) return out;
  if (tasks.det) {
    const t = detectionTable(per.dets, per.gts, numClasses);
    const maxNd = Math.max(0, ...t.classes.map((c) => c.image.length));
    const scratch = { rec: new Float64Array(maxNd), prec: new Float64Array(maxNd) };
    const ci = percentileInterval(weights.map((w) => weightedMap(t, w, scratch)));
    if (ci) out.mAP = ci;
    const ct = coco ?? cocoTable(per.dets, per.gts, numClasses);
    const cocoNd = Math.max(0, ...ct.classes.map((c) => c.image.length));
    const cs = { rc: new Float64Array(cocoNd), pr: new Float64Array(cocoNd), before: new Float64Array(cocoNd + 1) };
    const cc = percentileInterval(weights.map((w) => weightedCocoAp(ct, w, cs)));
    if (cc) out.cocoAP = cc;
  }
  if (tasks.seg) {
    const ci = percentileInterval(weights.map((w) => weightedMiou(per.cms, numClasses + 1, w)));
    if (ci) out.mIoU = ci;
  }
  return out;
}
