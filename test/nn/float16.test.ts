/**
 * binary16 encoding: reference vectors from numpy 1.26 (`np.float32(v).astype(np.float16)`), ties
 * to even, subnormals, overflow, and the decode of every finite half bit pattern round-tripping.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeFloat16, float16Bits, float16IsFinite, float16Value } from '../../src/nn/float16.js';

// [float32 input, numpy's half bits]
const NUMPY: [number, number][] = [
  [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2.5, 0xc100], [0.1, 0x2e66], [1 / 3, 0x3555],
  [65504, 0x7bff], [65519.98828125, 0x7bff], [6.103515625e-05, 0x0400], [5.960464477539063e-08, 0x0001],
  [2.9802322387695312e-08, 0x0000], // exactly half the smallest subnormal: ties to even (0)
  [2.980232594040899e-08, 0x0001], [1e-9, 0x0000],
  [1.0009765625, 0x3c01], [1.00048828125, 0x3c00] /* tie -> even */, [1.00146484375, 0x3c02] /* tie -> even */,
  [Math.PI, 0x4248], [-1e-5, 0x80a8], [0.000123456, 0x080c],
];

test('float16Bits equals numpy on reference values (rounding, ties to even, subnormals)', () => {
  for (const [v, bits] of NUMPY) assert.is(float16Bits(v), bits, `value ${v}`);
});

test('overflow to Inf, Inf and NaN encode as the standard patterns; encodeFloat16 reports the first overflow', () => {
  assert.is(float16Bits(65520), 0x7c00);
  assert.is(float16Bits(-1e6), 0xfc00);
  assert.is(float16Bits(Infinity), 0x7c00);
  assert.ok(!float16IsFinite(float16Bits(NaN)) && Number.isNaN(float16Value(float16Bits(NaN))));
  const out = new Uint16Array(4);
  assert.is(encodeFloat16(new Float32Array([1, 2, 7e4, 8e4]), out), 2);
  assert.is(encodeFloat16(new Float32Array([1, 2, 3, 4]), out), -1);
  assert.throws(() => encodeFloat16(new Float32Array(3), out), /out has 4 values, src 3/);
});

test('every finite half pattern decodes and re-encodes to itself; rounding error within half an ulp', () => {
  for (let b = 0; b < 0x10000; b++) {
    if (!float16IsFinite(b)) continue;
    assert.is(float16Bits(float16Value(b)), b === 0x8000 ? 0x8000 : b, `bits ${b.toString(16)}`);
  }
  // Random float32 values: the chosen half is the nearest (relative error <= 2^-11 for normals).
  let s = 12345;
  for (let i = 0; i < 20000; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const v = Math.fround(((s / 2 ** 32) - 0.5) * 2 ** ((i % 30) - 14));
    const h = float16Value(float16Bits(v));
    if (Math.abs(v) >= 6.103515625e-05) assert.ok(Math.abs(h - v) <= Math.abs(v) * 2 ** -11, `${v} -> ${h}`);
    else assert.ok(Math.abs(h - v) <= 2 ** -25, `${v} -> ${h}`);
  }
});

test.run();
