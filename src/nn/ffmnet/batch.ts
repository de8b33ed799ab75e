/**
 * A training / evaluation batch for FFMNet from data-set samples: images stacked NHWC, SSD targets
 * matched against the config's priors, and the segmentation labels. Optional horizontal flip per
 * image (the only augmentation; drawn by the caller from a seeded Rng).
 */
import type { Sample } from '../../data/types.js';
import { matchPriors } from '../ssd/match.js';
import type { DetTargets } from '../ssd/loss.js';

export interface FFMNetBatch {
  size: number;
  height: number;
  width: number;
  images: Float32Array;
  det: DetTargets;
  segLabels: Uint8Array;
}

/** Sample -> centre-form normalized boxes (flipped when asked). */
export function normalizedBoxes(s: Sample, flip: boolean): Float32Array {
  const out = new Float32Array(s.boxes.length * 4);
  s.boxes.forEach((b, i) => {
    const cx = (b.x + b.w / 2) / s.width;
    out[i * 4] = flip ? 1 - cx : cx;
    out[i * 4 + 1] = (b.y + b.h / 2) / s.height;
    out[i * 4 + 2] = b.w / s.width;
    out[i * 4 + 3] = b.h / s.height;
  });
  return out;
}

export function makeBatch(samples: Sample[], priorBoxes: Float32Array, flips?: boolean[]): FFMNetBatch {
  const B = samples.length;
  if (B === 0) throw new RangeError('makeBatch: no samples');
  const H = samples[0].height, W = samples[0].width;
  const P = priorBoxes.length / 4;
  const images = new Float32Array(B * H * W * 3);
  const segLabels = new Uint8Array(B * H * W);
  const labels = new Int32Array(B * P);
  const offsets = new Float32Array(B * P * 4);
  samples.forEach((s, b) => {
    if (s.height !== H || s.width !== W) throw new RangeError(`sample ${s.id} is ${s.width}x${s.height}, the batch ${W}x${H}: resize the data set to the model input`);
    const flip = flips?.[b] ?? false;
    const img = images.subarray(b * H * W * 3, (b + 1) * H * W * 3);
    const seg = segLabels.subarray(b * H * W, (b + 1) * H * W);
    if (!flip) {
      img.set(s.image);
      seg.set(s.segMask);
    } else {
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const src = y * W + (W - 1 - x), dst = y * W + x;
          seg[dst] = s.segMask[src];
          img[dst * 3] = s.image[src * 3]; img[dst * 3 + 1] = s.image[src * 3 + 1]; img[dst * 3 + 2] = s.image[src * 3 + 2];
        }
      }
    }
    // Crowd regions are not detection targets (they stay in the seg mask).
    const keep = s.labels.map((_, i) => !s.iscrowd?.[i]);
    const gt = normalizedBoxes({ ...s, boxes: s.boxes.filter((_, i) => keep[i]) }, flip);
    matchPriors(gt, s.labels.filter((_, i) => keep[i]), priorBoxes, 0.5, {
      labels: labels.subarray(b * P, (b + 1) * P), offsets: offsets.subarray(b * P * 4, (b + 1) * P * 4), numPositive: 0,
    });
  });
  return { size: B, height: H, width: W, images, segLabels, det: { labels, offsets, batch: B, numPriors: P } };
}
