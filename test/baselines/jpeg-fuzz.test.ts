/**
 * Hardened JPEG decoding after channel errors (docs/architecture.md, "JPEG after channel errors"): 2,400
 * corrupted streams (random bit flips at 1e-4, 1e-3, 1e-2; truncation; a header rewritten to claim
 * 6000x6000 or 65535x65535; garbage) never throw, each decodes in under 2 s, memory stays bounded,
 * and each is either a loss or a decode of exactly the expected size.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/rng.js';
import { encodeGray, decodeGrayHardened, encodeGrayViaJpegJs } from '../../baselines/separate/jpeg.js';
import { mosaicLayout, toMosaic } from '../../baselines/separate/mosaic.js';
import { quantRange, quantize8 } from '../../baselines/separate/quantize.js';
import { randomFeature } from '../../baselines/feature.js';

/** Offset of the SOF0 marker's height field, or -1. */
function sofOffset(b: Uint8Array): number {
  for (let i = 2; i + 8 < b.length; i++) if (b[i] === 0xff && b[i + 1] === 0xc0) return i + 5;
  return -1;
}

test('2,400 corrupted JPEG streams: no crash, < 2 s each, bounded memory, loss or right size', () => {
  const f = randomFeature([16, 16, 8], new Rng(7)); // mosaic 32 x 64
  const L = mosaicLayout(f.shape);
  const gray = toMosaic(quantize8(f, quantRange(f, 'feature')), L);
  const W = L.imageWidth, H = L.imageHeight;
  const sources = [encodeGray(gray, W, H, 50), encodeGray(gray, W, H, 90), encodeGrayViaJpegJs(gray, W, H, 50)];
  const rng = new Rng(2024);
  const counts = { flips: 0, truncated: 0, bigHeader: 0, garbage: 0, lost: 0, decoded: 0 };
  let worstMs = 0;
  const global = globalThis as { gc?: () => void };
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let rssPeak = rss0;
  const N = 2400;
  for (let t = 0; t < N; t++) {
    const src = sources[t % sources.length];
    let c: Uint8Array;
    const kind = t % 8;
    if (kind < 5) { // bit flips, BER 1e-4 .. 1e-2 (log-uniform)
      c = src.slice();
      const ber = 10 ** (-4 + 2 * rng.uniform());
      for (let i = 0; i < c.length * 8; i++) if (rng.uniform() < ber) c[i >> 3] ^= 1 << (i & 7);
      counts.flips++;
    } else if (kind === 5) { // truncation anywhere (header included)
      c = src.slice(0, rng.int(src.length));
      counts.truncated++;
    } else if (kind === 6) { // header claims a huge image, optionally with flips too
      c = src.slice();
      const o = sofOffset(c);
      const dim = rng.uniform() < 0.5 ? 6000 : 65535;
      c[o] = dim >> 8; c[o + 1] = dim & 255; c[o + 2] = dim >> 8; c[o + 3] = dim & 255;
      if (rng.uniform() < 0.5) for (let i = 0; i < c.length * 8; i++) if (rng.uniform() < 1e-3) c[i >> 3] ^= 1 << (i & 7);
      counts.bigHeader++;
    } else { // random bytes behind a valid SOI, or pure garbage
      c = new Uint8Array(1 + rng.int(4096));
      for (let i = 0; i < c.length; i++) c[i] = rng.int(256);
      if (rng.uniform() < 0.5 && c.length > 2) { c[0] = 0xff; c[1] = 0xd8; }
      counts.garbage++;
    }
    const t0 = process.hrtime.bigint();
    let d;
    try {
      d = decodeGrayHardened(c, W, H);
    } catch (e) {
      assert.unreachable(`decodeGrayHardened threw on stream ${t}: ${e}`);
      return;
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    worstMs = Math.max(worstMs, ms);
    assert.ok(ms < 2000, `stream ${t} took ${ms} ms`);
    if (d.ok) {
      assert.is(d.gray.length, W * H);
      counts.decoded++;
    } else {
      assert.type(d.reason, 'string');
      counts.lost++;
    }
    if (kind === 6) assert.is(d.ok, false, 'a 6000x6000 or 65535x65535 header is always a loss');
    if (t % 100 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  const growthMB = (rssPeak - rss0) / 2 ** 20;
  // One 6000x6000 RGBA buffer alone would be 137 MB; the decoder's cap is a few MB per call.
  assert.ok(growthMB < 100, `RSS grew by ${growthMB.toFixed(1)} MB`);
  assert.is(counts.lost + counts.decoded, N);
  assert.ok(counts.lost > N / 2, `most corrupted streams are losses (${counts.lost})`);
  assert.ok(counts.decoded > 0, 'light corruption of the scan can still decode to the right size');
  console.log(`  fuzz: ${JSON.stringify(counts)}, worst ${worstMs.toFixed(1)} ms, RSS growth ${growthMB.toFixed(1)} MB`);
});

test.run();
