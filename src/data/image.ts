/**
 * Image decoding and resizing for the data-set readers: JPEG (jpeg-js) and PNG (src/data/png.ts);
 * other formats are refused with a clear error. Images are HWC RGB Float32 in [0, 1].
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { decodePng, isPng } from './png.js';

export interface RgbImage {
  width: number;
  height: number;
  /** HWC RGB in [0, 1]. */
  data: Float32Array;
}

const INV255 = 1 / 255;

/** Decode a JPEG or PNG file's bytes (by signature, whatever the file name says). */
export function decodeImage(bytes: Uint8Array): RgbImage {
  if (isPng(bytes)) return decodePng(bytes);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8) return decodeJpeg(bytes);
  throw new Error('not a JPEG or PNG file');
}

/** Decode JPEG bytes. Throws an Error naming the problem (the caller adds the file name). */
export function decodeJpeg(bytes: Uint8Array): RgbImage {
  if (bytes.length < 3 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('not a JPEG file');
  const raw = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 200, maxMemoryUsageInMB: 2048 });
  const n = raw.width * raw.height;
  const data = new Float32Array(n * 3);
  const src = raw.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    data[3 * i] = src[j] * INV255;
    data[3 * i + 1] = src[j + 1] * INV255;
    data[3 * i + 2] = src[j + 2] * INV255;
  }
  return { width: raw.width, height: raw.height, data };
}

/** Encode an HWC RGB [0, 1] image as JPEG bytes (values clamped, rounded to 8 bits). */
export function encodeJpeg(img: RgbImage, quality = 95): Uint8Array {
  const n = img.width * img.height;
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = img.data[3 * i + c];
      rgba[4 * i + c] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
    }
    rgba[4 * i + 3] = 255;
  }
  const raw = { width: img.width, height: img.height, data: rgba };
  const enc = reusableEncoder();
  return enc ? enc.encode(raw, quality) : jpeg.encode(raw, quality).data;
}

interface JpegJsEncoder {
  encode(img: { width: number; height: number; data: Uint8Array }, quality: number): Uint8Array;
}
let encoder: JpegJsEncoder | null | undefined;

/**
 * jpeg-js's public `encode` builds a new encoder per call, rebuilding ~65k-entry tables (~40 ms
 * here, 10x the encoding of a 128x128 image). Its `JPEGEncoder` class is reusable but not
 * exported, so it is taken from the installed module's own source, evaluated in a function scope.
 * Output is byte-identical to `jpeg.encode` (tested); if the module's layout ever changes, this
 * returns null and the public function is used.
 */
export function reusableEncoder(): JpegJsEncoder | null {
  if (encoder !== undefined) return encoder;
  try {
    const require = createRequire(import.meta.url);
    const file = path.join(path.dirname(require.resolve('jpeg-js')), 'lib', 'encoder.js');
    const src = readFileSync(file, 'utf8');
    const make = new Function('module', 'Buffer', `${src}\n;return typeof JPEGEncoder === 'function' ? JPEGEncoder : null;`);
    const Ctor = make({ exports: {} }, Buffer) as (new (q: number) => JpegJsEncoder) | null;
    encoder = Ctor ? new Ctor(95) : null;
  } catch {
    encoder = null;
  }
  return encoder;
}

/**
 * Bilinear resize with half-pixel centres (tf.image.resizeBilinear with halfPixelCenters, OpenCV
 * INTER_LINEAR): output pixel (i, j) samples the source at ((i + 0.5) * h / H - 0.5, ...), clamped.
 */
export function resizeBilinear(img: RgbImage, outW: number, outH: number): RgbImage {
  const { width: w, height: h, data: src } = img;
  const out = new Float32Array(outW * outH * 3);
  const sy = h / outH;
  const sx = w / outW;
  const x0s = new Int32Array(outW);
  const x1s = new Int32Array(outW);
  const fxs = new Float32Array(outW);
  for (let j = 0; j < outW; j++) {
    const fx = Math.min(Math.max((j + 0.5) * sx - 0.5, 0), w - 1);
    x0s[j] = Math.floor(fx);
    x1s[j] = Math.min(x0s[j] + 1, w - 1);
    fxs[j] = fx - x0s[j];
  }
  for (let i = 0; i < outH; i++) {
    const fy = Math.min(Math.max((i + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const wy = fy - y0;
    for (let j = 0; j < outW; j++) {
      const wx = fxs[j];
      const a = (y0 * w + x0s[j]) * 3, b = (y0 * w + x1s[j]) * 3, c = (y1 * w + x0s[j]) * 3, d = (y1 * w + x1s[j]) * 3;
      const o = (i * outW + j) * 3;
      for (let k = 0; k < 3; k++) {
        const top = src[a + k] + (src[b + k] - src[a + k]) * wx;
        const bot = src[c + k] + (src[d + k] - src[c + k]) * wx;
        out[o + k] = top + (bot - top) * wy;
      }
    }
  }
  return { width: outW, height: outH, data: out };
}

/** Nearest-neighbour resize of a label mask (pixel centres: source index floor((i + 0.5) * h / H)). */
export function resizeNearest(mask: Uint8Array, w: number, h: number, outW: number, outH: number): Uint8Array {
  const out = new Uint8Array(outW * outH);
  const cols = new Int32Array(outW);
  for (let j = 0; j < outW; j++) cols[j] = Math.min(w - 1, Math.floor(((j + 0.5) * w) / outW));
  for (let i = 0; i < outH; i++) {
    const r = Math.min(h - 1, Math.floor(((i + 0.5) * h) / outH));
    for (let j = 0; j < outW; j++) out[i * outW + j] = mask[r * w + cols[j]];
  }
  return out;
}
