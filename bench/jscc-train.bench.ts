/**
 * JSCC training steps on the default config (128x128, D1 16x16x512, ratio 512), batch 16, AWGN at
 * 5 dB in the graph, wasm, through the trainer's own code (src/nn/train/replica.ts, parallel.ts):
 * step 2 (D1 from the frozen device half outside the tape, JSCC + frozen edge backward, encoder and
 * decoder variables only) and step 3 (end to end, every variable), each on 1 and 2 threads
 * (`train --workers 1|2`), in images/s.
 */
import * as tf from '@tensorflow/tfjs';
import type { Bench } from './harness.js';
import { initBackend } from '../src/nn/backend.js';
import { defaultConfig } from '../src/nn/ffmnet/config.js';
import { buildFFMNet, type FFMNet } from '../src/nn/ffmnet/model.js';
import { makeBatch, type FFMNetBatch } from '../src/nn/ffmnet/batch.js';
import { priorsFor } from '../src/nn/ffmnet/evaluate.js';
import { buildJscc, jsccConfigForRatio, type JsccModel } from '../src/nn/jscc/model.js';
import { makeAdam } from '../src/nn/train/engine.js';
import { DataParallel } from '../src/nn/train/parallel.js';
import { replicaOf, type Replica } from '../src/nn/train/replica.js';
import { syntheticSample } from './nn.bench.js';

const B = 16;
const S = defaultConfig.inputSize;
let net: FFMNet;
let jscc: JsccModel;
let batch: FFMNetBatch;
let step = 0;
const replicas: Partial<Record<2 | 3, Replica>> = {};
const parallel: Partial<Record<2 | 3, DataParallel>> = {};
const opts = { 2: makeAdam(1e-4), 3: makeAdam(1e-5) };

async function setup(): Promise<void> {
  if (net) return;
  await initBackend('wasm');
  net = buildFFMNet(defaultConfig);
  const cfg = { ...jsccConfigForRatio([S / 8, S / 8, defaultConfig.d1Channels], 512), seed: 1 };
  jscc = buildJscc(cfg);
  batch = makeBatch(Array.from({ length: B }, (_, i) => syntheticSample(21, i)), priorsFor(net));
  for (const s of [2, 3] as const) {
    replicas[s] = replicaOf({ kind: 'jscc', step: s, config: net.config, tasks: net.tasks, jscc: cfg, channel: 'awgn', snrTrain: 5, seed: 1, l1Weight: 1, segWeight: 1 }, net, jscc);
  }
}

function single(s: 2 | 3): void {
  const r = replicas[s]!;
  const input = r.input(batch);
  const k = step++;
  const cost = opts[s].minimize(() => r.loss(input, batch, k).total, true, r.variables);
  cost!.dataSync();
  cost!.dispose();
  input.dispose();
}

async function twoThreads(s: 2 | 3): Promise<void> {
  parallel[s] ??= await DataParallel.start(replicas[s]!, 2);
  const g = await parallel[s]!.gradients(batch, step++);
  opts[s].applyGradients(g.grads);
  tf.dispose(g.grads);
}

const what = { 2: 'JSCC step 2 (JSCC only, FFMNet frozen)', 3: 'JSCC step 3 (end to end)' };
export const benchmarks: Bench[] = ([2, 3] as const).flatMap((s) => [
  {
    name: `${what[s]}, 1 thread, default config, ratio 512, AWGN 5 dB, batch ${B}, wasm`,
    unit: 'images/s', setup, repeats: 3,
    run: () => { single(s); return B; },
  },
  {
    name: `${what[s]}, 2 threads (train --workers 2), same`,
    unit: 'images/s', setup, repeats: 3,
    run: async () => { await twoThreads(s); return B; },
  },
]);
