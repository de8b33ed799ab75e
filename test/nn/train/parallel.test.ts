/**
 * Data-parallel training (src/nn/train/parallel.ts): shard sizes and loss scales by hand, the
 * channel noise of a shard is its rows of the full batch's draw, step 2 on 2 threads equals one
 * thread up to float rounding (no batch norm in training mode there, so only rounding differs),
 * its gradients on 2 threads sum to the batch gradient, step 1 on 2 threads keeps its averaged
 * moving statistics in the checkpoint,
 * step 3 on 2 threads resumes exactly, and the JSCC steps train on a shapes stream recorded in
 * the FFMNet checkpoint.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../../../src/core/errors.js';
import { initBackend } from '../../../src/nn/backend.js';
import { readCheckpointConfig, saveCheckpoint } from '../../../src/nn/checkpoint.js';
import { getConfig, type FFMNetConfig } from '../../../src/nn/ffmnet/config.js';
import { buildFFMNet } from '../../../src/nn/ffmnet/model.js';
import { makeBatch, type FFMNetBatch } from '../../../src/nn/ffmnet/batch.js';
import { priorsFor } from '../../../src/nn/ffmnet/evaluate.js';
import { loadFFMNet } from '../../../src/nn/ffmnet/load.js';
import { buildJscc, jsccConfigForRatio } from '../../../src/nn/jscc/model.js';
import { openShapesStream } from '../../../src/data/shapes-stream.js';
import { DataParallel } from '../../../src/nn/train/parallel.js';
import { channelLayerFor } from '../../../src/nn/jscc/train-model.js';
import { replicaOf, shardChannelLayer, type ReplicaSpec } from '../../../src/nn/train/replica.js';
import { shardSizes, shardsOf } from '../../../src/nn/train/shard.js';
import { trainStep1 } from '../../../src/nn/train/step1.js';
import { trainJscc, type JsccTrainOptions } from '../../../src/nn/train/jscc-steps.js';
import { tinyConfig } from '../ffmnet/_tiny.js';
import { fakeDataset } from './_fake.js';
import { flat, maxDiff } from './_weights.js';

const work = mkdtempSync(path.join(tmpdir(), 'jscc-parallel-'));
const STREAM = 'shapes:seed=4,size=64';
/** Tiny FFMNet for the JSCC steps: D1 8x8x64, ratio 512 -> 4 channel uses; the six shape classes. */
const tinyJscc: FFMNetConfig = getConfig('default', {
  name: 'tiny', inputSize: 64, numClasses: 6, stemChannels: 8, stemKernel: 3, depths: [1, 1, 1, 1],
  widths: [16, 16, 16, 16], res5Width: 16, d1Channels: 64, parserChannels: 16, parserMid: 8,
  scales: 3, anchorsPerScale: [4, 4, 4], priorScales: [0.2, 0.6], segChannels: 8,
});
let ffmnetDir = '';

test.before(async () => {
  await initBackend('wasm');
  ffmnetDir = path.join(work, 'ffmnet');
  const net = buildFFMNet(tinyJscc, ['det', 'seg'], { seed: 5 });
  await saveCheckpoint(ffmnetDir, {
    models: { device: net.device, edge: net.edge },
    meta: { kind: 'ffmnet', trainingStep: 1, config: tinyJscc, tasks: ['det', 'seg'], stepsDone: 0, data: { name: STREAM, dir: STREAM } },
  });
});
test.after(() => rmSync(work, { recursive: true, force: true }));


