/**
 * The source side of the separate scheme: quantize8 -> mosaic -> JPEG(q), and back. `sourceRoundTrip`
 * is exactly what an error-free receiver reconstructs (the reference for the high-SNR test and
 * the `ideal` bound).
 */
import type { Feature } from '../../src/core/types.js';
import { UsageError } from '../../src/core/errors.js';
import { quantRange, quantize8, dequantize8, rangeSideInfoBits, type QuantRange, type RangeRule } from './quantize.js';
import { mosaicLayout, toMosaic, fromMosaic, type MosaicLayout } from './mosaic.js';
import { checkQuality, encodeGray, decodeGrayHardened, splitJpeg, jpegHeader, joinJpeg } from './jpeg.js';
import type { HuffmanMode } from './jpeg-encoder.js';

export type HeaderMode = 'full' | 'known';

export interface SourceOptions {
  /** Quantization range rule (default `feature`). */
  range?: RangeRule;
  /** `full`: send the whole JPEG file; `known`: only the scan, the receiver rebuilds the header. */
  header?: HeaderMode;
  /**
   * `typical` (T.81 K.3/K.5 tables, default) or `optimal` (per-image tables of T.81 Annex K.2, as
   * libjpeg's optimize); optimal tables travel in the header, so they need header `full`.
   */
  huffman?: HuffmanMode;
}

export interface SourceEncoded {
  range: QuantRange;
  layout: MosaicLayout;
  quality: number;
  /** The JPEG bytes that are sent (whole file, or the scan only with header=known). */
  jpeg: Uint8Array;
}

/**
 * The library boundary's check of a feature (issue 13): shape exactly [H, W, C] of positive
 * integers, data a Float32Array of H*W*C finite values. A 4-D shape such as [1, 8, 8, 16] is
 * refused here instead of silently encoding part of the tensor.
 */
