/**
 * The SSD loss (Liu et al. 2016, eq. 1): L = (L_conf + L_loc) / N, N = positives in the batch;
 * L_conf = softmax cross-entropy over positives and hard negatives (3:1, src/nn/ssd/match.ts),
 * L_loc = smooth-L1 over positives' encoded offsets.
 */
import * as tf from '@tensorflow/tfjs';
import { hardNegativeMask } from './match.js';

export interface DetTargets {
  /** [B, P] int32 class targets (0 background). */
  labels: Int32Array;
  /** [B, P, 4] encoded offsets. */
  offsets: Float32Array;
  batch: number;
  numPriors: number;
}

export interface DetLoss {
  total: tf.Scalar;
  conf: tf.Scalar;
  loc: tf.Scalar;
}

/**
 * Smooth L1 (Huber, delta 1) summed over the last axis, as 0.5 m^2 + |d| - m with m = min(|d|, 1):
 * differentiable everywhere through ops that have gradients (tf.where's condition has none).
 */
export function smoothL1(d: tf.Tensor): tf.Tensor {
  const a = tf.abs(d);
  const m = tf.minimum(a, 1);
  return tf.sum(tf.add(tf.mul(0.5, tf.square(m)), tf.sub(a, m)), -1);
}

/**
 * cls: [B, P, K+1] logits, loc: [B, P, 4] offsets. Hard-negative ranking reads the per-prior loss
 * back from the backend (no gradient flows through the ranking).
 */
export function ssdLoss(cls: tf.Tensor3D, loc: tf.Tensor3D, t: DetTargets, negRatio = 3): DetLoss {
  const [B, P, k1] = cls.shape;
  if (B !== t.batch || P !== t.numPriors) throw new RangeError(`ssdLoss: outputs are [${B}, ${P}] but targets [${t.batch}, ${t.numPriors}]`);
  const labels = tf.tensor2d(t.labels, [B, P], 'int32');
  const logp = tf.logSoftmax(cls);
  const ce = tf.neg(tf.sum(tf.mul(tf.oneHot(labels, k1), logp), -1)) as tf.Tensor2D; // [B, P]
  const ceData = ce.dataSync();
  const mask = new Float32Array(B * P);
  for (let b = 0; b < B; b++) {
    hardNegativeMask(t.labels.subarray(b * P, (b + 1) * P), ceData.subarray(b * P, (b + 1) * P), negRatio, mask.subarray(b * P, (b + 1) * P));
  }
  let numPos = 0;
  const pos = new Float32Array(B * P);
  for (let i = 0; i < B * P; i++) if (t.labels[i] > 0) { pos[i] = 1; numPos++; }
  const n = Math.max(1, numPos);
  const conf = tf.div(tf.sum(tf.mul(ce, tf.tensor2d(mask, [B, P]))), n) as tf.Scalar;
  const l1 = smoothL1(tf.sub(loc, tf.tensor3d(t.offsets, [B, P, 4])));
  const locLoss = tf.div(tf.sum(tf.mul(l1, tf.tensor2d(pos, [B, P]))), n) as tf.Scalar;
  return { total: tf.add(conf, locLoss) as tf.Scalar, conf, loc: locLoss };
}