test('shards: contiguous sizes fixed by B and N; loss scales from positives, labelled pixels, images', () => {
  assert.equal(shardSizes(5, 2), [3, 2]);
  assert.equal(shardSizes(16, 3), [6, 5, 5]);
  assert.equal(shardSizes(4, 1), [4]);
  assert.throws(() => shardSizes(4, 5), /1\.\.4/);
  // 3 images of 2x2 pixels, 4 priors; 2 classes (3 logits).
  const b: FFMNetBatch = {
    size: 3, height: 2, width: 2, images: new Float32Array(3 * 4 * 3),
    segLabels: Uint8Array.from([1, 0, 255, 2, /**/ 255, 255, 255, 255, /**/ 0, 1, 2, 7]),
    det: { labels: Int32Array.from([1, 0, 0, 2, /**/ 0, 0, 0, 0, /**/ 1, 1, 1, 0]), offsets: new Float32Array(3 * 4 * 4), batch: 3, numPriors: 4 },
  };
  const [s0, s1] = shardsOf(b, 2, 3);
  assert.is(s0.start, 0); assert.is(s0.size, 2); assert.is(s1.start, 2); assert.is(s1.size, 1);
  // Positives: shard 0 has 2, shard 1 has 3, batch 5. Labelled pixels (not 255, < 3): 3, 3 of 6.
  assert.equal(s0.scales, { det: 2 / 5, seg: 3 / 6, images: 2 / 3 });
  assert.equal(s1.scales, { det: 3 / 5, seg: 3 / 6, images: 1 / 3 });
  // A shard without positives is normalized by 1 (as ssdLoss does), the batch by its 5.
  const [t0] = shardsOf({ ...b, det: { ...b.det, labels: Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]) } }, 2, 3);
  assert.is(t0.scales.det, 1 / 4);
});

test('a shard\'s channel draw is its rows of the full batch\'s draw (AWGN, Rayleigh, SNR range)', () => {
  const x = tf.randomNormal([5, 8], 0, 1, 'float32', 3);
  for (const [name, snr] of [['awgn', 0], ['rayleigh', 5], ['awgn', [0, 10]]] as const) {
    const full = (channelLayerFor(name, snr, 7, 11).apply(x) as tf.Tensor).arraySync() as number[][];
    const a = (shardChannelLayer(name, snr, 7, 11, { start: 0, size: 3, batch: 5 }).apply(tf.slice(x, [0, 0], [3, 8])) as tf.Tensor).arraySync() as number[][];
    const b = (shardChannelLayer(name, snr, 7, 11, { start: 3, size: 2, batch: 5 }).apply(tf.slice(x, [3, 0], [2, 8])) as tf.Tensor).arraySync() as number[][];
    assert.equal([...a, ...b], full, `${name} ${JSON.stringify(snr)}`);
  }
});

function jsccOpts(extra: Partial<JsccTrainOptions> & Pick<JsccTrainOptions, 'step' | 'from' | 'out'>): JsccTrainOptions {
  return { steps: 3, batch: 4, lr: 3e-3, seed: 3, evalLimit: 0, snrTrain: 0, lrDrops: [], ...extra };
}

test('step 2 on 2 threads equals 1 thread up to float rounding; data from the checkpoint\'s shapes stream', async () => {
  const one = await trainJscc(jsccOpts({ step: 2, from: ffmnetDir, out: path.join(work, 's2-1'), workers: 1, evalLimit: 4 }));
  const two = await trainJscc(jsccOpts({ step: 2, from: ffmnetDir, out: path.join(work, 's2-2'), workers: 2 }));
  one.losses.forEach((l, i) => assert.ok(Math.abs(l - two.losses[i]) < 1e-4 * l, `step ${i + 1}: ${l} (1 thread) vs ${two.losses[i]} (2)`));
  const { meta } = readCheckpointConfig(path.join(work, 's2-2'));
  assert.equal(meta.data, { name: "shapes:seed=4/train", dir: STREAM, train: 2 ** 31 - 1, val: 1000 });
  assert.is(meta.workers, 2);
  assert.is(one.metrics?.images, 4, 'held-out evaluation on the stream\'s val split');
});

