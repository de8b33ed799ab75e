/** Bin means of dense curves: a hand-computed case, short curves unchanged, non-finite dropped, the cap held. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { binMeans } from '../../reports/downsample.js';

test('hand-computed: 10 points capped at 4 -> bins of 3, 3, 3, 1', () => {
  const pts = Array.from({ length: 10 }, (_, i) => ({ x: i + 1, y: 10 * (i + 1), series: 'loss' }));
  const r = binMeans(pts, 4);
  assert.is(r.per, 3);
  assert.equal(r.points.map((p) => [p.x, p.y]), [[2, 20], [5, 50], [8, 80], [10, 100]]);
  assert.is(r.points[0].series, 'loss');
});

test('curves within the cap are returned as they are; NaN and Infinity are dropped before binning', () => {
  const pts = [{ x: 1, y: 1 }, { x: 2, y: NaN }, { x: 3, y: 3 }, { x: 4, y: Infinity }];
  assert.equal(binMeans(pts, 5), { points: [{ x: 1, y: 1 }, { x: 3, y: 3 }], per: 1 });
  assert.equal(binMeans(pts, 1).points, [{ x: 2, y: 2 }]);
});

test('a 5500-step curve keeps at most the cap, its mean, and its range of x', () => {
  const pts = Array.from({ length: 5500 }, (_, i) => ({ x: i + 1, y: Math.exp(-i / 1000) }));
  const r = binMeans(pts, 400);
  assert.ok(r.points.length <= 400 && r.points.length >= 390, `${r.points.length} points`);
  const mean = (a: { y: number }[]) => a.reduce((s, p) => s + p.y, 0) / a.length;
  assert.ok(Math.abs(mean(r.points) - mean(pts)) < 1e-3);
  assert.ok(r.points[0].x < 15 && r.points.at(-1)!.x > 5480);
  assert.throws(() => binMeans(pts, 0), /maxPoints 0 is not allowed/);
});

test.run();
