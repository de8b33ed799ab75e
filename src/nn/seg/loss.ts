/**
 * Segmentation loss (paper eq. 2's L_seg): per-pixel softmax cross-entropy between the predicted
 * and target class distributions, averaged over labelled pixels. The head's logits (at D1's size,
 * input / 8) are upsampled bilinearly to the target's size first, so the loss and mIoU are both at
 * input resolution; pixels labelled IGNORE_LABEL (255) weigh 0.
 */
import * as tf from '@tensorflow/tfjs';

export const IGNORE = 255;

/** logits [B, h, w, K+1]; labels: B * H * W (0..K or 255), row-major per image. */
export function segLoss(logits: tf.Tensor4D, labels: Uint8Array, height: number, width: number): tf.Scalar {
  const [B, h, w, k1] = logits.shape;
  if (labels.length !== B * height * width) throw new RangeError(`segLoss: ${labels.length} labels for ${B} images of ${height}x${width}`);
  const idx = new Int32Array(labels.length);
  const weight = new Float32Array(labels.length);
  let valid = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l === IGNORE || l >= k1) continue;
    idx[i] = l; weight[i] = 1; valid++;
  }
  const up = h === height && w === width ? logits : tf.image.resizeBilinear(logits, [height, width]);
  const logp = tf.logSoftmax(up);
  const ce = tf.neg(tf.sum(tf.mul(tf.oneHot(tf.tensor4d(idx, [B, height, width, 1], 'int32').squeeze([3]), k1), logp), -1));
  return tf.div(tf.sum(tf.mul(ce, tf.tensor3d(weight, [B, height, width]))), Math.max(1, valid)) as tf.Scalar;
}

/** Argmax labels at the target size from logits [B, h, w, K+1] (bilinear upsampling of the logits). */
export function segPredict(logits: tf.Tensor4D, height: number, width: number): Uint8Array {
  return tf.tidy(() => {
    const [, h, w] = logits.shape;
    const up = h === height && w === width ? logits : tf.image.resizeBilinear(logits, [height, width]);
    return Uint8Array.from(tf.argMax(up, -1).dataSync());
  });
}
