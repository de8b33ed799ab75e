/**
 * Training step 1 (paper Sec. II-D): FFMNet on L_det + L_seg with Adam, through the generic loop.
 * Data: a folder (`dataset make` or COCO) visited in a seeded order, or a shapes stream
 * (`shapes:seed=S`, src/data/shapes-stream.ts) that gives a fresh image at every position. Images
 * are decoded ahead in a worker thread. Checkpoints go to `out` every N steps with the optimizer
 * state (exact resume); a held-out evaluation runs every `evalEvery` steps and at the end, and
 * every step and evaluation is appended to the training log (src/nn/train/log.ts). With
 * `workers` > 1 the batch is split over worker threads (src/nn/train/parallel.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { versions } from '../../core/version.js';
import { openDataset } from '../../data/open.js';
import { StepSamples, type DataSource } from '../../data/prefetch.js';
import { isShapesStreamSpec, openShapesStream } from '../../data/shapes-stream.js';
import type { Dataset } from '../../data/types.js';
import { saveCheckpoint } from '../checkpoint.js';
import { getConfig, scaleSizes, type FFMNetConfig, type Task } from '../ffmnet/config.js';
import { buildFFMNet, forward, type FFMNet } from '../ffmnet/model.js';
import { makeBatch, normalizedBoxes, type FFMNetBatch } from '../ffmnet/batch.js';
import { ffmnetLoss } from '../ffmnet/loss.js';
import { evaluateFFMNet, priorsFor, type EvalResult } from '../ffmnet/evaluate.js';
import { isCheckpointDir, loadFFMNet } from '../ffmnet/load.js';
import { fitPriorScales } from '../ssd/fit.js';
import { DataOrder } from './order.js';
import { restoreAdam, trainLoop } from './engine.js';
import { TrainLog, trainLogPath } from './log.js';
import { DataParallel } from './parallel.js';
import { replicaOf } from './replica.js';
import { trainableVariables } from '../variables.js';
import type { LrSchedule } from './schedule.js';
import type { TrainData, TrainRunOptions } from './options.js';

export interface Step1Options extends TrainRunOptions {
  data: TrainData;
  /** Held-out data (folder or stream spec); default the data's val split. */
  val?: string;
  config?: string | FFMNetConfig;
  tasks?: Task[];
  /** Evaluate `evalEveryImages` held-out images every this many steps (0 = only at the end). */
  evalEvery?: number;
  evalEveryImages?: number;
  /** Fit the SSD prior scales to the first 1000 training images (fresh runs). */
  fitPriors?: boolean;
}

export interface Step1Result {
  net: FFMNet;
  losses: number[];
  stepsDone: number;
  metrics?: EvalResult;
  seconds: number;
}

interface OpenedData {
  train: Dataset;
  val?: Dataset;
  /** How a worker thread opens the training data (absent: data given as objects). */
  source?: DataSource;
  stream: boolean;
  name: string;
}

function openData(d: Step1Options['data'], size: number, valSpec?: string, valCount = 1000): OpenedData {
  const openVal = (spec: string) => isShapesStreamSpec(spec)
    ? openShapesStream(`${spec},count=${valCount}`, 'val')
    : openDataset(spec, { split: 'val', resize: size });
  if (typeof d !== 'string') return { ...d, stream: false, name: d.train.name };
  if (isShapesStreamSpec(d)) {
    const train = openShapesStream(d, 'train');
    if (train.options.size !== size) throw new UsageError(`--data ${d}: images of ${train.options.size} px, the model takes ${size}: add size=${size}`);
    return { train, val: openVal(valSpec ?? d), source: { kind: 'stream', spec: d, split: 'train' }, stream: true, name: d };
  }
  const train = openDataset(d, { split: 'train', resize: size });
  let val: Dataset | undefined;
  if (valSpec) val = openVal(valSpec);
  else {
    try {
      val = openDataset(d, { split: 'val', resize: size });
    } catch { /* a plain COCO folder has no val split */ }
  }
  return { train, val, source: { kind: 'folder', dir: d, split: 'train', resize: size }, stream: false, name: train.name };
}

