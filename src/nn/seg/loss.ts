/**
 * Segmentation loss (paper eq. 2's L_seg): per-pixel softmax cross-entropy between the predicted
 * and target class distributions, averaged over labelled pixels. The head's logits (at D1's size,
 * input / 8) are upsampled bilinearly (half-pixel centres, src/nn/layers/resize.ts) to the
 * target's size first, so the loss and mIoU are both at input resolution; pixels labelled
 * IGNORE_LABEL (255) weigh 0. `mode: 'legacy'` keeps tfjs' old alignment for jscc-sim 0.1 models.
 */
import * as tf from '@tensorflow/tfjs';
import { resizeBilinearHalfPixel, type ResizeMode } from '../layers/resize.js';

function upsampleLogits(logits: tf.Tensor4D, height: number, width: number, mode: ResizeMode): tf.Tensor4D {
  const [, h, w] = logits.shape;
  if (h === height && w === width) return logits;
  return mode === 'legacy' ? tf.image.resizeBilinear(logits, [height, width]) : resizeBilinearHalfPixel(logits, height, width);
}

export const IGNORE = 255;

/** logits [B, h, w, K+1]; labels: B * H * W (0..K or 255), row-major per image. */
export function segLoss(logits: tf.Tensor4D, labels: Uint8Array, height: number, width: number, mode: ResizeMode = 'half-pixel'): tf.Scalar {
  const [B, , , k1] = logits.shape;
  if (labels.length !== B * height * width) throw new RangeError(`segLoss: ${labels.length} labels for ${B} images of ${height}x${width}`);
  const idx = new Int32Array(labels.length);
  const weight = new Float32Array(labels.length);
  let valid = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l === IGNORE || l >= k1) continue;
    idx[i] = l; weight[i] = 1; valid++;
  }
  const logp = tf.logSoftmax(upsampleLogits(logits, height, width, mode));
  const ce = tf.neg(tf.sum(tf.mul(tf.oneHot(tf.tensor4d(idx, [B, height, width, 1], 'int32').squeeze([3]), k1), logp), -1));
  return tf.div(tf.sum(tf.mul(ce, tf.tensor3d(weight, [B, height, width]))), Math.max(1, valid)) as tf.Scalar;
}

/** Argmax labels at the target size from logits [B, h, w, K+1] (bilinear upsampling of the logits). */
export function segPredict(logits: tf.Tensor4D, height: number, width: number, mode: ResizeMode = 'half-pixel'): Uint8Array {
  return tf.tidy(() => {
    return Uint8Array.from(tf.argMax(upsampleLogits(logits, height, width, mode), -1).dataSync());
  });
}
