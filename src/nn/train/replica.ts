/**
 * What one training step computes, for each trainer, as a "replica": the models, the variables
 * that train, the loss input made outside the gradient tape, and the loss of a batch (or of a
 * shard of it, rescaled as src/nn/train/shard.ts explains). The main thread and every
 * data-parallel worker (src/nn/train/replica-worker.ts) run this same code, so a worker computes
 * exactly what the main thread would compute on that shard.
 *
 *   ffmnet (step 1): L_det + L_seg of forward(device, edge) in training mode.
 *   jscc step 2:    D1 from the frozen device half (inference, outside the tape); L1(D1, D1') * w +
 *                   L_det + L_seg through encoder -> channel -> decoder -> edge (inference BN).
 *   jscc step 3:    the whole chain in training mode; L_det + L_seg.
 *
 * The channel of step s is seeded from (seed, s) (src/nn/jscc/train-model.ts). A shard sees the
 * rows of the full batch's draw that belong to it: its input is zero-padded to the full batch
 * before the channel and cut back after, so channel noise does not depend on the worker count.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng.js';
import type { Channel } from '../../core/types.js';
import type { FFMNetConfig, Task } from '../ffmnet/config.js';
import type { FFMNetBatch } from '../ffmnet/batch.js';
import { ffmnetLoss } from '../ffmnet/loss.js';
import { buildFFMNet, forward, type FFMNet } from '../ffmnet/model.js';
import { buildJscc, type JsccConfig, type JsccModel } from '../jscc/model.js';
import { channelLayerFor, forwardFromD1, l1Loss, numericChannel, type JsccTrainChannel } from '../jscc/train-model.js';
import { ChannelLayer, type SnrSetting } from '../layers/channel.js';
import type { ResizeMode } from '../layers/resize.js';
import { trainableVariables } from '../variables.js';
import type { StepLoss } from './engine.js';
import type { Shard } from './shard.js';

export type ReplicaSpec =
  | { kind: 'ffmnet'; config: FFMNetConfig; tasks: Task[]; resize: ResizeMode }
  | {
    kind: 'jscc'; step: 2 | 3; config: FFMNetConfig; tasks: Task[]; jscc: JsccConfig;
    channel: JsccTrainChannel; snrTrain: SnrSetting; seed: number; l1Weight: number;
    /** w in L_det + w * L_seg (1: the paper's loss). */
    segWeight: number;
  };

export interface Replica {
  readonly spec: ReplicaSpec;
  /** Every model of the step, in a fixed order (weights copied in this order). */
  readonly models: tf.LayersModel[];
  /** The models whose weights change in a step (trainable ones and batch-norm statistics). */
  readonly trained: tf.LayersModel[];
  /** The optimizer's variables, in order. */
  readonly variables: tf.Variable[];
  /** The loss input, computed outside the tape (the images; step 2: D1). */
  input(b: FFMNetBatch): tf.Tensor4D;
  /** The loss of a batch (shard undefined: the whole batch, as the single-thread trainer). */
  loss(input: tf.Tensor4D, b: FFMNetBatch, step: number, shard?: Shard): StepLoss;
}

/**
 * The channel layer of `step` for the rows shard.start .. start+size-1 of a batch of `batch`:
 * channelLayerFor's seed and draws, on the shard zero-padded to the whole batch.
 */
export function shardChannelLayer(name: JsccTrainChannel, snr: SnrSetting, seed: number, step: number, shard: { start: number; size: number; batch: number }): ChannelLayer {
  // The seed formula of channelLayerFor (src/nn/jscc/train-model.ts); test/nn/train/parallel.test.ts checks they agree.
  const layerSeed = new Rng(seed).split(0x6a5c, step).uint32();
  const inner = numericChannel(name);
  const wrapped: Channel = Object.create(inner, {
    applyTensor: {
      value: (x: unknown, snrDb: number, noiseSeed?: number) => tf.tidy(() => {
        const t = x as tf.Tensor2D;
        const padded = tf.pad(t, [[shard.start, shard.batch - shard.start - shard.size], [0, 0]]);
        const y = inner.applyTensor!(padded, snrDb, noiseSeed) as tf.Tensor2D;
        return tf.slice(y, [shard.start, 0], [shard.size, t.shape[1]]);
      }),
    },
  });
  const setting = snr === null ? { noiseless: true } : typeof snr === 'number' ? { snrDb: snr } : { snrRange: [snr[0], snr[1]] as [number, number] };
  return new ChannelLayer({ channel: wrapped, seed: layerSeed, name: 'jscc_channel', ...setting });
}

