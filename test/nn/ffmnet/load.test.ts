/**
 * Corrupted FFMNet / JSCC checkpoints (issue 13, item 5): a truncated weights.bin, a missing edge
 * model, edited shapes, NaN weights, each also "re-signed" (config.json's sha256 table updated, as
 * a careless tool or hostile edit would) so the size, shape and value checks are exercised, not
 * only the checksum. Every loader and `info --model DIR` refuse them with one line, exit 2.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../../src/nn/backend.js';
import { saveCheckpoint } from '../../../src/nn/checkpoint.js';
import { buildFFMNet } from '../../../src/nn/ffmnet/model.js';
import { loadFFMNet } from '../../../src/nn/ffmnet/load.js';
import { buildJscc } from '../../../src/nn/jscc/model.js';
import { loadJsccModel } from '../../../src/nn/jscc/load.js';
import { runMain } from '../../cli/run-main.js';
import { tinyConfig } from './_tiny.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'jscc-ffmload-'));
const good = path.join(root, 'good');
const goodJscc = path.join(root, 'good-jscc');
const config = tinyConfig();

/** Recompute config.json's sha256 table after an edit (so only the deeper checks can catch it). */
function resign(dir: string): void {
  const f = path.join(dir, 'config.json');
  const cfg = JSON.parse(readFileSync(f, 'utf8'));
  for (const rel of Object.keys(cfg.files)) {
    try {
      cfg.files[rel] = createHash('sha256').update(readFileSync(path.join(dir, rel))).digest('hex');
    } catch {
      // a deleted file keeps its entry
    }
  }
  writeFileSync(f, JSON.stringify(cfg, null, 2));
}

function variant(name: string, from = good): string {
  const dir = path.join(root, name);
  cpSync(from, dir, { recursive: true });
  return dir;
}

async function refused(dir: string, pattern: RegExp, jscc = false): Promise<void> {
  try {
    if (jscc) await loadJsccModel(dir);
    else await loadFFMNet(dir);
    assert.unreachable(`loaded ${dir}`);
  } catch (e) {
    assert.is((e as Error).name, 'UsageError', String((e as Error).stack));
    assert.match((e as Error).message, pattern, (e as Error).message);
  }
  const r = await runMain(['info', '--model', dir, '--format', 'json']);
  assert.is(r.code, 2, `info exit ${r.code}: ${r.out.slice(0, 200)} ${r.err}`);
  assert.is(r.out, '');
  assert.is(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, pattern, r.err);
}

test.before(async () => {
  await initBackend('wasm');
  const net = buildFFMNet(config, ['det', 'seg'], { seed: 3 });
  const meta = { kind: 'ffmnet', config, tasks: ['det', 'seg'], stepsDone: 1 };
  await saveCheckpoint(good, { models: { device: net.device, edge: net.edge }, meta });
  const j = buildJscc({ d1: [8, 8, 16], stride: 2, cPrime: 4, seed: 5 });
  await saveCheckpoint(goodJscc, {
    models: { device: net.device, edge: net.edge, encoder: j.encoder, decoder: j.decoder },
    meta: { ...meta, kind: 'jscc', jscc: { stride: 2, cPrime: 4 }, snrTrain: 10 },
  });
});

test.after(() => rmSync(root, { recursive: true, force: true }));

test('the sound checkpoints load and info summarizes them (exit 0)', async () => {
  const { net } = await loadFFMNet(good);
  assert.is(net.device.outputs[0].shape.slice(1).join('x'), '8x8x16');
  const { scheme } = await loadJsccModel(goodJscc);
  assert.ok(scheme.channelUses > 0);
  for (const dir of [good, goodJscc]) {
    const r = await runMain(['info', '--model', dir, '--format', 'json']);
    assert.is(r.code, 0, r.err);
    assert.is(JSON.parse(r.out).trained, true);
  }
});

