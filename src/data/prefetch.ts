/**
 * Samples decoded ahead of use in a worker thread, so that image decoding (or rendering, for a
 * shapes stream) overlaps the training step on the other core. The worker opens the same data
 * set from a `DataSource` description and answers `load` requests in order; a sample is the
 * same value whichever thread made it, so prefetching never changes results.
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../core/worker.js';
import type { Dataset, Sample } from './types.js';
import { openDataset } from './open.js';
import { openShapesStream } from './shapes-stream.js';

/** What a worker needs to open a data set itself. */
export type DataSource =
  | { kind: 'stream'; spec: string; split: 'train' | 'val' }
  | { kind: 'folder'; dir: string; split: 'train' | 'val'; resize: number };

export function openSource(s: DataSource): Dataset {
  return s.kind === 'stream' ? openShapesStream(s.spec, s.split) : openDataset(s.dir, { split: s.split, resize: s.resize });
}

interface Pending {
  resolve: (s: Sample[]) => void;
  reject: (e: Error) => void;
}

/** Loads index lists in a worker thread; `load` may be called many times ahead. */
export class Prefetcher {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failed?: Error;

  constructor(readonly source: DataSource) {
    this.worker = spawnWorker(new URL('./prefetch-worker.js', import.meta.url), { workerData: source });
    this.worker.unref();
    this.worker.on('message', (m: { id: number; samples?: Sample[]; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.samples!);
    });
    const fail = (e: Error) => {
      this.failed = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => { if (this.pending.size > 0) fail(new Error(`data worker exited (code ${code})`)); });
  }

  load(indices: number[]): Promise<Sample[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, indices });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * The samples of each training step, `indicesAt(step)` of `data`: loaded ahead in a worker thread
 * when a `source` is given (`prefetch(step)` starts a step's load, `samplesAt(step)` takes it),
 * else loaded in this thread on demand. Shared by training steps 1, 2 and 3.
 */
export class StepSamples {
  private readonly prefetcher?: Prefetcher;
  private readonly ahead = new Map<number, Promise<Sample[]>>();

  constructor(private readonly data: Dataset, private readonly indicesAt: (step: number) => number[], source?: DataSource) {
    if (source) this.prefetcher = new Prefetcher(source);
  }

  /** Whether loads run ahead in a worker thread. */
  get prefetching(): boolean {
    return this.prefetcher !== undefined;
  }

  prefetch(step: number): void {
    if (this.prefetcher) this.ahead.set(step, this.prefetcher.load(this.indicesAt(step)));
  }

  samplesAt(step: number): Promise<Sample[]> | Sample[] {
    const p = this.ahead.get(step);
    if (p) { this.ahead.delete(step); return p; }
    if (this.prefetcher) return this.prefetcher.load(this.indicesAt(step));
    return this.indicesAt(step).map((i) => this.data.load(i));
  }

  async close(): Promise<void> {
    await this.prefetcher?.close();
  }
}