/** Multiply a shard's loss terms by its scales; total = the sum of the scaled terms. */
function scaled(terms: { value: tf.Scalar; weight: number; scale: number }[], parts: Record<string, [tf.Scalar, number]>): StepLoss {
  const total = tf.addN(terms.map((t) => tf.mul(t.value, t.weight * t.scale))) as tf.Scalar;
  return { total, parts: Object.fromEntries(Object.entries(parts).map(([k, [v, s]]) => [k, tf.mul(v, s) as tf.Scalar])) };
}

function taskTerms(task: { parts: Record<string, tf.Scalar> }, shard: Shard, segWeight = 1): { terms: { value: tf.Scalar; weight: number; scale: number }[]; parts: Record<string, [tf.Scalar, number]> } {
  const terms: { value: tf.Scalar; weight: number; scale: number }[] = [];
  const parts: Record<string, [tf.Scalar, number]> = {};
  const p = task.parts;
  if (p.det) {
    terms.push({ value: p.det, weight: 1, scale: shard.scales.det });
    parts.det = [p.det, shard.scales.det]; parts.conf = [p.conf, shard.scales.det]; parts.loc = [p.loc, shard.scales.det];
  }
  if (p.seg) {
    terms.push({ value: p.seg, weight: segWeight, scale: shard.scales.seg });
    parts.seg = [p.seg, shard.scales.seg];
  }
  return { terms, parts };
}

/** The replica of models that exist already (the main thread's). */
export function replicaOf(spec: ReplicaSpec, net: Pick<FFMNet, 'device' | 'edge'>, jscc?: Pick<JsccModel, 'encoder' | 'decoder'>): Replica {
  if (spec.kind === 'ffmnet') {
    const models = [net.device, net.edge];
    return {
      spec, models, trained: models, variables: trainableVariables(...models),
      input: (b) => tf.tensor4d(b.images, [b.size, b.height, b.width, 3]),
      loss: (x, b, _step, shard) => {
        const l = ffmnetLoss(forward(net, x, true), b, spec.tasks, spec.resize);
        if (!shard) return l;
        const { terms, parts } = taskTerms(l, shard);
        return scaled(terms, parts);
      },
    };
  }
  if (!jscc) throw new Error('replicaOf: a JSCC step needs the encoder and decoder');
  const graph = { device: net.device, edge: net.edge, encoder: jscc.encoder, decoder: jscc.decoder };
  const models = [net.device, net.edge, jscc.encoder, jscc.decoder];
  const trained = spec.step === 2 ? [jscc.encoder, jscc.decoder] : models;
  return {
    spec, models, trained, variables: trainableVariables(...trained),
    input: (b) => tf.tidy(() => {
      const x = tf.tensor4d(b.images, [b.size, b.height, b.width, 3]);
      // Step 2: FFMNet is frozen, so D1 needs no gradient: compute it once, outside the tape.
      return spec.step === 2 ? net.device.predict(x) as tf.Tensor4D : x;
    }),
    loss: (input, b, step, shard) => {
      const ch = shard ? shardChannelLayer(spec.channel, spec.snrTrain, spec.seed, step, shard)
        : channelLayerFor(spec.channel, spec.snrTrain, spec.seed, step);
      if (spec.step === 2) {
        const f = forwardFromD1(graph, input, ch, false);
        const task = ffmnetLoss(f.outputs, b, spec.tasks, undefined, spec.segWeight);
        const l1 = l1Loss(input, f.d1Hat);
        if (!shard) return { total: tf.add(tf.mul(l1, spec.l1Weight), task.total) as tf.Scalar, parts: { l1, ...task.parts } };
        const { terms, parts } = taskTerms(task, shard, spec.segWeight);
        return scaled([{ value: l1, weight: spec.l1Weight, scale: shard.scales.images }, ...terms], { l1: [l1, shard.scales.images], ...parts });
      }
      const d1 = net.device.apply(input, { training: true }) as tf.Tensor4D;
      const f = forwardFromD1(graph, d1, ch, true);
      const task = ffmnetLoss(f.outputs, b, spec.tasks, undefined, spec.segWeight);
      if (!shard) return { total: task.total, parts: { ...task.parts } };
      const { terms, parts } = taskTerms(task, shard, spec.segWeight);
      return scaled(terms, parts);
    },
  };
}

/** A fresh replica built from the spec (a worker's; its weights are then copied from the main thread). */
export function buildReplica(spec: ReplicaSpec): Replica {
  const net = buildFFMNet(spec.config, spec.tasks);
  if (spec.kind === 'ffmnet') return replicaOf(spec, net);
  return replicaOf(spec, net, buildJscc(spec.jscc));
}
