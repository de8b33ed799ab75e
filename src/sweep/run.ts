/**
 * Runs the work items of a sweep: skips those already in the results file (resume), keeps those of
 * this shard, evaluates the rest in-process or on worker threads, and appends each record as soon
 * as it is done. Every item draws its randomness from its own stream (named by the item's identity:
 * compare/keys.ts), so the numbers do not depend on the worker count, the shard, or the order of
 * completion.
 */
import type { Worker } from 'node:worker_threads';
import { siblingModule, spawnWorker } from '../core/worker.js';
import type { ResultRecord, ResultsWriter } from './results.js';
import { inShard, type Shard } from './shard.js';

export interface SweepItem {
  key: string;
  index: number;
}

export type ItemRunner<I extends SweepItem> = (item: I) => Promise<Record<string, unknown>> | Record<string, unknown>;

export interface WorkerSpec {
  /** Module (file URL) that exports `setup(context): Promise<void> | void` and `runItem(item): Promise<object>`. */
  module: string;
  /** Passed to `setup` once per worker (must be structured-cloneable). */
  context: unknown;
  count: number;
}

export interface SweepOptions<I extends SweepItem> {
  items: I[];
  writer: ResultsWriter;
  shard?: Shard;
  run?: ItemRunner<I>;
  worker?: WorkerSpec;
  onProgress?: (done: number, total: number, item: I, record: ResultRecord) => void;
  /** Called once before any item runs: how many of this shard's items are already done. */
  onStart?: (done: number, total: number) => void;
}

export interface SweepSummary {
  total: number;
  skipped: number;
  ran: number;
}

export async function runSweep<I extends SweepItem>(opts: SweepOptions<I>): Promise<SweepSummary> {
  const mine = opts.items.filter((it) => inShard(it.index, opts.shard));
  const todo = mine.filter((it) => !opts.writer.has(it.key));
  const skipped = mine.length - todo.length;
  let done = skipped;
  opts.onStart?.(skipped, mine.length);
  const record = (item: I, fields: Record<string, unknown>) => {
    const r: ResultRecord = { type: 'result', key: item.key, index: item.index, ...fields };
    opts.writer.append(r);
    done++;
    opts.onProgress?.(done, mine.length, item, r);
  };
  if (opts.worker && opts.worker.count > 1 && todo.length > 1) {
    await runOnWorkers(todo, opts.worker, record);
  } else if (opts.run) {
    for (const item of todo) record(item, await opts.run(item));
  } else if (opts.worker) {
    const mod = await import(opts.worker.module);
    await mod.setup?.(opts.worker.context);
    for (const item of todo) record(item, await mod.runItem(item));
  } else {
    throw new Error('runSweep needs run or worker');
  }
  return { total: mine.length, skipped, ran: todo.length };
}

/** Resolve an item module URL that works from dist/ (.js) and from source under tsx (.ts). */
export const workerScript = siblingModule;

async function runOnWorkers<I extends SweepItem>(
  todo: I[], spec: WorkerSpec, record: (item: I, fields: Record<string, unknown>) => void,
): Promise<void> {
  const n = Math.min(spec.count, todo.length);
  let next = 0;
  let failure: Error | undefined;
  const workers: Worker[] = [];
  await Promise.all(Array.from({ length: n }, () => new Promise<void>((resolve) => {
    const w = spawnWorker(new URL('./worker.js', import.meta.url), { workerData: { module: spec.module, context: spec.context } });
    workers.push(w);
    let current: I | undefined;
    const feed = () => {
      if (failure || next >= todo.length) {
        void w.terminate();
        resolve();
        return;
      }
      current = todo[next++];
      w.postMessage({ item: current });
    };
    w.on('message', (msg: { ready?: boolean; result?: Record<string, unknown>; error?: string }) => {
      if (msg.error) {
        failure ??= new Error(msg.error);
        void w.terminate();
        resolve();
        return;
      }
      if (msg.result && current) record(current, msg.result);
      feed();
    });
    w.on('error', (e) => {
      failure ??= e;
      resolve();
    });
  })));
  if (failure) throw failure;
}
