/**
 * The grayscale JPEG encoder against an independent implementation: jpeg-js 0.4.4's encoder
 * (same IJG quality scaling and T.81 Annex K luminance tables) and its decoder.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/rng.js';
import { encodeGrayJpeg, lumaQuantTable, ZIGZAG, DC_BITS, DC_VALS, AC_BITS, AC_VALS } from '../../baselines/separate/jpeg-encoder.js';
import { encodeGrayViaJpegJs, decodeGrayHardened } from '../../baselines/separate/jpeg.js';

/** Marker segments of a JPEG up to SOS: [marker, payload]. */
function segments(b: Uint8Array): [number, Uint8Array][] {
  const out: [number, Uint8Array][] = [];
  let i = 2;
  while (i + 4 <= b.length) {
    const m = b[i + 1];
    const len = (b[i + 2] << 8) | b[i + 3];
    out.push([m, b.subarray(i + 4, i + 2 + len)]);
    if (m === 0xda) break;
    i += 2 + len;
  }
  return out;
}

function image(w: number, h: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const g = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const v = 128 + 70 * Math.sin(x / 5) * Math.cos(y / 7) + 20 * rng.gaussian();
    g[y * w + x] = Math.max(0, Math.min(255, Math.round(v)));
  }
  return g;
}

test('zigzag order is a permutation ending in the standard corners', () => {
  assert.equal(Array.from(ZIGZAG.slice(0, 10)), [0, 1, 8, 16, 9, 2, 3, 10, 17, 24]);
  assert.equal(Array.from(ZIGZAG.slice(60)), [47, 55, 62, 63]);
  assert.is(new Set(ZIGZAG).size, 64);
});

test('quantization and Huffman tables equal the ones jpeg-js writes for luminance', () => {
  const g = image(16, 16, 1);
  for (const q of [1, 10, 50, 75, 100]) {
    const theirs = segments(encodeGrayViaJpegJs(g, 16, 16, q));
    const dqt = theirs.find(([m, p]) => m === 0xdb && p[0] === 0)![1];
    const qt = lumaQuantTable(q);
    assert.equal(Array.from(dqt.subarray(1, 65)), Array.from(ZIGZAG, (i) => qt[i]), `DQT q=${q}`);
    const ours = segments(encodeGrayJpeg(g, 16, 16, q));
    assert.equal(Array.from(ours.find(([m]) => m === 0xdb)![1]), Array.from(dqt.subarray(0, 65)));
  }
  const theirs = segments(encodeGrayViaJpegJs(g, 16, 16, 50)).filter(([m]) => m === 0xc4).map(([, p]) => p);
  // jpeg-js writes all four tables in one DHT segment: DC luma (0x00), AC luma (0x10), ...
  const all = theirs[0];
  assert.is(all[0], 0x00);
  assert.equal(Array.from(all.subarray(1, 17)), DC_BITS);
  assert.equal(Array.from(all.subarray(17, 29)), DC_VALS);
  assert.is(all[29], 0x10);
  assert.equal(Array.from(all.subarray(30, 46)), AC_BITS);
  assert.equal(Array.from(all.subarray(46, 46 + 162)), AC_VALS);
});

test('decodes (jpeg-js) to the same pixels as jpeg-js\'s encoder, in fewer bytes', () => {
  for (const [w, h, q] of [[64, 40, 50], [37, 21, 90], [128, 64, 10], [16, 16, 100]]) {
    const g = image(w, h, w + q);
    const mine = encodeGrayJpeg(g, w, h, q);
    const ref = encodeGrayViaJpegJs(g, w, h, q);
    const a = decodeGrayHardened(mine, w, h);
    const b = decodeGrayHardened(ref, w, h);
    assert.ok(a.ok && b.ok);
    if (!a.ok || !b.ok) return;
    let diff = 0, maxd = 0, mseA = 0;
    for (let i = 0; i < g.length; i++) {
      const d = Math.abs(a.gray[i] - b.gray[i]);
      diff += d; maxd = Math.max(maxd, d);
      mseA += (a.gray[i] - g[i]) ** 2;
    }
    // Same DCT and tables: differences only from rounding ties in quantization.
    assert.ok(diff / g.length < 0.2 && maxd <= 8, `${w}x${h} q${q}: mean |diff| ${diff / g.length}, max ${maxd}`);
    // 297 header bytes of chroma tables and JFIF, plus ~1 byte per 8x8 block of empty chroma
    assert.ok(ref.length - mine.length >= 297 + Math.floor(Math.ceil(w / 8) * Math.ceil(h / 8) * 0.9), `${mine.length} vs ${ref.length}`);
    if (q === 100) assert.ok(mseA / g.length < 1, `q100 mse ${mseA / g.length}`);
  }
});

test.run();
