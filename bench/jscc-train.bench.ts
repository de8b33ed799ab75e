/**
 * JSCC training steps on the default config (128x128, D1 16x16x128, ratio 512 = 32 channel uses
 * per image), batch 16, AWGN at 5 dB in the graph, wasm: step 2 (D1 from the frozen device half
 * outside the tape, JSCC + frozen edge backward, encoder/decoder variables only) and step 3 (end to
 * end, every variable) in images/s, exactly the graph src/nn/train/jscc-steps.ts trains.
 */
import * as tf from '@tensorflow/tfjs';
import type { Bench } from './harness.js';
import { Rng } from '../src/core/rng.js';
import type { Sample } from '../src/data/types.js';
import { initBackend } from '../src/nn/backend.js';
import { trainableVariables } from '../src/nn/variables.js';
import { defaultConfig } from '../src/nn/ffmnet/config.js';
import { buildFFMNet, type FFMNet } from '../src/nn/ffmnet/model.js';
import { makeBatch, type FFMNetBatch } from '../src/nn/ffmnet/batch.js';
import { ffmnetLoss } from '../src/nn/ffmnet/loss.js';
import { priorsFor } from '../src/nn/ffmnet/evaluate.js';
import { buildJscc, jsccConfigForRatio, type JsccModel } from '../src/nn/jscc/model.js';
import { channelLayerFor, forwardFromD1, l1Loss } from '../src/nn/jscc/train-model.js';
import { makeAdam } from '../src/nn/train/engine.js';

const B = 16;
const S = defaultConfig.inputSize;
let net: FFMNet;
let jscc: JsccModel;
let batch: FFMNetBatch;
let step = 0;

function sample(i: number): Sample {
  const r = new Rng(21).split(i);
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
  jscc = buildJscc(jsccConfigForRatio([S / 8, S / 8, defaultConfig.d1Channels], 512));
  batch = makeBatch(Array.from({ length: B }, (_, i) => sample(i)), priorsFor(net));
}

const vars = (models: tf.LayersModel[]) => trainableVariables(...models);
let opt2: tf.Optimizer | undefined;
let opt3: tf.Optimizer | undefined;

function step2(): void {
  opt2 ??= makeAdam(1e-4);
  const d1 = tf.tidy(() => net.device.predict(tf.tensor4d(batch.images, [B, S, S, 3])) as tf.Tensor4D);
  const ch = channelLayerFor('awgn', 5, 1, step++);
  const cost = opt2.minimize(() => {
    const f = forwardFromD1({ ...net, ...jscc }, d1, ch, false);
    return tf.add(l1Loss(d1, f.d1Hat), ffmnetLoss(f.outputs, batch, net.tasks).total) as tf.Scalar;
  }, true, vars([jscc.encoder, jscc.decoder]));
  cost!.dataSync();
  cost!.dispose();
  d1.dispose();
}

function step3(): void {
  opt3 ??= makeAdam(1e-5);
  const ch = channelLayerFor('awgn', 5, 1, step++);
  const cost = opt3.minimize(() => {
    const d1 = net.device.apply(tf.tensor4d(batch.images, [B, S, S, 3]), { training: true }) as tf.Tensor4D;
    return ffmnetLoss(forwardFromD1({ ...net, ...jscc }, d1, ch, true).outputs, batch, net.tasks).total;
  }, true, vars([net.device, net.edge, jscc.encoder, jscc.decoder]));
  cost!.dataSync();
  cost!.dispose();
}

export const benchmarks: Bench[] = [
  {
    name: `JSCC step 2 (JSCC only, FFMNet frozen), default config, ratio 512, AWGN 5 dB, batch ${B}, wasm`,
    unit: 'images/s', setup, repeats: 3,
    run: () => { step2(); return B; },
  },
  {
    name: `JSCC step 3 (end to end), default config, ratio 512, AWGN 5 dB, batch ${B}, wasm`,
    unit: 'images/s', setup, repeats: 3,
    run: () => { step3(); return B; },
  },
];
