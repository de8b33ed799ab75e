/**
 * The options every training step shares (steps 1, 2 and 3): the run's budget, optimizer, seed,
 * checkpointing, parallelism and callbacks. Step1Options (step1.ts) and JsccTrainOptions
 * (jscc-steps.ts) extend it with what only their step has.
 */
import type { Dataset } from '../../data/types.js';
import type { StepReport } from './engine.js';

/** Training data: a folder, a `shapes:seed=S` stream, or data sets (tests). */
export type TrainData = string | { train: Dataset; val?: Dataset };

export interface TrainRunOptions {
  /** Checkpoint folder (written atomically). */
  out: string;
  /** Optimizer steps of the whole run (the schedule's horizon). */
  steps: number;
  batch: number;
  /** Initial learning rate (Adam). */
  lr: number;
  /** 'step' (drops by 10 at `lrDrops`) or 'cosine' (to lr / 100); default 'step'. */
  schedule?: 'step' | 'cosine';
  /** Steps of linear learning-rate warm-up (default 0). */
  warmupSteps?: number;
  /** Fractions of the steps where the rate drops by 10 (each step has the paper's default). */
  lrDrops?: number[];
  seed: number;
  /** Save every N steps (0: only at the end). */
  checkpointEvery?: number;
  /** Continue the checkpoint in `out`, bit-exactly. */
  resume?: boolean;
  /** Held-out images evaluated at the end (default the val split, at most 1000; 0 = skip). */
  evalLimit?: number;
  /**
   * Threads that compute a step's gradients, 1..batch (default 1: this thread only). Same N, same
   * numbers; another N gives other numbers (float rounding, batch norm over smaller shards).
   */
  workers?: number;
  /** Decode images in a worker thread ahead of use (default true; data sets given as objects: never). */
  prefetch?: boolean;
  /** Stop after this many steps of this run (tests of resume); the run stays resumable. */
  stopAfter?: number;
  onStep?: (r: StepReport, total: number) => void;
  onEval?: (done: number, total: number) => void;
  log?: (line: string) => void;
}
