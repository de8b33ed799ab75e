/**
 * Training step 1 (paper Sec. II-D): FFMNet on L_det + L_seg with Adam, through the generic loop.
 * Checkpoints go to `out` every N steps (with the optimizer state, for resume); the final one holds
 * the held-out metrics in its meta.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { versions } from '../../core/version.js';
import { openDataset } from '../../data/open.js';
import type { Dataset } from '../../data/types.js';
import { saveCheckpoint } from '../checkpoint.js';
import { getConfig, type FFMNetConfig, type Task } from '../ffmnet/config.js';
import { buildFFMNet, type FFMNet } from '../ffmnet/model.js';
import { makeBatch, type FFMNetBatch } from '../ffmnet/batch.js';
import { ffmnetLoss } from '../ffmnet/loss.js';
import { evaluateFFMNet, priorsFor, type EvalResult } from '../ffmnet/evaluate.js';
import { isCheckpointDir, loadFFMNet } from '../ffmnet/load.js';
import { DataOrder } from './order.js';
import { makeAdam, trainLoop, type StepReport } from './engine.js';

export interface Step1Options {
  data: string | { train: Dataset; val?: Dataset };
  out: string;
  config?: string | FFMNetConfig;
  tasks?: Task[];
  steps: number;
  batch: number;
  lr: number;
  /** Fractions of the steps where the rate drops by 10 (paper: 250K/500K, 450K/500K). */
  lrDrops?: number[];
  seed: number;
  checkpointEvery?: number;
  resume?: boolean;
  /** Held-out images evaluated at the end (default all of the val split; 0 = skip). */
  evalLimit?: number;
  /** Stop after this many steps of this run (for tests of resume); the run stays resumable. */
  stopAfter?: number;
  onStep?: (r: StepReport, total: number) => void;
  onEval?: (done: number, total: number) => void;
  log?: (line: string) => void;
}

export interface Step1Result {
  net: FFMNet;
  losses: number[];
  stepsDone: number;
  metrics?: EvalResult;
  seconds: number;
}

function openData(d: Step1Options['data'], size: number): { train: Dataset; val?: Dataset; dir?: string } {
  if (typeof d !== 'string') return d;
  const train = openDataset(d, { split: 'train', resize: size });
  let val: Dataset | undefined;
  try {
    val = openDataset(d, { split: 'val', resize: size });
  } catch { /* a plain COCO folder has no val split */ }
  return { train, val, dir: d };
}

export async function trainStep1(o: Step1Options): Promise<Step1Result> {
  const t0 = performance.now();
  const tasks = o.tasks ?? ['det', 'seg'];
  const base = typeof o.config === 'object' ? o.config : getConfig(o.config ?? 'default');
  const data = openData(o.data, base.inputSize);
  const config: FFMNetConfig = { ...base, numClasses: data.train.numClasses };
  let net: FFMNet;
  let startStep = 0;
  let optimizer: tf.Optimizer | undefined;
  const out = path.resolve(o.out);
  if (isCheckpointDir(out)) {
    if (!o.resume) throw new UsageError(`--out ${o.out} already holds a checkpoint: pass --resume to continue it, or choose another --out`);
    const loaded = await loadFFMNet(out, { config, tasks });
    net = loaded.net;
    startStep = Number(loaded.meta.stepsDone ?? 0);
    if (loaded.checkpoint.optimizerWeights) {
      optimizer = makeAdam(o.lr);
      await optimizer.setWeights(loaded.checkpoint.optimizerWeights);
    } else if (startStep < o.steps) {
      o.log?.(`checkpoint ${o.out} has no optimizer state: continuing with a fresh Adam`);
    }
    o.log?.(`resuming ${o.out} at step ${startStep} of ${o.steps}`);
  } else {
    net = buildFFMNet(config, tasks, { seed: o.seed });
  }
  const pri = priorsFor(net);
  const order = new DataOrder(Array.from({ length: data.train.size }, (_, i) => i), o.batch, o.seed);
  const variables = [...net.device.trainableWeights, ...net.edge.trainableWeights]
    .map((w) => (w as unknown as { val: tf.Variable }).val);
  const meta = (stepsDone: number, extra: Record<string, unknown> = {}) => ({
    kind: 'ffmnet', trainingStep: 1, config, tasks, classNames: [...data.train.classNames],
    stepsDone, totalSteps: o.steps, batch: o.batch, lr: o.lr, lrDrops: o.lrDrops ?? [], seed: o.seed,
    data: { name: data.train.name, dir: data.dir, train: data.train.size, val: data.val?.size ?? 0 },
    backend: tf.getBackend(), versions: versions(), ...extra,
  });
  const totalSteps = o.stopAfter !== undefined ? Math.min(o.steps, startStep + o.stopAfter) : o.steps;
  const run = await trainLoop<FFMNetBatch>({
    variables, batchSize: o.batch, totalSteps, startStep, optimizer,
    schedule: { lr: o.lr, drops: (o.lrDrops ?? []).map((f) => (f * o.steps) / Math.max(1, totalSteps)) },
    batch: (step) => makeBatch(order.batch(step).map((i) => data.train.load(i)), pri, order.flips(step)),
    loss: (b) => {
      const x = tf.tensor4d(b.images, [b.size, b.height, b.width, 3]);
      const y = net.full.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
      return ffmnetLoss(Array.isArray(y) ? y : [y], b, tasks);
    },
    checkpointEvery: o.checkpointEvery ?? 0,
    save: (done, opt) => saveCheckpoint(out, { models: { device: net.device, edge: net.edge }, optimizer: opt, meta: meta(done) }),
    onStep: (r) => o.onStep?.(r, o.steps),
  });
  let metrics: EvalResult | undefined;
  if (run.stepsDone >= o.steps && data.val && (o.evalLimit ?? 1) > 0) {
    metrics = await evaluateFFMNet(net, data.val, { limit: o.evalLimit, onProgress: o.onEval });
    const seconds = (performance.now() - t0) / 1000;
    await saveCheckpoint(out, {
      models: { device: net.device, edge: net.edge }, optimizer: run.optimizer,
      meta: meta(run.stepsDone, { metrics: { split: 'val', images: metrics.images, mAP50: metrics.mAP, mIoU: metrics.mIoU, perClassAP: metrics.perClassAP, perClassIoU: metrics.perClassIoU }, lastRunSeconds: seconds }),
    });
  }
  if (existsSync(out) === false && run.stepsDone > startStep) throw new Error(`no checkpoint was written to ${o.out}`);
  return { net, losses: run.losses, stepsDone: run.stepsDone, metrics, seconds: (performance.now() - t0) / 1000 };
}
