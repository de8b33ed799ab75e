/**
 * PNG decoding against a small reference encoder written here from the specification
 * (ISO/IEC 15948: chunk layout, zlib stream, the five row filters, sample packing).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deflateSync } from 'node:zlib';
import { Rng } from '../../src/core/rng.js';
import { decodePng } from '../../src/data/png.js';
import { decodeImage } from '../../src/data/image.js';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, Buffer.from(data), Buffer.alloc(4)]); // CRC not checked by the decoder
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** PNG from packed rows (stride bytes each); row y uses filter filters[y % filters.length]. */
function encodePng(o: { width: number; height: number; depth: number; colorType: number; rows: Uint8Array; stride: number;
  bpp: number; filters?: number[]; palette?: number[]; interlace?: number; }): Buffer {
  const { height, stride, bpp, rows } = o;
  const filters = o.filters ?? [0];
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const f = filters[y % filters.length];
    raw[y * (stride + 1)] = f;
    for (let i = 0; i < stride; i++) {
      const x = rows[y * stride + i];
      const a = i >= bpp ? rows[y * stride + i - bpp] : 0;
      const b = y > 0 ? rows[(y - 1) * stride + i] : 0;
      const c = y > 0 && i >= bpp ? rows[(y - 1) * stride + i - bpp] : 0;
      const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][f];
      raw[y * (stride + 1) + 1 + i] = (x - pred) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(o.width, 0);
  ihdr.writeUInt32BE(o.height, 4);
  ihdr[8] = o.depth; ihdr[9] = o.colorType; ihdr[12] = o.interlace ?? 0;
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (o.palette) parts.push(chunk('PLTE', Uint8Array.from(o.palette)));
  const z = deflateSync(raw);
  parts.push(chunk('IDAT', z.subarray(0, 10)), chunk('IDAT', z.subarray(10)), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

const rng = new Rng(9);
const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => rng.int(256));

test('RGB 8-bit, all five filters (rows cycle None, Sub, Up, Average, Paeth): exact', () => {
  const w = 13, h = 10;
  const rows = randomBytes(w * h * 3);
  const img = decodePng(encodePng({ width: w, height: h, depth: 8, colorType: 2, rows, stride: w * 3, bpp: 3, filters: [0, 1, 2, 3, 4] }));
  assert.is(img.width, w);
  assert.is(img.height, h);
  for (let i = 0; i < rows.length; i++) assert.is(img.data[i], Math.fround(rows[i] / 255));
});

test('RGBA and gray+alpha: alpha dropped; gray replicated', () => {
  const rows = randomBytes(4 * 3 * 4);
  const img = decodePng(encodePng({ width: 4, height: 3, depth: 8, colorType: 6, rows, stride: 16, bpp: 4, filters: [4, 1] }));
  for (let p = 0; p < 12; p++) for (let c = 0; c < 3; c++) assert.is(img.data[3 * p + c], Math.fround(rows[4 * p + c] / 255));
  const ga = randomBytes(5 * 2 * 2);
  const g = decodePng(encodePng({ width: 5, height: 2, depth: 8, colorType: 4, rows: ga, stride: 10, bpp: 2, filters: [3] }));
  for (let p = 0; p < 10; p++) for (let c = 0; c < 3; c++) assert.is(g.data[3 * p + c], Math.fround(ga[2 * p] / 255));
});

test('16-bit gray keeps full precision; 1-bit gray and 4-bit palette unpack MSB first', () => {
  // Two 16-bit samples per row: 0x1234 and 0xffff.
  const g16 = decodePng(encodePng({ width: 2, height: 1, depth: 16, colorType: 0, rows: Uint8Array.from([0x12, 0x34, 0xff, 0xff]), stride: 4, bpp: 2, filters: [1] }));
  assert.is(g16.data[0], Math.fround(0x1234 / 65535));
  assert.is(g16.data[3], 1);
  // 1-bit, width 10: bytes 0b10110000 0b01000000 -> samples 1 0 1 1 0 0 0 0 | 0 1.
  const g1 = decodePng(encodePng({ width: 10, height: 1, depth: 1, colorType: 0, rows: Uint8Array.from([0xb0, 0x40]), stride: 2, bpp: 1 }));
  assert.equal(Array.from({ length: 10 }, (_, x) => g1.data[3 * x]), [1, 0, 1, 1, 0, 0, 0, 0, 0, 1]);
  // 4-bit palette, width 3: byte 0x21, 0x0? -> indices 2, 1, 0.
  const pal = [10, 20, 30, 40, 50, 60, 70, 80, 90];
  const p4 = decodePng(encodePng({ width: 3, height: 1, depth: 4, colorType: 3, rows: Uint8Array.from([0x21, 0x00]), stride: 2, bpp: 1, palette: pal }));
  assert.equal(Array.from(p4.data).map((v) => Math.round(v * 255)), [70, 80, 90, 40, 50, 60, 10, 20, 30]);
});

test('refused: interlaced, bad filter, corrupt data, bad palette index, not a PNG', () => {
  const base = { width: 2, height: 2, depth: 8, colorType: 0, rows: Uint8Array.from([1, 2, 3, 4]), stride: 2, bpp: 1 };
  assert.throws(() => decodePng(encodePng({ ...base, interlace: 1 })), /interlaced PNG images are not supported/);
  assert.throws(() => decodePng(encodePng({ ...base, filters: [0, 5] })), /row 1 has an unknown filter type 5/);
  const bad = encodePng(base);
  const idat = bad.indexOf('IDAT');
  bad[idat + 6] ^= 0xff;
  assert.throws(() => decodePng(bad), /corrupt|unknown filter|short/);
  assert.throws(() => decodePng(encodePng({ ...base, colorType: 3, palette: [1, 2, 3] })), /palette index \d+ is out of range/);
  assert.throws(() => decodeImage(Uint8Array.from([1, 2, 3, 4])), /not a JPEG or PNG file/);
  assert.throws(() => decodePng(encodePng({ ...base, depth: 3 })), /bit depth 3/);
});

test.run();