/** Boxes (cx, cy, w, h normalized) of the first `n` training images, for fitting priors. */
function trainBoxes(data: Dataset, n: number): Float32Array {
  const out: number[] = [];
  for (let i = 0; i < Math.min(n, data.size); i++) {
    const s = data.load(i);
    const keep = s.labels.map((_, q) => !s.iscrowd?.[q]);
    out.push(...normalizedBoxes({ ...s, boxes: s.boxes.filter((_, q) => keep[q]) }, false));
  }
  return Float32Array.from(out);
}

/** Horizontal flips of the batch at `step`: one bit per slot from Rng(seed).split(2, step). */
function flipsAt(seed: number, step: number, batch: number): boolean[] {
  const r = new Rng(seed).split(2, step);
  return Array.from({ length: batch }, () => r.uniform() < 0.5);
}

/** Check a thread count: an integer in 1..batch (UsageError naming the value). */
export function checkWorkers(workers: number, batch: number): number {
  if (!Number.isInteger(workers) || workers < 1 || workers > batch) {
    throw new UsageError(`--workers ${workers} is not allowed: use an integer from 1 to the batch (${batch})`);
  }
  return workers;
}

/** A resumed run on another thread count continues correctly but not bit for bit like either run. */
export function noteWorkers(saved: unknown, workers: number, log?: (line: string) => void): void {
  const was = saved === undefined ? 1 : Number(saved);
  if (was !== workers) log?.(`the checkpoint was trained with ${was} worker(s), this run uses ${workers}: the result will not equal an uninterrupted run of either (batch-norm shards, float rounding)`);
}

