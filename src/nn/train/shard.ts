/**
 * Splitting a training batch across data-parallel workers (src/nn/train/parallel.ts).
 *
 * Shards are contiguous slices whose sizes depend only on the batch and the worker count
 * (the first B mod N shards take one image more). Each shard's loss is rescaled so that the shard
 * losses SUM to the full-batch loss: the SSD loss divides by the positives of its batch
 * (src/nn/ssd/loss.ts) and the segmentation loss by its labelled pixels (src/nn/seg/loss.ts), so a
 * shard's det terms are multiplied by max(1, pos_shard) / max(1, pos_batch), its seg term by
 * max(1, valid_shard) / max(1, valid_batch), and per-image means (the step-2 L1) by
 * size_shard / size_batch. Hard negatives are mined per image, so they do not depend on the split.
 * The summed gradients are then the full-batch gradient up to float rounding; what remains
 * different from one thread is batch norm, which normalizes with each shard's own statistics.
 */
import type { FFMNetBatch } from '../ffmnet/batch.js';
import { IGNORE } from '../seg/loss.js';

/** Loss multipliers of one shard (all 1 for a whole batch). */
export interface ShardScales {
  det: number;
  seg: number;
  images: number;
}

export interface Shard {
  index: number;
  /** First image of the shard in the batch. */
  start: number;
  size: number;
  /** Images in the whole batch. */
  batch: number;
  scales: ShardScales;
}

/** Sizes of the `workers` contiguous shards of a batch of `batch` images. */
export function shardSizes(batch: number, workers: number): number[] {
  if (!Number.isInteger(workers) || workers < 1 || workers > batch) throw new RangeError(`workers ${workers} must be an integer in 1..${batch} (the batch)`);
  const base = Math.floor(batch / workers);
  return Array.from({ length: workers }, (_, k) => base + (k < batch % workers ? 1 : 0));
}

function positives(labels: Int32Array): number {
  let n = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] > 0) n++;
  return n;
}

/** Pixels the segmentation loss counts (src/nn/seg/loss.ts: not IGNORE, a class of the model). */
function labelled(labels: Uint8Array, numLogits: number): number {
  let n = 0;
  for (let i = 0; i < labels.length; i++) { const l = labels[i]; if (l !== IGNORE && l < numLogits) n++; }
  return n;
}

/** The images start .. start+size-1 of a batch (views, no copy). */
export function sliceBatch(b: FFMNetBatch, start: number, size: number): FFMNetBatch {
  const px = b.height * b.width;
  const P = b.det.numPriors;
  return {
    size, height: b.height, width: b.width,
    images: b.images.subarray(start * px * 3, (start + size) * px * 3),
    segLabels: b.segLabels.subarray(start * px, (start + size) * px),
    det: { labels: b.det.labels.subarray(start * P, (start + size) * P), offsets: b.det.offsets.subarray(start * P * 4, (start + size) * P * 4), batch: size, numPriors: P },
  };
}

/** The shards of `b` for `workers` workers; `numLogits` = classes + 1 (the seg logits' depth). */
export function shardsOf(b: FFMNetBatch, workers: number, numLogits: number): Shard[] {
  const sizes = shardSizes(b.size, workers);
  const pos = Math.max(1, positives(b.det.labels));
  const valid = Math.max(1, labelled(b.segLabels, numLogits));
  let start = 0;
  return sizes.map((size, index) => {
    const s = sliceBatch(b, start, size);
    const shard = {
      index, start, size, batch: b.size,
      scales: { det: Math.max(1, positives(s.det.labels)) / pos, seg: Math.max(1, labelled(s.segLabels, numLogits)) / valid, images: size / b.size },
    };
    start += size;
    return shard;
  });
}
