/**
 * Training steps 2 and 3 (paper Sec. II-D, III-C): the deep JSCC attached to FFMNet at D1.
 *
 *   step 2: --from an FFMNet checkpoint (step 1). Loss = L1(D1, D1') + L_det + L_seg; only the
 *           encoder and decoder train. FFMNet is frozen: D1 is computed outside the gradient tape
 *           and the edge runs its batch norm in inference mode, so no FFMNet weight (moving
 *           statistics included) changes.
 *   step 3: --from a JSCC checkpoint (step 2 or 3). Loss = L_det + L_seg, every variable trains
 *           (batch norm in training mode, as in step 1).
 *   Both: L_seg may be weighted (segWeight; 1 is the paper's sum).
 *
 * Data: the folder or `shapes:seed=S` stream recorded in --from's meta (or --data), visited in a
 * seeded order (a stream: a fresh image at every position), decoded ahead in a worker thread;
 * held-out evaluation on its val split. With `workers` > 1 the batch is split over worker threads
 * (src/nn/train/parallel.ts).
 *
 * Both: the channel sits inside the graph (channels/, differentiable), at a fixed SNR, a per-batch
 * draw from [lo, hi], or noiseless; Adam with step drops; checkpoints every N steps with the
 * optimizer state for --resume; at the end a held-out evaluation (mAP@0.5, mIoU) at the training
 * SNR (the midpoint of a range) through the same numeric Channel that `eval` uses. Checkpoints hold
 * the models device, edge, encoder, decoder and meta.kind = 'jscc' (read by src/nn/jscc/load.ts).
 */
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Feature } from '../../core/types.js';
import { versions } from '../../core/version.js';
import { openDataset } from '../../data/open.js';
import { StepSamples, type DataSource } from '../../data/prefetch.js';
import { isShapesStreamSpec, openShapesStream } from '../../data/shapes-stream.js';
import type { Dataset } from '../../data/types.js';
import { readCheckpointConfig, saveCheckpoint } from '../checkpoint.js';
import type { FFMNetConfig, Task } from '../ffmnet/config.js';
import { makeBatch, type FFMNetBatch } from '../ffmnet/batch.js';
import { evaluateFFMNet, priorsFor, type EvalResult } from '../ffmnet/evaluate.js';
import { isCheckpointDir, loadFFMNet } from '../ffmnet/load.js';
import type { FFMNet } from '../ffmnet/model.js';
import { TrainLog, trainLogPath } from './log.js';
import { buildJscc, jsccConfigForRatio, jsccResampling, validateJsccConfig, type JsccConfig, type JsccDownsample, type JsccModel, type JsccRatio, type JsccUpsample } from '../jscc/model.js';
import { JsccScheme } from '../jscc/scheme.js';
import {
  evalSnrOf, numericChannel, snrLabel, type JsccTrainChannel,
} from '../jscc/train-model.js';
import type { SnrSetting } from '../layers/channel.js';
import { DataOrder } from './order.js';
import { restoreAdam, trainLoop } from './engine.js';
import type { LrSchedule } from './schedule.js';
import { ExactAdam } from './adam.js';
import { DataParallel } from './parallel.js';
import { replicaOf, type ReplicaSpec } from './replica.js';
import { checkWorkers, noteWorkers } from './step1.js';
import type { TrainData, TrainRunOptions } from './options.js';

export interface JsccTrainOptions extends TrainRunOptions {
  step: 2 | 3;
  /** Step 2: an FFMNet checkpoint; step 3: a JSCC checkpoint. */
  from: string;
  /** Default: the data recorded in --from's meta. */
  data?: TrainData;
  /** Table III ratio (step 2; default 512). Step 3 takes it from --from and refuses another. */
  ratio?: JsccRatio;
  /** Step 2: the JSCC's resampling (default DEFAULT_JSCC_RESAMPLING); step 3 takes --from's. */
  downsample?: JsccDownsample;
  upsample?: JsccUpsample;
  /** Training SNR; undefined: step 2 noiseless, step 3 that of --from. */
  snrTrain?: SnrSetting;
  /** Default 'awgn'; step 3 defaults to --from's. */
  channel?: JsccTrainChannel;
  /** Refuse a --from of another FFMNet config (name). */
  configName?: string;
  /** Weight of L1(D1, D1') in step 2 (default 1). lrDrops default as the paper: step 2 [0.5], step 3 [0.5, 0.75]. */
  l1Weight?: number;
  /** w in L_det + w * L_seg, steps 2 and 3 (default 1, the paper's loss); a resume keeps the run's. */
  segWeight?: number;
}

