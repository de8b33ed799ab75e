/**
 * The shapes generator: byte-identical output per seed, per-image streams, consistent COCO
 * annotations (disjoint visible masks, tight boxes, exact areas), atomic writes and --force.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Rng } from '../../src/core/rng.js';
import { UsageError } from '../../src/core/errors.js';
import { makeShapesDataset, openDataset, SHAPE_CLASSES } from '../../src/data/index.js';
import { renderScene, MIN_VISIBLE_PIXELS } from '../../src/data/shapes-render.js';
import { rleArea } from '../../src/data/rle.js';

const work = mkdtempSync(path.join(tmpdir(), 'jscc-shapes-'));
const dir = (name: string) => path.join(work, name);

function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...listFiles(root, r));
    else out.push(r);
  }
  return out.sort();
}

test('same seed -> byte-identical files; another seed -> different images', async () => {
  await makeShapesDataset({ count: 10, out: dir('a'), seed: 7 });
  await makeShapesDataset({ count: 10, out: dir('b'), seed: 7 });
  await makeShapesDataset({ count: 10, out: dir('c'), seed: 8 });
  const files = listFiles(dir('a'));
  assert.equal(files, listFiles(dir('b')));
  assert.ok(files.includes(path.join('train', 'annotations.json')) && files.includes(path.join('val', 'annotations.json')));
  assert.is(files.filter((f) => f.endsWith('.jpg')).length, 10);
  for (const f of files) assert.ok(readFileSync(path.join(dir('a'), f)).equals(readFileSync(path.join(dir('b'), f))), f);
  const img = path.join('train', 'images', '000001.jpg');
  assert.not.ok(readFileSync(path.join(dir('a'), img)).equals(readFileSync(path.join(dir('c'), img))));
});

test('worker threads write the same bytes as one thread', async () => {
  await makeShapesDataset({ count: 40, out: dir('w1'), seed: 5, workers: 1 });
  await makeShapesDataset({ count: 40, out: dir('w2'), seed: 5, workers: 2 });
  const files = listFiles(dir('w1'));
  assert.equal(files, listFiles(dir('w2')));
  for (const f of files) assert.ok(readFileSync(path.join(dir('w1'), f)).equals(readFileSync(path.join(dir('w2'), f))), f);
});

test('image i of a split does not depend on --count (one stream per image)', async () => {
  await makeShapesDataset({ count: 4, out: dir('small'), seed: 7, val: 0 });
  await makeShapesDataset({ count: 6, out: dir('large'), seed: 7, val: 0 });
  for (let i = 1; i <= 4; i++) {
    const f = path.join('train', 'images', `${String(i).padStart(6, '0')}.jpg`);
    assert.ok(readFileSync(path.join(dir('small'), f)).equals(readFileSync(path.join(dir('large'), f))), f);
  }
});

test('layout and COCO annotations are consistent with the masks', () => {
  const meta = JSON.parse(readFileSync(path.join(dir('a'), 'dataset.json'), 'utf8'));
  assert.equal(meta.splits, { train: 8, val: 2 });
  assert.is(meta.seed, 7);
  assert.equal(meta.classes, ['background', ...SHAPE_CLASSES]);
  const coco = JSON.parse(readFileSync(path.join(dir('a'), 'train', 'annotations.json'), 'utf8'));
  assert.equal(coco.categories.map((c: { id: number }) => c.id), [1, 2, 3, 4, 5, 6]);
  const ds = openDataset(dir('a'), { split: 'train' });
  assert.is(ds.size, 8);
  assert.is(ds.width, 128);
  let k = 0;
  for (let i = 0; i < ds.size; i++) {
    const s = ds.load(i);
    const mine = coco.annotations.filter((a: { image_id: number }) => a.image_id === s.id);
    assert.ok(mine.length >= 1 && mine.length <= 5, `image ${s.id}: ${mine.length} instances`);
    let total = 0;
    for (const a of mine) {
      k++;
      assert.is(a.iscrowd, 0);
      assert.is(rleArea(a.segmentation.counts), a.area, 'area = RLE area');
      assert.ok(a.area >= MIN_VISIBLE_PIXELS, `visible area ${a.area}`);
      total += a.area;
      // The box is the tight box of the instance's pixels: recover the mask (column-major runs).
      const [x, y, w, h] = a.bbox;
      let minX = 128, minY = 128, maxX = -1, maxY = -1, pos = 0;
      a.segmentation.counts.forEach((c: number, j: number) => {
        if (j % 2 === 1) for (let p = pos; p < pos + c; p++) {
          const px = Math.floor(p / 128), py = p % 128;
          minX = Math.min(minX, px); maxX = Math.max(maxX, px); minY = Math.min(minY, py); maxY = Math.max(maxY, py);
        }
        pos += c;
      });
      assert.equal([x, y, w, h], [minX, minY, maxX - minX + 1, maxY - minY + 1]);
    }
    // Visible masks are disjoint: labelled pixels of the semantic mask = sum of instance areas.
    let labelled = 0;
    for (const v of s.segMask) if (v !== 0) { labelled++; assert.ok(v >= 1 && v <= 6); }
    assert.is(labelled, total, `image ${s.id}`);
  }
  assert.is(k, coco.annotations.length);
});

test('scenes: every class appears, instances keep enough visible area and stand out from their surroundings', () => {
  const seen = new Set<number>();
  const root = new Rng(11);
  let empty = 0;
  const contrast: number[] = [];
  for (let i = 0; i < 60; i++) {
    const scene = renderScene(root.split(0, i), { size: 128, maxObjects: 5 });
    if (scene.instances.length === 0) empty++;
    const any = new Uint8Array(128 * 128);
    for (const inst of scene.instances) for (let p = 0; p < any.length; p++) any[p] |= inst.mask[p];
    for (const inst of scene.instances) {
      seen.add(inst.label);
      assert.ok(inst.area >= MIN_VISIBLE_PIXELS);
      // Mean colour inside the instance vs. unlabelled pixels within 3 px of it (its background).
      const inside = [0, 0, 0], ring = [0, 0, 0];
      let nRing = 0;
      for (let y = 0; y < 128; y++) for (let x = 0; x < 128; x++) {
        const p = y * 128 + x;
        if (inst.mask[p]) { for (let c = 0; c < 3; c++) inside[c] += scene.image[3 * p + c] / inst.area; continue; }
        if (any[p]) continue;
        let near = false;
        for (let dy = -3; dy <= 3 && !near; dy++) for (let dx = -3; dx <= 3 && !near; dx++) {
          const yy = y + dy, xx = x + dx;
          if (yy >= 0 && yy < 128 && xx >= 0 && xx < 128 && inst.mask[yy * 128 + xx]) near = true;
        }
        if (near) { nRing++; for (let c = 0; c < 3; c++) ring[c] += scene.image[3 * p + c]; }
      }
      if (nRing > 20) contrast.push(Math.hypot(...inside.map((v, c) => v - ring[c] / nRing)));
    }
  }
  assert.is(seen.size, SHAPE_CLASSES.length);
  assert.ok(empty <= 2, `${empty} empty scenes`);
  contrast.sort((a, b) => a - b);
  const median = contrast[contrast.length >> 1];
  const low = contrast.filter((c) => c < 0.1).length / contrast.length;
  assert.ok(median > 0.35, `median contrast ${median}`);
  assert.ok(low < 0.05, `${(100 * low).toFixed(0)}% of instances nearly invisible`);
});

test('refuses a non-empty folder without force; --force replaces it; nothing half-written', async () => {
  const out = dir('keep');
  mkdirSync(out);
  writeFileSync(path.join(out, 'precious.txt'), 'x');
  try {
    await makeShapesDataset({ count: 2, out, seed: 1 });
    assert.unreachable('should refuse');
  } catch (e) {
    assert.instance(e, UsageError);
    assert.match((e as Error).message, /exists and is not empty: pass --force/);
  }
  assert.ok(existsSync(path.join(out, 'precious.txt')));
  await makeShapesDataset({ count: 2, out, seed: 1, force: true });
  assert.not.ok(existsSync(path.join(out, 'precious.txt')));
  assert.ok(existsSync(path.join(out, 'dataset.json')));
  // A run that fails midway leaves neither OUT nor a temporary folder.
  const failing = dir('fails');
  await makeShapesDataset({
    count: 5, out: failing, seed: 1,
    onProgress: (done) => { if (done === 3) throw new Error('disk full (simulated)'); },
  }).then(() => assert.unreachable('should fail'), (e: Error) => assert.match(e.message, /disk full/));
  assert.not.ok(existsSync(failing));
  assert.equal(readdirSync(work).filter((f) => f.includes('.tmp-') || f.includes('.old-')), []);
  // An empty existing folder is fine without --force.
  const empty = dir('empty');
  mkdirSync(empty);
  await makeShapesDataset({ count: 1, out: empty, seed: 1, val: 0 });
  assert.ok(existsSync(path.join(empty, 'train', 'images', '000001.jpg')));
});

test('bad options are UsageErrors naming the value', async () => {
  const bad: [object, RegExp][] = [
    [{ count: 0 }, /--count 0/], [{ count: 2.5 }, /--count 2.5/], [{ seed: -1 }, /--seed -1/], [{ size: 16 }, /--size 16/],
    [{ val: 1 }, /--val 1/], [{ quality: 0 }, /quality 0/], [{ out: path.join(work, 'no', 'such', 'parent') }, /parent folder/],
    [{ workers: 0 }, /--workers 0/],
  ];
  writeFileSync(path.join(work, 'a-file'), 'x');
  bad.push([{ out: path.join(work, 'a-file') }, /is a file, not a folder/]);
  for (const [o, re] of bad) {
    await makeShapesDataset({ count: 2, out: dir('bad'), seed: 1, ...o }).then(
      () => assert.unreachable(`accepted ${JSON.stringify(o)}`),
      (e: Error) => { assert.instance(e, UsageError); assert.match(e.message, re); });
  }
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
