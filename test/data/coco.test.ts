/**
 * COCO reader on fixtures/coco-mini (2 tiny JPEGs, hand-written annotations: polygon, RLE,
 * compressed RLE, box-only, crowd, a box 0.5 px past the border), and bad-input folders made in a
 * temporary directory from it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { packageRoot } from '../../src/core/version.js';
import { UsageError } from '../../src/core/errors.js';
import { openCocoDataset, openDataset } from '../../src/data/index.js';

const FIXTURE = path.join(packageRoot(), 'fixtures', 'coco-mini');
const X = 255;
// Image id 7 (8 x 6): categories 3 'cat' -> label 1, 18 'dog' -> label 2.
// A: dog polygon rectangle [1,5) x [1,4) -> rows 1..3, cols 1..4. B: cat RLE, column 6.
// C: cat compressed RLE 'k01d0' = pixel (x 4, y 3), later than A so it wins there.
// D: dog, box [0,4,3,2] without segmentation -> ignore. E: crowd cat at (7, 5).
const EXPECTED_7 = [
  0, 0, 0, 0, 0, 0, 1, 0,
  0, 2, 2, 2, 2, 0, 1, 0,
  0, 2, 2, 2, 2, 0, 1, 0,
  0, 2, 2, 2, 1, 0, 1, 0,
  X, X, X, 0, 0, 0, 1, 0,
  X, X, X, 0, 0, 0, 1, 1,
];

test('classes, order, sizes, image ids', () => {
  const ds = openCocoDataset(FIXTURE);
  assert.equal(ds.classNames, ['background', 'cat', 'dog']);
  assert.is(ds.numClasses, 2);
  assert.is(ds.size, 2);
  assert.is(ds.width, 0); // mixed sizes
  assert.is(ds.imageId(0), 3); // sorted by id
  assert.is(ds.imageId(1), 7);
  assert.is(ds.name, 'coco-mini');
});

test('masks, boxes, labels and crowd flags decode as hand-checked', () => {
  const ds = openCocoDataset(FIXTURE);
  const s = ds.load(1);
  assert.is(s.id, 7);
  assert.is(s.width, 8);
  assert.is(s.height, 6);
  assert.equal(Array.from(s.segMask), EXPECTED_7);
  assert.equal(s.labels, [2, 1, 1, 2, 1]);
  assert.equal(s.iscrowd, [false, false, false, false, true]);
  assert.equal(s.boxes[0], { x: 1, y: 1, w: 4, h: 3 });
  assert.equal(s.boxes[4], { x: 7, y: 5, w: 1, h: 1 });
  // Solid colour (0.2, 0.4, 0.6) through JPEG q95: within 3/255.
  assert.is(s.image.length, 8 * 6 * 3);
  for (let i = 0; i < 48; i++) {
    for (const [c, v] of [[0, 0.2], [1, 0.4], [2, 0.6]]) assert.ok(Math.abs(s.image[3 * i + c] - v) < 3 / 255, `pixel ${i} ch ${c}: ${s.image[3 * i + c]}`);
  }
  // Image 3: a box 0.5 px left of the border (allowed, clipped) with no mask -> ignore under it.
  const b = ds.load(0);
  assert.equal(b.boxes, [{ x: 0, y: 0, w: 1.5, h: 2 }]);
  assert.equal(Array.from(b.segMask), [X, X, 0, 0, X, X, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test('resize: bilinear image, nearest mask, boxes scaled', () => {
  const ds = openCocoDataset(FIXTURE, { resize: 16 });
  assert.is(ds.width, 16);
  assert.is(ds.height, 16);
  const s = ds.load(1);
  assert.is(s.image.length, 16 * 16 * 3);
  // Box A [1,1,4,3] scaled by 16/8 and 16/6.
  assert.equal(s.boxes[0], { x: 2, y: 16 / 6, w: 8, h: 3 * (16 / 6) });
  // Nearest: output (i, j) reads source row floor((i + .5) * 6 / 16), column floor((j + .5) / 2).
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      assert.is(s.segMask[i * 16 + j], EXPECTED_7[Math.floor(((i + 0.5) * 6) / 16) * 8 + Math.floor((j + 0.5) / 2)]);
    }
  }
  // A solid image stays solid under bilinear resize.
  for (let i = 0; i < 256; i++) assert.ok(Math.abs(s.image[3 * i + 2] - 0.6) < 3 / 255);
});

test('openDataset: a plain COCO folder opens as itself, even beside a folder named train', () => {
  assert.is(openDataset(FIXTURE).size, 2);
  const dir = withCopy((d) => mkdirSync(path.join(d, 'train')));
  try { assert.is(openDataset(dir, { split: 'val' }).size, 2); } finally { rmSync(dir, { recursive: true, force: true }); }
});

// --- bad input -------------------------------------------------------------------------------

function withCopy(edit: (dir: string, json: Record<string, any>) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'jscc-coco-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const file = path.join(dir, 'annotations', 'instances_mini.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(dir, json);
  writeFileSync(file, JSON.stringify(json));
  return dir;
}

function expectUsage(fn: () => unknown, re: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, UsageError);
    assert.match((e as Error).message, re);
    assert.not.match((e as Error).message, /\n/); // one line
    return;
  }
  assert.unreachable(`expected a UsageError matching ${re}`);
}

const cases: [string, (dir: string, j: Record<string, any>) => void, RegExp, boolean?][] = [
  ['unknown image id', (_d, j) => { j.annotations[0].image_id = 99; }, /annotation id 1 refers to unknown image id 99/],
  ['unknown category', (_d, j) => { j.annotations[1].category_id = 5; }, /unknown category id 5/],
  ['box outside the image', (_d, j) => { j.annotations[0].bbox = [5, 1, 4.5, 3]; }, /bbox \[5, 1, 4.5, 3\] outside image id 7 \(8x6, tolerance 1 px\)/],
  ['negative box size', (_d, j) => { j.annotations[0].bbox = [1, 1, -2, 3]; }, /w, h >= 0/],
  ['images missing', (_d, j) => { delete j.images; }, /"images" is missing/],
  ['duplicate image id', (_d, j) => { j.images[1].id = 7; }, /image id 7 appears twice/],
  ['image without size', (_d, j) => { delete j.images[0].width; }, /positive integers are required/],
  ['RLE of the wrong size', (_d, j) => { j.annotations[1].segmentation.size = [8, 6]; }, /RLE of size 8x6 on a 6x8 image/],
  ['bad polygon', (_d, j) => { j.annotations[0].segmentation = [[1, 2, 3]]; }, /polygon/],
  ['missing image file', (d) => { unlinkSync(path.join(d, 'images', 'b.jpg')); }, /b\.jpg \(image id 3\) does not exist/],
];

for (const [name, edit, re] of cases) {
  test(`bad input: ${name}`, () => {
    const dir = withCopy(edit);
    try { expectUsage(() => openCocoDataset(dir), re); } finally { rmSync(dir, { recursive: true, force: true }); }
  });
}

test('bad input: missing folder, no annotations, malformed JSON, two JSON files', () => {
  expectUsage(() => openCocoDataset('/nonexistent/jscc-data'), /data folder \/nonexistent\/jscc-data does not exist/);
  const dir = mkdtempSync(path.join(tmpdir(), 'jscc-coco-'));
  try {
    expectUsage(() => openCocoDataset(dir), /no COCO annotations in/);
    writeFileSync(path.join(dir, 'annotations.json'), '{"images": [');
    expectUsage(() => openCocoDataset(dir), /annotations\.json: not valid JSON/);
    writeFileSync(path.join(dir, 'annotations.json'), '[]');
    expectUsage(() => openCocoDataset(dir), /expected a JSON object/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
  const two = withCopy((d) => writeFileSync(path.join(d, 'annotations', 'other.json'), '{}'));
  try { expectUsage(() => openCocoDataset(two), /holds 2 JSON files .*--annotations/); } finally { rmSync(two, { recursive: true, force: true }); }
});

test('PNG images load like JPEGs; corrupt images fail at load with the file name', () => {
  const dir = withCopy((d) => {
    // b.jpg (4 x 4) replaced by an 8-bit gray PNG of value 51 (content decides the format, not the name).
    const raw = Buffer.alloc(4 * 5);
    for (let y = 0; y < 4; y++) raw.fill(51, y * 5 + 1, y * 5 + 5); // filter byte 0, then 4 samples
    const ihdr = Buffer.from([0, 0, 0, 4, 0, 0, 0, 4, 8, 0, 0, 0, 0]);
    const chunk = (t: string, b: Buffer) => { const h = Buffer.alloc(8); h.writeUInt32BE(b.length); h.write(t, 4, 'latin1'); return Buffer.concat([h, b, Buffer.alloc(4)]); };
    writeFileSync(path.join(d, 'images', 'b.jpg'), Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
    const a = readFileSync(path.join(d, 'images', 'a.jpg'));
    writeFileSync(path.join(d, 'images', 'a.jpg'), a.subarray(0, 40));
  });
  try {
    const ds = openCocoDataset(dir);
    const s = ds.load(0);
    assert.ok(s.image.every((v) => v === Math.fround(51 / 255)));
    expectUsage(() => ds.load(1), /cannot decode image .*a\.jpg/);
    assert.throws(() => ds.load(2), /out of range/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('bad input: resize out of range', () => {
  expectUsage(() => openCocoDataset(FIXTURE, { resize: 0 }), /resize 0 is not allowed/);
});

test.run();
