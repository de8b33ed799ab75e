/**
 * Log axes: whole decades around the data, and any number of values (a long training log's curves
 * hold more values than a function call may take as arguments).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { logAxis } from '../../reports/plot.js';

test('logAxis: decades spanning the positive finite values, zeros and NaN ignored', () => {
  const a = logAxis([0.002, 0.5, 0, NaN, -1, 3e-5]);
  assert.equal(a.domain, [1e-5, 1]);
  assert.equal(a.ticks, [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]);
  assert.equal(logAxis([]).domain, [1e-3, 1]);
});

test('logAxis: half a million values (a 5500-step log of every loss part) do not overflow the stack', () => {
  const v = Array.from({ length: 500_000 }, (_, i) => 0.05 + (i % 1000) / 100);
  const a = logAxis(v);
  assert.equal(a.domain, [0.01, 100]);
});

test.run();
