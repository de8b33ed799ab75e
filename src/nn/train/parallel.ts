/**
 * Data-parallel training over worker threads (`train --workers N`).
 *
 * The main thread and N - 1 worker threads (src/nn/train/replica-worker.ts, each with its own
 * wasm backend and a replica of the models built from the same spec) each compute the loss and
 * gradients of one contiguous shard of the batch (src/nn/train/shard.ts); the main thread takes
 * shard 0. Every step:
 *   1. the main thread sends each worker the current weights of the models that train (trainable
 *      variables and batch-norm moving statistics, one Float32Array) and its shard;
 *   2. each computes its shard's rescaled loss and gradients, returned as one transferable
 *      Float32Array, with its batch-norm moving statistics after the step;
 *   3. the main thread sums the gradients in shard order (the shard losses sum to the batch loss),
 *      averages the moving statistics weighted by shard size (in float64, so equal values stay
 *      equal), and the caller applies one optimizer step to the main thread's variables.
 * The main thread's models are therefore the only state (checkpointed as before); replicas are
 * overwritten from them before every step, so killed-and-resumed runs stay exact for a fixed N.
 * Results depend on the seed and N only: the same N gives the same numbers; another N gives
 * other numbers, at the level of float rounding plus batch-norm statistics of smaller shards.
 */
import * as tf from '@tensorflow/tfjs';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../core/worker.js';
import type { FFMNetBatch } from '../ffmnet/batch.js';
import { buildReplica, type Replica, type ReplicaSpec } from './replica.js';
import { shardsOf, sliceBatch, type Shard } from './shard.js';

/** Weights of models as one Float32Array, in model order then each model's weight order. */
export function packWeights(vars: tf.LayerVariable[]): Float32Array {
  const n = vars.reduce((a, v) => a + sizeOf(v.shape as number[]), 0);
  const out = new Float32Array(n);
  let o = 0;
  for (const v of vars) {
    const d = v.read().dataSync() as Float32Array;
    out.set(d, o);
    o += d.length;
  }
  return out;
}

/** Write a packWeights array back (shapes must match). */
export function unpackWeights(vars: tf.LayerVariable[], data: Float32Array): void {
  let o = 0;
  for (const v of vars) {
    const shape = v.shape as number[];
    const n = sizeOf(shape);
    if (o + n > data.length) throw new Error(`weights: ${data.length} values are too few for the models`);
    tf.tidy(() => { v.write(tf.tensor(data.subarray(o, o + n), shape, 'float32')); });
    o += n;
  }
  if (o !== data.length) throw new Error(`weights: ${data.length} values for models of ${o}`);
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function weightsOf(models: tf.LayersModel[]): tf.LayerVariable[] {
  return models.flatMap((m) => m.weights);
}

/** Non-trainable weights (batch-norm moving statistics) of models. */
export function statsOf(models: tf.LayersModel[]): tf.LayerVariable[] {
  return models.flatMap((m) => m.weights.filter((w) => !w.trainable));
}

export interface ShardResult {
  loss: number;
  parts: Record<string, number>;
  /** Gradients of replica.variables, concatenated; variables without a gradient are listed in `missing` (zeros here). */
  grads: Float32Array;
  missing: number[];
  /** statsOf(trained) after the step. */
  stats: Float32Array;
}

/** Loss and gradients of one shard on a replica (what every thread runs). */
export function shardGradients(replica: Replica, b: FFMNetBatch, step: number, shard: Shard): ShardResult {
  const total = replica.variables.reduce((a, v) => a + v.size, 0);
  const out = new Float32Array(total);
  const missing: number[] = [];
  const partValues: Record<string, number> = {};
  let loss = NaN;
  // Return nothing from tidy: it walks a returned object element by element (1 s for 1M floats).
  tf.tidy(() => {
    const input = replica.input(b);
    let parts: Record<string, tf.Scalar> = {};
    const { value, grads } = tf.variableGrads(() => {
      const l = replica.loss(input, b, step, shard);
      parts = Object.fromEntries(Object.entries(l.parts ?? {}).map(([k, v]) => [k, tf.keep(v)]));
      return l.total;
    }, replica.variables);
    let o = 0;
    replica.variables.forEach((v, i) => {
      const g = grads[v.name];
      if (g) out.set(g.dataSync() as Float32Array, o);
      else missing.push(i);
      o += v.size;
    });
    for (const [k, v] of Object.entries(parts)) { partValues[k] = v.dataSync()[0]; v.dispose(); }
    loss = value.dataSync()[0];
  });
  return { loss, parts: partValues, grads: out, missing, stats: packWeights(statsOf(replica.trained)) };
}

/** The batch arrays of a shard, copied into their own buffers (transferable). */
function ownBatch(b: FFMNetBatch): FFMNetBatch {
  return {
    size: b.size, height: b.height, width: b.width, images: b.images.slice(), segLabels: b.segLabels.slice(),
    det: { ...b.det, labels: b.det.labels.slice(), offsets: b.det.offsets.slice() },
  };
}

export interface WorkerInit {
  spec: ReplicaSpec;
  backend: string;
  /** packWeights(weightsOf(models)) of the main thread. */
  weights: Float32Array;
}

export interface StepRequest {
  id: number;
  step: number;
  /** packWeights(weightsOf(trained)). */
  weights: Float32Array;
  batch: FFMNetBatch;
  shard: Shard;
}

export type WorkerReply = { id: number; result: ShardResult } | { id: number; error: string } | { ready: true } | { initError: string };

interface Pending { resolve: (r: ShardResult) => void; reject: (e: Error) => void }

class ReplicaWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private failed?: Error;
  readonly ready: Promise<void>;

  constructor(init: WorkerInit) {
    this.worker = spawnWorker(new URL('./replica-worker.js', import.meta.url), { workerData: init });
    let readyResolve!: () => void, readyReject!: (e: Error) => void;
    this.ready = new Promise((res, rej) => { readyResolve = res; readyReject = rej; });
    this.ready.catch(() => { /* reported by the step that awaits it */ });
    // Referenced only while starting or computing: an idle worker never keeps the process alive.
    this.ready.then(() => this.worker.unref(), () => undefined);
    this.worker.on('message', (m: WorkerReply) => {
      if ('ready' in m) return readyResolve();
      if ('initError' in m) return readyReject(new Error(`training worker failed to start: ${m.initError}`));
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if ('error' in m) p.reject(new Error(`training worker: ${m.error}`));
      else p.resolve(m.result);
    });
    const fail = (e: Error) => {
      this.failed = e;
      readyReject(e);
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`training worker exited (code ${code})`)));
  }

  run(r: StepRequest): Promise<ShardResult> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending.set(r.id, { resolve, reject });
      this.worker.ref();
      const t = [r.batch.images.buffer, r.batch.segLabels.buffer, r.batch.det.labels.buffer, r.batch.det.offsets.buffer] as ArrayBuffer[];
      this.worker.postMessage(r, t);
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

