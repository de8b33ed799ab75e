/**
 * D1 once per image per sweep: the device half's output of each (model, batch of images) and the
 * images' ground truth, kept in a worker for every scheme, SNR point and repetition after the first.
 * D1 does not depend on the scheme or the SNR, and recomputing it was 30-48 % of an item's time.
 * Bounded by `maxBytes`: a batch that does not fit is computed again whenever it is needed (the
 * same numbers, more time). Batches are cut exactly as evaluateFFMNet cuts them (i0 = 0, B, 2B...),
 * so the edge half sees the same tensors as before and the results are bit-identical.
 */
import * as tf from '@tensorflow/tfjs';
import type { Box, Dataset } from '../data/types.js';
import type { FFMNet } from '../nn/ffmnet/model.js';

/** What the metrics need of an image: its ground truth, not its pixels. */
export interface ImageTruth {
  id: number;
  boxes: Box[];
  labels: number[];
  iscrowd?: boolean[];
  segMask: Uint8Array;
}

export interface D1Batch {
  /** D1 of the batch, [n, h, w, c] row-major (a copy is handed out: schemes may write into it). */
  d1: Float32Array;
  shape: [number, number, number, number];
  truth: ImageTruth[];
}

export interface D1CacheStats {
  /** Device forward passes run (batches). */
  computed: number;
  /** Batches served from the cache. */
  hits: number;
  /** Batches that did not fit under the bound (computed each time they are needed). */
  overflow: number;
  bytes: number;
}

export class D1Cache {
  readonly maxBytes: number;
  private readonly batches = new Map<string, D1Batch>();
  private readonly stats: D1CacheStats = { computed: 0, hits: 0, overflow: 0, bytes: 0 };

  constructor(maxBytes: number) {
    if (!(maxBytes >= 0)) throw new RangeError(`D1 cache bound ${maxBytes} is not allowed: use bytes >= 0`);
    this.maxBytes = maxBytes;
  }

  get counters(): Readonly<D1CacheStats> {
    return { ...this.stats };
  }

  /** Batch [i0, i0 + count) of `data` through `net.device`; `model` names the net (its checkpoint). */
  get(model: string, net: FFMNet, data: Dataset, i0: number, count: number): D1Batch {
    const key = `${model}\u0000${i0}\u0000${count}`;
    const have = this.batches.get(key);
    if (have) {
      this.stats.hits++;
      return { ...have, d1: have.d1.slice() };
    }
    const b = computeBatch(net, data, i0, count);
    this.stats.computed++;
    const size = b.d1.byteLength + b.truth.reduce((s, t) => s + t.segMask.byteLength + 64 * (t.boxes.length + 1), 0);
    if (this.stats.bytes + size <= this.maxBytes) {
      this.batches.set(key, { ...b, d1: b.d1.slice() });
      this.stats.bytes += size;
    } else {
      this.stats.overflow++;
    }
    return b;
  }

  clear(): void {
    this.batches.clear();
    Object.assign(this.stats, { computed: 0, hits: 0, overflow: 0, bytes: 0 });
  }
}

function computeBatch(net: FFMNet, data: Dataset, i0: number, count: number): D1Batch {
  const S = net.config.inputSize;
  const samples = Array.from({ length: count }, (_, k) => data.load(i0 + k));
  const images = new Float32Array(count * S * S * 3);
  samples.forEach((s, k) => {
    if (s.width !== S || s.height !== S) throw new RangeError(`image ${s.id} is ${s.width}x${s.height}: the model takes ${S}x${S} (open the data with resize)`);
    images.set(s.image, k * S * S * 3);
  });
  const t = tf.tidy(() => net.device.predict(tf.tensor4d(images, [count, S, S, 3])) as tf.Tensor4D);
  const d1 = t.dataSync() as Float32Array;
  const shape = t.shape as [number, number, number, number];
  t.dispose();
  const truth = samples.map((s) => ({ id: s.id, boxes: s.boxes, labels: s.labels, iscrowd: s.iscrowd, segMask: s.segMask }));
  return { d1: d1.slice(), shape, truth };
}
