/**
 * Detection metrics: average precision per class and its mean over classes.
 *
 * Two reference definitions, each reproduced with its own matching rule and interpolation:
 *
 * - `voc-all-point` (PASCAL VOC 2010+ devkit, `voc_eval`; the paper's mAP@0.5). Detections of a
 *   class are sorted by score; each takes the ground truth (GT) of its image with the largest IoU.
 *   IoU > threshold (strictly) and that GT unmatched: true positive, and the GT is used up. That GT
 *   already matched: false positive (a duplicate), even if another GT overlaps enough. IoU not above
 *   the threshold: false positive. A `difficult` (or `iscrowd`) GT neither counts in the number of
 *   positives nor scores a detection that matches it: such a detection is ignored. AP is the area
 *   under the precision envelope (precision made monotone from the right) at every recall step.
 *   No limit on detections per image.
 * - `coco-101` (pycocotools `COCOeval`, bbox, area range "all"). Detections of one class in one
 *   image are sorted by score and cut to `maxDets` (100). Each takes, among GTs not yet matched, the
 *   one with the largest IoU >= threshold, preferring ordinary GTs over ignored ones (`iscrowd` or
 *   `difficult`); a crowd GT may absorb any number of detections, with overlap measured as
 *   intersection over the detection's area. A detection matched to an ignored GT is ignored.
 *   Precision is read from the envelope at the 101 recall points 0, 0.01, ..., 1 (0 beyond the
 *   largest recall reached) and averaged.
 *
 * Conventions shared by both:
 * - A class with no (non-ignored) GT anywhere has no AP: `null`, excluded from the mean, as in
 *   pycocotools (-1 entries). Its detections are therefore not penalized. When no class has a GT,
 *   the mean is NaN (undefined), never a made-up 0 or 1.
 * - A class with GTs and no detection has AP 0, so an empty prediction set gives mAP 0.
 * - Ties in score keep the input order (stable sort; for `coco-101` image ids ascending, then input
 *   order, as pycocotools' mergesort over images in id order). A tie between a true and a false
 *   positive therefore depends on that order; pass detections in a defined order.
 * - Boxes are continuous pixel coordinates (no VOC "+1").
 */
import type { Box } from '../data/types.js';
import { boxIoU, crowdOverlap } from './iou.js';

export interface Detection {
  imageId: number;
  /** Contiguous class label 1..numClasses. */
  label: number;
  score: number;
  box: Box;
}

export interface GroundTruth {
  imageId: number;
  /** Contiguous class label 1..numClasses. */
  label: number;
  box: Box;
  /** VOC "difficult": neither a positive to find nor an error when found. */
  difficult?: boolean;
  /** COCO crowd region: ignored like `difficult`; under `coco-101` it absorbs any overlapping detections. */
  iscrowd?: boolean;
}

export type ApMethod = 'voc-all-point' | 'coco-101';

export interface MapOptions {
  /** IoU threshold for a match. Default 0.5. */
  iou?: number;
  /** Default 'voc-all-point'. */
  method?: ApMethod;
  /** Number of object classes (labels 1..numClasses). */
  numClasses: number;
  /** Detections kept per image and class, highest scores first. Default: Infinity (VOC), 100 (COCO). */
  maxDets?: number;
}

export interface MapResult {
  /** Mean of the non-null per-class APs; NaN when every class is null. */
  map: number;
  /** AP indexed by label: perClass[0] (background) is always null; null where a class has no GT. */
  perClass: (number | null)[];
}

export interface CocoApResult {
  /** Mean over classes and IoU thresholds 0.50:0.05:0.95 of the 101-point AP. */
  ap: number;
  /** The same at IoU 0.50 and 0.75. */
  ap50: number;
  ap75: number;
  /** Per class (index = label; 0 and classes without GT are null): AP averaged over the 10 thresholds. */
  perClass: (number | null)[];
}

/** pycocotools' thresholds: np.linspace(.5, .95, 10) and np.linspace(0, 1, 101), reproduced bit for bit. */
export const COCO_IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) =>
  i === 9 ? 0.95 : 0.5 + i * ((0.95 - 0.5) / 9));
export const COCO_RECALL_THRESHOLDS: readonly number[] = Array.from({ length: 101 }, (_, i) =>
  i === 100 ? 1 : i * 0.01);

