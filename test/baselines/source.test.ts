/** Quantization, mosaic and JPEG source coding of the separate scheme. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/rng.js';
import { UsageError } from '../../src/core/errors.js';
import { quantRange, quantize8, dequantize8, maxStep, rangeSideInfoBits } from '../../baselines/separate/quantize.js';
import { mosaicLayout, toMosaic, fromMosaic } from '../../baselines/separate/mosaic.js';
import { encodeGray, checkQuality, splitJpeg, jpegHeader, joinJpeg, decodeGrayHardened } from '../../baselines/separate/jpeg.js';
import { sourceEncode, sourceRoundTrip, largestFittingQuality, jpegBytesAt } from '../../baselines/separate/source.js';
import { randomFeature, toFeature } from '../../baselines/feature.js';

test('8-bit quantization error is within half a step (both range rules)', () => {
  const rng = new Rng(11);
  const f = randomFeature([8, 8, 16], rng);
  // Make one channel negative-valued and one constant, to exercise min != 0 and step 0.
  for (let p = 0; p < 64; p++) { f.data[p * 16 + 3] = -5 + p * 0.01; f.data[p * 16 + 7] = 0.25; }
  for (const rule of ['feature', 'channel'] as const) {
    const r = quantRange(f, rule);
    const q = quantize8(f, r);
    const back = dequantize8(q, 16, r);
    let worst = 0;
    for (let i = 0; i < f.data.length; i++) {
      const c = i % 16;
      const step = rule === 'feature' ? maxStep(r) : (r.max[c] - r.min[c]) / 255;
      const err = Math.abs(back[i] - f.data[i]);
      // half a step, plus float32 rounding of the output
      assert.ok(err <= step / 2 + 4e-7 * Math.max(1, Math.abs(f.data[i])), `${rule} i=${i} err=${err} step=${step}`);
      worst = Math.max(worst, err / (step || 1));
    }
    assert.ok(worst > 0.3, 'the bound is nearly reached somewhere (the test could fail)');
    if (rule === 'channel') assert.is(back[7], 0.25); // constant channel comes back exactly
  }
  assert.is(rangeSideInfoBits('feature', 16), 64);
  assert.is(rangeSideInfoBits('channel', 16), 1024);
  // Hand case: range [0, 2.55] -> step 0.01; 1.004 -> q 100 -> 1.0
  const hand = toFeature(new Float32Array([0, 2.55, 1.004, 1.006]), [1, 1, 4]);
  const hr = quantRange(hand, 'feature');
  assert.equal(Array.from(quantize8(hand, hr)), [0, 255, 100, 101]);
});

test('non-finite features are usage errors', () => {
  assert.throws(() => toFeature(new Float32Array([1, NaN]), [1, 1, 2]), (e: unknown) => e instanceof UsageError && /NaN/.test((e as Error).message));
  assert.throws(() => toFeature(new Float32Array(6), [2, 3]), (e: unknown) => e instanceof UsageError);
  assert.is(toFeature(new Float32Array(6), [1, 1, 2, 3]).shape.join(), "1,2,3");
});

test('mosaic grid rule and exact round trip', () => {
  assert.equal([mosaicLayout([16, 16, 128]).rows, mosaicLayout([16, 16, 128]).cols], [8, 16]);
  assert.equal([mosaicLayout([64, 64, 512]).rows, mosaicLayout([64, 64, 512]).cols], [16, 32]);
  assert.equal([mosaicLayout([8, 8, 16]).rows, mosaicLayout([8, 8, 16]).cols], [4, 4]);
  const prime = mosaicLayout([16, 16, 127]); // 1 x 127 would be 127:1, so near-square with empty tiles
  assert.equal([prime.rows, prime.cols], [11, 12]);
  const wide = mosaicLayout([4, 32, 4]); // tiles 4x32: 4 rows x 1 col gives a 16x32 image
  assert.equal([wide.rows, wide.cols], [4, 1]);
  for (const shape of [[16, 16, 127], [5, 3, 7], [16, 16, 128]] as [number, number, number][]) {
    const L = mosaicLayout(shape);
    const n = shape[0] * shape[1] * shape[2];
    const q = new Uint8Array(n);
    for (let i = 0; i < n; i++) q[i] = (i * 7919) & 255;
    const img = toMosaic(q, L);
    assert.is(img.length, L.imageWidth * L.imageHeight);
    assert.equal(fromMosaic(img, L), q);
    // channel 1, pixel (0, 0) sits at tile (0, 1)
    if (L.cols > 1) assert.is(img[shape[1]], q[1]);
  }
});

test('JPEG quality is validated, header=known rebuilds the file byte for byte', () => {
  for (const bad of [0, 101, 2.5, 'x', -3]) assert.throws(() => checkQuality(bad), (e: unknown) => e instanceof UsageError && (e as Error).message.includes('1..100'));
  const f = randomFeature([16, 16, 8], new Rng(2));
  const L = mosaicLayout(f.shape);
  const gray = toMosaic(quantize8(f, quantRange(f, 'feature')), L);
  for (const q of [1, 37, 100]) {
    const file = encodeGray(gray, L.imageWidth, L.imageHeight, q);
    const { header, scan } = splitJpeg(file);
    assert.equal(joinJpeg(jpegHeader(L.imageWidth, L.imageHeight, q), scan), file);
    assert.is(header.length, 310); // SOI 2 + DQT 69 + SOF0 13 + DHT 33 + 183 + SOS 10
    const d = decodeGrayHardened(file, L.imageWidth, L.imageHeight);
    assert.ok(d.ok);
    // wrong expected size -> loss, not a crash
    assert.is(decodeGrayHardened(file, L.imageWidth, L.imageHeight + 8).ok, false);
  }
  // q = 100 is nearly lossless on the mosaic
  const d = decodeGrayHardened(encodeGray(gray, L.imageWidth, L.imageHeight, 100), L.imageWidth, L.imageHeight);
  let mse = 0;
  if (d.ok) for (let i = 0; i < gray.length; i++) mse += (d.gray[i] - gray[i]) ** 2;
  assert.ok(d.ok && mse / gray.length < 1, `mse ${mse / gray.length}`);
});

test('source round trip: quality lowers distortion, header=known sends fewer bytes, fitting is exact', () => {
  const f = randomFeature([16, 16, 16], new Rng(5));
  const mse = (q: number) => {
    const r = sourceRoundTrip(f, q);
    let s = 0;
    for (let i = 0; i < r.length; i++) s += (r[i] - f.data[i]) ** 2;
    return s / r.length;
  };
  assert.ok(mse(95) < mse(50) && mse(50) < mse(5), `${mse(95)} ${mse(50)} ${mse(5)}`);
  const full = sourceEncode(f, 50).jpeg.length;
  const known = sourceEncode(f, 50, { header: 'known' }).jpeg.length;
  assert.is(full - known, 312); // header + EOI
  const target = jpegBytesAt(f, 60);
  const q = largestFittingQuality(f, (b) => b <= target);
  assert.ok(q !== null && q >= 60);
  for (let k = q! + 1; k <= 100; k++) assert.ok(jpegBytesAt(f, k) > target);
  assert.is(largestFittingQuality(f, (b) => b <= 100), null);
  // The size cache follows the content: a buffer reused for another feature is not stale.
  const g = randomFeature([16, 16, 16], new Rng(6));
  const before = jpegBytesAt(g, 50);
  g.data.fill(0);
  assert.ok(jpegBytesAt(g, 50) < before / 2, 'an all-zero feature compresses far better');
});

test('sourceEncode validates its input at the library boundary: 4-D shapes, wrong lengths, NaN, quality', () => {
  const f = randomFeature([8, 8, 16], new Rng(3));
  const bad: [unknown, RegExp][] = [
    [{ data: f.data, shape: [1, 8, 8, 16] }, /feature shape \[1,8,8,16\] is not allowed: use \[H, W, C\]/],
    [{ data: f.data, shape: [8, 8] }, /feature shape \[8,8\] is not allowed/],
    [{ data: f.data, shape: [8, 8, 0] }, /feature shape \[8,8,0\] is not allowed/],
    [{ data: f.data.subarray(0, 1000), shape: [8, 8, 16] }, /feature has 1000 values, shape \[8,8,16\] needs 1024/],
    [{ data: Array.from(f.data), shape: [8, 8, 16] }, /feature data is not a Float32Array/],
    [{ data: Object.assign(new Float32Array(f.data), { 5: NaN }), shape: [8, 8, 16] }, /feature value 5 is NaN: every value must be finite/],
  ];
  for (const [feature, re] of bad) {
    assert.throws(() => sourceEncode(feature as Parameters<typeof sourceEncode>[0], 50), (e: Error) => e instanceof UsageError && re.test(e.message));
  }
  assert.throws(() => sourceEncode(f, 0), (e: Error) => e instanceof UsageError && /JPEG quality 0 is not allowed/.test(e.message));
  // The sound 3-D feature still round-trips all 1024 values.
  assert.is(sourceRoundTrip(f, 90).length, 1024);
});

test.run();
