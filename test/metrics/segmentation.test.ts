/** mIoU from a data-set-wide confusion matrix, against hand-computed cases. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfusionMatrix } from '../../src/metrics/segmentation.js';

const close = (a: number, e: number, tol = 1e-12) => assert.ok(Math.abs(a - e) <= tol, `expected ${e}, got ${a}`);

// Pixel 5 is ignored. Counted (target, pred): (0,0) (0,1) (1,1) (1,1) (1,0) (2,2) (2,0).
const target = Uint8Array.from([0, 0, 1, 1, 1, 255, 2, 2]);
const pred = Uint8Array.from([0, 1, 1, 1, 0, 2, 2, 0]);

test('hand case: IoU per class, mIoU, pixel accuracy', () => {
  const cm = new ConfusionMatrix(3);
  cm.add(pred, target);
  // class 0: TP 1, target row 2, pred column 3 -> 1 / (2 + 3 - 1) = 1/4
  // class 1: TP 2, row 3, column 3 -> 2 / 4;  class 2: TP 1, row 2, column 1 -> 1 / 2
  assert.equal(cm.iouPerClass(), [0.25, 0.5, 0.5]);
  close(cm.miou(), (0.25 + 0.5 + 0.5) / 3);
  close(cm.pixelAccuracy(), 4 / 7);
  assert.is(cm.total(), 7);
});

test('a class absent from prediction and target is excluded; predicted-only counts as 0', () => {
  const cm = new ConfusionMatrix(4);
  cm.add(pred, target);
  assert.is(cm.iouPerClass()[3], null);
  close(cm.miou(), 5 / 12);
  // One more pixel: target 0 predicted 3. Class 3: TP 0, column 1 -> IoU 0, now in the mean.
  // Class 0: TP 1, row 3, column 3 -> 1/5. mIoU = (1/5 + 1/2 + 1/2 + 0) / 4 = 0.3.
  cm.add(Uint8Array.from([3]), Uint8Array.from([0]));
  assert.is(cm.iouPerClass()[3], 0);
  close(cm.miou(), 0.3);
});

test('data-set-wide, not a mean of per-image mIoU', () => {
  // Image 1: 1 pixel of class 1 predicted right (IoU 1 for class 1).
  // Image 2: 3 pixels of class 1 predicted as 0 (IoU 0 for classes 0 and 1).
  // Totals: class 1 TP 1, row 4, column 1 -> 1/4; class 0 TP 0, column 3 -> 0. mIoU = 1/8.
  // (The mean of the per-image mIoUs would be (1 + 0) / 2 = 0.5.)
  const cm = new ConfusionMatrix(2);
  cm.add(Uint8Array.from([1]), Uint8Array.from([1]));
  cm.add(Uint8Array.from([0, 0, 0]), Uint8Array.from([1, 1, 1]));
  assert.equal(cm.iouPerClass(), [0, 0.25]);
  close(cm.miou(), 0.125);
});

test('ignore label: any prediction there is skipped; custom ignore label', () => {
  const cm = new ConfusionMatrix(2);
  cm.add(Uint8Array.from([1, 77]), Uint8Array.from([255, 255]));
  assert.is(cm.total(), 0);
  assert.ok(Number.isNaN(cm.miou()));
  assert.ok(Number.isNaN(cm.pixelAccuracy()));
  const cm2 = new ConfusionMatrix(2, 9);
  cm2.add([0, 1], [9, 1]);
  assert.equal(cm2.iouPerClass(), [null, 1]);
});

test('merge equals adding everything to one matrix; reset clears', () => {
  const a = new ConfusionMatrix(3);
  const b = new ConfusionMatrix(3);
  const all = new ConfusionMatrix(3);
  a.add(pred.subarray(0, 4), target.subarray(0, 4));
  b.add(pred.subarray(4), target.subarray(4));
  all.add(pred, target);
  a.merge(b);
  assert.equal(Array.from(a.counts), Array.from(all.counts));
  a.reset();
  assert.is(a.total(), 0);
  assert.throws(() => a.merge(new ConfusionMatrix(4)), /4-class/);
});

test('perfect prediction gives 1', () => {
  const cm = new ConfusionMatrix(3);
  const t = Uint8Array.from([0, 1, 2, 2, 1, 0, 255]);
  cm.add(Uint8Array.from([0, 1, 2, 2, 1, 0, 0]), t);
  assert.is(cm.miou(), 1);
  assert.is(cm.pixelAccuracy(), 1);
});

test('bad input: length mismatch, labels out of range, bad construction', () => {
  const cm = new ConfusionMatrix(3);
  assert.throws(() => cm.add(new Uint8Array(2), new Uint8Array(3)), /2 pixels .* 3/);
  assert.throws(() => cm.add(Uint8Array.from([3]), Uint8Array.from([0])), /predicted label 3/);
  assert.throws(() => cm.add(Uint8Array.from([0]), Uint8Array.from([5])), /target label 5/);
  assert.throws(() => new ConfusionMatrix(0), /numClasses 0/);
  assert.throws(() => new ConfusionMatrix(3, 2), /ignoreLabel 2/);
});

test.run();