/** Mean average precision at one IoU threshold. */
export function meanAveragePrecision(dets: readonly Detection[], gts: readonly GroundTruth[], options: MapOptions): MapResult {
  const method = options.method ?? 'voc-all-point';
  const iou = options.iou ?? 0.5;
  if (!(iou > 0 && iou <= 1)) throw new RangeError(`iou ${iou} is not allowed: use a number in (0, 1]`);
  if (method !== 'voc-all-point' && method !== 'coco-101') {
    throw new RangeError(`method ${JSON.stringify(method)} is not allowed: use voc-all-point or coco-101`);
  }
  const maxDets = options.maxDets ?? (method === 'coco-101' ? 100 : Infinity);
  const byClass = groupByClass(dets, gts, options.numClasses);
  const perClass: (number | null)[] = [null];
  for (let c = 1; c <= options.numClasses; c++) {
    const { d, g } = byClass[c];
    perClass.push(method === 'voc-all-point'
      ? vocClassAp(d, g, iou, maxDets)
      : coco101ClassAp(d, g, [iou], maxDets)?.[0] ?? null);
  }
  return { map: meanOfPresent(perClass), perClass };
}

/** COCO box AP: 101-point AP averaged over IoU 0.50:0.05:0.95 and classes, with AP50 and AP75. */
export function cocoAP(dets: readonly Detection[], gts: readonly GroundTruth[], numClasses: number,
  options: { maxDets?: number } = {}): CocoApResult {
  const maxDets = options.maxDets ?? 100;
  const byClass = groupByClass(dets, gts, numClasses);
  const perClass: (number | null)[] = [null];
  const at50: (number | null)[] = [null];
  const at75: (number | null)[] = [null];
  for (let c = 1; c <= numClasses; c++) {
    const aps = coco101ClassAp(byClass[c].d, byClass[c].g, COCO_IOU_THRESHOLDS, maxDets);
    perClass.push(aps ? aps.reduce((s, v) => s + v, 0) / aps.length : null);
    at50.push(aps ? aps[0] : null);
    at75.push(aps ? aps[5] : null);
  }
  return { ap: meanOfPresent(perClass), ap50: meanOfPresent(at50), ap75: meanOfPresent(at75), perClass };
}

// ---------------------------------------------------------------------------------------------

interface ClassData {
  d: Detection[];
  g: GroundTruth[];
}

function checkBox(b: Box, what: string): void {
  if (!(Number.isFinite(b.x) && Number.isFinite(b.y) && Number.isFinite(b.w) && Number.isFinite(b.h)) || b.w < 0 || b.h < 0) {
    throw new RangeError(`${what} box ${JSON.stringify(b)} is not allowed: use finite x, y and w, h >= 0`);
  }
}

function groupByClass(dets: readonly Detection[], gts: readonly GroundTruth[], numClasses: number): ClassData[] {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`numClasses ${numClasses} is not allowed: use an integer >= 1`);
  }
  const out: ClassData[] = Array.from({ length: numClasses + 1 }, () => ({ d: [], g: [] }));
  for (const d of dets) {
    if (!Number.isInteger(d.label) || d.label < 1 || d.label > numClasses) {
      throw new RangeError(`detection label ${d.label} is not allowed: use 1..${numClasses}`);
    }
    if (!Number.isFinite(d.score)) throw new RangeError(`detection score ${d.score} is not allowed: use a finite number`);
    checkBox(d.box, 'detection');
    out[d.label].d.push(d);
  }
  for (const g of gts) {
    if (!Number.isInteger(g.label) || g.label < 1 || g.label > numClasses) {
      throw new RangeError(`ground-truth label ${g.label} is not allowed: use 1..${numClasses}`);
    }
    checkBox(g.box, 'ground-truth');
    out[g.label].g.push(g);
  }
  return out;
}

function meanOfPresent(v: readonly (number | null)[]): number {
  let s = 0;
  let n = 0;
  for (const x of v) if (x !== null) { s += x; n++; }
  return n > 0 ? s / n : NaN;
}

/** Stable sort by score, descending (Array.prototype.sort is stable since ES2019). */
function byScoreDesc<T extends { score: number }>(a: readonly T[]): T[] {
  return [...a].sort((p, q) => q.score - p.score);
}

