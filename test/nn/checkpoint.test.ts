/**
 * Checkpoints: save/load round trip gives identical outputs (custom layers included), optimizer
 * state comes back, and a corrupt, incomplete or mismatching checkpoint is refused (UsageError).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../src/nn/backend.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/nn/checkpoint.js';
import { float16Bits, float16Value } from '../../src/nn/float16.js';
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

test('float16 storage: half-size weights.bin, each weight the nearest half, optimizer state exact, config says so', async () => {
  const dir32 = path.join(root, 'f32'), dir16 = path.join(root, 'f16');
  const { m, opt, x } = await fixture(dir32);
  await saveCheckpoint(dir16, { models: { encoder: m.encoder, decoder: m.decoder }, optimizer: opt, meta: { step: 1 }, weightStorage: 'float16' });
  for (const part of ['encoder', 'decoder']) {
    assert.is(readFileSync(path.join(dir16, part, 'weights.bin')).byteLength * 2, readFileSync(path.join(dir32, part, 'weights.bin')).byteLength);
  }
  assert.is(JSON.parse(readFileSync(path.join(dir16, 'config.json'), 'utf8')).weightStorage, 'float16');
  assert.is(JSON.parse(readFileSync(path.join(dir32, 'config.json'), 'utf8')).weightStorage, 'float32');
  const ck = await loadCheckpoint(dir16);
  const want = m.encoder.getWeights().concat(m.decoder.getWeights());
  const got = ck.models.encoder.getWeights().concat(ck.models.decoder.getWeights());
  assert.is(got.length, want.length);
  let changed = 0;
  for (let i = 0; i < want.length; i++) {
    const a = want[i].dataSync(), b = got[i].dataSync();
    for (let j = 0; j < a.length; j++) {
      assert.is(b[j], float16Value(float16Bits(a[j])), `weight ${i} value ${j}`);
      if (b[j] !== a[j]) changed++;
    }
  }
  assert.ok(changed > 100, 'float16 storage changed no weight: it was not applied');
  const saved = await opt.getWeights();
  for (let i = 0; i < saved.length; i++) assert.equal(Array.from(ck.optimizerWeights![i].tensor.dataSync()), Array.from(saved[i].tensor.dataSync()));
  // The outputs stay close to float32's (relative, over the whole tensor).
  const y32 = (m.decoder.predict(m.encoder.predict(x)) as tf.Tensor).dataSync();
  const y16 = (ck.models.decoder.predict(ck.models.encoder.predict(x)) as tf.Tensor).dataSync();
  let num = 0, den = 0;
  for (let i = 0; i < y32.length; i++) { num += (y16[i] - y32[i]) ** 2; den += y32[i] ** 2; }
  assert.ok(Math.sqrt(num / den) < 5e-3, `relative output error ${Math.sqrt(num / den)}`);
});

test('float16 storage refuses a half NaN, a foreign quantization and a weight beyond its range', async () => {
  const dir = path.join(root, 'f16-bad');
  const { m, opt } = await fixture(path.join(root, 'f16-src'));
  await saveCheckpoint(dir, { models: { encoder: m.encoder, decoder: m.decoder }, optimizer: opt, meta: { step: 1 }, weightStorage: 'float16' });
  const cfgPath = path.join(dir, 'config.json');
  const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
  const rewrite = (rel: string, bytes: Buffer | string) => {
    writeFileSync(path.join(dir, rel), bytes);
    cfg.files[rel] = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(cfgPath, JSON.stringify(cfg));
  };
  const wb = readFileSync(path.join(dir, 'decoder', 'weights.bin'));
  const nan = Buffer.from(wb);
  nan.writeUInt16LE(0x7e00, 6); // the fourth value of the first weight
  rewrite('decoder/weights.bin', nan);
  await expectRefused(dir, /float16 weight .* holds NaN at index 3/);
  rewrite('decoder/weights.bin', wb);
  const mj = JSON.parse(readFileSync(path.join(dir, 'decoder', 'model.json'), 'utf8'));
  mj.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 0.1, min: 0 };
  rewrite('decoder/model.json', JSON.stringify(mj));
  await expectRefused(dir, /is quantized as .*uint8/);
  const big = buildJscc({ d1: [8, 8, 16], stride: 2, cPrime: 4, seed: 5 });
  const w = big.encoder.getWeights();
  big.encoder.setWeights([tf.fill(w[0].shape, 7e4), ...w.slice(1)]);
  const out = path.join(root, 'f16-big');
  try {
    await saveCheckpoint(out, { models: { encoder: big.encoder }, meta: {}, weightStorage: 'float16' });
    assert.unreachable('saved a weight beyond float16 range');
  } catch (e) {
    assert.match((e as Error).message, /holds 70000 at index 0, beyond float16's range/);
  }
  assert.not.ok(existsSync(out), 'a refused save left a folder');
  assert.equal(readdirSync(root).filter((f) => f.startsWith('f16-big')), []);
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

test('saving into a folder of the user\'s keeps its files; a clashing name is refused; notes beside a checkpoint survive saves', async () => {
  const user = path.join(root, 'user-folder');
  mkdirSync(user);
  writeFileSync(path.join(user, 'thesis.tex'), 'mine');
  const m = buildJscc({ d1: [8, 8, 16], stride: 2, cPrime: 4 });
  await saveCheckpoint(user, { models: { encoder: m.encoder }, meta: { i: 0 } });
  assert.equal(readdirSync(user).sort(), ['config.json', 'encoder', 'thesis.tex']);
  assert.is(readFileSync(path.join(user, 'thesis.tex'), 'utf8'), 'mine');
  assert.is((await loadCheckpoint(user)).meta.i, 0);
  const clash = path.join(root, 'clash');
  mkdirSync(clash);
  writeFileSync(path.join(clash, 'config.json'), '{"mine": true}');
  try {
    await saveCheckpoint(clash, { models: { encoder: m.encoder }, meta: {} });
    assert.unreachable('replaced the user\'s config.json');
  } catch (e) {
    assert.is((e as Error).name, 'UsageError');
    assert.match((e as Error).message, /clash holds config\.json, which is not part of a jscc-sim checkpoint/);
  }
  assert.equal(readdirSync(clash), ['config.json']);
  assert.is(readFileSync(path.join(clash, 'config.json'), 'utf8'), '{"mine": true}');
  assert.equal(readdirSync(root).filter((f) => f.startsWith('clash.')), []);
  const dir = path.join(root, 'with-notes');
  await saveCheckpoint(dir, { models: { encoder: m.encoder }, meta: { i: 1 } });
  writeFileSync(path.join(dir, 'NOTES.md'), 'run notes');
  mkdirSync(path.join(dir, 'evalset'));
  writeFileSync(path.join(dir, 'evalset', 'a.json'), '{}');
  await saveCheckpoint(dir, { models: { decoder: m.decoder }, meta: { i: 2 } });
  assert.equal(readdirSync(dir).sort(), ['NOTES.md', 'config.json', 'decoder', 'evalset']);
  assert.is(readFileSync(path.join(dir, 'NOTES.md'), 'utf8'), 'run notes');
  assert.is((await loadCheckpoint(dir)).meta.i, 2);
  assert.ok(!existsSync(`${dir}.old`));
});

// --- kill during a write (issue 10, item 5) ---------------------------------------------------

const compiled = import.meta.url.includes('/dist/');
const here = path.dirname(fileURLToPath(import.meta.url));

/** Start the writer child, SIGKILL it while a `.tmp-` folder of a later save exists. */
async function killMidWrite(dir: string): Promise<{ saved: number; pid: number; tmpSeen: string }> {
  const script = path.join(here, compiled ? 'checkpoint-writer.js' : 'checkpoint-writer.ts');
  const argv = compiled ? [script, dir] : ['--import', 'tsx', script, dir];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, JSCC_SIM_TEST_WRITER: '1' } });
  let out = '', err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const base = path.basename(dir);
  let tmpSeen = '';
  const t0 = Date.now();
  while (Date.now() - t0 < 30_000 && child.exitCode === null) {
    if (/saved [1-9]/.test(out)) {
      const tmp = readdirSync(path.dirname(dir)).find((f) => f.startsWith(`${base}.tmp-${child.pid}-`));
      if (tmp) {
        child.kill('SIGKILL');
        tmpSeen = tmp;
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  if (!tmpSeen) child.kill('SIGKILL');
  await closed;
  assert.ok(tmpSeen, `the writer never showed a temporary folder (stdout: ${out.slice(-200)}; stderr: ${err.slice(0, 300)})`);
  const saved = Math.max(...[...out.matchAll(/saved (\d+)/g)].map((m) => Number(m[1])));
  return { saved, pid: child.pid as number, tmpSeen };
}

test('SIGKILL during a save leaves the previous checkpoint loadable; the next save removes only stale temporaries', async () => {
  const parent = path.join(root, 'kill');
  mkdirSync(parent);
  const dir = path.join(parent, 'ck');
  // Kill until one kill lands inside the write (its temporary folder survives the kill).
  let r: { saved: number; pid: number; tmpSeen: string } | undefined;
  for (let attempt = 0; attempt < 5 && !r; attempt++) {
    const k = await killMidWrite(dir);
    if (existsSync(path.join(parent, k.tmpSeen))) r = k;
  }
  assert.ok(r, 'no kill landed inside a write in 5 attempts');
  const ck = await loadCheckpoint(dir);
  assert.is(ck.meta.i, r.saved, 'the last completed save is what loads');
  assert.is(ck.models.big.getWeights()[0].shape.join('x'), '1000x4000');
  // Beside it: things that are not stale temporaries of this checkpoint, which must stay.
  const now = Date.now();
  const keep = [
    `ck.tmp-${process.pid}-${now}`, // a live writer (this process)
    'ck.tmp-notes', // the user's, not our naming
    'other.tmp-999999999-1700000000000', // another checkpoint's
  ];
  for (const k of keep) mkdirSync(path.join(parent, k));
  writeFileSync(path.join(parent, `ck.tmp-${r.pid}-${now}`), 'a file, not a folder we made');
  keep.push(`ck.tmp-${r.pid}-${now}`);
  const m = buildJscc({ d1: [8, 8, 16], stride: 2, cPrime: 4 });
  await saveCheckpoint(dir, { models: { encoder: m.encoder }, meta: { i: 'next' } });
  const left = readdirSync(parent);
  assert.ok(!left.includes(r.tmpSeen), `stale ${r.tmpSeen} was not removed: ${left.join(', ')}`);
  assert.equal(left.filter((f) => f !== 'ck').sort(), keep.sort(), left.join(', '));
  assert.is((await loadCheckpoint(dir)).meta.i, 'next');
});

test.run();