test('step 3 on 2 threads: stopped and resumed == uninterrupted, bit for bit', async () => {
  const from = path.join(work, 's2-2');
  const a = await trainJscc(jsccOpts({ step: 3, from, out: path.join(work, 's3-a'), steps: 4, workers: 2 }));
  const outB = path.join(work, 's3-b');
  await trainJscc(jsccOpts({ step: 3, from, out: outB, steps: 4, workers: 2, checkpointEvery: 2, stopAfter: 2 }));
  const b = await trainJscc(jsccOpts({ step: 3, from, out: outB, steps: 4, workers: 2, resume: true }));
  assert.equal(b.losses, a.losses.slice(2));
  for (const f of ['device/weights.bin', 'edge/weights.bin', 'encoder/weights.bin', 'decoder/weights.bin', 'optimizer.bin']) {
    assert.ok(readFileSync(path.join(outB, f)).equals(readFileSync(path.join(work, 's3-a', f))), `${f} differs after resume`);
  }
});

test('step 2 gradients: 2 threads sum to the 1-thread batch gradient (loss scales, channel rows, seg weight)', async () => {
  const { net } = await loadFFMNet(ffmnetDir);
  const jscc = buildJscc({ ...jsccConfigForRatio([8, 8, 64], 512), seed: 3 });
  const spec: ReplicaSpec = { kind: 'jscc', step: 2, config: net.config, tasks: net.tasks, jscc: { ...jsccConfigForRatio([8, 8, 64], 512), seed: 3 }, channel: 'awgn', snrTrain: 0, seed: 9, l1Weight: 1, segWeight: 2.5 };
  const replica = replicaOf(spec, net, jscc);
  const data = openShapesStream(STREAM, 'train');
  const b = makeBatch([0, 1, 2, 3, 4].map((i) => data.load(i)), priorsFor(net));
  const input = replica.input(b);
  const one = tf.variableGrads(() => replica.loss(input, b, 6).total, replica.variables);
  const dp = await DataParallel.start(replica, 2);
  try {
    const two = await dp.gradients(b, 6);
    assert.ok(Math.abs(two.loss - one.value.dataSync()[0]) < 1e-5 * two.loss, `loss ${two.loss} vs ${one.value.dataSync()[0]}`);
    let worst = 0;
    for (const v of replica.variables) {
      const g1 = one.grads[v.name].dataSync(), g2 = two.grads[v.name].dataSync();
      let peak = 0;
      for (let i = 0; i < g1.length; i++) peak = Math.max(peak, Math.abs(g1[i]));
      for (let i = 0; i < g1.length; i++) worst = Math.max(worst, Math.abs(g1[i] - g2[i]) / (peak + 1e-12));
    }
    assert.ok(worst < 1e-4, `gradients agree to rounding (worst error ${worst} of the tensor's peak)`);
  } finally {
    await dp.close();
  }
});

test('step 1 on 2 threads: batch-norm moving statistics train and land in the checkpoint', async () => {
  const train = fakeDataset(8, 64, 1);
  const out = path.join(work, 'p1');
  const a = await trainStep1({ data: { train }, out, config: tinyConfig(), steps: 2, batch: 4, lr: 3e-3, seed: 1, evalLimit: 0, workers: 2 });
  const fresh = buildFFMNet(tinyConfig(), ['det', 'seg'], { seed: 1 });
  const stats = (m: tf.LayersModel) => m.weights.filter((w) => !w.trainable).map((w) => w.read().dataSync() as Float32Array);
  assert.ok(maxDiff(stats(fresh.device), stats(a.net.device)) > 1e-4, 'batch-norm moving statistics moved');
  const { net } = await loadFFMNet(out);
  assert.is(maxDiff(stats(net.device), stats(a.net.device)), 0, 'the checkpoint holds them');
  assert.is(readCheckpointConfig(out).meta.workers, 2);
});

test('--workers outside 1..batch: one clear UsageError', async () => {
  for (const w of [0, 5, 1.5]) {
    let err: unknown;
    try {
      await trainStep1({ data: { train: fakeDataset(4, 64, 1) }, out: path.join(work, 'bad'), config: tinyConfig(), steps: 1, batch: 4, lr: 1e-3, seed: 1, workers: w });
    } catch (e) { err = e; }
    assert.instance(err, UsageError);
    assert.match((err as Error).message, new RegExp(`--workers ${w} is not allowed: use an integer from 1 to the batch \\(4\\)`));
  }
});

test.run();
