/**
 * Semantic-segmentation metrics from one confusion matrix accumulated over the whole data set
 * (the standard VOC / Cityscapes definition: IoU is computed from data-set totals, not averaged
 * per image).
 *
 * - Pixels whose target is the ignore label (255 by default) are skipped whatever the prediction.
 * - IoU of class c = TP / (TP + FP + FN). Background (class 0) is a class like the others and is
 *   included in the mean, as in the VOC segmentation benchmark.
 * - A class absent from both prediction and target (TP + FP + FN = 0) has IoU null and is left out
 *   of the mean; a class predicted but never present has IoU 0 and counts.
 * - With no pixel counted at all, mIoU and pixel accuracy are NaN (undefined).
 */
export class ConfusionMatrix {
  /** Number of classes including background: labels 0..numClasses-1. */
  readonly numClasses: number;
  readonly ignoreLabel: number;
  /** Row = target, column = prediction. Float64 so counts stay exact far beyond 2^32 pixels. */
  readonly counts: Float64Array;

  constructor(numClasses: number, ignoreLabel = 255) {
    if (!Number.isInteger(numClasses) || numClasses < 1 || numClasses > 255) {
      throw new RangeError(`numClasses ${numClasses} is not allowed: use an integer in 1..255 (background included)`);
    }
    if (!Number.isInteger(ignoreLabel) || (ignoreLabel >= 0 && ignoreLabel < numClasses)) {
      throw new RangeError(`ignoreLabel ${ignoreLabel} is not allowed: it must not be a class label 0..${numClasses - 1}`);
    }
    this.numClasses = numClasses;
    this.ignoreLabel = ignoreLabel;
    this.counts = new Float64Array(numClasses * numClasses);
  }

  /** Count one image (or any batch of pixels): `pred` and `target` are label maps of equal length. */
  add(pred: ArrayLike<number>, target: ArrayLike<number>): void {
    if (pred.length !== target.length) {
      throw new RangeError(`pred has ${pred.length} pixels but target has ${target.length}: they must match`);
    }
    const k = this.numClasses;
    const ign = this.ignoreLabel;
    const c = this.counts;
    for (let i = 0; i < pred.length; i++) {
      const t = target[i];
      if (t === ign) continue;
      const p = pred[i];
      if (!(t >= 0 && t < k && Number.isInteger(t))) {
        throw new RangeError(`target label ${t} at pixel ${i} is not allowed: use 0..${k - 1} or ${ign} (ignore)`);
      }
      if (!(p >= 0 && p < k && Number.isInteger(p))) {
        throw new RangeError(`predicted label ${p} at pixel ${i} is not allowed: use 0..${k - 1}`);
      }
      c[t * k + p]++;
    }
  }

  /** Add another matrix's counts (e.g. from a worker). */
  merge(other: ConfusionMatrix): void {
    if (other.numClasses !== this.numClasses) {
      throw new RangeError(`cannot merge a ${other.numClasses}-class matrix into a ${this.numClasses}-class one`);
    }
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
  }

  reset(): void {
    this.counts.fill(0);
  }

  /** Pixels counted (ignore excluded). */
  total(): number {
    let s = 0;
    for (const v of this.counts) s += v;
    return s;
  }

  /** IoU per class (index = label); null for a class absent from both prediction and target. */
  iouPerClass(): (number | null)[] {
    const k = this.numClasses;
    const c = this.counts;
    const out: (number | null)[] = [];
    for (let i = 0; i < k; i++) {
      let row = 0;
      let col = 0;
      for (let j = 0; j < k; j++) { row += c[i * k + j]; col += c[j * k + i]; }
      const tp = c[i * k + i];
      const denom = row + col - tp;
      out.push(denom > 0 ? tp / denom : null);
    }
    return out;
  }

  /** Mean IoU over the classes with a defined IoU; NaN when there are none. */
  miou(): number {
    let s = 0;
    let n = 0;
    for (const v of this.iouPerClass()) if (v !== null) { s += v; n++; }
    return n > 0 ? s / n : NaN;
  }

  /** Fraction of counted pixels predicted correctly; NaN when none were counted. */
  pixelAccuracy(): number {
    const k = this.numClasses;
    let diag = 0;
    for (let i = 0; i < k; i++) diag += this.counts[i * k + i];
    const t = this.total();
    return t > 0 ? diag / t : NaN;
  }
}
