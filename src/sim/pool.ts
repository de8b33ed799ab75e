/**
 * A fixed pool of worker threads that run chain chunks. Compiled (dist) it starts worker.js;
 * from source it starts the .ts sibling through a small bootstrap that registers tsx in the
 * worker first (Node 20 does not run `--import tsx` from execArgv inside workers).
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';
import type { ChainSpec, ChunkCounts } from './chain.js';

export interface ChunkTask { point: number; chunk: number; snrDb: number; frames: number }

function startWorker(workerData: unknown): Worker {
  const js = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData, execArgv: process.execArgv });
  const ts = new URL('./worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(boot, { eval: true, workerData, execArgv: process.execArgv });
}

export class WorkerPool {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (c: ChunkCounts) => void; reject: (e: Error) => void; worker: Worker }>();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  constructor(size: number, spec: ChainSpec, seed: number) {
    this.size = size;
    for (let i = 0; i < size; i++) {
      const w = startWorker({ spec, seed });
      w.on('message', (m: { id: number; counts?: ChunkCounts; error?: string; usage?: boolean }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        this.idle.push(w);
        if (m.error !== undefined) p.reject(m.usage ? new UsageError(m.error) : new Error(m.error));
        else p.resolve(m.counts as ChunkCounts);
      });
      w.on('error', (e) => this.fail(e));
      // Any exit before close() is a failure, code 0 included (e.g. process.exit(0) in code the
      // worker runs): its chunks would otherwise never answer and the run end silently.
      w.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a BER worker thread exited unexpectedly (code ${code}) before the run was done`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(e);
    }
  }

  get hasIdle(): boolean {
    return this.idle.length > 0;
  }

  /** Run a task on an idle worker (caller checks hasIdle). */
  run(task: ChunkTask): Promise<ChunkCounts> {
    if (this.failure) return Promise.reject(this.failure);
    const w = this.idle.pop();
    if (!w) return Promise.reject(new Error('WorkerPool.run: no idle worker'));
    const id = this.nextId++;
    return new Promise<ChunkCounts>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker: w });
      w.postMessage({ id, ...task });
    });
  }

  /** Ask each worker to stop its plug-in threads (at most 2 s), then terminate it. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map(async (w) => {
      await new Promise<void>((resolve) => {
        const done = () => { clearTimeout(timer); w.off('message', onMessage); w.off('exit', done); resolve(); };
        const onMessage = (m: { closed?: boolean }) => { if (m?.closed) done(); };
        const timer = setTimeout(done, 2000);
        w.on('message', onMessage);
        w.on('exit', done);
        try {
          w.postMessage({ close: true });
        } catch {
          done();
        }
      });
      await w.terminate();
    }));
  }
}
