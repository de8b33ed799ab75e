/**
 * Bandwidth-matched mode: for a budget of channel uses per feature (e.g. the JSCC scheme's), the
 * largest JPEG quality whose whole transmission (side info, CRC, padding, code, modulation padding:
 * scheme.ts linkBudget) fits, or null with the reason. JPEG size depends on the content, so the
 * answer is per feature; sizes are cached per feature (source.ts), so asking at many SNR points is cheap.
 */
import type { Code, Feature } from '../../src/core/types.js';
import { UsageError } from '../../src/core/errors.js';
import { linkBudget, type LinkBudget } from './scheme.js';
import { featureFingerprint, jpegBytesAt, largestFittingQuality, type HeaderMode } from './source.js';
import type { RangeRule } from './quantize.js';

export interface BandwidthQuery {
  feature: Feature;
  /** Complex channel symbols available per feature. */
  channelUses: number;
  /** null: uncoded blocks of blockBits. */
  code: Code | null;
  bitsPerSymbol: number;
  /** CRC bits per block (default 16; 0 for none). */
  crcBits?: number;
  /** Block size when uncoded (default 1024). */
  blockBits?: number;
  range?: RangeRule;
  header?: HeaderMode;
}

export type BandwidthAnswer =
  | { quality: number; channelUses: number; budget: LinkBudget }
  | { quality: null; reason: string; minChannelUses: number };

export function matchBandwidth(q: BandwidthQuery): BandwidthAnswer {
  if (!(Number.isInteger(q.channelUses) && q.channelUses > 0)) {
    throw new UsageError(`channel-use budget ${JSON.stringify(q.channelUses)} is not allowed: use a positive integer`);
  }
  const k = q.code ? q.code.k : q.blockBits ?? 1024;
  const n = q.code ? q.code.n : k;
  const opts = { range: q.range ?? 'feature', header: q.header ?? 'full' } as const;
  const cost = (bytes: number) => linkBudget(bytes, {
    range: opts.range, channels: q.feature.shape[2], k, n, crcBits: q.crcBits ?? 16, bitsPerSymbol: q.bitsPerSymbol,
  });
  const quality = largestFittingQuality(q.feature, (bytes) => cost(bytes).channelUses <= q.channelUses, opts);
  if (quality === null) {
    let min = Infinity;
    const fp = featureFingerprint(q.feature);
    for (let qq = 1; qq <= 100; qq++) min = Math.min(min, cost(jpegBytesAt(q.feature, qq, opts, fp)).channelUses);
    return {
      quality: null, minChannelUses: min,
      reason: `no JPEG quality fits ${q.channelUses} channel uses: the smallest (at any quality) needs ${min}`,
    };
  }
  const budget = cost(jpegBytesAt(q.feature, quality, opts));
  return { quality, channelUses: budget.channelUses, budget };
}
