/**
 * Prior scales fitted to boxes: a case where the answer is known (every box one size, centred on
 * a cell), an improvement over the linear rule on boxes it fits badly, and monotone scales.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fitPriorScales, priorCoverage } from '../../../src/nn/ssd/fit.js';
import { priors } from '../../../src/nn/ssd/priors.js';
import { Rng } from '../../../src/core/rng.js';

test('explicit scales: map k squares have side s_k, extra square sqrt(s_k s_{k+1})', () => {
  const p = priors({ sizes: [2, 1], anchors: [4, 4], scales: [0.2, 0.5, 0.8], clip: false });
  // First location of map 0: (0.25, 0.25), [s, extra, 2:1, 1:2].
  assert.equal(Array.from(p.subarray(0, 8)).map((v) => +v.toFixed(4)), [0.25, 0.25, 0.2, 0.2, 0.25, 0.25, +Math.sqrt(0.1).toFixed(4), +Math.sqrt(0.1).toFixed(4)]);
  // Map 1 (1x1): square 0.5, extra sqrt(0.5 * 0.8).
  const m1 = 4 * 4 * 4;
  assert.equal(Array.from(p.subarray(m1, m1 + 8)).map((v) => +v.toFixed(4)), [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, +Math.sqrt(0.4).toFixed(4), +Math.sqrt(0.4).toFixed(4)]);
  assert.throws(() => priors({ sizes: [2, 1], anchors: [4, 4], scales: [0.2, 0.5] }), /3 values/);
});

test('boxes of one size at cell centres: the fit covers all of them', () => {
  const boxes: number[] = [];
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) boxes.push((x + 0.5) / 4, (y + 0.5) / 4, 0.3, 0.3);
  const f = fitPriorScales(Float32Array.from(boxes), { sizes: [4, 2, 1], anchors: [4, 4, 4] });
  assert.is(f.coverage, 1);
  assert.ok(f.positivesPerBox >= 1);
  for (let k = 1; k < f.scales.length; k++) assert.ok(f.scales[k] >= f.scales[k - 1], `scales non-decreasing: ${f.scales}`);
});

test('objects 0.12-0.5 of the side: the fit covers more boxes than the linear 0.08..0.7 rule', () => {
  const rng = new Rng(4);
  const boxes: number[] = [];
  for (let i = 0; i < 400; i++) {
    const s = 0.12 + 0.38 * rng.uniform(), a = Math.exp((rng.uniform() - 0.5) * 0.8);
    const w = s * Math.sqrt(a), h = s / Math.sqrt(a);
    boxes.push(w / 2 + (1 - w) * rng.uniform(), h / 2 + (1 - h) * rng.uniform(), w, h);
  }
  const o = { sizes: [16, 8, 4, 2, 1, 1, 1], anchors: [4, 6, 6, 6, 6, 4, 4] };
  const linear = [0, 1, 2, 3, 4, 5, 6].map((k) => 0.08 + (0.62 * k) / 6).concat([0.8]);
  const before = priorCoverage(Float32Array.from(boxes), o, linear);
  const f = fitPriorScales(Float32Array.from(boxes), o);
  assert.ok(f.coverage > before.coverage + 0.02, `coverage ${before.coverage} -> ${f.coverage}`);
  assert.ok(f.positivesPerBox > before.positivesPerBox, `positives ${before.positivesPerBox} -> ${f.positivesPerBox}`);
});

test.run();
