/** JPEG round trip, the reusable jpeg-js encoder (byte-identical to jpeg.encode), resize kernels. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import jpeg from 'jpeg-js';
import { Rng } from '../../src/core/rng.js';
import { decodeJpeg, encodeJpeg, resizeBilinear, resizeNearest, reusableEncoder, type RgbImage } from '../../src/data/image.js';

function smoothImage(w: number, h: number): RgbImage {
  const data = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const o = (y * w + x) * 3;
    data[o] = x / w; data[o + 1] = y / h; data[o + 2] = 0.5 + 0.4 * Math.sin(x / 5 + y / 7);
  }
  return { width: w, height: h, data };
}

test('the reusable encoder is found and writes the same bytes as jpeg.encode, at any quality in turn', () => {
  assert.ok(reusableEncoder(), 'jpeg-js JPEGEncoder not reachable: the slow path would be used');
  const rng = new Rng(3);
  for (const [w, h, q] of [[37, 21, 95], [16, 16, 50], [37, 21, 95], [9, 30, 10]]) {
    const img: RgbImage = { width: w, height: h, data: rng.fillUniform(new Float32Array(w * h * 3)) as Float32Array };
    const rgba = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) {
      for (let c = 0; c < 3; c++) rgba[4 * i + c] = Math.round(img.data[3 * i + c] * 255);
      rgba[4 * i + 3] = 255;
    }
    const ref = jpeg.encode({ width: w, height: h, data: rgba }, q).data;
    assert.ok(Buffer.from(encodeJpeg(img, q)).equals(ref), `${w}x${h} q${q}`);
  }
});

test('JPEG q95 round trip of a smooth image: small error, right size', () => {
  const img = smoothImage(40, 24);
  const back = decodeJpeg(encodeJpeg(img, 95));
  assert.is(back.width, 40);
  assert.is(back.height, 24);
  let se = 0;
  for (let i = 0; i < img.data.length; i++) se += (img.data[i] - back.data[i]) ** 2;
  const psnr = 10 * Math.log10(1 / (se / img.data.length));
  assert.ok(psnr > 38, `PSNR ${psnr.toFixed(1)} dB`);
  assert.throws(() => decodeJpeg(Uint8Array.from([1, 2, 3])), /not a JPEG/);
});

test('bilinear resize with half-pixel centres: hand cases', () => {
  const row = (vals: number[]): RgbImage => ({ width: vals.length, height: 1, data: Float32Array.from(vals.flatMap((v) => [v, v, v])) });
  // Up 2 -> 4: source x = (j + .5) / 2 - .5 = -.25, .25, .75, 1.25, clamped to [0, 1] -> 0, .25, .75, 1.
  assert.equal(Array.from(resizeBilinear(row([0, 1]), 4, 1).data.filter((_, i) => i % 3 === 0)), [0, 0.25, 0.75, 1]);
  // Down 4 -> 2 (antialiased): triangle of half-width 2 centred at source x = 1 and 3. Output 0:
  // pixels 0, 1, 2 (centres .5, 1.5, 2.5) weigh .75, .75, .25 -> (0 + .75 + .5) / 1.75 = 5/7;
  // output 1: pixels 1, 2, 3 weigh .25, .75, .75 -> (.25 + 1.5 + 2.25) / 1.75 = 16/7.
  const down = Array.from(resizeBilinear(row([0, 1, 2, 3]), 2, 1).data.filter((_, i) => i % 3 === 0));
  assert.ok(Math.abs(down[0] - 5 / 7) < 1e-6 && Math.abs(down[1] - 16 / 7) < 1e-6, String(down));
  // A ramp shrunk 4x keeps its values at the output centres away from the border (a symmetric
  // filter preserves linear functions): output j sits at source x = 4j + 2, value 4j + 1.5.
  const ramp = resizeBilinear(row(Array.from({ length: 100 }, (_, k) => k)), 25, 1).data;
  for (let j = 2; j < 23; j++) assert.ok(Math.abs(ramp[3 * j] - (4 * j + 1.5)) < 1e-4, `ramp ${j}: ${ramp[3 * j]}`);
  // Every source pixel counts when shrinking: a one-pixel line is not skipped (plain bilinear at
  // 4x would miss 4 lines of these 8: x = 0, 3, 4, 7).
  for (let x = 0; x < 8; x++) {
    const v = new Array(8).fill(0);
    v[x] = 1;
    const out = resizeBilinear(row(v), 2, 1).data;
    assert.ok(out[0] + out[3] > 0.1, `line at ${x} lost: ${out[0]}, ${out[3]}`);
  }
  // Same size: identity.
  const img = smoothImage(7, 5);
  assert.equal(resizeBilinear(img, 7, 5).data, img.data);
});

test('nearest resize of masks: pixel centres', () => {
  // 4x4 -> 2x2 reads source rows/columns floor((i + .5) * 2) = 1, 3.
  const m = Uint8Array.from({ length: 16 }, (_, i) => i);
  assert.equal(Array.from(resizeNearest(m, 4, 4, 2, 2)), [5, 7, 13, 15]);
  // 2x1 -> 4x1: floor((j + .5) / 2) = 0, 0, 1, 1.
  assert.equal(Array.from(resizeNearest(Uint8Array.from([3, 9]), 2, 1, 4, 1)), [3, 3, 9, 9]);
});

test.run();
