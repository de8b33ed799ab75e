/**
 * FSSD-style fusion (Li & Zhou 2017; paper Sec. II-B): Res2..Res5 each go through a 1x1 conv to
 * the fusion width, are resized bilinearly (half-pixel centres, src/nn/layers/resize.ts) to Res2's
 * size (integer factors: all sizes are powers of two apart), added into F0, and a 3x3 conv + BN +
 * ReLU gives D1 (non-negative, which the JSCC decoder's final ReLU relies on). With a fusion width
 * below d1Channels (the default config), the 3x3 conv stays at the fusion width and a 1x1 conv +
 * BN + ReLU expands to D1's C: the paper's C = 512 at a fraction of the cost.
 */
import type { FFMNetConfig } from './config.js';
import * as tf from '@tensorflow/tfjs';
import { BilinearUpsample } from '../layers/resize.js';
import { convBn, heNormal, type SymT } from './blocks.js';

export function fusion(features: SymT[], c: FFMNetConfig): SymT {
  const size = features[0].shape[1] as number;
  const width = c.fusionChannels ?? c.d1Channels;
  const resized = features.map((f, i) => {
    let y = tf.layers.conv2d({ filters: width, kernelSize: 1, kernelInitializer: heNormal(), name: `fuse_lateral${i + 2}` }).apply(f) as SymT;
    const fs = f.shape[1] as number;
    if (fs !== size) y = new BilinearUpsample({ factor: size / fs, mode: c.resize ?? 'legacy', name: `fuse_up${i + 2}` }).apply(y) as SymT;
    return y;
  });
  const f0 = tf.layers.add({ name: 'fuse_f0' }).apply(resized) as SymT;
  if (width === c.d1Channels) return convBn(f0, c.d1Channels, 'fuse_d1', { kernel: 3, bnMomentum: c.bnMomentum });
  const mixed = convBn(f0, width, 'fuse_mix', { kernel: 3, bnMomentum: c.bnMomentum });
  return convBn(mixed, c.d1Channels, 'fuse_d1', { kernel: 1, bnMomentum: c.bnMomentum });
}
