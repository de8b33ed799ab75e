/**
 * FSSD-style fusion (Li & Zhou 2017; paper Sec. II-B): Res2..Res5 each go through a 1x1 conv to C
 * channels, are resized bilinearly to Res2's size (integer factors: all sizes are powers of two
 * apart), added into F0, and a 3x3 conv + BN + ReLU gives D1 (non-negative, which the JSCC decoder's
 * final ReLU relies on).
 */
import * as tf from '@tensorflow/tfjs';
import type { FFMNetConfig } from './config.js';
import { convBn, heNormal, type SymT } from './blocks.js';

export function fusion(features: SymT[], c: FFMNetConfig): SymT {
  const size = features[0].shape[1] as number;
  const resized = features.map((f, i) => {
    let y = tf.layers.conv2d({ filters: c.d1Channels, kernelSize: 1, kernelInitializer: heNormal(), name: `fuse_lateral${i + 2}` }).apply(f) as SymT;
    const fs = f.shape[1] as number;
    if (fs !== size) {
      const k = size / fs;
      y = tf.layers.upSampling2d({ size: [k, k], interpolation: 'bilinear', name: `fuse_up${i + 2}` }).apply(y) as SymT;
    }
    return y;
  });
  const f0 = tf.layers.add({ name: 'fuse_f0' }).apply(resized) as SymT;
  return convBn(f0, c.d1Channels, 'fuse_d1', { kernel: 3, bnMomentum: c.bnMomentum });
}
