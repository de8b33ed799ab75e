/** `none`: D1' = D1, the upper baseline (no channel, no compression; channelUses 0). */
import type { Channel, Feature, Scheme, TransmitResult } from '../src/core/types.js';
import type { Rng } from '../src/core/rng.js';

export class IdentityScheme implements Scheme {
  readonly name = 'none';
  readonly spec = 'none';
  transmit(feature: Feature, _channel: Channel, _snrDb: number, _rng: Rng): TransmitResult {
    return { feature: feature.data.slice(), channelUses: 0, failed: false, stats: {} };
  }
}
