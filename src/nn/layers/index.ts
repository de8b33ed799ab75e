/**
 * The project's custom tfjs layers. Each has a literal static `className` and a complete
 * `getConfig()`; registerCustomLayers() must run before a model using them is deserialized
 * (loadCheckpoint calls it).
 */
import * as tf from '@tensorflow/tfjs';
import { GDN } from './gdn.js';
import { IGDN } from './igdn.js';
import { PowerNorm } from './power-norm.js';
import { ChannelLayer } from './channel.js';
import { BilinearUpsample } from './resize.js';
import { SpaceToDepth, DepthToSpace } from './space-to-depth.js';

export { GDN, IGDN, PowerNorm, ChannelLayer, BilinearUpsample, SpaceToDepth, DepthToSpace };
export type { GdnOptions } from './gdn.js';
export type { ChannelLayerOptions, SnrSetting } from './channel.js';

let registered = false;

/** Register GDN, IGDN, PowerNorm, ChannelLayer, BilinearUpsample, SpaceToDepth and DepthToSpace for deserialization; idempotent. */
export function registerCustomLayers(): void {
  if (registered) return;
  for (const c of [GDN, IGDN, PowerNorm, ChannelLayer, BilinearUpsample, SpaceToDepth, DepthToSpace]) {
    tf.serialization.registerClass(c as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
  }
  registered = true;
}
