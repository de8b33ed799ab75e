/**
 * The FFMNet training loss (paper eqs. 1-2): L = L_det + w * L_seg (the paper's w = 1), for the
 * tasks the model was built with. `outputs` are the edge model's outputs in its order (model.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Task } from './config.js';
import type { FFMNetBatch } from './batch.js';
import { ssdLoss } from '../ssd/loss.js';
import { segLoss } from '../seg/loss.js';
import type { ResizeMode } from '../layers/resize.js';

export interface FFMNetLoss {
  total: tf.Scalar;
  /** Per-part values for logging: det, conf, loc, seg. */
  parts: Record<string, tf.Scalar>;
}

/**
 * `resize`: the model's alignment (config.resize), used for the seg logits too. `segWeight`: w
 * (parts.seg stays the unweighted L_seg, so logs of runs with other weights compare).
 */
export function ffmnetLoss(outputs: tf.Tensor[], batch: FFMNetBatch, tasks: Task[], resize: ResizeMode = 'half-pixel', segWeight = 1): FFMNetLoss {
  const parts: Record<string, tf.Scalar> = {};
  let i = 0;
  const terms: tf.Scalar[] = [];
  if (tasks.includes('det')) {
    const d = ssdLoss(outputs[i] as tf.Tensor3D, outputs[i + 1] as tf.Tensor3D, batch.det);
    i += 2;
    parts.det = d.total; parts.conf = d.conf; parts.loc = d.loc;
    terms.push(d.total);
  }
  if (tasks.includes('seg')) {
    const s = segLoss(outputs[i] as tf.Tensor4D, batch.segLabels, batch.height, batch.width, resize);
    parts.seg = s;
    terms.push(segWeight === 1 ? s : tf.mul(s, segWeight) as tf.Scalar);
  }
  // One task: total is a copy, not the part itself (the trainer disposes the total and the parts
  // separately; the same tensor twice failed single-task training with "Tensor is disposed").
  return { total: (terms.length === 1 ? tf.clone(terms[0]) : tf.addN(terms)) as tf.Scalar, parts };
}
