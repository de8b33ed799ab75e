import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { philox4x32, Rng } from '../../src/core/rng.js';

const hex = (a: Uint32Array) => Array.from(a, (x) => x.toString(16).padStart(8, '0')).join(' ');

// Known-answer vectors of Random123 (kat_vectors, philox4x32 10 rounds).
test('Philox4x32-10 matches the Random123 known-answer vectors', () => {
  const o = new Uint32Array(4);
  philox4x32(0, 0, 0, 0, 0, 0, o);
  assert.is(hex(o), '6627e8d5 e169c58d bc57ac4c 9b00dbd8');
  philox4x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, o);
  assert.is(hex(o), '408f276d 41c83b0e a20bc7c6 6d5451fd');
  philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, o);
  assert.is(hex(o), 'd16cfe09 94fdcceb 5001e420 24126ea1');
});

test('same seed and path give identical draws; different paths differ', () => {
  const a = new Rng(42).split(3, 7).fillGaussian(new Float64Array(1001));
  const b = new Rng(42).split(3, 7).fillGaussian(new Float64Array(1001));
  assert.equal(Array.from(a), Array.from(b));
  const c = new Rng(42).split(3, 8).fillGaussian(new Float64Array(1001));
  assert.not.equal(Array.from(a), Array.from(c));
  const d = new Rng(43).split(3, 7).fillGaussian(new Float64Array(1001));
  assert.not.equal(Array.from(a), Array.from(d));
  // split(3, 7) is the same stream as split(3).split(7), and independent of draws on the parent.
  const parent = new Rng(42);
  parent.fillUniform(new Float64Array(17));
  const e = parent.split(3).split(7).fillGaussian(new Float64Array(1001));
  assert.equal(Array.from(a), Array.from(e));
});

test('Gaussian draws have mean 0 and variance 1 within 5-sigma bounds', () => {
  const n = 1 << 20;
  const x = new Rng(1).fillGaussian(new Float64Array(n));
  let s = 0, s2 = 0, s4 = 0;
  for (let i = 0; i < n; i++) { s += x[i]; s2 += x[i] * x[i]; s4 += x[i] ** 4; }
  const mean = s / n, v = s2 / n, kurt = s4 / n;
  assert.ok(Math.abs(mean) < 5 / Math.sqrt(n), `mean ${mean}`);
  assert.ok(Math.abs(v - 1) < 5 * Math.sqrt(2 / n), `variance ${v}`);
  assert.ok(Math.abs(kurt - 3) < 5 * Math.sqrt(96 / n), `kurtosis ${kurt}`);
});

test('uniforms lie in (0,1) and pass a chi-square test over 64 bins', () => {
  const n = 1 << 18, bins = new Float64Array(64);
  const u = new Rng(9).fillUniform(new Float64Array(n));
  for (const x of u) { assert.ok(x > 0 && x < 1); bins[Math.floor(x * 64)]++; }
  const e = n / 64;
  let chi = 0;
  for (const b of bins) chi += (b - e) ** 2 / e;
  // 63 degrees of freedom: the 99.9% quantile is about 103.4.
  assert.ok(chi < 103.4, `chi2 ${chi}`);
});

test('fillBits gives balanced bits and int(n) stays in range', () => {
  const r = new Rng(5);
  const b = r.fillBits(new Uint8Array(100003));
  let ones = 0;
  for (const x of b) { assert.ok(x === 0 || x === 1); ones += x; }
  assert.ok(Math.abs(ones - 50001.5) < 5 * Math.sqrt(100003 / 4));
  for (let i = 0; i < 1000; i++) { const k = r.int(7); assert.ok(k >= 0 && k < 7 && Number.isInteger(k)); }
});

test('bad seeds are rejected with the value named', () => {
  assert.throws(() => new Rng(-1), /seed -1/);
  assert.throws(() => new Rng(1.5), /seed 1.5/);
});

test.run();