export interface ParallelGradients {
  loss: number;
  parts: Record<string, number>;
  /** Summed gradients by the main thread's variable names (for optimizer.applyGradients). */
  grads: tf.NamedTensorMap;
}

/** N-way data parallelism around the main thread's replica. */
export class DataParallel {
  private readonly workers: ReplicaWorker[];
  private nextId = 0;
  private readonly numLogits: number;
  private readonly stats: tf.LayerVariable[];

  private constructor(readonly replica: Replica, readonly count: number, backend: string) {
    const init: WorkerInit = { spec: replica.spec, backend, weights: packWeights(weightsOf(replica.models)) };
    this.workers = Array.from({ length: count - 1 }, () => new ReplicaWorker(init));
    this.numLogits = replica.spec.config.numClasses + 1;
    this.stats = statsOf(replica.trained);
  }

  /** Start `count - 1` workers (count >= 2) with copies of the main thread's models. */
  static async start(replica: Replica, count: number, backend = tf.getBackend()): Promise<DataParallel> {
    if (!Number.isInteger(count) || count < 2) throw new RangeError(`DataParallel: ${count} threads (use the single-thread trainer for 1)`);
    const dp = new DataParallel(replica, count, backend);
    try {
      await Promise.all(dp.workers.map((w) => w.ready));
    } catch (e) {
      await dp.close();
      throw e;
    }
    return dp;
  }

  /** Loss and summed gradients of batch `b` at `step`; updates the main thread's moving statistics. */
  async gradients(b: FFMNetBatch, step: number): Promise<ParallelGradients> {
    const shards = shardsOf(b, this.count, this.numLogits);
    const weights = packWeights(weightsOf(this.replica.trained));
    const replies = this.workers.map((w, k) => {
      const s = shards[k + 1];
      return w.run({ id: this.nextId++, step, weights, batch: ownBatch(sliceBatch(b, s.start, s.size)), shard: s });
    });
    // A rejected reply is awaited below; keep it from being reported as unhandled meanwhile.
    replies.forEach((p) => p.catch(() => undefined));
    const s0 = shards[0];
    const mine = shardGradients(this.replica, sliceBatch(b, s0.start, s0.size), step, s0);
    const results = [mine, ...(await Promise.all(replies))];
    // Sum in shard order (float32 adds, as one thread would accumulate them).
    const g = mine.grads;
    const stats = new Float64Array(mine.stats.length);
    const parts: Record<string, number> = {};
    let loss = 0;
    results.forEach((r, k) => {
      if (k > 0) for (let i = 0; i < g.length; i++) g[i] += r.grads[i];
      const w = shards[k].size;
      for (let i = 0; i < stats.length; i++) stats[i] += w * r.stats[i];
      loss += r.loss;
      for (const [name, v] of Object.entries(r.parts)) parts[name] = (parts[name] ?? 0) + v;
    });
    const mean = new Float32Array(stats.length);
    for (let i = 0; i < stats.length; i++) mean[i] = stats[i] / b.size;
    unpackWeights(this.stats, mean);
    const missing = new Set(results.flatMap((r) => r.missing));
    const grads: tf.NamedTensorMap = {};
    let o = 0;
    this.replica.variables.forEach((v, i) => {
      if (!missing.has(i)) grads[v.name] = tf.tensor(g.subarray(o, o + v.size), v.shape, 'float32');
      o += v.size;
    });
    return { loss, parts, grads };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

/** Default thread count: the cores available, at most the batch. */
export function defaultWorkers(batch: number, cores: number): number {
  return Math.max(1, Math.min(batch, cores));
}

export { buildReplica };
