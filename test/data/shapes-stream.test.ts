/**
 * The shapes stream: sample i equals, bit for bit, image i of `dataset make` with the same seed
 * (both splits); the spec parser names bad keys.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeShapesDataset } from '../../src/data/shapes.js';
import { openDataset } from '../../src/data/open.js';
import { openShapesStream, parseShapesStreamSpec } from '../../src/data/shapes-stream.js';
import { UsageError } from '../../src/core/errors.js';
import { Prefetcher } from '../../src/data/prefetch.js';

const work = mkdtempSync(path.join(tmpdir(), 'jscc-stream-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

test('stream sample i == image i of dataset make (train and val, JPEG round trip included)', async () => {
  const out = path.join(work, 'ds');
  await makeShapesDataset({ count: 10, out, seed: 5, size: 64, val: 0.3, workers: 1 });
  for (const split of ['train', 'val'] as const) {
    const disk = openDataset(out, { split, resize: 64 });
    const stream = openShapesStream('shapes:seed=5,size=64', split);
    for (let i = 0; i < disk.size; i++) {
      const a = disk.load(i), b = stream.load(i);
      assert.is(b.id, a.id, `${split} ${i} id`);
      assert.ok(Buffer.from(a.image.buffer, a.image.byteOffset, a.image.byteLength).equals(Buffer.from(b.image.buffer, b.image.byteOffset, b.image.byteLength)), `${split} ${i}: image`);
      assert.ok(Buffer.from(a.segMask).equals(Buffer.from(b.segMask)), `${split} ${i}: mask`);
      assert.equal(b.boxes, a.boxes, `${split} ${i}: boxes`);
      assert.equal(b.labels, a.labels, `${split} ${i}: labels`);
    }
  }
});

test('the prefetcher returns the same samples from its worker thread', async () => {
  const p = new Prefetcher({ kind: 'stream', spec: 'shapes:seed=3,size=64', split: 'train' });
  try {
    const got = await p.load([4, 0]);
    const s = openShapesStream('shapes:seed=3,size=64');
    for (const [k, i] of [[0, 4], [1, 0]]) {
      assert.equal(Array.from(got[k].image.subarray(0, 300)), Array.from(s.load(i).image.subarray(0, 300)));
      assert.equal(got[k].boxes, s.load(i).boxes);
    }
  } finally {
    await p.close();
  }
});

test('spec parsing: defaults, every key, and one-line errors naming the bad part', () => {
  assert.equal(parseShapesStreamSpec('shapes:seed=9'), { seed: 9, size: 128, maxObjects: 5, quality: 95, count: 2 ** 31 - 1 });
  assert.equal(parseShapesStreamSpec('shapes:seed=1,size=64,objects=3,quality=0,count=50'), { seed: 1, size: 64, maxObjects: 3, quality: 0, count: 50 });
  for (const [spec, re] of [['shapes:', /no seed/], ['shapes:seed=1,colour=2', /"colour=2"/], ['shapes:seed=x', /"seed=x"/], ['shapes:seed=1,size=60', /size 60/], ['shapes:seed=1,quality=101', /quality 101/]] as const) {
    assert.throws(() => parseShapesStreamSpec(spec), (e: Error) => e instanceof UsageError && re.test(e.message) && !e.message.includes('\n'), spec);
  }
  assert.throws(() => openShapesStream('shapes:seed=1,count=3').load(3), /out of range/);
});

test.run();
