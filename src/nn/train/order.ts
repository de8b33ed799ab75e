/**
 * Seeded data order: epoch e visits the training indices in a Fisher-Yates permutation drawn from
 * rng.split(1, e); step s takes positions s*B .. s*B+B-1 of the concatenated epochs. A batch
 * depends only on (seed, step), so a resumed run sees exactly the batches of an uninterrupted one.
 * Horizontal flips: one bit per (step, slot) from rng.split(2, step).
 */
import { Rng } from '../../core/rng.js';

export class DataOrder {
  readonly indices: readonly number[];
  readonly batchSize: number;
  private readonly rng: Rng;
  private cachedEpoch = -1;
  private perm: number[] = [];

  constructor(indices: readonly number[], batchSize: number, seed: number) {
    if (indices.length === 0) throw new RangeError('DataOrder: no training images');
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size ${batchSize} must be a positive integer`);
    this.indices = indices;
    this.batchSize = batchSize;
    this.rng = new Rng(seed);
  }

  private epoch(e: number): number[] {
    if (e !== this.cachedEpoch) {
      const r = this.rng.split(1, e);
      const p = this.indices.slice();
      for (let i = p.length - 1; i > 0; i--) {
        const j = r.int(i + 1);
        const t = p[i]; p[i] = p[j]; p[j] = t;
      }
      this.perm = p;
      this.cachedEpoch = e;
    }
    return this.perm;
  }

  /** Data-set indices of the batch at `step`. */
  batch(step: number): number[] {
    const n = this.indices.length;
    const out: number[] = [];
    for (let k = 0; k < this.batchSize; k++) {
      const pos = step * this.batchSize + k;
      out.push(this.epoch(Math.floor(pos / n))[pos % n]);
    }
    return out;
  }

  /** Horizontal-flip decisions for the batch at `step`. */
  flips(step: number): boolean[] {
    const r = this.rng.split(2, step);
    return Array.from({ length: this.batchSize }, () => r.uniform() < 0.5);
  }
}
