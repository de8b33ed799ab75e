/**
 * The bootstrap kernels against the metric they resample: with unit weights the precomputed
 * TP/FP walk gives meanAveragePrecision and the per-image confusion sum gives miou bit for bit;
 * weight 2 equals duplicating the image; identical images collapse the interval; one seed, one
 * interval.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/rng.js';
import { cocoAP, meanAveragePrecision, type Detection, type GroundTruth } from '../../src/metrics/detection.js';
import { ConfusionMatrix } from '../../src/metrics/segmentation.js';
import { bootstrapCi, cocoTable, detectionTable, percentileInterval, quantile, resampleWeights, weightedCocoAp, weightedMap, weightedMiou } from '../../src/compare/bootstrap.js';

function randomSet(n: number, seed: number): { dets: Detection[][]; gts: GroundTruth[][] } {
  const rng = new Rng(seed);
  const dets: Detection[][] = [], gts: GroundTruth[][] = [];
  for (let i = 0; i < n; i++) {
    const g: GroundTruth[] = [];
    const d: Detection[] = [];
    const ng = rng.int(4);
    for (let q = 0; q < ng; q++) {
      const box = { x: rng.uniform() * 80, y: rng.uniform() * 80, w: 10 + rng.uniform() * 30, h: 10 + rng.uniform() * 30 };
      g.push({ imageId: i + 1, label: 1 + rng.int(3), box, iscrowd: rng.uniform() < 0.1 });
      // a near hit, sometimes twice (a duplicate is a false positive)
      for (let r = 0; r < 1 + rng.int(2); r++) d.push({ imageId: i + 1, label: g[q].label, score: rng.uniform(), box: { ...box, x: box.x + rng.uniform() * 4 } });
    }
    for (let r = 0; r < rng.int(3); r++) d.push({ imageId: i + 1, label: 1 + rng.int(3), score: rng.uniform(), box: { x: rng.uniform() * 100, y: rng.uniform() * 100, w: 8, h: 8 } });
    dets.push(d); gts.push(g);
  }
  return { dets, gts };
}

test('weighted mAP with unit weights is meanAveragePrecision, bit for bit', () => {
  for (const seed of [1, 2, 3, 4]) {
    const { dets, gts } = randomSet(30, seed);
    const want = meanAveragePrecision(dets.flat(), gts.flat(), { iou: 0.5, numClasses: 3 }).map;
    const t = detectionTable(dets, gts, 3);
    assert.is(weightedMap(t, new Uint32Array(30).fill(1)), want);
  }
});

test('weight 2 equals the image duplicated under a new id; weight 0 equals it removed', () => {
  const { dets, gts } = randomSet(12, 9);
  const t = detectionTable(dets, gts, 3);
  const w = new Uint32Array(12).fill(1);
  w[3] = 2; w[7] = 0;
  const dup = (i: number, id: number) => ({ d: dets[i].map((x) => ({ ...x, imageId: id })), g: gts[i].map((x) => ({ ...x, imageId: id })) });
  const D = [...dets.filter((_, i) => i !== 7), dup(3, 99).d];
  const G = [...gts.filter((_, i) => i !== 7), dup(3, 99).g];
  const want = meanAveragePrecision(D.flat(), G.flat(), { numClasses: 3 }).map;
  assert.ok(Math.abs(weightedMap(t, w) - want) < 1e-12, `${weightedMap(t, w)} vs ${want}`);
});

test('weighted COCO AP with unit weights is cocoAP (= pycocotools), bit for bit; crowds and images without detections included', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const { dets, gts } = randomSet(30, seed);
    dets[4] = []; // an image with GTs and no detections
    const want = cocoAP(dets.flat(), gts.flat(), 3).ap;
    assert.is(weightedCocoAp(cocoTable(dets, gts, 3), new Uint32Array(30).fill(1)), want);
  }
});

test('COCO AP: weight 2 equals the image duplicated under a new id; weight 0 equals it removed', () => {
  const { dets, gts } = randomSet(12, 9);
  const w = new Uint32Array(12).fill(1);
  w[3] = 2; w[7] = 0;
  const dup = (i: number, id: number) => ({ d: dets[i].map((x) => ({ ...x, imageId: id })), g: gts[i].map((x) => ({ ...x, imageId: id })) });
  const D = [...dets.filter((_, i) => i !== 7), dup(3, 99).d];
  const G = [...gts.filter((_, i) => i !== 7), dup(3, 99).g];
  const want = cocoAP(D.flat(), G.flat(), 3).ap;
  const got = weightedCocoAp(cocoTable(dets, gts, 3), w);
  assert.ok(Math.abs(got - want) < 1e-12, `${got} vs ${want}`);
});

test('COCO AP, hand-computed: one exact hit and one box at IoU 0.6 give (1 + 0.5 * 2) / 10 over the thresholds', () => {
  // Image 1: a perfect detection (IoU 1 at every threshold). Image 2: IoU 0.6 (a hit at 0.50, 0.55, 0.60 only,
  // scored lower). At t <= 0.6 both hit: AP 1; above, recall stops at 0.5 at precision 1: AP = 51/101.
  const g = { x: 0, y: 0, w: 10, h: 10 };
  const shifted = { x: 0, y: 0, w: 10, h: 6 }; // IoU 60/100 = 0.6
  const dets: Detection[][] = [[{ imageId: 1, label: 1, score: 0.9, box: g }], [{ imageId: 2, label: 1, score: 0.8, box: shifted }]];
  const gts: GroundTruth[][] = [[{ imageId: 1, label: 1, box: g }], [{ imageId: 2, label: 1, box: g }]];
  const want = (3 * 1 + 7 * (51 / 101)) / 10;
  assert.ok(Math.abs(weightedCocoAp(cocoTable(dets, gts, 1), Uint32Array.of(1, 1)) - want) < 1e-12);
  assert.is(weightedCocoAp(cocoTable(dets, gts, 1), Uint32Array.of(1, 0)), 1);
});

test('a hand-computed case: one class, two images', () => {
  // Image 0: one GT, detections 0.9 (hit) and 0.8 (duplicate, FP). Image 1: one GT, detection 0.7 (hit).
  const box = { x: 0, y: 0, w: 10, h: 10 };
  const dets: Detection[][] = [
    [{ imageId: 1, label: 1, score: 0.9, box }, { imageId: 1, label: 1, score: 0.8, box }],
    [{ imageId: 2, label: 1, score: 0.7, box }],
  ];
  const gts: GroundTruth[][] = [[{ imageId: 1, label: 1, box }], [{ imageId: 2, label: 1, box }]];
  const t = detectionTable(dets, gts, 1);
  // Order TP, FP, TP with 2 positives: recall 0.5 at precision 1, recall 1 at precision 2/3 -> AP = 0.5 + 0.5 * 2/3.
  assert.ok(Math.abs(weightedMap(t, Uint32Array.of(1, 1)) - (0.5 + 0.5 * 2 / 3)) < 1e-15);
  assert.is(weightedMap(t, Uint32Array.of(1, 0)), 1); // image 0 alone: TP then FP, recall 1 at precision 1
  assert.is(weightedMap(t, Uint32Array.of(0, 3)), 1);
  // (2, 0): two TPs, two FPs in order TP TP FP FP over 2 positives: AP = 1 (the TP copies come first).
  assert.is(weightedMap(t, Uint32Array.of(2, 0)), 1);
});

test('weighted mIoU with unit weights is the summed matrix, weight 2 doubles an image', () => {
  const rng = new Rng(5);
  const cms: Float64Array[] = [];
  const total = new ConfusionMatrix(4);
  const twice = new ConfusionMatrix(4);
  for (let i = 0; i < 10; i++) {
    const pred = Array.from({ length: 64 }, () => rng.int(4)), tgt = Array.from({ length: 64 }, () => rng.int(4));
    const cm = new ConfusionMatrix(4);
    cm.add(pred, tgt);
    cms.push(cm.counts);
    total.add(pred, tgt);
    twice.add(pred, tgt);
    if (i === 2) twice.add(pred, tgt);
  }
  assert.is(weightedMiou(cms, 4, new Uint32Array(10).fill(1)), total.miou());
  const w = new Uint32Array(10).fill(1); w[2] = 2;
  assert.is(weightedMiou(cms, 4, w), twice.miou());
});

test('resamples: n draws each, reproducible from the seed, different for another seed', () => {
  const a = resampleWeights(20, 50, 7), b = resampleWeights(20, 50, 7), c = resampleWeights(20, 50, 8);
  assert.equal(a, b);
  assert.not.equal(a, c);
  for (const w of a) assert.is(w.reduce((s, x) => s + x, 0), 20);
});

test('intervals: cover the point estimate, collapse for identical images, quantiles as numpy', () => {
  assert.is(quantile(Float64Array.from([1, 2, 3, 4]), 0.5), 2.5);
  assert.equal(percentileInterval([3, NaN, 1, 2]), [1.05, 2.95]);
  assert.is(percentileInterval([NaN]), null);
  const { dets, gts } = randomSet(40, 11);
  const cms = Array.from({ length: 40 }, (_, i) => { const cm = new ConfusionMatrix(4); cm.add([i % 4, 1, 2, 3], [0, 1, 2, i % 3]); return cm.counts; });
  const ci = bootstrapCi({ dets, gts, cms }, 3, resampleWeights(40, 400, 1), { det: true, seg: true });
  const map = meanAveragePrecision(dets.flat(), gts.flat(), { numClasses: 3 }).map;
  assert.ok(ci.mAP![0] < map && map < ci.mAP![1], `${ci.mAP} around ${map}`);
  assert.ok(ci.mAP![1] - ci.mAP![0] > 0.02);
  const ap = cocoAP(dets.flat(), gts.flat(), 3).ap;
  assert.ok(ci.cocoAP![0] < ap && ap < ci.cocoAP![1], `${ci.cocoAP} around ${ap}`);
  // 40 copies of one image: every resample is the same set, the interval is a point.
  const same = { dets: Array.from({ length: 40 }, (_, i) => dets[0].map((d) => ({ ...d, imageId: i + 1 }))), gts: Array.from({ length: 40 }, (_, i) => gts[0].map((g) => ({ ...g, imageId: i + 1 }))), cms: Array.from({ length: 40 }, () => cms[1]) };
  const c1 = bootstrapCi(same, 3, resampleWeights(40, 100, 2), { det: true, seg: true });
  assert.ok(Math.abs(c1.mIoU![0] - c1.mIoU![1]) < 1e-12, `${c1.mIoU}`);
  assert.ok(Math.abs(c1.mAP![0] - c1.mAP![1]) < 1e-12, `${c1.mAP}`);
  assert.ok(Math.abs(c1.cocoAP![0] - c1.cocoAP![1]) < 1e-12, `${c1.cocoAP}`);
});

test.run();
