/**
 * The edge half's results per D1' batch, keyed by the batch's content (sha1 of its bytes, with the
 * model and the batch position). A separate scheme above its cliff delivers the same D1' at every
 * SNR point (error-free JPEG), below it the same fallback, and the ideal bound the same top
 * quality: those batches reuse the detections and confusion counts instead of rerunning the edge
 * half. Only whole batches are reused, so the network always sees exactly the tensors it saw
 * before and the numbers stay bit-identical. Bounded by entries (least recently used dropped).
 */
import { createHash } from 'node:crypto';
import type { Detection, GroundTruth } from '../metrics/detection.js';

export interface EdgeBatch {
  dets: Detection[][];
  gts: GroundTruth[][];
  cms: Float64Array[];
}

export class EdgeCache {
  private readonly map = new Map<string, EdgeBatch>();
  hits = 0;
  misses = 0;

  constructor(readonly maxEntries: number) {}

  static key(model: string, i0: number, d1: Float32Array): string {
    const h = createHash('sha1');
    h.update(new Uint8Array(d1.buffer, d1.byteOffset, d1.byteLength));
    return `${model}\u0000${i0}\u0000${d1.length}\u0000${h.digest('hex')}`;
  }

  get(key: string): EdgeBatch | undefined {
    const e = this.map.get(key);
    if (e) {
      this.hits++;
      this.map.delete(key);
      this.map.set(key, e); // most recently used last
    } else {
      this.misses++;
    }
    return e;
  }

  set(key: string, e: EdgeBatch): void {
    if (this.maxEntries <= 0) return;
    this.map.set(key, e);
    while (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value!);
  }
}
