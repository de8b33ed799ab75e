/**
 * Task heads (as in BlitzNet, paper Sec. II-B).
 * Detection: per scale, a 3x3 conv for class scores (anchors x (numClasses + 1)) and one for box
 * offsets (anchors x 4); flattened in (y, x, anchor) order, the order of `priors()` in
 * src/nn/ssd/priors.ts, and concatenated over scales: cls [B, P, K+1], loc [B, P, 4].
 * Segmentation: per scale a 1x1 conv (+ReLU) to segChannels, bilinear upsampling (half-pixel
 * centres) to D1's size,
 * concat, and a 3x3 conv to K+1 logits at D1's size (input / 8). The loss and the predicted mask
 * upsample these logits bilinearly to the input size (src/nn/ffmnet/loss.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { FFMNetConfig } from './config.js';
import { heNormal, nextInitSeed, type SymT } from './blocks.js';
import { BilinearUpsample } from '../layers/resize.js';

const glorot = () => tf.initializers.glorotUniform({ seed: nextInitSeed() });

export function detectionHead(scales: SymT[], c: FFMNetConfig): { cls: SymT; loc: SymT } {
  const k1 = c.numClasses + 1;
  const cls: SymT[] = [];
  const loc: SymT[] = [];
  scales.forEach((x, i) => {
    const h = x.shape[1] as number;
    const w = x.shape[2] as number;
    const a = c.anchorsPerScale[i];
    const cl = tf.layers.conv2d({ filters: a * k1, kernelSize: 3, padding: 'same', kernelInitializer: glorot(), name: `det_cls${i + 1}` }).apply(x) as SymT;
    const lo = tf.layers.conv2d({ filters: a * 4, kernelSize: 3, padding: 'same', kernelInitializer: glorot(), name: `det_loc${i + 1}` }).apply(x) as SymT;
    cls.push(tf.layers.reshape({ targetShape: [h * w * a, k1], name: `det_cls${i + 1}_flat` }).apply(cl) as SymT);
    loc.push(tf.layers.reshape({ targetShape: [h * w * a, 4], name: `det_loc${i + 1}_flat` }).apply(lo) as SymT);
  });
  const cat = (xs: SymT[], name: string) => xs.length === 1 ? xs[0] : tf.layers.concatenate({ axis: 1, name }).apply(xs) as SymT;
  return { cls: cat(cls, 'det_cls'), loc: cat(loc, 'det_loc') };
}

export function segmentationHead(scales: SymT[], c: FFMNetConfig): SymT {
  const size = scales[0].shape[1] as number;
  const ups = scales.map((x, i) => {
    let y = tf.layers.conv2d({ filters: c.segChannels, kernelSize: 1, activation: 'relu', kernelInitializer: heNormal(), name: `seg_reduce${i + 1}` }).apply(x) as SymT;
    const s = x.shape[1] as number;
    if (s !== size) y = new BilinearUpsample({ factor: size / s, mode: c.resize ?? 'legacy', name: `seg_up${i + 1}` }).apply(y) as SymT;
    return y;
  });
  const cat = tf.layers.concatenate({ axis: 3, name: 'seg_concat' }).apply(ups) as SymT;
  return tf.layers.conv2d({ filters: c.numClasses + 1, kernelSize: 3, padding: 'same', kernelInitializer: glorot(), name: 'seg_logits' }).apply(cat) as SymT;
}