export async function trainStep1(o: Step1Options): Promise<Step1Result> {
  const t0 = performance.now();
  const tasks = o.tasks ?? ['det', 'seg'];
  let base = typeof o.config === 'object' ? o.config : getConfig(o.config ?? 'default');
  const evalEveryImages = o.evalEveryImages ?? 200;
  const workers = checkWorkers(o.workers ?? 1, o.batch);
  const data = openData(o.data, base.inputSize, o.val, Math.max(o.evalLimit ?? 1000, evalEveryImages));
  const out = path.resolve(o.out);
  const resuming = isCheckpointDir(out);
  if (resuming && !o.resume) throw new UsageError(`--out ${o.out} already holds a checkpoint: pass --resume to continue it, or choose another --out`);
  if (!resuming && o.fitPriors) {
    const fit = fitPriorScales(trainBoxes(data.train, 1000), { sizes: scaleSizes(base), anchors: base.anchorsPerScale });
    o.log?.(`prior scales fitted to ${data.name}: ${fit.scales.join(', ')} (coverage ${(100 * fit.coverage).toFixed(1)} % at IoU 0.5, ${fit.positivesPerBox.toFixed(1)} priors per box)`);
    base = { ...base, priorSizes: fit.scales };
  }
  const config: FFMNetConfig = { ...base, numClasses: data.train.numClasses };
  let net: FFMNet;
  let startStep = 0;
  let optimizer: tf.Optimizer | undefined;
  if (resuming) {
    const loaded = await loadFFMNet(out, { config, tasks });
    net = loaded.net;
    startStep = Number(loaded.meta.stepsDone ?? 0);
    optimizer = await restoreAdam(o.lr, loaded.checkpoint.optimizer, loaded.checkpoint.optimizerWeights);
    if (!optimizer && startStep < o.steps) o.log?.(`checkpoint ${o.out} has no state of this trainer's Adam: continuing with a fresh one (not an exact resume)`);
    o.log?.(`resuming ${o.out} at step ${startStep} of ${o.steps}`);
    noteWorkers(loaded.meta.workers, workers, o.log);
  } else {
    net = buildFFMNet(config, tasks, { seed: o.seed });
  }
  const resize = net.config.resize ?? 'legacy';
  const pri = priorsFor(net);
  const order = data.stream ? undefined : new DataOrder(Array.from({ length: data.train.size }, (_, i) => i), o.batch, o.seed);
  const indicesAt = (step: number) => order ? order.batch(step) : Array.from({ length: o.batch }, (_, k) => step * o.batch + k);
  const variables = trainableVariables(net.device, net.edge);
  const schedule: LrSchedule = {
    lr: o.lr, kind: o.schedule ?? 'step', warmupSteps: o.warmupSteps ?? 0,
    drops: o.lrDrops ?? [],
  };
  const runInfo = {
    trainingStep: 1, config: net.config, tasks, classNames: [...data.train.classNames],
    totalSteps: o.steps, batch: o.batch, lr: o.lr, schedule, seed: o.seed, workers,
    data: { name: data.name, train: data.train.size, val: data.val?.name ?? null },
  };
  const meta = (stepsDone: number, extra: Record<string, unknown> = {}) => ({
    kind: 'ffmnet', ...runInfo, lrDrops: o.lrDrops ?? [], stepsDone,
    data: { ...runInfo.data, dir: typeof o.data === 'string' ? o.data : undefined },
    backend: tf.getBackend(), versions: versions(), ...extra,
  });
  const trainLog = new TrainLog(trainLogPath(out), { ...runInfo, backend: tf.getBackend(), versions: versions() }, resuming ? startStep : undefined);
  const stopAt = o.stopAfter !== undefined ? Math.min(o.steps, startStep + o.stopAfter) : o.steps;

  const parallel = workers > 1 ? await DataParallel.start(replicaOf({ kind: 'ffmnet', config: net.config, tasks, resize }, net), workers) : undefined;
  const samples = new StepSamples(data.train, indicesAt, o.prefetch !== false ? data.source : undefined);
  const evaluate = async (limit: number) => data.val ? evaluateFFMNet(net, data.val, { limit, onProgress: o.onEval }) : undefined;
  let run;
  try {
    run = await trainLoop<FFMNetBatch>({
      variables, batchSize: o.batch, totalSteps: o.steps, stopAt, startStep, optimizer, schedule,
      batch: async (step) => makeBatch(await samples.samplesAt(step), pri, flipsAt(o.seed, step, o.batch)),
      prefetch: samples.prefetching ? (step) => samples.prefetch(step) : undefined,
      loss: parallel ? undefined : (b) => ffmnetLoss(forward(net, tf.tensor4d(b.images, [b.size, b.height, b.width, 3]), true), b, tasks, resize),
      gradients: parallel ? (b, step) => parallel.gradients(b, step) : undefined,
      checkpointEvery: o.checkpointEvery ?? 0,
      save: (done, opt) => saveCheckpoint(out, { models: { device: net.device, edge: net.edge }, optimizer: opt, meta: meta(done) }),
      onStep: (r) => {
        trainLog.appendStep(r, o.batch);
        o.onStep?.(r, o.steps);
      },
      afterStep: async (done) => {
        if (!o.evalEvery || done % o.evalEvery !== 0 || done >= o.steps || !data.val) return;
        const m = await evaluate(evalEveryImages);
        if (m) {
          trainLog.append({ step: done, eval: { split: 'val', data: data.val.name, images: m.images, mAP: m.mAP ?? null, mIoU: m.mIoU ?? null } });
          o.log?.(`eval at step ${done}: mAP@0.5 ${(100 * (m.mAP ?? NaN)).toFixed(1)} %, mIoU ${(100 * (m.mIoU ?? NaN)).toFixed(1)} % on ${m.images} held-out images`);
        }
      },
    });
  } finally {
    await samples.close();
    await parallel?.close();
  }
  let metrics: EvalResult | undefined;
  if (run.stepsDone >= o.steps && data.val && (o.evalLimit ?? 1) > 0) {
    metrics = await evaluate(o.evalLimit ?? 1000);
    const seconds = (performance.now() - t0) / 1000;
    if (metrics) {
      trainLog.append({ step: run.stepsDone, eval: { split: 'val', data: data.val.name, images: metrics.images, mAP: metrics.mAP ?? null, mIoU: metrics.mIoU ?? null, final: true } });
      await saveCheckpoint(out, {
        models: { device: net.device, edge: net.edge }, optimizer: run.optimizer,
        meta: meta(run.stepsDone, { metrics: { split: 'val', data: data.val.name, images: metrics.images, mAP50: metrics.mAP, mIoU: metrics.mIoU, perClassAP: metrics.perClassAP, perClassIoU: metrics.perClassIoU }, lastRunSeconds: seconds }),
      });
    }
  }
  if (existsSync(out) === false && run.stepsDone > startStep) throw new Error(`no checkpoint was written to ${o.out}`);
  return { net, losses: run.losses, stepsDone: run.stepsDone, metrics, seconds: (performance.now() - t0) / 1000 };
}
