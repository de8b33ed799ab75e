/**
 * `ideal:jpeg`: the bound of any separate scheme with this source codec. The largest JPEG quality
 * whose bits (JPEG bytes * 8 + the quantization range as side info) fit channelUses * log2(1 + SNR)
 * (Shannon capacity of the AWGN channel with Gaussian input, SNR = Es/N0 linear) is delivered
 * without errors; if even quality 1 does not fit, the feature is lost (fallback, failed = true).
 * The channel object is not used: the bound assumes capacity-achieving codes. Because every quality
 * is checked (source.ts largestFittingQuality), the chosen quality never decreases with SNR.
 */
import type { Channel, Feature, Scheme, TransmitResult, TransmitStats } from '../src/core/types.js';

/** The bound always reports the quality it delivered (0: nothing fits) and the capacity. */
export interface IdealStats extends TransmitStats {
  quality: number;
  capacityBits: number;
}
import type { Rng } from '../src/core/rng.js';
import { UsageError } from '../src/core/errors.js';
import { featureFingerprint, largestFittingQuality, sourceRoundTripQuantized, type SourceOptions } from './separate/source.js';
import { dequantize8, rangeSideInfoBits, type QuantRange } from './separate/quantize.js';
import { ByteLru } from '../src/core/byte-lru.js';
import { fallbackFeature, type FallbackOptions } from './fallback.js';
import { awgnCapacity } from '../src/sim/theory.js';

export interface IdealOptions extends SourceOptions, FallbackOptions {
  /** Complex channel uses per feature. */
  channelUses: number;
  spec?: string;
  /**
   * Bytes of error-free decodes kept between calls (default 64 MiB; 0: none). A sweep asks for the
   * same (feature, quality) at neighbouring SNR points and at every point above the top quality.
   */
  cacheBytes?: number;
}

export { awgnCapacity };

export class IdealScheme implements Scheme {
  readonly name = 'ideal';
  readonly spec: string;
  readonly channelUses: number;
  /** Bound of the decode cache in bytes. */
  readonly cacheBytes: number;
  private readonly o: IdealOptions;
  /** Error-free decodes (8-bit values and range) by feature content and quality. */
  private readonly decoded: ByteLru<{ q: Uint8Array; range: QuantRange }>;

  constructor(o: IdealOptions) {
    if (!(Number.isInteger(o.channelUses) && o.channelUses > 0)) {
      throw new UsageError(`ideal:jpeg channel uses ${JSON.stringify(o.channelUses)} is not allowed: use a positive integer`);
    }
    const cacheBytes = o.cacheBytes ?? 64 * 2 ** 20;
    if (!(Number.isSafeInteger(cacheBytes) && cacheBytes >= 0)) throw new UsageError(`ideal:jpeg cache bound ${JSON.stringify(o.cacheBytes)} is not allowed: use an integer number of bytes >= 0`);
    this.cacheBytes = cacheBytes;
    this.decoded = new ByteLru(cacheBytes);
    this.o = o;
    this.channelUses = o.channelUses;
    this.spec = o.spec ?? `ideal:jpeg,uses=${o.channelUses}`;
  }

  /** The quality the bound delivers at this SNR (null: nothing fits). */
  qualityFor(feature: Feature, snrDb: number, fingerprint?: string): number | null {
    const capBits = this.channelUses * awgnCapacity(snrDb);
    const side = rangeSideInfoBits(this.o.range ?? 'feature', feature.shape[2]);
    return largestFittingQuality(feature, (bytes) => bytes * 8 + side <= capBits, this.srcOpts(), fingerprint);
  }

  transmit(feature: Feature, _channel: Channel, snrDb: number, _rng: Rng): TransmitResult<IdealStats> {
    const fp = featureFingerprint(feature); // once: the quality scan and the decode cache both key on it
    const quality = this.qualityFor(feature, snrDb, fp);
    const capacityBits = this.channelUses * awgnCapacity(snrDb);
    if (quality === null) {
      return {
        feature: fallbackFeature(feature, this.o.fallback ?? 'zeros', this.o.channelMean), channelUses: this.channelUses,
        bits: 0, failed: true, stats: { quality: 0, capacityBits, lossReason: 'no JPEG quality fits the capacity' },
      };
    }
    const key = `${fp}|${quality}`;
    let d = this.decoded.get(key);
    if (!d) {
      d = sourceRoundTripQuantized(feature, quality, this.srcOpts());
      this.decoded.set(key, d, d.q.byteLength);
    }
    return { feature: dequantize8(d.q, feature.shape[2], d.range), channelUses: this.channelUses, failed: false, stats: { quality, capacityBits } };
  }

  private srcOpts(): SourceOptions {
    return { range: this.o.range, header: this.o.header, huffman: this.o.huffman };
  }
}
