import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { distanceSpectrum, unionBoundBer, qfunc, erfc } from '../../../src/fec/conv/spectrum.js';
import { ConvCode, convUnionBound } from '../../../src/fec/conv/code.js';

test('rate 1/2 [133,171]: d_free = 10 and the published information weights c_d, d = 10..26', () => {
  // Odenwalder (1970) / Proakis, Digital Communications, Table 8.2 family; also Frenger et al. 1999.
  const published = [36, 0, 211, 0, 1404, 0, 11633, 0, 77433, 0, 502690, 0, 3322763, 0, 21292910, 0, 134365911];
  const events = [11, 0, 38, 0, 193, 0, 1331, 0, 7275]; // a_d, d = 10..18
  const s = distanceSpectrum('1/2', 26);
  assert.is(s.dFree, 10);
  assert.is(s.period, 1);
  published.forEach((c, i) => assert.is(s.c[10 + i], c, `c_${10 + i}`));
  events.forEach((a, i) => assert.is(s.a[10 + i], a, `a_${10 + i}`));
  for (let d = 0; d < 10; d++) assert.is(s.c[d], 0);
});

test('802.11 punctured rates: d_free and the first five c_d (Yasuda et al. 1984 / Haccoun & Begin 1989 tables)', () => {
  // c_d summed over the P starting phases, as tabulated (P_b <= (1/P) sum c_d P_d).
  const published: Record<string, [number, number[], number[]]> = {
    '2/3': [6, [3, 70, 285, 1276, 6160], [1, 16, 48, 158, 642]],
    '3/4': [5, [42, 201, 1492, 10469, 62935], [8, 31, 160, 892, 4512]],
    '5/6': [4, [92, 528, 8694, 79453], []],
  };
  for (const [rate, [dFree, c, a]] of Object.entries(published)) {
    const s = distanceSpectrum(rate, dFree + 5);
    assert.is(s.dFree, dFree, `${rate} d_free`);
    c.forEach((v, i) => assert.is(s.c[dFree + i], v, `${rate} c_${dFree + i}`));
    a.forEach((v, i) => assert.is(s.a[dFree + i], v, `${rate} a_${dFree + i}`));
  }
});

test('Q function against tabulated values', () => {
  // Abramowitz & Stegun 26.2 / standard normal tables.
  const table: [number, number][] = [[0, 0.5], [1, 0.158655254], [2, 0.022750132], [3, 1.349898e-3], [4, 3.167124e-5], [5, 2.866516e-7], [6, 9.865876e-10]];
  for (const [x, q] of table) assert.ok(Math.abs(qfunc(x) / q - 1) < 2e-7, `Q(${x}) = ${qfunc(x)} vs ${q}`);
  assert.ok(Math.abs(erfc(-1) - 1.842700793) < 1e-7);
});

test('union bound: first term dominates at high Eb/N0 and the bound decreases', () => {
  const s = distanceSpectrum('1/2', 30);
  const first = 36 * qfunc(Math.sqrt(2 * 10 * 0.5 * Math.pow(10, 0.7)));
  const b7 = unionBoundBer(s, 7);
  assert.ok(b7 > first && b7 < first * 1.2, `bound ${b7} vs first term ${first}`);
  let prev = Infinity;
  for (let e = 2; e <= 8; e += 0.5) {
    const b = unionBoundBer(s, e);
    assert.ok(b < prev);
    prev = b;
  }
  // With the tail's rate loss the bound is a little higher.
  assert.ok(unionBoundBer(s, 4, 1024 / 2060) > unionBoundBer(s, 4));
});

test('convUnionBound uses the block\'s effective rate', () => {
  const code = new ConvCode('3/4', { k: 600 });
  const s = distanceSpectrum('3/4', 16);
  assert.is(convUnionBound(code, 6), unionBoundBer(s, 6, 600 / code.n));
  assert.ok(convUnionBound(code, 6) > unionBoundBer(s, 6));
});

test.run();
