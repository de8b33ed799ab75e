/**
 * `jscc-sim info`: JSON shape (docs/architecture.md, "Command line"), the paper's parameter count,
 * the table, bad input.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runMain } from './run-main.js';

const run = runMain;

test('info --model paper --format json: D1 64x64x512, parameters within 5% of Table I', async () => {
  const r = await run(['info', '--model', 'paper', '--tasks', 'det,seg', '--format', 'json']);
  assert.is(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.is(j.model, 'paper');
  assert.equal(j.input, [512, 512, 3]);
  assert.equal(j.d1, [64, 64, 512]);
  assert.is(j.features.length, 7);
  assert.equal(j.features[6], [1, 1, 512]);
  assert.ok(Math.abs(j.params.total / 63.2e6 - 1) < 0.05, `total ${j.params.total}`);
  assert.is(j.params.device + j.params.edge, j.params.total);
  for (const k of ['backbone', 'fusion', 'parser', 'detHead', 'segHead']) assert.ok(j.params[k] > 0, k);
  assert.ok(Math.abs(j.paperTableI.relativeDifference) < 0.05);
});

test('info --model default: the shipped model, its D1..D5 and the parts', async () => {
  const r = await run(['info', '--model', 'default', '--tasks', 'det,seg']);
  assert.is(r.code, 0, r.err);
  // The default config: D1 16x16x512 (128 channel uses at ratio 512), 5 scales, half-pixel resizes.
  assert.match(r.out, /D1 16x16x512 \| D2 8x8x\d+/);
  assert.match(r.out, /D5 1x1x\d+/);
  assert.not.match(r.out, /D6/);
  assert.match(r.out, /half-pixel/);
  assert.match(r.out, /parameters: total/);
  assert.match(r.out, /backbone .*fusion .*parser .*detHead .*segHead/);
  assert.match(r.out, /parse_d2/);
});

test('info --tasks det drops the segmentation head', async () => {
  const r = await run(['info', '--model', 'paper', '--tasks', 'det', '--format', 'json']);
  assert.is(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.is(j.params.segHead, 0);
  assert.ok(j.params.detHead > 0);
});

test('bad input: exit 2 with one line naming the value', async () => {
  let r = await run(['info', '--model', '/nonexistent/ckpt']);
  assert.is(r.code, 2);
  assert.match(r.err, /--model "\/nonexistent\/ckpt" is not allowed/);
  assert.is(r.err.trim().split('\n').length, 1);
  r = await run(['info', '--model', 'paper', '--format', 'xml']);
  assert.is(r.code, 2);
  assert.match(r.err, /--format "xml"/);
  r = await run(['info', '--model', 'paper', '--tasks', 'boxes']);
  assert.is(r.code, 2);
  assert.match(r.err, /--tasks "boxes"/);
});

test.run();
