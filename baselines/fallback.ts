/**
 * What the edge server uses when a feature is lost (docs/architecture.md, "Failure semantics"): zeros by
 * default, or a per-channel mean (the training mean, supplied by the caller).
 */
import type { Feature } from '../src/core/types.js';
import { UsageError } from '../src/core/errors.js';

export type Fallback = 'zeros' | 'mean';

/** What replaces a lost feature: the options of the separate schemes and of the ideal bound. */
export interface FallbackOptions {
  /** Default 'zeros'. */
  fallback?: Fallback;
  /** Per-channel means for fallback 'mean' (length C). */
  channelMean?: Float32Array;
}

export function fallbackFeature(feature: Feature, kind: Fallback, channelMean?: Float32Array): Float32Array {
  const out = new Float32Array(feature.data.length);
  if (kind === 'mean') {
    const C = feature.shape[2];
    if (!channelMean || channelMean.length !== C) {
      throw new UsageError(`fallback=mean needs ${C} per-channel means (got ${channelMean?.length ?? 0})`);
    }
    for (let i = 0; i < out.length; i++) out[i] = channelMean[i % C];
  }
  return out;
}
