/** `jscc-sim train --step 1` end to end on a small shapes set, then `info` on its checkpoint; bad usage. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runMain } from './run-main.js';
import { makeShapesDataset } from '../../src/data/shapes.js';

const run = runMain;

const work = mkdtempSync(path.join(tmpdir(), 'jscc-cli-train-'));
const data = path.join(work, 'shapes');
const ckpt = path.join(work, 'ck');

test.before(async () => { await makeShapesDataset({ count: 6, out: data, seed: 3, val: 0.34 }); });
test.after(() => rmSync(work, { recursive: true, force: true }));

test('train --step 1: default config, 3 steps, checkpoint with held-out metrics; info reads it', async () => {
  const r = await run(['train', '--step', '1', '--data', data, '--out', ckpt, '--steps', '3', '--batch', '2', '--checkpoint-every', '2', '--seed', '2']);
  assert.is(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.is(j.stepsDone, 3);
  assert.ok(Number.isFinite(j.finalLoss) && j.finalLoss > 0);
  assert.is(j.evalImages, 2);
  assert.ok(j.mAP50 >= 0 && j.mAP50 <= 1 && j.mIoU >= 0 && j.mIoU <= 1);
  assert.match(r.err, /step 3\/3 loss/);
  const i = await run(['info', '--model', ckpt, '--format', 'json']);
  assert.is(i.code, 0, i.err);
  const info = JSON.parse(i.out);
  assert.is(info.trained, true);
  assert.equal(info.d1, [16, 16, 512]);
  assert.is(info.numClasses, 6);
  assert.is(info.metrics.images, 2);
  // resume with more steps continues from step 3
  const r2 = await run(['train', '--step', '1', '--data', data, '--out', ckpt, '--steps', '4', '--batch', '2', '--seed', '2', '--resume', '--eval-images', '0']);
  assert.is(r2.code, 0, r2.err);
  assert.match(r2.err, /resuming .* at step 3 of 4/);
  assert.is(JSON.parse(r2.out).stepsDone, 4);
});

test('bad usage: exit 2 and one line', async () => {
  const cases: [string[], RegExp][] = [
    [['train', '--step', '1', '--out', ckpt], /--data DIR is required/],
    [['train', '--step', '4', '--data', data, '--out', ckpt], /--step 4 is not allowed: use 1, 2 or 3/],
    [['train', '--step', '2', '--out', path.join(work, 'j')], /--from DIR is required for --step 2/],
    [['train', '--step', '1', '--data', data, '--out', path.join(work, 'x'), '--lr-drops', '0.5,2'], /--lr-drops "0.5,2" is not allowed/],
    [['train', '--step', '1', '--data', data, '--out', ckpt, '--config', 'paper', '--resume'], /holds config 'default', not 'paper'/],
    [['train', '--step', '1', '--data', data, '--out', ckpt], /already holds a checkpoint: pass --resume/],
    [['train', '--step', '1', '--data', path.join(work, 'nope'), '--out', path.join(work, 'x')], /data folder .*nope does not exist/],
    [['train', '--step', '1', '--data', data, '--out', path.join(work, 'x'), '--lr', '5'], /--lr "5" is not allowed/],
    [['train', '--step', '1', '--data', data, '--out', path.join(work, 'x'), '--batch', '0'], /--batch "0" is not allowed/],
    [['train', '--step', '1', '--data', data, '--out', path.join(work, 'x'), '--backend', 'gpu'], /--backend "gpu" is not allowed/],
    [['train', '--step', '1', '--data', data, '--out', path.join(work, 'x'), '--config', 'huge'], /config "huge" is not allowed/],
    [['train', '--step', 'NaN', '--data', data, '--out', ckpt], /--step NaN is not allowed: use 1, 2 or 3/],
    [['train', '--step', '2', '--from', ckpt, '--data', data, '--out', path.join(work, 'j2'), '--jscc-downsample', 'maxpool'], /--jscc-downsample "maxpool" is not allowed: use avgpool or space-to-depth/],
    // Output locations that cannot be created are refused before any training (issue 13, item 4).
    [['train', '--step', '1', '--data', data, '--out', path.join(data, 'dataset.json', 'ck'), '--steps', '1', '--batch', '1'], /--out ".*dataset\.json\/ck" is not allowed: .*dataset\.json is a file/],
    [['train', '--step', '1', '--data', data, '--out', '/proc/jscc-sim-ck', '--steps', '1', '--batch', '1'], /--out "\/proc\/jscc-sim-ck" is not allowed: \/proc is a kernel pseudo-filesystem/],
  ];
  for (const [args, re] of cases) {
    const r = await run(args);
    assert.is(r.code, 2, `${args.join(' ')} -> ${r.code}: ${r.err}`);
    assert.match(r.err, re);
    assert.is(r.err.trim().split('\n').length, 1, r.err);
    assert.not.match(r.err, /step \d+\/\d+ loss/, 'trained before refusing');
  }
});

test.run();
