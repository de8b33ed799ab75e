/**
 * The training engine with a tiny FFMNet: the loss falls, a killed-and-resumed run repeats the
 * uninterrupted one's losses, no tensor leaks, seeded data order, schedule, and bad checkpoints.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initBackend } from '../../../src/nn/backend.js';
import { trainableVariables } from '../../../src/nn/variables.js';
import { trainStep1 } from '../../../src/nn/train/step1.js';
import { trainLoop } from '../../../src/nn/train/engine.js';
import { DataOrder } from '../../../src/nn/train/order.js';
import { learningRate } from '../../../src/nn/train/schedule.js';
import { buildFFMNet, forward } from '../../../src/nn/ffmnet/model.js';
import { makeBatch } from '../../../src/nn/ffmnet/batch.js';
import { ffmnetLoss } from '../../../src/nn/ffmnet/loss.js';
import { priorsFor } from '../../../src/nn/ffmnet/evaluate.js';
import { loadFFMNet } from '../../../src/nn/ffmnet/load.js';
import { UsageError } from '../../../src/core/errors.js';
import { tinyConfig } from '../ffmnet/_tiny.js';
import { fakeDataset } from './_fake.js';

const work = mkdtempSync(path.join(tmpdir(), 'jscc-train-'));
const train = fakeDataset(8, 64, 1);
const val = fakeDataset(4, 64, 2);

test.before(async () => { await initBackend('wasm'); });
test.after(() => rmSync(work, { recursive: true, force: true }));

test('a tiny FFMNet trains: the loss falls; held-out metrics land in the checkpoint', async () => {
  const out = path.join(work, 'falls');
  const r = await trainStep1({ data: { train, val }, out, config: tinyConfig(), steps: 16, batch: 4, lr: 3e-3, seed: 1, checkpointEvery: 0 });
  assert.is(r.losses.length, 16);
  const head = (r.losses[0] + r.losses[1] + r.losses[2]) / 3;
  const tail = (r.losses[13] + r.losses[14] + r.losses[15]) / 3;
  assert.ok(tail < 0.7 * head, `loss did not fall: ${head.toFixed(3)} -> ${tail.toFixed(3)}`);
  assert.ok(r.metrics && r.metrics.images === 4);
  assert.ok(r.metrics!.mAP! >= 0 && r.metrics!.mAP! <= 1 && r.metrics!.mIoU! > 0 && r.metrics!.mIoU! <= 1);
  const { meta } = await loadFFMNet(out);
  assert.is(meta.stepsDone, 16);
  assert.is((meta.metrics as { images: number }).images, 4);
});

test('single-task models train (Table II): detection only and segmentation only, on 1 and 2 workers', async () => {
  for (const tasks of [['det'], ['seg']] as const) {
    for (const workers of [1, 2]) {
      const out = path.join(work, `single-${tasks[0]}-${workers}`);
      const r = await trainStep1({ data: { train, val }, out, config: tinyConfig(), tasks: [...tasks], steps: 3, batch: 4, lr: 3e-3, seed: 1, checkpointEvery: 0, workers });
      assert.is(r.losses.length, 3);
      assert.ok(r.losses.every((l) => Number.isFinite(l) && l > 0), `${tasks} on ${workers}: ${r.losses}`);
      // The held-out metrics are those of the task the model has, and only those.
      assert.is(r.metrics!.mAP !== undefined, tasks[0] === 'det', JSON.stringify(r.metrics));
      assert.is(r.metrics!.mIoU !== undefined, tasks[0] === 'seg', JSON.stringify(r.metrics));
      const { net } = await loadFFMNet(out);
      assert.equal(net.tasks, [...tasks]);
    }
  }
});

test('resume after a kill continues exactly like the uninterrupted run', async () => {
  const common = { data: { train, val }, config: tinyConfig(), steps: 6, batch: 4, lr: 2e-3, lrDrops: [0.6], seed: 7, evalLimit: 0 };
  const a = await trainStep1({ ...common, out: path.join(work, 'a'), checkpointEvery: 0 });
  const outB = path.join(work, 'b');
  const b1 = await trainStep1({ ...common, out: outB, checkpointEvery: 3, stopAfter: 3 });
  assert.is(b1.stepsDone, 3);
  let refused = false;
  try { await trainStep1({ ...common, out: outB }); } catch (e) { refused = e instanceof UsageError && /--resume/.test((e as Error).message); }
  assert.ok(refused, 'an existing checkpoint without --resume is refused');
  const b2 = await trainStep1({ ...common, out: outB, resume: true });
  const joined = [...b1.losses, ...b2.losses];
  assert.is(joined.length, 6);
  // Exact: the checkpoint holds the whole optimizer state (src/nn/train/adam.ts).
  joined.forEach((l, i) => assert.is(l, a.losses[i], `step ${i + 1}: ${l} vs ${a.losses[i]}`));
});

test('a checkpoint from another config: one clear UsageError', async () => {
  let msg = '';
  try {
    await trainStep1({ data: { train, val }, out: path.join(work, 'a'), config: 'default', steps: 8, batch: 4, lr: 1e-3, seed: 7, resume: true });
  } catch (e) {
    assert.ok(e instanceof UsageError, String(e));
    msg = (e as Error).message;
  }
  assert.match(msg, /config 'tiny', not 'default'/);
  assert.not.match(msg, /\n/);
});

test('no tensor leak across training steps', async () => {
  const net = buildFFMNet(tinyConfig(), ['det', 'seg'], { seed: 2 });
  const pri = priorsFor(net);
  const counts: number[] = [];
  await trainLoop({
    variables: trainableVariables(net.device, net.edge),
    batchSize: 4, totalSteps: 6, schedule: { lr: 1e-3, drops: [0.5] },
    batch: (s) => makeBatch([0, 1, 2, 3].map((k) => train.load((s + k) % 8)), pri),
    loss: (b) => ffmnetLoss(forward(net, tf.tensor4d(b.images, [b.size, 64, 64, 3]), true), b, net.tasks),
    onStep: () => counts.push(tf.memory().numTensors),
  });
  // Step 1 creates Adam's moment variables; from then on the count must not move.
  assert.ok(counts.slice(1).every((c) => c === counts[1]), `tensors per step: ${counts.join(', ')}`);
});

test('data order: each epoch a seeded permutation; flips seeded per step', () => {
  const o = new DataOrder([10, 11, 12, 13, 14], 2, 3);
  const first = [0, 1, 2, 3, 4].flatMap((s) => o.batch(s)); // 10 positions = 2 epochs
  assert.equal([...first.slice(0, 5)].sort(), [10, 11, 12, 13, 14]);
  assert.equal([...first.slice(5, 10)].sort(), [10, 11, 12, 13, 14]);
  const again = new DataOrder([10, 11, 12, 13, 14], 2, 3);
  assert.equal([4, 0, 2].map((s) => again.batch(s)), [4, 0, 2].map((s) => o.batch(s)));
  assert.equal(again.flips(9), o.flips(9));
  const other = new DataOrder([10, 11, 12, 13, 14], 2, 4);
  assert.not.equal(first, [0, 1, 2, 3, 4].flatMap((s) => other.batch(s)));
});

test('learning rate drops by 10 at the given fractions (the paper: 250K and 450K of 500K)', () => {
  const s = { lr: 1e-4, drops: [0.5, 0.9] };
  assert.is(learningRate(s, 0, 500000), 1e-4);
  assert.is(learningRate(s, 249999, 500000), 1e-4);
  assert.ok(Math.abs(learningRate(s, 250000, 500000) - 1e-5) < 1e-12);
  assert.ok(Math.abs(learningRate(s, 450000, 500000) - 1e-6) < 1e-13);
});

test.run();
