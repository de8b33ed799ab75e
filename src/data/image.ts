/**
 * Image decoding and resizing for the data-set readers: JPEG (jpeg-js) and PNG (src/data/png.ts);
 * other formats are refused with a clear error. Images are HWC RGB Float32 in [0, 1].
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { decodePng, isPng } from './png.js';
import type { RgbImage } from './types.js';

export type { RgbImage };

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
 * Bilinear resize with half-pixel centres. Enlarging: plain bilinear interpolation (as
 * tf.image.resizeBilinear with halfPixelCenters, OpenCV INTER_LINEAR). Shrinking: the triangle
 * filter widened by the scale factor, so every source pixel contributes (antialiasing, as PIL's
 * BILINEAR and torchvision's antialias=True); without it a 640 -> 128 resize would sample 1 pixel
 * in 25 and alias. Weights falling outside the image are dropped and the rest renormalized.
 * Separable: rows first, then columns, each axis with its own weight table.
 */
export function resizeBilinear(img: RgbImage, outW: number, outH: number): RgbImage {
  const { width: w, height: h } = img;
  if (w === outW && h === outH) return { width: w, height: h, data: img.data.slice() };
  const tx = axisWeights(w, outW);
  const ty = axisWeights(h, outH);
  // Horizontal pass: h x outW.
  const mid = new Float32Array(h * outW * 3);
  for (let y = 0; y < h; y++) {
    const row = y * w * 3;
    for (let j = 0; j < outW; j++) {
      let r = 0, g = 0, b = 0;
      for (let k = tx.start[j], q = tx.offset[j]; k < tx.start[j] + tx.count[j]; k++, q++) {
        const wt = tx.weight[q];
        const o = row + k * 3;
        r += img.data[o] * wt; g += img.data[o + 1] * wt; b += img.data[o + 2] * wt;
      }
      const m = (y * outW + j) * 3;
      mid[m] = r; mid[m + 1] = g; mid[m + 2] = b;
    }
  }
  // Vertical pass: outH x outW.
  const out = new Float32Array(outH * outW * 3);
  for (let i = 0; i < outH; i++) {
    for (let j = 0; j < outW; j++) {
      let r = 0, g = 0, b = 0;
      for (let k = ty.start[i], q = ty.offset[i]; k < ty.start[i] + ty.count[i]; k++, q++) {
        const wt = ty.weight[q];
        const m = (k * outW + j) * 3;
        r += mid[m] * wt; g += mid[m + 1] * wt; b += mid[m + 2] * wt;
      }
      const o = (i * outW + j) * 3;
      out[o] = r; out[o + 1] = g; out[o + 2] = b;
    }
  }
  return { width: outW, height: outH, data: out };
}

interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  offset: Int32Array;
  weight: Float32Array;
}

/** Triangle-filter weights mapping `n` source samples to `m` outputs along one axis. */
function axisWeights(n: number, m: number): AxisWeights {
  const scale = n / m;
  const support = Math.max(1, scale); // half-width of the triangle, in source pixels
  const start = new Int32Array(m);
  const count = new Int32Array(m);
  const offset = new Int32Array(m);
  const weights: number[] = [];
  for (let j = 0; j < m; j++) {
    const centre = (j + 0.5) * scale; // in source coordinates, pixel k spans [k, k + 1)
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(n - 1, Math.ceil(centre + support));
    let sum = 0;
    const ws: number[] = [];
    for (let k = lo; k <= hi; k++) {
      const wt = Math.max(0, 1 - Math.abs(k + 0.5 - centre) / support);
      ws.push(wt);
      sum += wt;
    }
    // Trim zero weights at both ends so the loops stay short.
    let a = 0, b = ws.length - 1;
    while (a < b && ws[a] === 0) a++;
    while (b > a && ws[b] === 0) b--;
    start[j] = lo + a;
    count[j] = b - a + 1;
    offset[j] = weights.length;
    for (let k = a; k <= b; k++) weights.push(sum > 0 ? ws[k] / sum : 1);
  }
  return { start, count, offset, weight: Float32Array.from(weights) };
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
