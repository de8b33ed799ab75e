/** SSD parts on hand-computed cases: box coding, matching, hard-negative mining, NMS, detect, loss. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { decodeBoxes, encodeBoxes, iouCenter, VARIANCES } from '../../../src/nn/ssd/coding.js';
import { hardNegativeMask, matchPriors } from '../../../src/nn/ssd/match.js';
import { nms } from '../../../src/nn/ssd/nms.js';
import { detect } from '../../../src/nn/ssd/detect.js';
import { priors } from '../../../src/nn/ssd/priors.js';
import { smoothL1, ssdLoss } from '../../../src/nn/ssd/loss.js';
import { Rng } from '../../../src/core/rng.js';

test.before(async () => { await initBackend('wasm'); });

test('encode then decode returns the boxes (random boxes and priors)', () => {
  const r = new Rng(3);
  const P = 200;
  const pri = new Float32Array(P * 4), box = new Float32Array(P * 4);
  for (let i = 0; i < P * 4; i += 4) {
    pri[i] = r.uniform(); pri[i + 1] = r.uniform(); pri[i + 2] = 0.05 + 0.9 * r.uniform(); pri[i + 3] = 0.05 + 0.9 * r.uniform();
    box[i] = r.uniform(); box[i + 1] = r.uniform(); box[i + 2] = 0.02 + 0.9 * r.uniform(); box[i + 3] = 0.02 + 0.9 * r.uniform();
  }
  const back = decodeBoxes(encodeBoxes(box, pri), pri);
  for (let i = 0; i < box.length; i++) assert.ok(Math.abs(back[i] - box[i]) < 1e-5, `coordinate ${i}: ${back[i]} vs ${box[i]}`);
});

test('encoding by hand: variances 0.1 / 0.2', () => {
  const pri = Float32Array.of(0.5, 0.5, 0.2, 0.4);
  const g = Float32Array.of(0.52, 0.46, 0.4, 0.4);
  const t = encodeBoxes(g, pri);
  assert.ok(Math.abs(t[0] - 0.02 / (VARIANCES[0] * 0.2)) < 1e-5); // 1
  assert.ok(Math.abs(t[1] - -0.04 / (VARIANCES[0] * 0.4)) < 1e-5); // -1
  assert.ok(Math.abs(t[2] - Math.log(2) / VARIANCES[1]) < 1e-5);
  assert.ok(Math.abs(t[3]) < 1e-6);
});

test('matching: threshold 0.5, forced best prior per ground truth, background elsewhere', () => {
  // Priors (cx, cy, w, h): p0 = GT A exactly, p1 overlaps A with IoU 0.6, p2 far away, p3 overlaps B weakly (its best).
  const pri = Float32Array.of(
    0.25, 0.25, 0.2, 0.2,
    0.25, 0.2, 0.2, 0.2,
    0.8, 0.2, 0.1, 0.1,
    0.7, 0.7, 0.3, 0.3,
  );
  const gts = Float32Array.of(0.25, 0.25, 0.2, 0.2, 0.75, 0.75, 0.1, 0.1);
  assert.ok(Math.abs(iouCenter(pri, 4, gts, 0) - 0.15 * 0.2 / (0.08 - 0.15 * 0.2)) < 1e-6);
  const iouB = iouCenter(pri, 12, gts, 4);
  assert.ok(iouB > 0 && iouB < 0.5, `p3-B IoU ${iouB} should be below the threshold`);
  const t = matchPriors(gts, [2, 5], pri, 0.5);
  assert.equal(Array.from(t.labels), [2, 2, 0, 5]);
  assert.is(t.numPositive, 3);
  assert.equal(Array.from(t.offsets.subarray(0, 4)).map((v) => Math.round(v * 1e6) / 1e6), [0, 0, 0, 0]);
  assert.equal(Array.from(t.offsets.subarray(8, 12)), [0, 0, 0, 0]);
});

test('matching: no ground truth gives all background', () => {
  const pri = priors({ sizes: [2], anchors: [4] });
  const t = matchPriors(new Float32Array(0), [], pri);
  assert.is(t.numPositive, 0);
  assert.ok(t.labels.every((l) => l === 0));
});

test('hard negatives: 3 per positive, highest loss first, ties in prior order', () => {
  const labels = Int32Array.of(0, 3, 0, 0, 0, 0, 0, 0);
  const loss = Float32Array.of(0.1, 9, 0.5, 0.7, 0.5, 0.05, 2, 0.5);
  const m = hardNegativeMask(labels, loss, 3);
  // positive 1; negatives by loss: 6 (2), 3 (0.7), then the tie 0.5 at priors 2, 4, 7 -> 2.
  assert.equal(Array.from(m), [0, 1, 1, 1, 0, 0, 1, 0]);
  // no positives: still 3 negatives
  const m0 = hardNegativeMask(new Int32Array(8), loss, 3);
  assert.is(m0.reduce((a, b) => a + b, 0), 3);
  assert.equal([...m0.keys()].filter((i) => m0[i] === 1), [1, 3, 6]);
});

test('NMS: suppresses an overlapping lower-scored box, keeps a distant one and a low-overlap one', () => {
  const boxes = Float32Array.of(
    0, 0, 10, 10, // 0: score 0.9
    1, 1, 11, 11, // 1: IoU with 0 = 81/119 = 0.68 -> suppressed
    20, 20, 30, 30, // 2: far
    0, 6, 10, 16, // 3: IoU with 0 = 40/160 = 0.25 -> kept at 0.45
  );
  const scores = Float32Array.of(0.9, 0.8, 0.3, 0.7);
  assert.equal(nms(boxes, scores, [0, 1, 2, 3], 0.45), [0, 3, 2]);
  assert.equal(nms(boxes, scores, [0, 1, 2, 3], 0.2), [0, 2]);
  assert.equal(nms(boxes, scores, [1, 2], 0.45), [1, 2]);
  assert.equal(nms(boxes, scores, [0, 1, 2, 3], 0.45, 1), [0]);
});

test('detect: a confident prior decodes to a pixel box of its class; duplicates are suppressed', () => {
  const pri = Float32Array.of(0.5, 0.5, 0.5, 0.5, 0.52, 0.5, 0.5, 0.5, 0.2, 0.2, 0.1, 0.1);
  // logits for 3 priors, 3 classes (+bg): prior 0 and 1 say class 2, prior 2 background.
  const cls = Float32Array.of(0, 0, 8, 0, 0, 0, 6, 0, 9, 0, 0, 0);
  const loc = new Float32Array(12);
  const d = detect(cls, loc, pri, 100, 200, { scoreThreshold: 0.5 });
  assert.is(d.length, 1);
  assert.is(d[0].label, 2);
  assert.ok(d[0].score > 0.99);
  assert.ok(Math.abs(d[0].box.x - 25) < 1e-3 && Math.abs(d[0].box.y - 50) < 1e-3);
  assert.ok(Math.abs(d[0].box.w - 50) < 1e-3 && Math.abs(d[0].box.h - 100) < 1e-3);
});

test('priors: default config count and range', () => {
  const p = priors({ sizes: [16, 8, 4, 2, 1, 1, 1], anchors: [4, 6, 6, 6, 6, 4, 4], minScale: 0.08, maxScale: 0.7 });
  assert.is(p.length / 4, 16 * 16 * 4 + 64 * 6 + 16 * 6 + 4 * 6 + 6 + 4 + 4);
  for (let i = 0; i < p.length; i += 4) {
    assert.ok(p[i] - p[i + 2] / 2 >= -1e-6 && p[i] + p[i + 2] / 2 <= 1 + 1e-6 && p[i + 2] > 0 && p[i + 3] > 0);
  }
  // an interior cell of D1 (y 8, x 8): a 0.08 square at its centre (8.5 / 16); corner cells are clipped
  const i = (8 * 16 + 8) * 4 * 4;
  assert.ok(Math.abs(p[i] - 8.5 / 16) < 1e-6 && Math.abs(p[i + 1] - 8.5 / 16) < 1e-6 && Math.abs(p[i + 2] - 0.08) < 1e-6);
  assert.ok(Math.abs(p[2] - (1 / 32 + 0.04)) < 1e-6, 'the corner prior is clipped to the image');
});

test('smooth L1: quadratic below 1, linear above', () => {
  const v = smoothL1(tf.tensor2d([[0.5, -2, 0, 1]])).dataSync();
  assert.ok(Math.abs(v[0] - (0.125 + 1.5 + 0 + 0.5)) < 1e-6);
});

test('SSD loss on a hand case: (CE over positives + mined negatives + smooth-L1 of positives) / N', () => {
  // 1 image, 4 priors, 2 classes (+bg). Prior 0 positive (class 1), others negative.
  const cls = tf.tensor3d([[[0, 1, 0], [2, 0, 0], [0, 0, 3], [0, 1, 0]]]);
  const loc = tf.tensor3d([[[0.5, 0, 0, 0], [9, 9, 9, 9], [9, 9, 9, 9], [9, 9, 9, 9]]]);
  const targets = { labels: Int32Array.of(1, 0, 0, 0), offsets: new Float32Array(16), batch: 1, numPriors: 4 };
  const l = ssdLoss(cls, loc, targets, 2);
  const lse = (a: number[]) => Math.log(a.reduce((s, x) => s + Math.exp(x), 0));
  const cePos = lse([0, 1, 0]) - 1;
  // negatives' CE (target 0): prior1 lse([2,0,0])-2, prior2 lse([0,0,3]), prior3 lse([0,1,0]); keep the 2 largest.
  const negs = [lse([2, 0, 0]) - 2, lse([0, 0, 3]), lse([0, 1, 0])].sort((a, b) => b - a).slice(0, 2);
  const conf = cePos + negs[0] + negs[1];
  const locL = 0.125;
  assert.ok(Math.abs(l.conf.dataSync()[0] - conf) < 1e-5, `conf ${l.conf.dataSync()[0]} vs ${conf}`);
  assert.ok(Math.abs(l.loc.dataSync()[0] - locL) < 1e-6);
  assert.ok(Math.abs(l.total.dataSync()[0] - (conf + locL)) < 1e-5);
});

test.run();
