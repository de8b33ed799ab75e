/** `jscc-sim dataset make|info` end to end, in process (main(argv) with stdout/stderr captured). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runMain } from './run-main.js';
import { packageRoot } from '../../src/core/version.js';

const run = runMain;

const work = mkdtempSync(path.join(tmpdir(), 'jscc-cli-dataset-'));

test('make: writes the splits, prints a JSON summary with config, seed and versions', async () => {
  const out = path.join(work, 'shapes');
  const r = await run(['dataset', 'make', '--name', 'shapes', '--count', '5', '--out', out, '--seed', '4', '--val', '0.4', '--format', 'json', '--quiet']);
  assert.is(r.code, 0, r.err);
  assert.is(r.err, '');
  const j = JSON.parse(r.out);
  assert.is(j.command, 'dataset make');
  assert.is(j.seed, 4);
  assert.equal(j.splits, { train: 3, val: 2 });
  assert.ok(j.versions.node && j.versions.jsccSim);
  assert.ok(j.instances >= 5);
  assert.ok(existsSync(path.join(out, 'val', 'images', '000002.jpg')));
  assert.is(JSON.parse(readFileSync(path.join(out, 'train', 'annotations.json'), 'utf8')).images.length, 3);
  // Progress goes to stderr unless --quiet; stdout carries only the summary line.
  const r2 = await run(['dataset', 'make', '--count', '2', '--out', path.join(work, 'two'), '--seed', '4']);
  assert.is(r2.code, 0, r2.err);
  assert.match(r2.out, /^wrote .*two: train 2 images, val 0 images, \d+ instances, 128x128, seed 4/);
  assert.match(r2.err, /dataset shapes: 2\/2 images/);
});

test('info: counts per class from the annotations, table and json', async () => {
  const out = path.join(work, 'shapes');
  const r = await run(['dataset', 'info', '--data', out, '--split', 'val', '--format', 'json']);
  assert.is(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.is(j.images, 2);
  assert.equal(j.imageSizes, ['128x128']);
  assert.is(j.classes.length, 6);
  assert.is(j.classes.reduce((s: number, c: { instances: number }) => s + c.instances, 0), j.instances);
  const coco = await run(['dataset', 'info', '--data', path.join(packageRoot(), 'fixtures', 'coco-mini')]);
  assert.is(coco.code, 0, coco.err);
  assert.match(coco.out, /images +2 \(2 sizes\)/);
  assert.match(coco.out, /instances +6 \(1 crowd\)/);
  assert.match(coco.out, /1 +cat +3/);
  assert.match(coco.out, /2 +dog +3/);
});

test('bad usage: one line, exit 2, nothing written', async () => {
  const cases: [string[], RegExp][] = [
    [['dataset', 'make', '--count', '0', '--out', path.join(work, 'x')], /--count "0" is not allowed/],
    [['dataset', 'make', '--count', 'many', '--out', path.join(work, 'x')], /--count "many" is not allowed/],
    [['dataset', 'make', '--count', '3', '--out', path.join(work, 'x'), '--val', '1'], /--val "1" is not allowed/],
    [['dataset', 'make', '--count', '3', '--out', path.join(work, 'x'), '--name', 'mnist'], /--name "mnist" is not allowed: use shapes/],
    [['dataset', 'make', '--count', '3'], /--out is required/],
    [['dataset', 'make', '--count', '3', '--out', path.join(work, 'shapes')], /exists and is not empty: pass --force/],
    [['dataset', 'info', '--data', path.join(work, 'nope')], /data folder .*nope does not exist/],
    [['dataset', 'info', '--data', path.join(work, 'shapes'), '--split', 'test'], /--split "test" is not allowed/],
    [['dataset', 'frobnicate'], /.+/],
    [['dataset', 'make', '--count', '3', '--out', '/proc/jscc-sim-shapes'], /--out "\/proc\/jscc-sim-shapes" is not allowed: \/proc is a kernel pseudo-filesystem/],
    [['dataset', 'make', '--count', '3', '--out', path.join(work, 'shapes', 'dataset.json', 'x')], /dataset\.json is a file, so nothing can be created under it/],
  ];
  for (const [args, re] of cases) {
    const r = await run(args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
    assert.is(r.err.trim().split('\n').length, 1, r.err);
  }
  assert.not.ok(existsSync(path.join(work, 'x')));
});

test('info on a COCO folder with an unknown image id or a box outside the image: one line, exit 2', async () => {
  const src = path.join(packageRoot(), 'fixtures', 'coco-mini');
  for (const [edit, re] of [
    [(j: any) => { j.annotations[2].image_id = 42; }, /annotation id 3 refers to unknown image id 42/],
    [(j: any) => { j.annotations[1].bbox = [6, 0, 1, 9]; }, /bbox \[6, 0, 1, 9\] outside image id 7/],
  ] as [(j: any) => void, RegExp][]) {
    const dir = path.join(work, `bad-${Math.random().toString(36).slice(2)}`);
    cpSync(src, dir, { recursive: true });
    const file = path.join(dir, 'annotations', 'instances_mini.json');
    const j = JSON.parse(readFileSync(file, 'utf8'));
    edit(j);
    writeFileSync(file, JSON.stringify(j));
    const r = await run(['dataset', 'info', '--data', dir]);
    assert.is(r.code, 2, r.err);
    assert.match(r.err, re);
    assert.is(r.err.trim().split('\n').length, 1);
    assert.is(r.out, '');
  }
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
