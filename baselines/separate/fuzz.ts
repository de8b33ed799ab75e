/**
 * Corrupted-JPEG fuzzing of the separate scheme's hardened decoder: what channel errors do to a
 * stream (bit flips at BER 1e-4..1e-2, truncation anywhere, a header claiming a 6000x6000 or
 * 65535x65535 image, garbage behind a valid SOI or none). Shared by the test suite (2,400
 * streams) and `npm run fuzz` (a larger run, figures in BENCHMARKS.md). Never throws on a stream;
 * a decoder exception is reported as `threw`.
 */
import { Rng } from '../../src/core/rng.js';
import { randomFeature } from '../feature.js';
import { decodeGrayHardened, encodeGray, encodeGrayViaJpegJs } from './jpeg.js';
import { mosaicLayout, toMosaic } from './mosaic.js';
import { quantRange, quantize8 } from './quantize.js';

export interface FuzzStats {
  streams: number;
  flips: number;
  truncated: number;
  bigHeader: number;
  garbage: number;
  lost: number;
  decoded: number;
  /** Decodes of the wrong size, big headers that decoded, exceptions: all must be 0. */
  wrongSize: number;
  bigHeaderDecoded: number;
  threw: number;
  worstMs: number;
  rssGrowthMB: number;
}

/** Offset of the SOF0 marker's height field, or -1. */
function sofOffset(b: Uint8Array): number {
  for (let i = 2; i + 8 < b.length; i++) if (b[i] === 0xff && b[i + 1] === 0xc0) return i + 5;
  return -1;
}

export function fuzzHardenedJpeg(n: number, seed = 2024): FuzzStats {
  const f = randomFeature([16, 16, 8], new Rng(7)); // mosaic 32 x 64
  const L = mosaicLayout(f.shape);
  const gray = toMosaic(quantize8(f, quantRange(f, 'feature')), L);
  const W = L.imageWidth, H = L.imageHeight;
  const sources = [encodeGray(gray, W, H, 50), encodeGray(gray, W, H, 90), encodeGrayViaJpegJs(gray, W, H, 50)];
  const rng = new Rng(seed);
  const s: FuzzStats = { streams: n, flips: 0, truncated: 0, bigHeader: 0, garbage: 0, lost: 0, decoded: 0, wrongSize: 0, bigHeaderDecoded: 0, threw: 0, worstMs: 0, rssGrowthMB: 0 };
  (globalThis as { gc?: () => void }).gc?.();
  const rss0 = process.memoryUsage().rss;
  let rssPeak = rss0;
  for (let t = 0; t < n; t++) {
    const src = sources[t % sources.length];
    let c: Uint8Array;
    const kind = t % 8;
    if (kind < 5) {
      c = src.slice();
      const ber = 10 ** (-4 + 2 * rng.uniform());
      for (let i = 0; i < c.length * 8; i++) if (rng.uniform() < ber) c[i >> 3] ^= 1 << (i & 7);
      s.flips++;
    } else if (kind === 5) {
      c = src.slice(0, rng.int(src.length));
      s.truncated++;
    } else if (kind === 6) {
      c = src.slice();
      const o = sofOffset(c);
      const dim = rng.uniform() < 0.5 ? 6000 : 65535;
      c[o] = dim >> 8; c[o + 1] = dim & 255; c[o + 2] = dim >> 8; c[o + 3] = dim & 255;
      if (rng.uniform() < 0.5) for (let i = 0; i < c.length * 8; i++) if (rng.uniform() < 1e-3) c[i >> 3] ^= 1 << (i & 7);
      s.bigHeader++;
    } else {
      c = new Uint8Array(1 + rng.int(4096));
      for (let i = 0; i < c.length; i++) c[i] = rng.int(256);
      if (rng.uniform() < 0.5 && c.length > 2) { c[0] = 0xff; c[1] = 0xd8; }
      s.garbage++;
    }
    const t0 = process.hrtime.bigint();
    try {
      const d = decodeGrayHardened(c, W, H);
      if (d.ok) {
        s.decoded++;
        if (d.gray.length !== W * H) s.wrongSize++;
        if (kind === 6) s.bigHeaderDecoded++;
      } else {
        s.lost++;
      }
    } catch {
      s.threw++;
    }
    s.worstMs = Math.max(s.worstMs, Number(process.hrtime.bigint() - t0) / 1e6);
    if (t % 100 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  s.rssGrowthMB = (rssPeak - rss0) / 2 ** 20;
  return s;
}
