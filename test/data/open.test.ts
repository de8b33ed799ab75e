/** openDataset / openTrainVal on the three folder layouts, built from fixtures/coco-mini. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/core/version.js';
import { UsageError } from '../../src/core/errors.js';
import { dataLayout, hasSplit, openDataset, openTrainVal } from '../../src/data/index.js';

const FIXTURE = path.join(packageRoot(), 'fixtures', 'coco-mini');
const JSON_FILE = path.join(FIXTURE, 'annotations', 'instances_mini.json');
const work = mkdtempSync(path.join(tmpdir(), 'jscc-open-'));

/** A COCO annotation file keeping only the images with these ids. */
function subset(ids: number[]): string {
  const j = JSON.parse(readFileSync(JSON_FILE, 'utf8'));
  j.images = j.images.filter((im: { id: number }) => ids.includes(im.id));
  j.annotations = j.annotations.filter((a: { image_id: number }) => ids.includes(a.image_id));
  return JSON.stringify(j);
}

test('single COCO folder: the folder for any split; openTrainVal has no val', () => {
  assert.is(dataLayout(FIXTURE), 'single');
  assert.is(openDataset(FIXTURE, { split: 'val' }).size, 2);
  assert.not.ok(hasSplit(FIXTURE, 'val'));
  const { train, val } = openTrainVal(FIXTURE, { resize: 8 });
  assert.is(train.size, 2);
  assert.is(train.width, 8);
  assert.is(val, undefined);
});

test('split folders (as dataset make writes): train and val are different sets', () => {
  const dir = path.join(work, 'splits');
  for (const [split, ids] of [['train', [7]], ['val', [3]]] as const) {
    mkdirSync(path.join(dir, split), { recursive: true });
    cpSync(path.join(FIXTURE, 'images'), path.join(dir, split, 'images'), { recursive: true });
    writeFileSync(path.join(dir, split, 'annotations.json'), subset([...ids]));
  }
  assert.is(dataLayout(dir), 'splits');
  const { train, val } = openTrainVal(dir);
  assert.equal([train.imageId(0), val?.imageId(0)], [7, 3]);
  assert.is(train.name, 'splits/train');
  assert.is(openDataset(dir).imageId(0), 7); // default split: train
  rmSync(path.join(dir, 'val'), { recursive: true });
  assert.not.ok(hasSplit(dir, 'val'));
  assert.throws(() => openDataset(dir, { split: 'val' }), (e: Error) => e instanceof UsageError && /has no val split/.test(e.message));
});

test('COCO 2017 layout: annotations/instances_<split>2017.json, images in <split>2017/', () => {
  const dir = path.join(work, 'coco2017');
  mkdirSync(path.join(dir, 'annotations'), { recursive: true });
  writeFileSync(path.join(dir, 'annotations', 'instances_train2017.json'), subset([7]));
  writeFileSync(path.join(dir, 'annotations', 'instances_val2017.json'), subset([3]));
  writeFileSync(path.join(dir, 'annotations', 'captions_val2017.json'), '{}'); // ignored: instances_* preferred
  for (const s of ['train2017', 'val2017']) cpSync(path.join(FIXTURE, 'images'), path.join(dir, s), { recursive: true });
  assert.is(dataLayout(dir), 'coco2017');
  const { train, val } = openTrainVal(dir);
  assert.equal([train.imageId(0), val?.imageId(0)], [7, 3]);
  assert.ok(val!.annotationFile.endsWith('instances_val2017.json'));
  assert.is(val!.load(0).width, 4); // image found under val2017/
});

test('bad input: missing folder, bad split', () => {
  assert.throws(() => openDataset(path.join(work, 'nope')), /does not exist/);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  assert.throws(() => openDataset(FIXTURE, { split: 'test' as any }), /split "test" is not allowed/);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