/** Keep the `maxDets` highest-scoring detections of each image (ties: input order). */
function capPerImage(dets: Detection[], maxDets: number): Detection[] {
  if (!(maxDets < dets.length)) return dets;
  const count = new Map<number, number>();
  const kept: Detection[] = [];
  for (const d of byScoreDesc(dets)) {
    const k = count.get(d.imageId) ?? 0;
    if (k < maxDets) { kept.push(d); count.set(d.imageId, k + 1); }
  }
  return kept;
}

/** VOC devkit AP for one class; null when the class has no non-ignored GT. */
function vocClassAp(dets: Detection[], gts: GroundTruth[], iouThr: number, maxDets: number): number | null {
  const byImage = new Map<number, { boxes: Box[]; ignore: boolean[]; used: Uint8Array }>();
  let npos = 0;
  for (const g of gts) {
    let e = byImage.get(g.imageId);
    if (!e) { e = { boxes: [], ignore: [], used: new Uint8Array(0) }; byImage.set(g.imageId, e); }
    const ign = !!(g.difficult || g.iscrowd);
    e.boxes.push(g.box);
    e.ignore.push(ign);
    if (!ign) npos++;
  }
  if (npos === 0) return null;
  for (const e of byImage.values()) e.used = new Uint8Array(e.boxes.length);
  const sorted = byScoreDesc(capPerImage(dets, maxDets));
  const nd = sorted.length;
  const rec = new Float64Array(nd);
  const prec = new Float64Array(nd);
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < nd; i++) {
    const d = sorted[i];
    const e = byImage.get(d.imageId);
    let ovmax = -Infinity;
    let jmax = -1;
    if (e) {
      for (let j = 0; j < e.boxes.length; j++) {
        const o = boxIoU(d.box, e.boxes[j]);
        if (o > ovmax) { ovmax = o; jmax = j; }
      }
    }
    if (e && ovmax > iouThr) {
      if (e.ignore[jmax]) { /* matched a difficult GT: neither TP nor FP */ }
      else if (!e.used[jmax]) { tp++; e.used[jmax] = 1; }
      else fp++;
    } else fp++;
    rec[i] = tp / npos;
    prec[i] = tp + fp > 0 ? tp / (tp + fp) : 0;
  }
  return allPointAp(rec, prec);
}

/** Area under the precision envelope (VOC 2010+): mrec = [0, rec, 1], mpre = [0, prec, 0]. */
export function allPointAp(rec: ArrayLike<number>, prec: ArrayLike<number>): number {
  const n = rec.length;
  const mrec = new Float64Array(n + 2);
  const mpre = new Float64Array(n + 2);
  for (let i = 0; i < n; i++) { mrec[i + 1] = rec[i]; mpre[i + 1] = prec[i]; }
  mrec[n + 1] = 1;
  for (let i = n; i >= 0; i--) mpre[i] = Math.max(mpre[i], mpre[i + 1]);
  let ap = 0;
  for (let i = 0; i <= n; i++) if (mrec[i + 1] !== mrec[i]) ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
  return ap;
}

/** One image's detections at one IoU threshold: matched (1) and ignored (1: matched a crowd/difficult GT). */
export interface CocoImageMatch {
  m: Uint8Array;
  ig: Uint8Array;
}

/**
 * pycocotools evaluateImg for one image and class: `dt` already sorted by score and cut to maxDets,
 * greedy matching at each threshold (crowd GTs absorb any number of detections).
 */