export interface JsccTrainResult {
  net: FFMNet;
  jscc: JsccModel;
  losses: number[];
  stepsDone: number;
  metrics?: EvalResult & { snrDb: number | null };
  /** The training SNR and channel actually used (step 3 inherits them from --from by default). */
  snrTrain: SnrSetting;
  channel: JsccTrainChannel;
  seconds: number;
}

interface Loaded {
  net: FFMNet;
  jscc: JsccModel;
  jsccConfig: JsccConfig;
  meta: Record<string, unknown>;
  optimizerWeights?: { name: string; tensor: tf.Tensor }[];
}

function d1ShapeOf(net: FFMNet): [number, number, number] {
  return net.device.outputs[0].shape.slice(1) as [number, number, number];
}

/** Copy the weights of a loaded model into a fresh build (keeps a fresh build's variable order). */
function copyWeights(dir: string, name: string, src: tf.LayersModel | undefined, dst: tf.LayersModel): void {
  if (!src) throw new UsageError(`checkpoint ${dir} lacks the JSCC ${name}`);
  const got = src.getWeights();
  const want = dst.getWeights();
  if (got.length !== want.length || got.some((w, i) => w.shape.join() !== want[i].shape.join())) {
    throw new UsageError(`checkpoint ${dir}: the ${name} weights do not fit its JSCC config; refusing to load it`);
  }
  dst.setWeights(got);
  src.dispose();
}

/** Load a JSCC checkpoint (FFMNet halves + encoder/decoder rebuilt from meta.jscc). */
async function loadJsccCheckpoint(dir: string, configName?: string): Promise<Loaded> {
  const { meta } = readCheckpointConfig(dir);
  if (meta.kind !== 'jscc') {
    throw new UsageError(`--from ${dir} is not a JSCC checkpoint (meta.kind = ${JSON.stringify(meta.kind)}): step 3 continues a step-2 checkpoint; train one with --step 2 --from FFMNET_DIR`);
  }
  const { net, checkpoint } = await loadFFMNet(dir);
  if (configName && net.config.name !== configName) {
    throw new UsageError(`checkpoint ${dir} holds config '${net.config.name}', not '${configName}' (a checkpoint from another config): use --config ${net.config.name}`);
  }
  const jsccConfig = meta.jscc as JsccConfig;
  if (!jsccConfig || typeof jsccConfig !== 'object') throw new UsageError(`checkpoint ${dir} has no JSCC config in its meta`);
  validateJsccConfig(jsccConfig);
  if (jsccConfig.d1.join(',') !== d1ShapeOf(net).join(',')) {
    throw new UsageError(`checkpoint ${dir}: its JSCC takes D1 [${jsccConfig.d1}] but its FFMNet makes [${d1ShapeOf(net)}]`);
  }
  const jscc = buildJscc(jsccConfig);
  copyWeights(dir, 'encoder', checkpoint.models.encoder, jscc.encoder);
  copyWeights(dir, 'decoder', checkpoint.models.decoder, jscc.decoder);
  return { net, jscc, jsccConfig, meta, optimizerWeights: checkpoint.optimizerWeights };
}

interface OpenedData {
  train: Dataset;
  val?: Dataset;
  /** The folder or stream spec (absent: data sets given as objects). */
  dir?: string;
  /** How a worker thread opens the training data. */
  source?: DataSource;
  stream: boolean;
}

function openData(d: JsccTrainOptions['data'], fromMeta: Record<string, unknown>, size: number, valCount: number): OpenedData {
  let dir = d;
  if (dir === undefined) {
    const rec = (fromMeta.data as { dir?: string } | undefined)?.dir;
    if (!rec) throw new UsageError('--data DIR is required: the --from checkpoint does not record its data folder');
    dir = rec;
  }
  if (typeof dir !== 'string') return { ...dir, stream: false };
  if (isShapesStreamSpec(dir)) {
    const train = openShapesStream(dir, 'train');
    if (train.options.size !== size) throw new UsageError(`--data ${dir}: images of ${train.options.size} px, the model takes ${size}: add size=${size}`);
    return { train, val: openShapesStream(`${dir},count=${valCount}`, 'val'), dir, source: { kind: 'stream', spec: dir, split: 'train' }, stream: true };
  }
  const train = openDataset(dir, { split: 'train', resize: size });
  let val: Dataset | undefined;
  try {
    val = openDataset(dir, { split: 'val', resize: size });
  } catch { /* a plain COCO folder has no val split */ }
  return { train, val, dir, source: { kind: 'folder', dir, split: 'train', resize: size }, stream: false };
}

