/** COCO RLE (column-major runs, compressed strings) and polygon rasterization, hand-checked. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/rng.js';
import { rleEncode, rleArea, rlePaint, rleFromString, rleToString } from '../../src/data/rle.js';
import { polygonPaint } from '../../src/data/polygon.js';

test('RLE runs go down the columns and start with zeros', () => {
  // 2 rows x 3 columns, rows [0 1 1] and [0 1 0]. Column-major: 0 0 | 1 1 | 1 0 -> runs [2, 3, 1].
  const mask = Uint8Array.from([0, 1, 1, 0, 1, 0]);
  assert.equal(rleEncode(mask, 2, 3), [2, 3, 1]);
  assert.is(rleArea([2, 3, 1]), 3);
  // A mask starting with a 1 begins with an empty run of zeros.
  assert.equal(rleEncode(Uint8Array.from([1, 0, 1, 0]), 2, 2), [0, 2, 2]); // first column all 1
  assert.equal(rleEncode(Uint8Array.from([1, 1, 0, 0]), 2, 2), [0, 1, 1, 1, 1]); // first row all 1
  const out = new Uint8Array(6);
  rlePaint({ size: [2, 3], counts: [2, 3, 1] }, out, 9);
  assert.equal(Array.from(out), [0, 9, 9, 0, 9, 0]);
});

test('compressed RLE strings: hand-encoded values', () => {
  // [2, 3, 1]: one 5-bit group each -> chars 48+2, 48+3, 48+1.
  assert.is(rleToString([2, 3, 1]), '231');
  // [27, 1, 20]: 27 has bit 4 set, so it needs a continuation: (27|32)+48 = 'k', then '0';
  // 1 -> '1'; 20 (bit 4 set) -> (20|32)+48 = 'd', then '0'.
  assert.is(rleToString([27, 1, 20]), 'k01d0');
  // From the 4th run on, differences to the run two back: [0,5,3,40,2] -> 40-5 = 35 = 3 + 1*32:
  // (3|32)+48 = 'S', then '1'; 2-3 = -1: low bits 31, then nothing left but sign -> 'O'.
  assert.is(rleToString([0, 5, 3, 40, 2]), '053S1O');
  assert.equal(rleFromString('053S1O'), [0, 5, 3, 40, 2]);
  assert.equal(rleFromString('k01d0'), [27, 1, 20]);
});

test('random masks: encode -> paint and string round trips', () => {
  const rng = new Rng(5);
  for (let t = 0; t < 20; t++) {
    const h = 1 + rng.int(40), w = 1 + rng.int(40);
    const p = rng.uniform();
    const mask = new Uint8Array(h * w);
    for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < p ? 1 : 0;
    const counts = rleEncode(mask, h, w);
    assert.is(counts.reduce((a, b) => a + b, 0), h * w);
    assert.is(rleArea(counts), mask.reduce((a, b) => a + b, 0));
    assert.equal(rleFromString(rleToString(counts)), counts);
    const out = new Uint8Array(h * w);
    rlePaint({ size: [h, w], counts: rleToString(counts) }, out, 1);
    assert.equal(out, mask);
  }
});

test('RLE that does not fit its size is refused', () => {
  assert.throws(() => rlePaint({ size: [2, 2], counts: [1, 2] }, new Uint8Array(4), 1), /cover 3 pixels/);
  assert.throws(() => rlePaint({ size: [2, 2], counts: [3, 2] }, new Uint8Array(4), 1), /do not fit/);
  assert.throws(() => rlePaint({ size: [2, 3], counts: [6] }, new Uint8Array(4), 1), /does not match/);
  assert.throws(() => rleFromString('k'), /ends inside/);
});

test('polygon: pixel centres inside, even-odd rule', () => {
  // Rectangle x in [1, 5), y in [1, 4): pixel centres x+0.5 in [1, 5) -> columns 1..4, rows 1..3.
  const out = new Uint8Array(6 * 8);
  polygonPaint([1, 1, 5, 1, 5, 4, 1, 4], 6, 8, out, 3);
  for (let y = 0; y < 6; y++) {
    for (let x = 0; x < 8; x++) assert.is(out[y * 8 + x], x >= 1 && x <= 4 && y >= 1 && y <= 3 ? 3 : 0, `(${x},${y})`);
  }
  // Right triangle (0,0) (4,0) (0,4): centre (x+.5, y+.5) inside when x + y + 1 < 4 -> x + y <= 2.
  const tri = new Uint8Array(16);
  polygonPaint([0, 0, 4, 0, 0, 4], 4, 4, tri, 1);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) assert.is(tri[y * 4 + x], x + y <= 2 ? 1 : 0, `tri (${x},${y})`);
  // Pentagram drawn as one self-intersecting loop: its centre is crossed twice -> outside (even-odd).
  const star: number[] = [];
  for (const k of [0, 2, 4, 1, 3]) {
    const a = -Math.PI / 2 + (2 * Math.PI * k) / 5;
    star.push(10 + 9 * Math.cos(a), 10 + 9 * Math.sin(a));
  }
  const s = new Uint8Array(400);
  polygonPaint(star, 20, 20, s, 1);
  assert.is(s[10 * 20 + 10], 0);
  assert.is(s[3 * 20 + 10], 1); // inside the top point
  // Off-image vertices are clipped, not an error.
  const big = new Uint8Array(4);
  polygonPaint([-5, -5, 10, -5, 10, 10, -5, 10], 2, 2, big, 1);
  assert.equal(Array.from(big), [1, 1, 1, 1]);
  assert.throws(() => polygonPaint([0, 0, 1, 1], 2, 2, big, 1), /even number >= 6/);
});

test.run();
