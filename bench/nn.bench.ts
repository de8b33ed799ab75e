/**
 * FFMNet (default config, 128x128, batch 16) on the wasm backend, through the trainer's own code
 * (src/nn/train/replica.ts, parallel.ts): training images/s on 1 and 2 threads (`train --workers`),
 * the 2-thread speed-up measured interleaved in one bench, forward images/s of the full model
 * (one device + edge pass, inference), the ratio of a 1-thread training step's time to that
 * forward's on the same batch, and forward images/s of the device and edge halves. Synthetic
 * shapes-like batches (the matching and loss run as in training).
 */
import * as tf from '@tensorflow/tfjs';
import type { Bench } from './harness.js';
import { initBackend } from '../src/nn/backend.js';
import { defaultConfig } from '../src/nn/ffmnet/config.js';
import { buildFFMNet, forward, type FFMNet } from '../src/nn/ffmnet/model.js';
import { makeBatch, type FFMNetBatch } from '../src/nn/ffmnet/batch.js';
import { priorsFor } from '../src/nn/ffmnet/evaluate.js';
import { makeAdam } from '../src/nn/train/engine.js';
import { DataParallel } from '../src/nn/train/parallel.js';
import { replicaOf, type Replica } from '../src/nn/train/replica.js';
import type { ExactAdam } from '../src/nn/train/adam.js';
import { Rng } from '../src/core/rng.js';
import type { Sample } from '../src/data/types.js';

const B = 16;
const S = defaultConfig.inputSize;
let net: FFMNet;
let batch: FFMNetBatch;
let replica: Replica;
let opt: ExactAdam;
let images: tf.Tensor4D;
let d1: tf.Tensor4D;
let dp: DataParallel | undefined;
let step = 0;

export function syntheticSample(seed: number, i: number): Sample {
  const r = new Rng(seed).split(i);
  const image = new Float32Array(S * S * 3);
  r.fillUniform(image);
  const segMask = new Uint8Array(S * S);
  const boxes = [], labels = [];
  for (let k = 0; k < 3; k++) {
    const w = 16 + r.int(48), h = 16 + r.int(48), x = r.int(S - w), y = r.int(S - h), l = 1 + r.int(defaultConfig.numClasses);
    for (let yy = y; yy < y + h; yy++) segMask.fill(l, yy * S + x, yy * S + x + w);
    boxes.push({ x, y, w, h }); labels.push(l);
  }
  return { id: i + 1, width: S, height: S, image, boxes, labels, iscrowd: [false, false, false], segMask };
}

async function setup(): Promise<void> {
  if (net) return;
  await initBackend('wasm');
  net = buildFFMNet(defaultConfig);
  batch = makeBatch(Array.from({ length: B }, (_, i) => syntheticSample(11, i)), priorsFor(net));
  replica = replicaOf({ kind: 'ffmnet', config: net.config, tasks: net.tasks, resize: net.config.resize ?? 'legacy' }, net);
  opt = makeAdam(1e-4);
  images = tf.tensor4d(batch.images, [B, S, S, 3]);
  d1 = net.device.predict(images) as tf.Tensor4D;
}

async function setup2(): Promise<void> {
  await setup();
  dp ??= await DataParallel.start(replica, 2);
}

/** One step of `train --workers 1` (src/nn/train/step1.ts' loss through ExactAdam). */
function trainStep1(): void {
  const s = step++;
  const cost = opt.minimize(() => replica.loss(replica.input(batch), batch, s).total, true, replica.variables);
  cost!.dataSync();
  cost!.dispose();
}

/** One step of `train --workers 2`. */
async function trainStep2(): Promise<void> {
  const g = await dp!.gradients(batch, step++);
  opt.applyGradients(g.grads);
  tf.dispose(g.grads);
}

function forwardFull(): void {
  tf.tidy(() => forward(net, images, false).forEach((t) => t.dataSync()));
}

/** The harness divides by the elapsed time: return ratio x elapsed so the "rate" is the ratio. */
function asRatio(ratio: number, t0: number, t1: number): number {
  return ratio * ((t1 - t0) / 1000);
}

export const benchmarks: Bench[] = [
  {
    name: `FFMNet default training step, 1 thread (train --workers 1; batch ${B}, 128x128, Adam, det+seg loss), wasm`,
    unit: 'images/s', setup, repeats: 3,
    run: () => { trainStep1(); return B; },
  },
  {
    name: `FFMNet default training step, 2 threads (train --workers 2; shards of ${B / 2}), wasm`,
    unit: 'images/s', setup: setup2, repeats: 3,
    run: async () => { await trainStep2(); return B; },
  },
  {
    name: 'FFMNet default training: 2-thread / 1-thread images/s, measured interleaved',
    unit: 'x (speed-up)', goal: '>= 1.7 on an idle 2-core machine', setup: setup2, repeats: 3,
    run: async () => {
      const t0 = performance.now(); trainStep1();
      const t1 = performance.now(); await trainStep2();
      const t2 = performance.now();
      return asRatio((t1 - t0) / (t2 - t1), t0, t2);
    },
  },
  {
    name: `FFMNet default full model forward (inference, one device + edge pass), batch ${B}, wasm`,
    unit: 'images/s', setup, repeats: 5,
    run: () => { forwardFull(); return B; },
  },
  {
    name: `FFMNet default training step time (1 thread) / full forward time, same batch of ${B}, wasm`,
    unit: 'ratio', goal: '<= 2.5', setup, repeats: 3,
    run: () => {
      const t0 = performance.now(); forwardFull();
      const t1 = performance.now(); trainStep1();
      const t2 = performance.now();
      return asRatio((t2 - t1) / (t1 - t0), t0, t2);
    },
  },
  {
    name: `FFMNet default device half (image -> D1 16x16x512), forward, batch ${B}, wasm`,
    unit: 'images/s', setup, repeats: 5,
    run: () => { tf.tidy(() => (net.device.predict(images) as tf.Tensor).dataSync()); return B; },
  },
  {
    name: `FFMNet default edge half (D1 -> cls/loc/seg), forward, batch ${B}, wasm`,
    unit: 'images/s', setup, repeats: 5,
    run: () => { tf.tidy(() => (net.edge.predict(d1) as tf.Tensor[]).forEach((t) => t.dataSync())); return B; },
  },
];