function sameSnr(a: SnrSetting | undefined, b: SnrSetting | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Held-out evaluation through JsccScheme + the numeric channel (exactly what `eval` does). */
async function evaluateJscc(net: FFMNet, jscc: JsccModel, val: Dataset, channel: JsccTrainChannel, snrDb: number | null, seed: number, o: JsccTrainOptions): Promise<EvalResult & { snrDb: number | null }> {
  const scheme = new JsccScheme('jscc', jscc.encoder, jscc.decoder);
  const ch = numericChannel(channel);
  const root = new Rng(seed).split(0x5eed, 9);
  let image = 0;
  const r = await evaluateFFMNet(net, val, {
    limit: o.evalLimit,
    onProgress: o.onEval,
    transform: (d1) => {
      const [n, h, w, c] = d1.shape;
      const all = d1.dataSync() as Float32Array;
      const size = h * w * c;
      const feats: Feature[] = Array.from({ length: n }, (_, k) => ({ data: all.subarray(k * size, (k + 1) * size), shape: [h, w, c] }));
      const z = scheme.encode(feats);
      const y = snrDb === null ? z : z.map((zi) => ch.apply(zi, snrDb, root.split(image++)).y);
      const out = new Float32Array(n * size);
      scheme.decode(y, [h, w, c]).forEach((f, k) => out.set(f.data, k * size));
      return tf.tensor4d(out, [n, h, w, c]);
    },
  });
  return { ...r, snrDb };
}

interface StepBatch extends FFMNetBatch {
  /** Step 2: D1 from the frozen device half (outside the tape). Step 3: the images. Single thread only. */
  input?: tf.Tensor4D;
}

export async function trainJscc(o: JsccTrainOptions): Promise<JsccTrainResult> {
  const t0 = performance.now();
  if (o.step !== 2 && o.step !== 3) throw new UsageError(`--step ${o.step} is not a JSCC step: use 2 or 3`);
  const workers = checkWorkers(o.workers ?? 1, o.batch);
  const out = path.resolve(o.out);
  if (path.resolve(o.from) === out) throw new UsageError(`--out ${o.out} is the --from checkpoint: choose another --out`);
  const resuming = isCheckpointDir(out);
  if (resuming && !o.resume) throw new UsageError(`--out ${o.out} already holds a checkpoint: pass --resume to continue it, or choose another --out`);

  // The source checkpoint decides the FFMNet (and, for step 3, the JSCC and its defaults).
  const fromMeta = readCheckpointConfig(o.from).meta;
  let loaded: Loaded;
  let snrTrain: SnrSetting;
  let channel: JsccTrainChannel;
  let ratio: number;
  if (o.step === 2) {
    if (fromMeta.kind === 'jscc') throw new UsageError(`--from ${o.from} is a JSCC checkpoint: step 2 starts from an FFMNet checkpoint (step 1); continue a JSCC one with --step 3`);
    if (fromMeta.kind !== 'ffmnet') throw new UsageError(`--from ${o.from} is not an FFMNet checkpoint (meta.kind = ${JSON.stringify(fromMeta.kind)})`);
    const { net } = await loadFFMNet(o.from);
    if (o.configName && net.config.name !== o.configName) {
      throw new UsageError(`checkpoint ${o.from} holds config '${net.config.name}', not '${o.configName}' (a checkpoint from another config): use --config ${net.config.name}`);
    }
    const jsccConfig: JsccConfig = { ...jsccConfigForRatio(d1ShapeOf(net), o.ratio ?? 512, { downsample: o.downsample, upsample: o.upsample }), seed: o.seed };
    loaded = { net, jscc: buildJscc(jsccConfig), jsccConfig, meta: fromMeta };
    snrTrain = o.snrTrain === undefined ? null : o.snrTrain;
    channel = o.channel ?? 'awgn';
  } else {
    loaded = await loadJsccCheckpoint(o.from, o.configName);
    loaded.optimizerWeights = undefined; // step 3 starts a fresh Adam
    snrTrain = o.snrTrain === undefined ? ((fromMeta.snrTrain ?? null) as SnrSetting) : o.snrTrain;
    channel = o.channel ?? ((fromMeta.channel as JsccTrainChannel | undefined) ?? 'awgn');
  }
  ratio = loaded.jscc.compressionRatio;
  const have = jsccResampling(loaded.jsccConfig);
  for (const key of ['downsample', 'upsample'] as const) {
    if (o.step === 3 && o[key] !== undefined && o[key] !== have[key]) {
      throw new UsageError(`--jscc-${key} ${o[key]} does not match --from ${o.from}, whose JSCC uses ${have[key]}: drop --jscc-${key} or train a new one with --step 2`);
    }
  }
  if (o.ratio !== undefined && o.ratio !== Math.round(ratio)) {
    throw new UsageError(`--ratio ${o.ratio} does not match --from ${o.from}, a ${Math.round(ratio)}x JSCC: drop --ratio or train a new one with --step 2`);
  }

  let startStep = 0;
  let optimizer: tf.Optimizer | undefined;
  let segWeight = o.segWeight ?? 1;
  if (!(segWeight > 0 && Number.isFinite(segWeight))) throw new UsageError(`segWeight ${segWeight} is not allowed: use a positive number`);
  if (resuming) {
    const prev = readCheckpointConfig(out).meta;
    if (prev.kind !== 'jscc' || prev.step !== o.step) {
      throw new UsageError(`--out ${o.out} holds a ${String(prev.kind)} checkpoint of step ${String(prev.step ?? prev.trainingStep)}, not a step-${o.step} JSCC run: choose another --out`);
    }
    const prevSegWeight = Number(prev.segWeight ?? 1);
    if (o.segWeight !== undefined && o.segWeight !== prevSegWeight) {
      throw new UsageError(`--seg-weight ${o.segWeight} does not match --out ${o.out}, trained with ${prevSegWeight}: resume it with the same --seg-weight`);
    }
    segWeight = prevSegWeight;
    if (Math.round(Number(prev.compressionRatio)) !== Math.round(ratio) || !sameSnr(prev.snrTrain as SnrSetting, snrTrain) || prev.channel !== channel) {
      throw new UsageError(`--out ${o.out} was trained at ratio ${String(prev.compressionRatio)}, ${snrLabel((prev.snrTrain ?? null) as SnrSetting)}, ${String(prev.channel)}: resume it with the same --ratio, --snr-train and --channel`);
    }
    loaded.net.device.dispose(); loaded.net.edge.dispose(); loaded.jscc.encoder.dispose(); loaded.jscc.decoder.dispose();
    loaded = await loadJsccCheckpoint(out, o.configName);
    startStep = Number(loaded.meta.stepsDone ?? 0);
    optimizer = loaded.optimizerWeights?.some((w) => w.name === 'step')
      ? await restoreAdam(o.lr, { className: ExactAdam.className }, loaded.optimizerWeights)
      : undefined;
    if (!optimizer && startStep < o.steps) o.log?.(`checkpoint ${o.out} has no state of this trainer's Adam: continuing with a fresh one (not an exact resume)`);
    o.log?.(`resuming ${o.out} at step ${startStep} of ${o.steps}`);
    noteWorkers(loaded.meta.workers, workers, o.log);
  }
  const { net, jscc, jsccConfig } = loaded;
  const tasks: Task[] = net.tasks;
  const config: FFMNetConfig = net.config;
  const data = openData(o.data, fromMeta, config.inputSize, o.evalLimit || 1000);
  if (data.train.numClasses !== config.numClasses) {
    throw new UsageError(`data ${data.dir ?? data.train.name} has ${data.train.numClasses} classes but --from ${o.from} was trained for ${config.numClasses}: use its data set`);
  }

  const pri = priorsFor(net);
  const order = data.stream ? undefined : new DataOrder(Array.from({ length: data.train.size }, (_, i) => i), o.batch, o.seed);
  // A stream: positions step*B .. step*B+B-1; flips as DataOrder's, from Rng(seed).split(2, step).
  const indicesAt = (step: number) => order ? order.batch(step) : Array.from({ length: o.batch }, (_, k) => step * o.batch + k);
  const flipsAt = (step: number) => {
    const r = new Rng(o.seed).split(2, step);
    return Array.from({ length: o.batch }, () => r.uniform() < 0.5);
  };
  const l1w = o.l1Weight ?? 1;
  const kind = o.schedule ?? 'step';
  // The paper's drops apply to the step schedule only; a cosine run drops nothing unless told.
  const lrDrops = o.lrDrops ?? (kind === 'cosine' ? [] : o.step === 2 ? [0.5] : [0.5, 0.75]);
  const schedule: LrSchedule = { lr: o.lr, kind, warmupSteps: o.warmupSteps ?? 0, drops: lrDrops };
  const spec: ReplicaSpec = { kind: 'jscc', step: o.step, config, tasks, jscc: jsccConfig, channel, snrTrain, seed: o.seed, l1Weight: l1w, segWeight };
  const replica = replicaOf(spec, net, jscc);
  const variables = replica.variables;

  const meta = (stepsDone: number, extra: Record<string, unknown> = {}) => ({
    kind: 'jscc', step: o.step, trainingStep: o.step, config, tasks, classNames: [...data.train.classNames],
    jscc: jsccConfig, compressionRatio: jscc.compressionRatio, channelUses: jscc.channelUses,
    snrTrain, channel, from: path.resolve(o.from),
    stepsDone, totalSteps: o.steps, batch: o.batch, lr: o.lr, lrDrops, schedule, seed: o.seed, workers,
    ...(o.step === 2 ? { l1Weight: l1w } : {}), segWeight,
    data: { name: data.train.name, dir: data.dir, train: data.train.size, val: data.val?.size ?? 0 },
    history: [...((fromMeta.kind === 'jscc' ? (fromMeta.history as unknown[] | undefined) ?? [] : [])),
      { step: fromMeta.step ?? fromMeta.trainingStep ?? 1, dir: path.resolve(o.from), stepsDone: fromMeta.stepsDone, metrics: fromMeta.metrics }],
    backend: tf.getBackend(), versions: versions(), ...extra,
  });
  const models = () => ({ device: net.device, edge: net.edge, encoder: jscc.encoder, decoder: jscc.decoder });
  const stopAt = o.stopAfter !== undefined ? Math.min(o.steps, startStep + o.stopAfter) : o.steps;
  o.log?.(`step ${o.step}: JSCC ${Math.round(jscc.compressionRatio)}x (${jscc.channelUses} channel uses per image), ${channel} ${snrLabel(snrTrain)}, ${variables.length} trainable tensors${segWeight !== 1 ? `, loss L_det + ${segWeight} L_seg` : ''}`);

  const trainLog = new TrainLog(trainLogPath(out), {
    trainingStep: o.step, config, tasks, classNames: [...data.train.classNames], jscc: jsccConfig,
    compressionRatio: jscc.compressionRatio, channelUses: jscc.channelUses, snrTrain, channel, from: path.resolve(o.from),
    totalSteps: o.steps, batch: o.batch, lr: o.lr, schedule, seed: o.seed, workers, segWeight,
    data: { name: data.train.name, train: data.train.size, val: data.val?.name ?? null },
    backend: tf.getBackend(), versions: versions(),
  }, resuming ? startStep : undefined);
  const parallel = workers > 1 ? await DataParallel.start(replica, workers) : undefined;
  const samples = new StepSamples(data.train, indicesAt, o.prefetch !== false ? data.source : undefined);
  let run;
  try {
    run = await trainLoop<StepBatch>({
      variables, batchSize: o.batch, totalSteps: o.steps, stopAt, startStep, optimizer,
      schedule,
      batch: async (step) => {
        const b: StepBatch = makeBatch(await samples.samplesAt(step), pri, order ? order.flips(step) : flipsAt(step));
        if (!parallel) b.input = replica.input(b);
        return b;
      },
      prefetch: samples.prefetching ? (step) => samples.prefetch(step) : undefined,
      disposeBatch: (b) => b.input?.dispose(),
      loss: parallel ? undefined : (b, step) => replica.loss(b.input!, b, step),
      gradients: parallel ? (b, step) => parallel.gradients(b, step) : undefined,
      checkpointEvery: o.checkpointEvery ?? 0,
      save: (done, opt) => saveCheckpoint(out, { models: models(), optimizer: opt, meta: meta(done) }),
      onStep: (r) => {
        trainLog.appendStep(r, o.batch);
        o.onStep?.(r, o.steps);
      },
    });
  } finally {
    await samples.close();
    await parallel?.close();
  }

  let metrics: JsccTrainResult['metrics'];
  if (run.stepsDone >= o.steps && data.val && (o.evalLimit ?? 1) > 0) {
    const snrDb = evalSnrOf(snrTrain);
    metrics = await evaluateJscc(net, jscc, data.val, channel, snrDb, o.seed, o);
    const seconds = (performance.now() - t0) / 1000;
    trainLog.append({ step: run.stepsDone, eval: { split: 'val', data: data.val.name, images: metrics.images, snrDb, mAP: metrics.mAP ?? null, mIoU: metrics.mIoU ?? null, final: true } });
    await saveCheckpoint(out, {
      models: models(), optimizer: run.optimizer,
      meta: meta(run.stepsDone, {
        metrics: {
          split: 'val', images: metrics.images, snrDb, channel, mAP50: metrics.mAP, mIoU: metrics.mIoU,
          perClassAP: metrics.perClassAP, perClassIoU: metrics.perClassIoU,
        },
        lastRunSeconds: seconds,
      }),
    });
  }
  return { net, jscc, losses: run.losses, stepsDone: run.stepsDone, metrics, snrTrain, channel, seconds: (performance.now() - t0) / 1000 };
}
