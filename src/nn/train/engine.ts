/**
 * A generic training loop: Adam (src/nn/train/adam.ts) on "a loss of trainable variables on a
 * batch", a learning-rate schedule (step drops or warm-up + cosine), checkpoints every N steps (via
 * a caller's `save`, atomic in src/nn/checkpoint.ts) and resume from a step with restored
 * optimizer state. Everything a step computes is a function of (seed, step, weights, optimizer
 * state), and the checkpoint holds the last two, so killed-and-resumed equals uninterrupted bit
 * for bit. FFMNet (step 1) and the JSCC steps (2, 3) both run through it; what a batch is and how
 * the loss is formed stays with the caller. Batches may be produced asynchronously (`prefetch`
 * starts the next one while this step computes). A step's gradients come from the loss through
 * the optimizer's tape on this thread, or from `gradients` (data-parallel workers,
 * src/nn/train/parallel.ts), after which one optimizer step is applied the same way.
 */
import * as tf from '@tensorflow/tfjs';
import { ExactAdam } from './adam.js';
import { learningRate, type LrSchedule } from './schedule.js';

export interface StepLoss {
  total: tf.Scalar;
  parts?: Record<string, tf.Scalar>;
}

export interface StepReport {
  step: number;
  loss: number;
  parts: Record<string, number>;
  lr: number;
  /** Examples per second over this step (batch preparation included). */
  examplesPerSec: number;
  seconds: number;
}

export interface TrainLoopOptions<B> {
  /** Variables to update (others stay frozen). */
  variables: tf.Variable[];
  /** The batch for a step (deterministic in the step for exact resume). */
  batch: (step: number) => B | Promise<B>;
  /** Start producing the batch of `step` (called while the previous step computes). */
  prefetch?: (step: number) => void;
  /** After each step (and before its checkpoint): e.g. a held-out evaluation every N steps. */
  afterStep?: (stepsDone: number) => Promise<void>;
  /** Examples in a batch (for the rate). */
  batchSize: number;
  /** Forward + loss on a batch; runs inside the gradient tape (unless `gradients` is given). */
  loss?: (batch: B, step: number) => StepLoss;
  /** Loss and gradients computed elsewhere (data-parallel workers); replaces `loss`. */
  gradients?: (batch: B, step: number) => Promise<{ loss: number; parts: Record<string, number>; grads: tf.NamedTensorMap }>;
  /** Length of the whole run: the schedule's horizon. */
  totalSteps: number;
  /** Stop after this step (a run cut short on purpose, e.g. tests of resume); default totalSteps. */
  stopAt?: number;
  schedule: LrSchedule;
  /** Start here (a resumed run); default 0. */
  startStep?: number;
  /** An optimizer with restored state (resume); default a fresh Adam. */
  optimizer?: tf.Optimizer;
  adam?: { beta1?: number; beta2?: number; epsilon?: number };
  /** Save every this many steps (0 = never) and at the end. */
  checkpointEvery?: number;
  save?: (stepsDone: number, optimizer: tf.Optimizer) => Promise<void>;
  onStep?: (r: StepReport) => void;
  /** Dispose a batch's own tensors, if it holds any. */
  disposeBatch?: (batch: B) => void;
}

export interface TrainLoopResult {
  optimizer: tf.Optimizer;
  losses: number[];
  stepsDone: number;
}

export function makeAdam(lr: number, o: { beta1?: number; beta2?: number; epsilon?: number } = {}): ExactAdam {
  return new ExactAdam({ lr, ...o });
}

/** Restore Adam from a checkpoint's optimizer weights; undefined when they are another optimizer's. */
export async function restoreAdam(lr: number, saved: { className: string } | undefined, weights: { name: string; tensor: tf.Tensor }[] | undefined): Promise<ExactAdam | undefined> {
  if (!saved || !weights || saved.className !== ExactAdam.className) return undefined;
  const opt = makeAdam(lr);
  await opt.setWeights(weights);
  return opt;
}

/** Set the learning rate of tfjs' built-in optimizers (they read the field on every update). */
export function setLearningRate(opt: tf.Optimizer, lr: number): void {
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

export async function trainLoop<B>(o: TrainLoopOptions<B>): Promise<TrainLoopResult> {
  if (!Number.isInteger(o.totalSteps) || o.totalSteps < 0) throw new RangeError(`totalSteps ${o.totalSteps} must be an integer >= 0`);
  if (o.variables.length === 0) throw new RangeError('trainLoop: no trainable variables');
  if (!o.loss === !o.gradients) throw new RangeError('trainLoop: give one of loss and gradients');
  const start = o.startStep ?? 0;
  const stopAt = Math.min(o.totalSteps, o.stopAt ?? o.totalSteps);
  const optimizer = o.optimizer ?? makeAdam(learningRate(o.schedule, start, o.totalSteps), o.adam);
  const losses: number[] = [];
  const every = o.checkpointEvery ?? 0;
  let lastSaved = start;
  for (let step = start; step < stopAt; step++) {
    const t0 = performance.now();
    const lr = learningRate(o.schedule, step, o.totalSteps);
    setLearningRate(optimizer, lr);
    const batch = await o.batch(step);
    if (o.prefetch && step + 1 < stopAt) o.prefetch(step + 1);
    let loss: number;
    const partValues: Record<string, number> = {};
    if (o.gradients) {
      const g = await o.gradients(batch, step);
      optimizer.applyGradients(g.grads);
      tf.dispose(g.grads);
      loss = g.loss;
      Object.assign(partValues, g.parts);
    } else {
      let parts: Record<string, tf.Scalar> = {};
      const lossFn = o.loss!;
      const cost = optimizer.minimize(() => {
        const l = lossFn(batch, step);
        // Keep the parts alive past minimize's tidy, read them, then free them.
        parts = Object.fromEntries(Object.entries(l.parts ?? {}).map(([k, v]) => [k, tf.keep(v)]));
        return l.total;
      }, true, o.variables);
      if (!cost) throw new Error('optimizer returned no cost');
      loss = (await cost.data())[0];
      cost.dispose();
      for (const [k, v] of Object.entries(parts)) { partValues[k] = v.dataSync()[0]; v.dispose(); }
    }
    o.disposeBatch?.(batch);
    if (!Number.isFinite(loss)) throw new Error(`training diverged: loss ${loss} at step ${step + 1} (lower --lr?)`);
    losses.push(loss);
    const seconds = (performance.now() - t0) / 1000;
    o.onStep?.({ step: step + 1, loss, parts: partValues, lr, examplesPerSec: o.batchSize / seconds, seconds });
    const done = step + 1;
    if (o.afterStep) await o.afterStep(done);
    if (o.save && every > 0 && done % every === 0 && done < stopAt) {
      await o.save(done, optimizer);
      lastSaved = done;
    }
  }
  if (o.save && lastSaved !== stopAt && stopAt > start) await o.save(stopAt, optimizer);
  return { optimizer, losses, stepsDone: Math.max(start, stopAt) };
}