test('truncated weights.bin: refused as corrupt, and by its size once re-signed', async () => {
  const dir = variant('truncated');
  const f = path.join(dir, 'edge', 'weights.bin');
  const b = readFileSync(f);
  writeFileSync(f, b.subarray(0, b.length - 100));
  await refused(dir, /edge\/weights\.bin is corrupt/);
  resign(dir);
  await refused(dir, new RegExp(`edge/weights\\.bin holds ${b.length - 100} bytes, the manifest needs ${b.length}`));
});

test('missing edge model: folder deleted, or dropped from the models list', async () => {
  let dir = variant('noedge');
  rmSync(path.join(dir, 'edge'), { recursive: true });
  await refused(dir, /edge\/model\.json is missing/);
  dir = variant('noedge-listed');
  const f = path.join(dir, 'config.json');
  const cfg = JSON.parse(readFileSync(f, 'utf8'));
  cfg.models = ['device'];
  writeFileSync(f, JSON.stringify(cfg));
  await refused(dir, /lacks the device or edge model/);
});

test('edited shapes in a manifest (re-signed): refused naming the weight and both shapes', async () => {
  const dir = variant('shapes');
  const f = path.join(dir, 'device', 'model.json');
  const mj = JSON.parse(readFileSync(f, 'utf8'));
  const w = mj.weightsManifest[0].weights;
  // Reverse a kernel's shape: the byte count still matches, the layout does not.
  const i = w.findIndex((s: { shape: number[] }) => s.shape.length === 4);
  w[i].shape = [...w[i].shape].reverse();
  writeFileSync(f, JSON.stringify(mj));
  resign(dir);
  await refused(dir, /the device weight \S+ has shape \[8,3,3,3\], config 'tiny' needs \[3,3,3,8\]/);
  // An edit that changes a weight's size: the manifest no longer fits weights.bin.
  const dir2 = variant('shapes2');
  const f2 = path.join(dir2, 'device', 'model.json');
  const mj2 = JSON.parse(readFileSync(f2, 'utf8'));
  const specs = mj2.weightsManifest[0].weights;
  const k = specs.findIndex((s: { shape: number[] }) => s.shape.length === 1);
  specs[k].shape = [specs[k].shape[0] * 2];
  writeFileSync(f2, JSON.stringify(mj2));
  resign(dir2);
  await refused(dir2, /device\/weights\.bin holds \d+ bytes, the manifest needs \d+/);
});

test('NaN and Infinity weights (re-signed): refused naming the weight', async () => {
  for (const [name, value] of [['nan', NaN], ['inf', -Infinity]] as const) {
    const dir = variant(name);
    const f = path.join(dir, 'edge', 'weights.bin');
    const b = readFileSync(f);
    new DataView(b.buffer, b.byteOffset, b.byteLength).setFloat32(4 * 7, value, true);
    writeFileSync(f, b);
    resign(dir);
    await refused(dir, new RegExp(`edge/weights\\.bin: weight \\S+ holds ${String(value)} at index 7 \\(every weight must be finite\\)`));
  }
});

test('a JSCC checkpoint with NaN in its decoder or a decoder of the wrong size is refused', async () => {
  let dir = variant('jscc-nan', goodJscc);
  const f = path.join(dir, 'decoder', 'weights.bin');
  const b = readFileSync(f);
  new DataView(b.buffer, b.byteOffset, b.byteLength).setFloat32(0, NaN, true);
  writeFileSync(f, b);
  resign(dir);
  await refused(dir, /decoder\/weights\.bin: weight \S+ holds NaN/, true);
  // A decoder for another D1 (re-signed, consistent in itself).
  dir = variant('jscc-wrongdec', goodJscc);
  const j = buildJscc({ d1: [8, 8, 8], stride: 2, cPrime: 4, seed: 5 });
  const other = path.join(root, 'other-jscc');
  await saveCheckpoint(other, { models: { encoder: j.encoder, decoder: j.decoder }, meta: {} });
  rmSync(path.join(dir, 'decoder'), { recursive: true });
  cpSync(path.join(other, 'decoder'), path.join(dir, 'decoder'), { recursive: true });
  resign(dir);
  await refused(dir, /JSCC decoder (takes|returns)/, true);
});

test.run();
