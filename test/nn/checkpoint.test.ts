/**
 * Checkpoints: save/load round trip gives identical outputs (custom layers included), optimizer
 * state comes back, and a corrupt, incomplete or mismatching checkpoint is refused (UsageError).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../src/nn/backend.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/nn/checkpoint.js';
import { buildJscc } from '../../src/nn/jscc/model.js';
import { randomData } from './kernels/reference.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'jscc-ckpt-'));
const input = randomData(1, [2, 8, 8, 16]);

async function fixture(dir: string) {
  const m = buildJscc({ d1: [8, 8, 16], stride: 2, cPrime: 4, seed: 5 });
  const opt = tf.train.adam(1e-3);
  // One training step so the optimizer has state and GDN weights move off their init.
  const x = tf.tensor(input, [2, 8, 8, 16]);
  opt.minimize(() => tf.losses.absoluteDifference(x, m.decoder.apply(m.encoder.apply(x)) as tf.Tensor) as tf.Scalar);
  await saveCheckpoint(dir, { models: { encoder: m.encoder, decoder: m.decoder }, optimizer: opt, meta: { config: 'tiny', ratio: 32, step: 1 } });
  return { m, opt, x };
}

async function expectRefused(dir: string, pattern: RegExp, expectMeta?: Record<string, unknown>) {
  try {
    await loadCheckpoint(dir, { expectMeta });
    assert.unreachable('loaded a bad checkpoint');
  } catch (e) {
    assert.is((e as Error).name, 'UsageError', String(e));
    assert.match((e as Error).message, pattern);
    assert.not.match((e as Error).message, /\n/);
  }
}

test.before(async () => {
  await initBackend('wasm');
});

test.after(() => {
  rmSync(root, { recursive: true, force: true });
});

test('round trip: identical outputs (GDN, IGDN, PowerNorm), meta and optimizer state back', async () => {
  const dir = path.join(root, 'ok');
  const { m, opt, x } = await fixture(dir);
  assert.ok(existsSync(path.join(dir, 'encoder', 'model.json')) && existsSync(path.join(dir, 'decoder', 'weights.bin')));
  assert.equal(readdirSync(root).filter((f) => f.includes('.tmp-')), [], 'temporary folder left behind');
  const want = (m.decoder.predict(m.encoder.predict(x)) as tf.Tensor).dataSync();
  const ck = await loadCheckpoint(dir, { expectMeta: { config: 'tiny', ratio: 32 } });
  const got = (ck.models.decoder.predict(ck.models.encoder.predict(x)) as tf.Tensor).dataSync();
  assert.equal(Array.from(got), Array.from(want));
  assert.equal(ck.meta, { config: 'tiny', ratio: 32, step: 1 });
  const saved = await opt.getWeights();
  assert.ok(ck.optimizerWeights && ck.optimizerWeights.length === saved.length && saved.length > 2);
  for (let i = 0; i < saved.length; i++) {
    assert.is(ck.optimizerWeights[i].name, saved[i].name);
    assert.equal(Array.from(ck.optimizerWeights[i].tensor.dataSync()), Array.from(saved[i].tensor.dataSync()));
  }
  assert.is(ck.optimizer?.className, 'Adam');
  // The loaded optimizer state is usable.
  const opt2 = tf.train.adam(1e-3);
  await opt2.setWeights(ck.optimizerWeights);
});

test('saving over an existing checkpoint replaces it atomically', async () => {
  const dir = path.join(root, 'again');
  await fixture(dir);
  const first = readFileSync(path.join(dir, 'config.json'), 'utf8');
  const m = buildJscc({ d1: [8, 8, 16], stride: 2, cPrime: 4, seed: 6 });
  await saveCheckpoint(dir, { models: { encoder: m.encoder, decoder: m.decoder }, meta: { config: 'tiny', step: 2 } });
  const ck = await loadCheckpoint(dir);
  assert.is(ck.meta.step, 2);
  assert.is(ck.optimizerWeights, undefined);
  assert.ok(!existsSync(`${dir}.old`));
  assert.not.equal(readFileSync(path.join(dir, 'config.json'), 'utf8'), first);
});

test('a run killed between the renames leaves DIR.old, which loads', async () => {
  const dir = path.join(root, 'killed');
  await fixture(dir);
  renameSync(dir, `${dir}.old`);
  const ck = await loadCheckpoint(dir);
  assert.is(ck.meta.step, 1);
});

test('corrupt weights (one flipped byte) are refused', async () => {
  const dir = path.join(root, 'corrupt');
  await fixture(dir);
  const f = path.join(dir, 'decoder', 'weights.bin');
  const b = readFileSync(f);
  b[10] ^= 0x40;
  writeFileSync(f, b);
  await expectRefused(dir, /decoder\/weights\.bin is corrupt/);
});

test('a missing file, a truncated config or no config at all is refused', async () => {
  const dir = path.join(root, 'missing');
  await fixture(dir);
  rmSync(path.join(dir, 'encoder', 'model.json'));
  await expectRefused(dir, /encoder\/model\.json is missing/);
  writeFileSync(path.join(dir, 'config.json'), '{"format": "jscc-sim-checkpoint", "vers');
  await expectRefused(dir, /config\.json is not valid JSON/);
  rmSync(path.join(dir, 'config.json'));
  await expectRefused(dir, /config\.json is missing/);
  await expectRefused(path.join(root, 'nowhere'), /no such folder/);
});

test('a checkpoint from another config is refused when expectMeta says so', async () => {
  const dir = path.join(root, 'other');
  await fixture(dir);
  await expectRefused(dir, /ratio = 32, expected 512/, { ratio: 512 });
});

test('bad model names are refused before anything is written', async () => {
  const m = buildJscc({ d1: [8, 8, 16], stride: 2, cPrime: 4 });
  try {
    await saveCheckpoint(path.join(root, 'badname'), { models: { '../x': m.encoder }, meta: {} });
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).name, 'UsageError');
  }
  assert.ok(!existsSync(path.join(root, 'badname')));
});

test.run();