export function cocoMatchImage(dt: readonly Detection[], gRaw: readonly GroundTruth[], thresholds: readonly number[]): CocoImageMatch[] {
  // Ordinary GTs first, ignored ones last (stable), as pycocotools sorts by gtIg.
  const gt = [...gRaw.filter((g) => !(g.iscrowd || g.difficult)), ...gRaw.filter((g) => g.iscrowd || g.difficult)];
  const gIg = gt.map((g) => !!(g.iscrowd || g.difficult));
  const gCrowd = gt.map((g) => !!g.iscrowd);
  const ious = dt.map((d) => gt.map((g) => (g.iscrowd ? crowdOverlap(d.box, g.box) : boxIoU(d.box, g.box))));
  const res: CocoImageMatch[] = [];
  for (let t = 0; t < thresholds.length; t++) {
    const gtm = new Uint8Array(gt.length);
    const m = new Uint8Array(dt.length);
    const ig = new Uint8Array(dt.length);
    for (let di = 0; di < dt.length; di++) {
      let best = Math.min(thresholds[t], 1 - 1e-10);
      let mi = -1;
      for (let gi = 0; gi < gt.length; gi++) {
        if (gtm[gi] && !gCrowd[gi]) continue;
        if (mi > -1 && !gIg[mi] && gIg[gi]) break;
        if (ious[di][gi] < best) continue;
        best = ious[di][gi];
        mi = gi;
      }
      if (mi === -1) continue;
      ig[di] = gIg[mi] ? 1 : 0;
      m[di] = 1;
      gtm[mi] = 1;
    }
    res.push({ m, ig });
  }
  return res;
}

/**
 * pycocotools evaluateImg + accumulate for one class at several IoU thresholds. Returns one AP per
 * threshold, or null when the class has no non-ignored GT.
 */
function coco101ClassAp(dets: Detection[], gts: GroundTruth[], thresholds: readonly number[], maxDets: number): number[] | null {
  const T = thresholds.length;
  const gtByImage = new Map<number, GroundTruth[]>();
  let npig = 0;
  for (const g of gts) {
    const ign = !!(g.iscrowd || g.difficult);
    if (!ign) npig++;
    let a = gtByImage.get(g.imageId);
    if (!a) { a = []; gtByImage.set(g.imageId, a); }
    a.push(g);
  }
  if (npig === 0) return null;
  const dtByImage = new Map<number, Detection[]>();
  for (const d of dets) {
    let a = dtByImage.get(d.imageId);
    if (!a) { a = []; dtByImage.set(d.imageId, a); }
    a.push(d);
  }
  const imageIds = [...dtByImage.keys()].sort((a, b) => a - b);
  // Per threshold, the flat list (in image order) of kept detections: score, matched, ignored.
  const scores: number[] = [];
  const matched: Uint8Array[] = [];
  const ignored: Uint8Array[] = [];
  const perImage: CocoImageMatch[][] = [];
  for (const imageId of imageIds) {
    const dt = byScoreDesc(dtByImage.get(imageId)!).slice(0, maxDets);
    perImage.push(cocoMatchImage(dt, gtByImage.get(imageId) ?? [], thresholds));
    for (const d of dt) scores.push(d.score);
  }
  // Concatenate over images (id order) and sort by score, stable (mergesort in pycocotools).
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  for (let t = 0; t < T; t++) {
    const mAll = new Uint8Array(scores.length);
    const igAll = new Uint8Array(scores.length);
    let k = 0;
    for (const r of perImage) { mAll.set(r[t].m, k); igAll.set(r[t].ig, k); k += r[t].m.length; }
    matched.push(mAll);
    ignored.push(igAll);
  }
  const nd = order.length;
  const rc = new Float64Array(nd);
  const pr = new Float64Array(nd);
  const out: number[] = [];
  for (let t = 0; t < T; t++) {
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < nd; i++) {
      const j = order[i];
      if (!ignored[t][j]) { if (matched[t][j]) tp++; else fp++; }
      rc[i] = tp / npig;
      pr[i] = tp + fp > 0 ? tp / (tp + fp) : 0; // pycocotools adds eps to the denominator; exact here, so perfect = 1
    }
    out.push(interp101(rc, pr, nd));
  }
  return out;
}

/** Mean precision (envelope) at recall 0, 0.01, ..., 1; 0 where recall is never reached. Modifies nothing. */
export function interp101(rc: Float64Array, pr: Float64Array, nd: number): number {
  const env = pr.slice(0, nd);
  for (let i = nd - 1; i > 0; i--) if (env[i] > env[i - 1]) env[i - 1] = env[i];
  let sum = 0;
  let i = 0;
  for (const r of COCO_RECALL_THRESHOLDS) {
    while (i < nd && rc[i] < r) i++; // searchsorted(rc, r, 'left')
    if (i >= nd) break;
    sum += env[i];
  }
  return sum / COCO_RECALL_THRESHOLDS.length;
}
