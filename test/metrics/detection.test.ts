/**
 * Detection metrics against hand-computed cases. Each expected value is derived in the comment
 * above it from the definitions in src/metrics/detection.ts (VOC devkit voc_eval, pycocotools COCOeval).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Box } from '../../src/data/types.js';
import {
  meanAveragePrecision, cocoAP, allPointAp, COCO_IOU_THRESHOLDS, COCO_RECALL_THRESHOLDS,
  type Detection, type GroundTruth,
} from '../../src/metrics/detection.js';
import { boxIoU, crowdOverlap } from '../../src/metrics/iou.js';
import { Rng } from '../../src/core/rng.js';

const b = (x: number, y: number, w: number, h: number): Box => ({ x, y, w, h });
const gt = (imageId: number, label: number, box: Box, extra: Partial<GroundTruth> = {}): GroundTruth => ({ imageId, label, box, ...extra });
const dt = (imageId: number, label: number, score: number, box: Box): Detection => ({ imageId, label, score, box });
const close = (a: number, e: number, tol = 1e-12, what = '') =>
  assert.ok(Math.abs(a - e) <= tol, `${what} expected ${e}, got ${a}`);
const VOC = { method: 'voc-all-point' as const, iou: 0.5 };
const COCO = { method: 'coco-101' as const, iou: 0.5 };

test('box IoU: hand cases', () => {
  close(boxIoU(b(0, 0, 10, 10), b(0, 0, 10, 10)), 1);
  close(boxIoU(b(0, 0, 10, 10), b(5, 0, 10, 10)), 50 / 150);
  close(boxIoU(b(0, 0, 10, 10), b(10, 0, 10, 10)), 0); // touching edges share no area
  close(boxIoU(b(0, 0, 0, 0), b(0, 0, 0, 0)), 0);
  close(crowdOverlap(b(10, 10, 10, 10), b(0, 0, 100, 100)), 1); // inside a crowd region
});

test('COCO thresholds reproduce numpy linspace', () => {
  assert.is(COCO_IOU_THRESHOLDS.length, 10);
  assert.is(COCO_RECALL_THRESHOLDS.length, 101);
  close(COCO_IOU_THRESHOLDS[5], 0.75, 1e-15);
  assert.is(COCO_IOU_THRESHOLDS[9], 0.95);
  assert.is(COCO_RECALL_THRESHOLDS[100], 1);
});

test('all-point AP: envelope and recall steps', () => {
  // rec [1/3,1/3,1/3,2/3], prec [1,1/2,1/3,1/2]: envelope 1 up to 1/3, then 1/2 up to 2/3, then 0.
  // AP = 1/3 * 1 + 1/3 * 1/2 = 1/2.
  close(allPointAp([1 / 3, 1 / 3, 1 / 3, 2 / 3], [1, 1 / 2, 1 / 3, 1 / 2]), 0.5);
  close(allPointAp([], []), 0);
});

// Three objects of class 1 in one image; A, B, C far apart.
const A = b(0, 0, 10, 10), B = b(50, 50, 10, 10), C = b(100, 0, 10, 10);
const threeGts = [gt(1, 1, A), gt(1, 1, B), gt(1, 1, C)];

test('perfect detections give 1.0 (VOC, COCO-101 and COCO AP)', () => {
  const gts = [...threeGts, gt(2, 2, b(5, 5, 20, 30))];
  const dets = gts.map((g, i) => dt(g.imageId, g.label, 0.9 - i * 0.1, g.box));
  for (const o of [VOC, COCO]) {
    const r = meanAveragePrecision(dets, gts, { ...o, numClasses: 2 });
    close(r.map, 1, 1e-12, o.method);
    assert.equal(r.perClass, [null, 1, 1]);
  }
  const c = cocoAP(dets, gts, 2);
  close(c.ap, 1); close(c.ap50, 1); close(c.ap75, 1);
});

test('an empty prediction set gives 0', () => {
  for (const o of [VOC, COCO]) {
    const r = meanAveragePrecision([], threeGts, { ...o, numClasses: 1 });
    assert.is(r.map, 0);
    assert.equal(r.perClass, [null, 0]);
  }
  assert.is(cocoAP([], threeGts, 1).ap, 0);
});

test('duplicates and misses: VOC 0.5, COCO-101 0.5 (hand computed)', () => {
  // Sorted: d1 hits A (TP), d2 duplicate of A (FP), d3 on nothing (FP), d4 hits B (TP); C missed.
  // npos 3: rec [1/3,1/3,1/3,2/3], prec [1,1/2,1/3,1/2] -> VOC AP = 1/3 + 1/3 * 1/2 = 0.5.
  // COCO: envelope [1, .5, .5, .5]; recall points 0..0.33 (34 of them) read 1, 0.34..0.66 (33) read
  // 0.5, 0.67..1 read 0: (34 + 16.5) / 101 = 0.5.
  const dets = [dt(1, 1, 0.9, A), dt(1, 1, 0.8, b(0.5, 0, 10, 10)), dt(1, 1, 0.7, b(200, 200, 5, 5)), dt(1, 1, 0.6, B)];
  close(meanAveragePrecision(dets, threeGts, { ...VOC, numClasses: 1 }).map, 0.5);
  close(meanAveragePrecision(dets, threeGts, { ...COCO, numClasses: 1 }).map, 0.5);
});

test('VOC and COCO matching differ when the best GT is taken', () => {
  // G1 (0,0,10,10) and G2 (2,0,10,10). d1 = G1 exactly (IoU 1 with G1). d2 = (0.5,0,10,10): IoU
  // 95/105 with G1 and 85/115 = 0.739 with G2. VOC: d2's best GT is G1, already used -> FP:
  // rec [.5,.5], prec [1,.5] -> AP 0.5. COCO: d2 takes the best *unmatched* GT, G2 -> TP -> AP 1.
  const gts = [gt(1, 1, b(0, 0, 10, 10)), gt(1, 1, b(2, 0, 10, 10))];
  const dets = [dt(1, 1, 0.9, b(0, 0, 10, 10)), dt(1, 1, 0.8, b(0.5, 0, 10, 10))];
  close(meanAveragePrecision(dets, gts, { ...VOC, numClasses: 1 }).map, 0.5);
  close(meanAveragePrecision(dets, gts, { ...COCO, numClasses: 1 }).map, 1);
});

test('IoU exactly at the threshold: VOC needs >, COCO accepts >=', () => {
  // det (0,0,10,5) on GT (0,0,10,10): IoU = 50/100 = 0.5 exactly.
  const gts = [gt(1, 1, b(0, 0, 10, 10))];
  const dets = [dt(1, 1, 0.9, b(0, 0, 10, 5))];
  assert.is(meanAveragePrecision(dets, gts, { ...VOC, numClasses: 1 }).map, 0);
  assert.is(meanAveragePrecision(dets, gts, { ...COCO, numClasses: 1 }).map, 1);
});

test('ties in score keep input order (VOC) and image-id order (COCO)', () => {
  // Image 1 holds G1, image 2 holds G2. tp2: hits G2 at 0.8 (image 2); fp1: misses at 0.8 (image 1);
  // tp1: hits G1 at 0.5 (image 1).
  const gts = [gt(1, 1, b(0, 0, 10, 10)), gt(2, 1, b(0, 0, 10, 10))];
  const tp2 = dt(2, 1, 0.8, b(0, 0, 10, 10));
  const fp1 = dt(1, 1, 0.8, b(50, 50, 10, 10));
  const tp1 = dt(1, 1, 0.5, b(0, 0, 10, 10));
  // VOC, input [tp2, fp1, tp1]: tp [1,1,2], fp [0,1,1]: rec [.5,.5,1], prec [1,.5,2/3]
  //   -> AP = .5 * 1 + .5 * 2/3 = 5/6.
  close(meanAveragePrecision([tp2, fp1, tp1], gts, { ...VOC, numClasses: 1 }).map, 5 / 6);
  // VOC, input [fp1, tp2, tp1]: tp [0,1,2], fp [1,1,1]: rec [0,.5,1], prec [0,.5,2/3]
  //   -> envelope 2/3 everywhere -> AP = 2/3.
  close(meanAveragePrecision([fp1, tp2, tp1], gts, { ...VOC, numClasses: 1 }).map, 2 / 3);
  // COCO concatenates per image in id order, then sorts stably: fp1 (image 1) precedes tp2 whatever
  // the input order -> envelope 2/3 at every recall point -> AP = 2/3.
  for (const input of [[tp2, fp1, tp1], [fp1, tp2, tp1], [tp1, tp2, fp1]]) {
    close(meanAveragePrecision(input, gts, { ...COCO, numClasses: 1 }).map, 2 / 3, 1e-12, 'coco tie');
  }
});

test('many false positives: below the hit they cost nothing, above it they divide precision', () => {
  const gts = [gt(1, 1, A)];
  const fps = (n: number, score: (i: number) => number) =>
    Array.from({ length: n }, (_, i) => dt(1, 1, score(i), b(200 + i, 200, 5, 5)));
  // Hit first, 99 misses after: recall 1 reached at precision 1 -> AP 1 (both methods).
  const low = [dt(1, 1, 0.99, A), ...fps(99, (i) => 0.5 - i * 1e-3)];
  close(meanAveragePrecision(low, gts, { ...VOC, numClasses: 1 }).map, 1);
  close(meanAveragePrecision(low, gts, { ...COCO, numClasses: 1 }).map, 1);
  // 99 misses first, hit 100th: precision at recall 1 is 1/100, the envelope is 1/100 everywhere.
  const high = [...fps(99, (i) => 0.99 - i * 1e-3), dt(1, 1, 0.01, A)];
  close(meanAveragePrecision(high, gts, { ...VOC, numClasses: 1 }).map, 0.01);
  close(meanAveragePrecision(high, gts, { ...COCO, numClasses: 1 }).map, 0.01);
  // 150 misses above the hit: COCO keeps 100 detections per image, so the hit is cut -> 0;
  // VOC keeps all -> 1/151.
  const many = [...fps(150, (i) => 0.99 - i * 1e-3), dt(1, 1, 0.01, A)];
  assert.is(meanAveragePrecision(many, gts, { ...COCO, numClasses: 1 }).map, 0);
  close(meanAveragePrecision(many, gts, { ...VOC, numClasses: 1 }).map, 1 / 151);
});

test('a class with no ground truth is null and excluded from the mean', () => {
  // Class 1: d1 hits A, B and C missed -> VOC AP = 1/3. Class 2: no GT, one detection -> null.
  // mAP = 1/3 (not (1/3 + 0) / 2).
  const dets = [dt(1, 1, 0.9, A), dt(1, 2, 0.95, b(0, 0, 30, 30))];
  for (const o of [VOC, COCO]) {
    const r = meanAveragePrecision(dets, threeGts, { ...o, numClasses: 2 });
    assert.is(r.perClass[2], null);
    // COCO: recall 1/3 at precision 1: points 0..0.33 (34 of 101) -> 34/101.
    close(r.map, o.method === 'voc-all-point' ? 1 / 3 : 34 / 101, 1e-12, o.method);
  }
  // No GT at all: undefined, NaN.
  assert.ok(Number.isNaN(meanAveragePrecision(dets, [], { ...VOC, numClasses: 2 }).map));
});

test('VOC difficult: not a positive, and finding it is no error', () => {
  const gts = [gt(1, 1, A), gt(1, 1, B, { difficult: true })];
  // Only A found: npos = 1 -> AP 1 (it would be 0.5 if B counted).
  close(meanAveragePrecision([dt(1, 1, 0.8, A)], gts, { ...VOC, numClasses: 1 }).map, 1);
  close(meanAveragePrecision([dt(1, 1, 0.8, A)], gts.map((g) => ({ ...g, difficult: false })), { ...VOC, numClasses: 1 }).map, 0.5);
  // B found first at 0.9: ignored, not a FP -> AP 1 (a FP there would give precision 1/2 -> 0.5).
  close(meanAveragePrecision([dt(1, 1, 0.9, B), dt(1, 1, 0.8, A)], gts, { ...VOC, numClasses: 1 }).map, 1);
});

test('COCO crowd region absorbs the detections inside it', () => {
  // Crowd box (0,0,100,100) and an ordinary GT G far away. Two detections inside the crowd region
  // (overlap = intersection / detection area = 1) are matched to it and ignored; the hit on G is
  // the only counted detection -> AP 1. As an ordinary GT the crowd box would be missed
  // (IoU 0.01) and the two detections would be FPs above the hit.
  const G = b(200, 200, 10, 10);
  const gts = [gt(1, 1, b(0, 0, 100, 100), { iscrowd: true }), gt(1, 1, G)];
  const dets = [dt(1, 1, 0.9, b(10, 10, 10, 10)), dt(1, 1, 0.85, b(40, 40, 10, 10)), dt(1, 1, 0.8, G)];
  close(meanAveragePrecision(dets, gts, { ...COCO, numClasses: 1 }).map, 1);
  close(cocoAP(dets, gts, 1).ap, 1);
  // Without the flag: 2 positives, tp [0,0,1], fp [1,1,1] -> rc [0,0,.5], pr [0,0,1/3];
  // envelope 1/3 for recall points 0..0.5 (51 of 101) -> 17/101.
  close(meanAveragePrecision(dets, gts.map((g) => ({ ...g, iscrowd: false })), { ...COCO, numClasses: 1 }).map, 17 / 101);
});

test('COCO AP over IoU 0.50:0.95', () => {
  // One GT (0,0,10,10), one detection (0,0,10,7.2): IoU 0.72. It matches at thresholds
  // .50,.55,.60,.65,.70 (AP 1) and misses at .75..95 (AP 0): AP = 5/10, AP50 = 1, AP75 = 0.
  const r = cocoAP([dt(1, 1, 0.9, b(0, 0, 10, 7.2))], [gt(1, 1, b(0, 0, 10, 10))], 1);
  close(r.ap, 0.5); close(r.ap50, 1); close(r.ap75, 0);
  assert.equal(r.perClass, [null, 0.5]);
});

test('bad input: labels out of range, non-finite scores, bad options', () => {
  assert.throws(() => meanAveragePrecision([dt(1, 3, 0.5, A)], threeGts, { numClasses: 2 }), /label 3/);
  assert.throws(() => meanAveragePrecision([], [gt(1, 0, A)], { numClasses: 2 }), /label 0/);
  assert.throws(() => meanAveragePrecision([dt(1, 1, NaN, A)], threeGts, { numClasses: 1 }), /score NaN/);
  assert.throws(() => meanAveragePrecision([dt(1, 1, 0.5, b(0, 0, -1, 2))], threeGts, { numClasses: 1 }), /box/);
  assert.throws(() => meanAveragePrecision([], threeGts, { numClasses: 1, iou: 0 }), /iou 0/);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  assert.throws(() => meanAveragePrecision([], threeGts, { numClasses: 1, method: 'voc07' as any }), /voc07/);
});

// --- invariants on a random scene set ---------------------------------------------------------

function randomSet(seed: number): { dets: Detection[]; gts: GroundTruth[] } {
  const r = new Rng(seed);
  const gts: GroundTruth[] = [];
  const dets: Detection[] = [];
  for (let im = 1; im <= 60; im++) {
    const mine: GroundTruth[] = [];
    for (let g = 0; g < 1 + r.int(4); g++) {
      mine.push(gt(im, 1 + r.int(3), b(r.uniform() * 100, r.uniform() * 100, 8 + r.uniform() * 30, 8 + r.uniform() * 30)));
    }
    gts.push(...mine);
    for (let d = 0; d < 8; d++) {
      const g = mine[r.int(mine.length)];
      const hit = r.uniform() < 0.5;
      const box = hit ? b(g.box.x + 4 * r.gaussian(), g.box.y + 4 * r.gaussian(), g.box.w * (1 + 0.1 * r.gaussian()), g.box.h)
        : b(r.uniform() * 120, r.uniform() * 120, 5 + r.uniform() * 30, 5 + r.uniform() * 30);
      dets.push(dt(im, hit ? g.label : 1 + r.int(3), r.uniform(), box)); // distinct scores (32-bit uniforms)
    }
  }
  return { dets, gts };
}

test('invariants: input order, classes without GT, duplicates, AP50 wiring, VOC vs COCO-101', () => {
  const { dets, gts } = randomSet(21);
  const voc = meanAveragePrecision(dets, gts, { ...VOC, numClasses: 4 }); // class 4 has no GT
  const c101 = meanAveragePrecision(dets, gts, { ...COCO, numClasses: 4 });
  assert.is(voc.perClass[4], null);
  assert.ok(voc.map > 0.1 && voc.map < 0.9, `VOC mAP ${voc.map}`);
  // Without score ties the order of the input does not matter.
  const shuffled = new Rng(4).shuffle([...dets]);
  close(meanAveragePrecision(shuffled, gts, { ...VOC, numClasses: 4 }).map, voc.map, 1e-12, 'shuffled VOC');
  close(meanAveragePrecision(shuffled, gts, { ...COCO, numClasses: 4 }).map, c101.map, 1e-12, 'shuffled COCO');
  // Detections of a class without GT change nothing.
  const extra = [...dets, dt(1, 4, 0.99, b(0, 0, 10, 10)), dt(2, 4, 0.5, b(3, 3, 10, 10))];
  close(meanAveragePrecision(extra, gts, { ...VOC, numClasses: 4 }).map, voc.map, 1e-12, 'class 4 dets');
  // A lower-scored copy of every detection can only add false positives: AP does not rise.
  const dup = [...dets, ...dets.map((d) => ({ ...d, score: d.score / 2 }))];
  assert.ok(meanAveragePrecision(dup, gts, { ...VOC, numClasses: 4 }).map <= voc.map + 1e-12);
  // cocoAP's AP50 is the 101-point AP at IoU 0.5; AP is at most AP50 (higher thresholds match less).
  const coco = cocoAP(dets, gts, 4);
  close(coco.ap50, c101.map, 1e-12, 'AP50');
  assert.ok(coco.ap <= coco.ap50 && coco.ap75 <= coco.ap50);
  // Both interpolations estimate the same area: close on a set of this size.
  assert.ok(Math.abs(voc.map - c101.map) < 0.03, `VOC ${voc.map} vs COCO-101 ${c101.map}`);
});

// --- reference vector: pycocotools on a subset of the official COCO fake results ---------------
// Data and expected values transcribed from the torchmetrics test suite (Lightning-AI/torchmetrics,
// tests/detection/test_map.py, the `_inputs` / `_compare_fn` pair, Apache-2.0), whose expected
// numbers are pycocotools' COCOeval output (3 decimals) for 4 images of
// cocoapi/results/instances_val2014_fakebbox100_results.json. Boxes are [x1, y1, x2, y2]; labels
// 0..5 there are 1..6 here. Class 3 (here 4) has no ground truth: -1 in pycocotools, null here.
type Xyxy = [number, number, number, number];
const REF: { image: number; dets: [Xyxy, number, number][]; gts: [Xyxy, number][] }[] = [
  { image: 42, dets: [[[258.15, 41.29, 606.41, 285.07], 0.236, 4]], gts: [[[214.15, 41.29, 562.41, 285.07], 4]] },
  {
    image: 73,
    dets: [[[61.0, 22.75, 565.0, 632.42], 0.318, 3], [[12.66, 3.32, 281.26, 275.23], 0.726, 2]],
    gts: [[[13.0, 22.75, 548.98, 632.42], 2], [[1.66, 3.32, 270.26, 275.23], 2]],
  },
  {
    image: 74,
    dets: [
      [[87.87, 276.25, 384.29, 379.43], 0.546, 4], [[0.0, 3.66, 142.15, 316.06], 0.3, 1],
      [[296.55, 93.96, 314.97, 152.79], 0.407, 0], [[328.94, 97.05, 342.49, 122.98], 0.611, 0],
      [[356.62, 95.47, 372.33, 147.55], 0.335, 0], [[464.08, 105.09, 495.74, 146.99], 0.805, 0],
      [[276.11, 103.84, 291.44, 150.72], 0.953, 0],
    ],
    gts: [
      [[61.87, 276.25, 358.29, 379.43], 4], [[2.75, 3.66, 162.15, 316.06], 1], [[295.55, 93.96, 313.97, 152.79], 0],
      [[326.94, 97.05, 340.49, 122.98], 0], [[356.62, 95.47, 372.33, 147.55], 0], [[462.08, 105.09, 493.74, 146.99], 0],
      [[277.11, 103.84, 292.44, 150.72], 0],
    ],
  },
  { image: 133, dets: [[[0.0, 2.87, 601.0, 421.52], 0.699, 5]], gts: [[[13.99, 2.87, 640.0, 421.52], 5]] },
];

test('reference: pycocotools AP 0.706, AP50 0.901, AP75 0.846 and per-class AP (torchmetrics test data)', () => {
  const xywh = ([x1, y1, x2, y2]: Xyxy): Box => b(x1, y1, x2 - x1, y2 - y1);
  const dets = REF.flatMap((r) => r.dets.map(([box, score, label]) => dt(r.image, label + 1, score, xywh(box))));
  const gts = REF.flatMap((r) => r.gts.map(([box, label]) => gt(r.image, label + 1, xywh(box))));
  const r = cocoAP(dets, gts, 6);
  close(r.ap, 0.706, 5e-4, 'AP');
  close(r.ap50, 0.901, 5e-4, 'AP50');
  close(r.ap75, 0.846, 5e-4, 'AP75');
  const expected = [0.725, 0.8, 0.454, null, 0.65, 0.9];
  expected.forEach((e, k) => {
    if (e === null) assert.is(r.perClass[k + 1], null);
    else close(r.perClass[k + 1]!, e, 5e-4, `class ${k}`);
  });
});

// --- reference vector: VOC all-point AP of the Object-Detection-Metrics example ----------------
// Data transcribed from rafaelpadilla/Object-Detection-Metrics (MIT): groundtruths/ and
// detections/ (7 images, 15 persons, 24 detections, [x, y, w, h] in pixels); its results/results.txt
// reports AP 24.57% with all-point interpolation at IoU 0.3. That tool uses the VOC devkit's integer
// pixel convention (area (w + 1)(h + 1)), which is continuous IoU on boxes 1 pixel wider and taller,
// so the boxes are enlarged by 1 here. Detections in file order (its sort is stable, like ours).
// Detections: [image, score, x, y, w, h]; ground truth: [image, x, y, w, h].
const ODM_DETS: number[][] = [
  [1, 0.88, 5, 67, 31, 48], [1, 0.70, 119, 111, 40, 67], [1, 0.80, 124, 9, 49, 67], [2, 0.71, 64, 111, 64, 58],
  [2, 0.54, 26, 140, 60, 47], [2, 0.74, 19, 18, 43, 35], [3, 0.18, 109, 15, 77, 39], [3, 0.67, 86, 63, 46, 45],
  [3, 0.38, 160, 62, 36, 53], [3, 0.91, 105, 131, 47, 47], [3, 0.44, 18, 148, 40, 44], [4, 0.35, 83, 28, 28, 26],
  [4, 0.78, 28, 68, 42, 67], [4, 0.45, 87, 89, 25, 39], [4, 0.14, 10, 155, 60, 26], [5, 0.62, 50, 38, 28, 46],
  [5, 0.44, 95, 11, 53, 28], [5, 0.95, 29, 131, 72, 29], [5, 0.23, 29, 163, 72, 29], [6, 0.45, 43, 48, 74, 38],
  [6, 0.84, 17, 155, 29, 35], [6, 0.43, 95, 110, 25, 42], [7, 0.48, 16, 20, 101, 88], [7, 0.95, 33, 116, 37, 49],
];
const ODM_GTS: number[][] = [
  [1, 25, 16, 38, 56], [1, 129, 123, 41, 62], [2, 123, 11, 43, 55], [2, 38, 132, 59, 45], [3, 16, 14, 35, 48],
  [3, 123, 30, 49, 44], [3, 99, 139, 47, 47], [4, 53, 42, 40, 52], [4, 154, 43, 31, 34], [5, 59, 31, 44, 51],
  [5, 48, 128, 34, 52], [6, 36, 89, 52, 76], [6, 62, 58, 44, 67], [7, 28, 31, 55, 63], [7, 58, 67, 50, 58],
];

test('reference: VOC all-point AP 24.57% on the Object-Detection-Metrics example (IoU 0.3)', () => {
  const dets = ODM_DETS.map(([im, s, x, y, w, h]) => dt(im, 1, s, b(x, y, w + 1, h + 1)));
  const gts = ODM_GTS.map(([im, x, y, w, h]) => gt(im, 1, b(x, y, w + 1, h + 1)));
  assert.is(dets.length, 24);
  assert.is(gts.length, 15);
  close(meanAveragePrecision(dets, gts, { ...VOC, iou: 0.3, numClasses: 1 }).map, 0.2457, 5e-5);
});

test.run();
