/**
 * JPEG for the mosaic and the hardened decoder of docs/architecture.md ("JPEG after channel errors").
 *
 * Encoding: a 1-component baseline JPEG (jpeg-encoder.ts; header 310 bytes). jpeg-js's own encoder
 * only writes YCbCr; fed R = G = B it gives the same luma (Cb = Cr = 128 exactly) but pays 8 bits
 * per 8x8 block for the empty chroma plus ~300 header bytes, and ~40 ms per call: it is kept as
 * `encodeGrayViaJpegJs` for cross-checks. Decoding: jpeg-js 0.4.4, hardened.
 * With `header=known` (see splitJpeg / jpegHeader) only the entropy-coded scan is sent: the header
 * is a deterministic function of (width, height, quality), which the receiver knows.
 */
import jpeg from 'jpeg-js';
import { UsageError } from '../../src/core/errors.js';
import { encodeGrayJpeg, grayJpegHeader, type GrayJpegOptions } from './jpeg-encoder.js';

export function checkQuality(q: unknown): number {
  const n = typeof q === 'number' ? q : /^\s*\d+\s*$/.test(String(q)) ? Number(q) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw new UsageError(`JPEG quality ${JSON.stringify(q)} is not allowed: use an integer in 1..100`);
  }
  return n;
}

/** Encode a grayscale image (row-major bytes) at quality 1..100; returns the JPEG file bytes. */
export function encodeGray(gray: Uint8Array, width: number, height: number, quality: number, options: GrayJpegOptions = {}): Uint8Array {
  return encodeGrayJpeg(gray, width, height, checkQuality(quality), options);
}

/** The same image through jpeg-js's YCbCr encoder with R = G = B (cross-check and comparison only). */
export function encodeGrayViaJpegJs(gray: Uint8Array, width: number, height: number, quality: number): Uint8Array {
  checkQuality(quality);
  if (gray.length !== width * height) throw new RangeError(`gray image has ${gray.length} pixels, expected ${width}x${height}`);
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < gray.length; i++, j += 4) {
    const v = gray[i];
    rgba[j] = v; rgba[j + 1] = v; rgba[j + 2] = v; rgba[j + 3] = 255;
  }
  const { data } = jpeg.encode({ data: rgba as unknown as Buffer, width, height }, quality);
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

export type DecodeOutcome =
  | { ok: true; gray: Uint8Array }
  | { ok: false; reason: string };

/**
 * Decode a JPEG that may have been damaged by the channel. Never throws and never allocates past
 * a small cap: the resolution limit is the expected mosaic size, the memory limit a few times what
 * that size needs, every exception (TypeError and RangeError included) becomes { ok: false }, and an
 * image of any other size is rejected.
 */
export function decodeGrayHardened(bytes: Uint8Array, width: number, height: number): DecodeOutcome {
  const pixels = width * height;
  // jpeg-js: coefficient blocks (256 B per 64 px per component, 3 components), component lines and
  // the output (3 B/px) are counted against maxMemoryUsageInMB; 32 B/px is ample for a 4:4:4 image.
  const memMB = Math.max(1, Math.ceil((pixels * 32) / 2 ** 20));
  try {
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      colorTransform: false,
      tolerantDecoding: true,
      maxResolutionInMP: (pixels + 1) / 1e6,
      maxMemoryUsageInMB: memMB,
    });
    if (img.width !== width || img.height !== height) {
      return { ok: false, reason: `decoded size ${img.width}x${img.height}, expected ${width}x${height}` };
    }
    const ch = img.data.length / pixels;
    if (ch !== 3 && ch !== 4 && ch !== 1) return { ok: false, reason: `decoded ${img.data.length} bytes for ${pixels} pixels` };
    const gray = new Uint8Array(pixels);
    for (let i = 0, j = 0; i < pixels; i++, j += ch) gray[i] = img.data[j];
    return { ok: true, gray };
  } catch (e) {
    return { ok: false, reason: `undecodable JPEG: ${String((e as Error)?.message ?? e).slice(0, 120)}` };
  }
}

/** Offset of the first byte after the SOS header (start of the entropy-coded data), or -1. */
export function scanStart(bytes: Uint8Array): number {
  let i = 2; // after SOI
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return -1;
    const marker = bytes[i + 1];
    const len = (bytes[i + 2] << 8) | bytes[i + 3];
    if (marker === 0xda) return i + 2 + len;
    i += 2 + len;
  }
  return -1;
}

/** Split an encoder output into header (SOI..SOS) and scan (entropy-coded data, without EOI). */
export function splitJpeg(bytes: Uint8Array): { header: Uint8Array; scan: Uint8Array } {
  const s = scanStart(bytes);
  if (s < 0 || bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) {
    throw new Error('not a baseline JPEG from the encoder (no SOS or EOI)');
  }
  return { header: bytes.subarray(0, s), scan: bytes.subarray(s, bytes.length - 2) };
}

/** The header encodeGray writes for (width, height, quality): what a `header=known` receiver rebuilds. */
export function jpegHeader(width: number, height: number, quality: number): Uint8Array {
  return grayJpegHeader(width, height, checkQuality(quality));
}

/** Header + scan + EOI: the file a `header=known` receiver decodes. */
export function joinJpeg(header: Uint8Array, scan: Uint8Array): Uint8Array {
  const out = new Uint8Array(header.length + scan.length + 2);
  out.set(header, 0);
  out.set(scan, header.length);
  out[out.length - 2] = 0xff;
  out[out.length - 1] = 0xd9;
  return out;
}
