/**
 * PNG decoding (ISO/IEC 15948) for the data-set readers, on Node's zlib: colour types gray, RGB,
 * palette, gray + alpha and RGBA at 8 or 16 bits (palette and gray also at 1, 2, 4 bits), all five
 * row filters. Interlaced (Adam7) images are refused with a clear error. Alpha is dropped (images
 * are taken as opaque); 16-bit samples keep their full precision in the float output.
 */
import { inflateSync } from 'node:zlib';
import type { RgbImage } from './types.js';

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Decode PNG bytes to RGB floats in [0, 1]. Throws an Error naming the problem. */
export function decodePng(bytes: Uint8Array): RgbImage {
  if (!isPng(bytes)) throw new Error('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0, height = 0, depth = 0, colorType = -1, interlace = 0;
  let palette: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (pos + 8 <= bytes.length) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (data.length !== len) throw new Error(`PNG chunk ${type} is truncated`);
    pos += 12 + len;
    if (type === 'IHDR') {
      if (len < 13) throw new Error('PNG IHDR chunk is truncated');
      const ihdr = new DataView(data.buffer, data.byteOffset, data.byteLength);
      width = ihdr.getUint32(0);
      height = ihdr.getUint32(4);
      depth = data[8];
      colorType = data[9];
      interlace = data[12];
    } else if (type === 'PLTE') palette = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') { ended = true; break; }
  }
  if (width < 1 || height < 1) throw new Error('PNG has no valid IHDR');
  const channels = CHANNELS[colorType];
  if (channels === undefined) throw new Error(`PNG colour type ${colorType} is not valid`);
  if (interlace !== 0) throw new Error('interlaced PNG images are not supported: save without interlacing');
  const okDepth = colorType === 0 ? [1, 2, 4, 8, 16] : colorType === 3 ? [1, 2, 4, 8] : [8, 16];
  if (!okDepth.includes(depth)) throw new Error(`PNG bit depth ${depth} is not valid for colour type ${colorType}`);
  if (colorType === 3 && !palette) throw new Error('palette PNG without a PLTE chunk');
  if (!ended && idat.length === 0) throw new Error('PNG has no image data');
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (e) {
    throw new Error(`PNG image data is corrupt (${(e as Error).message})`);
  }
  const bitsPerPixel = channels * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3); // filter unit: bytes per complete pixel, at least 1
  if (raw.length < height * (stride + 1)) throw new Error(`PNG image data is short: ${raw.length} bytes for ${width}x${height}`);
  const rows = unfilter(raw, height, stride, bpp);
  const out = new Float32Array(width * height * 3);
  const maxVal = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    const row = rows.subarray(y * stride, (y + 1) * stride);
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (colorType === 3) {
        const idx = sample(row, x, depth);
        if (3 * idx + 2 >= palette!.length) throw new Error(`PNG palette index ${idx} is out of range`);
        out[o] = palette![3 * idx] / 255; out[o + 1] = palette![3 * idx + 1] / 255; out[o + 2] = palette![3 * idx + 2] / 255;
      } else if (colorType === 0 || colorType === 4) {
        const g = sample(row, x * channels, depth) / maxVal;
        out[o] = out[o + 1] = out[o + 2] = g;
      } else {
        for (let c = 0; c < 3; c++) out[o + c] = sample(row, x * channels + c, depth) / maxVal;
      }
    }
  }
  return { width, height, data: out };
}

/** The i-th sample of a row at the given bit depth (big-endian, as PNG packs them). */
function sample(row: Uint8Array, i: number, depth: number): number {
  switch (depth) {
    case 8: return row[i];
    case 16: return (row[2 * i] << 8) | row[2 * i + 1];
    default: {
      const bit = i * depth;
      return (row[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    }
  }
}

/** Undo the per-row filters (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth); returns the rows without filter bytes. */
export function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = out.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : undefined;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0;
      const b = prev ? prev[i] : 0;
      const c = prev && i >= bpp ? prev[i - bpp] : 0;
      let v: number;
      switch (f) {
        case 0: v = src[i]; break;
        case 1: v = src[i] + a; break;
        case 2: v = src[i] + b; break;
        case 3: v = src[i] + ((a + b) >> 1); break;
        case 4: {
          const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          v = src[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default: throw new Error(`PNG row ${y} has an unknown filter type ${f}`);
      }
      cur[i] = v & 0xff;
    }
  }
  return out;
}