export function checkFeature(feature: Feature, where = 'feature'): void {
  const shape = (feature as { shape?: unknown })?.shape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isSafeInteger(d) && d > 0)) {
    const shown = Array.isArray(shape) ? `[${shape.join(',')}]` : String(shape);
    throw new UsageError(`${where} shape ${shown} is not allowed: use [H, W, C] (3 positive integers, HWC order; drop a leading batch axis of 1)`);
  }
  const data = feature.data;
  const n = shape[0] * shape[1] * shape[2];
  if (!(data instanceof Float32Array)) throw new UsageError(`${where} data is not a Float32Array`);
  if (data.length !== n) throw new UsageError(`${where} has ${data.length} values, shape [${shape.join(',')}] needs ${n}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(data[i])) throw new UsageError(`${where} value ${i} is ${data[i]}: every value must be finite`);
  }
}

/** The quality-independent part of the source coding: range, layout and the 8-bit mosaic. */
export interface PreparedSource {
  range: QuantRange;
  layout: MosaicLayout;
  gray: Uint8Array;
}

/** Checks the feature, quantizes it to 8 bits and tiles it into the mosaic (once per feature). */
export function prepareSource(feature: Feature, opts: SourceOptions = {}): PreparedSource {
  checkFeature(feature);
  const range = quantRange(feature, opts.range ?? 'feature');
  const layout = mosaicLayout(feature.shape);
  return { range, layout, gray: toMosaic(quantize8(feature, range), layout) };
}

/**
 * JPEG at `quality` of this feature. `prepared` (prepareSource of the same feature and range rule)
 * skips the quality-independent work when one feature is encoded at many qualities.
 */
export function sourceEncode(feature: Feature, quality: number, opts: SourceOptions = {}, prepared?: PreparedSource): SourceEncoded {
  checkQuality(quality);
  const { range, layout, gray } = prepared ?? prepareSource(feature, opts);
  const huffman = opts.huffman ?? 'typical';
  if (huffman === 'optimal' && opts.header === 'known') throw new RangeError('huffman optimal needs header full (the tables are in the header)');
  const file = encodeGray(gray, layout.imageWidth, layout.imageHeight, quality, { huffman });
  const jpeg = (opts.header ?? 'full') === 'known' ? splitJpeg(file).scan : file;
  return { range, layout, quality, jpeg };
}

export type SourceDecoded = { ok: true; data: Float32Array } | { ok: false; reason: string };
/** The 8-bit feature values before dequantization (HWC). */
export type SourceDecodedQuantized = { ok: true; q: Uint8Array } | { ok: false; reason: string };

/** Decode received JPEG bytes (hardened) to the 8-bit feature values. Never throws on damaged bytes. */
export function sourceDecodeQuantized(jpeg: Uint8Array, layout: MosaicLayout, quality: number, opts: SourceOptions = {}): SourceDecodedQuantized {
  const file = (opts.header ?? 'full') === 'known' ? joinJpeg(jpegHeader(layout.imageWidth, layout.imageHeight, quality), jpeg) : jpeg;
  const d = decodeGrayHardened(file, layout.imageWidth, layout.imageHeight);
  if (!d.ok) return d;
  return { ok: true, q: fromMosaic(d.gray, layout) };
}

/** Decode received JPEG bytes (hardened) and dequantize. Never throws on damaged bytes. */
export function sourceDecode(jpeg: Uint8Array, range: QuantRange, layout: MosaicLayout, quality: number, opts: SourceOptions = {}): SourceDecoded {
  const d = sourceDecodeQuantized(jpeg, layout, quality, opts);
  if (!d.ok) return d;
  return { ok: true, data: dequantize8(d.q, layout.channels, range) };
}

/** What an error-free receiver gets for this feature at quality q, before dequantization (with its range). */
export function sourceRoundTripQuantized(feature: Feature, quality: number, opts: SourceOptions = {}): { q: Uint8Array; range: QuantRange } {
  const e = sourceEncode(feature, quality, opts);
  const d = sourceDecodeQuantized(e.jpeg, e.layout, quality, opts);
  if (!d.ok) throw new Error(`JPEG round trip failed: ${d.reason}`);
  return { q: d.q, range: e.range };
}

/** What an error-free receiver gets for this feature at quality q. */
export function sourceRoundTrip(feature: Feature, quality: number, opts: SourceOptions = {}): Float32Array {
  const { q, range } = sourceRoundTripQuantized(feature, quality, opts);
  return dequantize8(q, feature.shape[2], range);
}

/** Side-information bits that accompany the JPEG bytes: the ranges, plus a 32-bit length when `lengthField`. */
export function sideInfoBits(rule: RangeRule, channels: number, lengthField: boolean): number {
  return rangeSideInfoBits(rule, channels) + (lengthField ? 32 : 0);
}

/** FNV-1a over the float bits and the shape: identifies feature content for the size cache. */
export function featureFingerprint(feature: Feature): string {
  const u = new Uint32Array(feature.data.buffer, feature.data.byteOffset, feature.data.length);
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ u.length;
  for (let i = 0; i < u.length; i++) {
    h1 = Math.imul(h1 ^ u[i], 0x01000193);
    h2 = Math.imul(h2 ^ (u[i] >>> 7), 0x5bd1e995);
  }
  return `${feature.shape.join('x')}:${(h1 >>> 0).toString(16)}${(h2 >>> 0).toString(16)}`;
}

// JPEG sizes per (feature content, options, quality); the bandwidth-matched and ideal schemes ask
// again at every SNR point. Keyed by content, not by array, so a reused buffer cannot go stale.
const sizeCache = new Map<string, Map<number, number>>();
const SIZE_CACHE_FEATURES = 4096; // an evaluation set of a few hundred images fits: no rescans per SNR point

/**
 * JPEG bytes sent for this feature at quality q (cached). Pass `fingerprint` to skip rehashing and
 * `prepared` (called only on a miss) to share the quality-independent work between qualities.
 */
export function jpegBytesAt(feature: Feature, quality: number, opts: SourceOptions = {}, fingerprint?: string, prepared?: () => PreparedSource): number {
  const key = `${fingerprint ?? featureFingerprint(feature)}|${opts.range ?? 'feature'}|${opts.header ?? 'full'}|${opts.huffman ?? 'typical'}`;
  let m = sizeCache.get(key);
  if (!m) {
    m = new Map();
    sizeCache.set(key, m);
    if (sizeCache.size > SIZE_CACHE_FEATURES) sizeCache.delete(sizeCache.keys().next().value!);
  }
  let n = m.get(quality);
  if (n === undefined) {
    n = sourceEncode(feature, quality, opts, prepared?.()).jpeg.length;
    m.set(quality, n);
  }
  return n;
}

/**
 * The largest quality in 1..100 whose total bits (bitsOf(jpegBytes)) fit `budgetBits`, or null.
 * Scans every quality (sizes cached), so the answer is exact even where JPEG size is not monotone
 * in q, and it can only grow with the budget.
 */
export function largestFittingQuality(feature: Feature, fits: (jpegBytes: number) => boolean, opts: SourceOptions = {}, fingerprint?: string): number | null {
  const fp = fingerprint ?? featureFingerprint(feature);
  let prep: PreparedSource | undefined;
  const prepared = () => (prep ??= prepareSource(feature, opts));
  for (let q = 100; q >= 1; q--) {
    if (fits(jpegBytesAt(feature, q, opts, fp, prepared))) return q;
  }
  return null;
}
