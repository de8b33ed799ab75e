/**
 * The feature-extraction backbone: a ResNet stem, the bottleneck stages Res1..Res4 (ResNet-50's
 * conv2_x..conv5_x in the paper config) and the extra stage Res5 (one stride-2 bottleneck).
 * Returns Res2..Res5, the inputs of the FSSD fusion (strides 8, 16, 32, 64).
 */
import * as tf from '@tensorflow/tfjs';
import type { FFMNetConfig } from './config.js';
import { bottleneck, convBn, type SymT } from './blocks.js';

export function backbone(image: SymT, c: FFMNetConfig): SymT[] {
  const m = c.bnMomentum;
  let x = convBn(image, c.stemChannels, 'stem_conv', { kernel: c.stemKernel, stride: 2, bnMomentum: m });
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'stem_pool' }).apply(x) as SymT;
  const outs: SymT[] = [];
  for (let s = 0; s < 4; s++) {
    for (let b = 0; b < c.depths[s]; b++) {
      const stride = b === 0 && s > 0 ? 2 : 1;
      x = bottleneck(x, `res${s + 1}_b${b}`, { out: c.widths[s], mid: c.widths[s] / 4, stride, bnMomentum: m });
    }
    if (s > 0) outs.push(x);
  }
  const res5 = bottleneck(x, 'res5_b0', { out: c.res5Width, mid: c.res5Width / 4, stride: 2, bnMomentum: m });
  outs.push(res5);
  return outs;
}
