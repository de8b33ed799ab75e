import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { Crc } from '../../../src/fec/crc/crc.js';
import { CRC_CATALOG, CRC_NAMES, crcByName } from '../../../src/fec/crc/catalog.js';
import { UsageError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { readNpy } from '../../../src/io/npy.js';
import { referencePath } from '../../reference.js';

const CHECK_INPUT = new TextEncoder().encode('123456789');

function bytesToBits(bytes: Uint8Array): Uint8Array {
  const bits = new Uint8Array(bytes.length * 8);
  for (let i = 0; i < bits.length; i++) bits[i] = (bytes[i >> 3] >> (7 - (i & 7))) & 1;
  return bits;
}

/** Independent reference: remainder of a(D) D^L mod g(D) by long division on bit arrays (init 0). */
function longDivisionParity(bits: Uint8Array, width: number, poly: number): Uint8Array {
  const g = new Uint8Array(width + 1);
  g[0] = 1;
  for (let i = 0; i < width; i++) g[i + 1] = (poly >>> (width - 1 - i)) & 1;
  const r = new Uint8Array(bits.length + width);
  r.set(bits);
  for (let i = 0; i < bits.length; i++) {
    if (r[i]) for (let j = 0; j <= width; j++) r[i + j] ^= g[j];
  }
  return r.slice(bits.length);
}

test('check values on "123456789" (RevEng catalogue: LTE-A, LTE-B, XMODEM, IBM-3740)', () => {
  const expected: Record<string, number> = {
    crc24a: 0xcde703, crc24b: 0x23ef52, crc16: 0x31c3, 'crc16-ccitt-false': 0x29b1,
  };
  for (const [name, value] of Object.entries(expected)) {
    const c = crcByName(name);
    assert.is(c.computeBytes(CHECK_INPUT), value, `${name} bytes`);
    assert.is(c.computeBitsValue(bytesToBits(CHECK_INPUT)), value, `${name} bits`);
    assert.is(CRC_CATALOG[name].check, value);
  }
});

test('the engine handles any width 1..32, init and final xor (RevEng catalogue check values)', () => {
  const cases: [Crc, number][] = [
    [new Crc({ name: 'CRC-3/GSM', width: 3, poly: 0x3, xorOut: 0x7 }), 0x4],
    [new Crc({ name: 'CRC-8/SMBUS', width: 8, poly: 0x07 }), 0xf4],
    [new Crc({ name: 'CRC-32/MPEG-2', width: 32, poly: 0x04c11db7, init: 0xffffffff }), 0x0376e6e7],
    [new Crc({ name: 'CRC-32/BZIP2', width: 32, poly: 0x04c11db7, init: 0xffffffff, xorOut: 0xffffffff }), 0xfc891918],
  ];
  for (const [c, check] of cases) {
    assert.is(c.computeBitsValue(bytesToBits(CHECK_INPUT)), check, c.name);
    if (c.width % 8 === 0) assert.is(c.computeBytes(CHECK_INPUT), check, c.name);
    const bits = bytesToBits(CHECK_INPUT).subarray(0, 61);
    assert.ok(c.checkBits(c.attachBits(bits)), `${c.name} attach/check`);
  }
});

test('bit-level CRC equals long division for every catalogue CRC and odd lengths', () => {
  const rng = new Rng(11);
  for (const name of CRC_NAMES) {
    const c = crcByName(name);
    if ((c.init ?? 0) !== 0) continue; // long division models init 0
    for (const len of [0, 1, 7, 8, 9, 13, 64, 100, 331]) {
      const bits = rng.fillBits(new Uint8Array(len));
      assert.equal(Array.from(c.computeBits(bits)), Array.from(longDivisionParity(bits, c.width, c.poly)), `${name} len ${len}`);
    }
  }
});

test('Sionna reference vectors (TS 38.212 CRC6/11/16/24A/B/C)', () => {
  // NVlabs/sionna (Apache-2.0, commit 20d2bca), fixtures/reference/sionna-crc (see its README)
  const dir = referencePath('sionna-crc');
  for (const [file, name] of [['CRC6', 'crc6'], ['CRC11', 'crc11'], ['CRC16', 'crc16'], ['CRC24A', 'crc24a'], ['CRC24B', 'crc24b'], ['CRC24C', 'crc24c']]) {
    const u = readNpy(path.join(dir, `crc_u_${file}.npy`));
    const x = readNpy(path.join(dir, `crc_x_ref_np_${file}.npy`));
    const c = crcByName(name);
    assert.is(x.data.length, c.width, `${file}: reference parity length`);
    const bits = Uint8Array.from(u.data, (v) => (v ? 1 : 0));
    assert.equal(Array.from(c.computeBits(bits)), Array.from(x.data, Number), file);
    assert.ok(c.checkBits(c.attachBits(bits)), `${file} attach/check`);
  }
});

test('attach/check round trip; every single-bit error and every burst up to the width is detected', () => {
  const rng = new Rng(12);
  for (const name of CRC_NAMES) {
    const c = crcByName(name);
    const msg = rng.fillBits(new Uint8Array(120));
    const cw = c.attachBits(msg);
    assert.is(cw.length, 120 + c.width);
    assert.ok(c.checkBits(cw), name);
    for (let i = 0; i < cw.length; i++) {
      cw[i] ^= 1;
      assert.not.ok(c.checkBits(cw), `${name}: flip at ${i} undetected`);
      cw[i] ^= 1;
    }
    // A burst of length b <= width (first and last bit flipped) is never a multiple of g(D).
    for (let b = 2; b <= c.width; b++) {
      const start = rng.int(cw.length - b + 1);
      const burst = cw.slice();
      burst[start] ^= 1;
      burst[start + b - 1] ^= 1;
      for (let j = start + 1; j < start + b - 1; j++) burst[j] ^= rng.int(2);
      assert.not.ok(c.checkBits(burst), `${name}: burst ${b} undetected`);
    }
  }
});

test('byte-level attach/check, and bits agree with bytes', () => {
  const rng = new Rng(13);
  const bytes = new Uint8Array(1000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
  for (const name of ['crc16', 'crc24a', 'crc24b', 'crc24c', 'crc16-ccitt-false']) {
    const c = crcByName(name);
    const framed = c.attachBytes(bytes);
    assert.is(framed.length, bytes.length + c.width / 8);
    assert.ok(c.checkBytes(framed));
    assert.is(c.computeBytes(bytes), c.computeBitsValue(bytesToBits(bytes)), name);
    // The appended bytes are the parity bits, so bit-level check accepts the framed bytes too.
    assert.ok(c.checkBits(bytesToBits(framed)), `${name}: framed bytes as bits`);
    framed[500] ^= 0x10;
    assert.not.ok(c.checkBytes(framed), `${name}: corrupted byte`);
  }
  assert.not.ok(crcByName('crc16').checkBytes(new Uint8Array(1)), 'shorter than the CRC');
});

test('bad input: unknown name, byte API on a non-byte width, wrong output size', () => {
  assert.throws(() => crcByName('crc17'), (e: unknown) => e instanceof UsageError && /"crc17".*crc24a/.test((e as Error).message));
  assert.is(crcByName('CRC-24A').name, 'crc24a');
  assert.is(crcByName('24b').name, 'crc24b');
  assert.throws(() => crcByName('crc11').attachBytes(new Uint8Array(3)), (e: unknown) => e instanceof UsageError && /11 bits/.test((e as Error).message));
  assert.throws(() => crcByName('crc16').attachBits(new Uint8Array(8), new Uint8Array(8)), (e: unknown) => e instanceof UsageError);
  assert.throws(() => new Crc({ name: 'x', width: 33, poly: 1 }), (e: unknown) => e instanceof RangeError);
});

test('the Crc satisfies the block packer\'s interface: name, length, computeBits(bits, out)', () => {
  const c = crcByName('crc24a');
  assert.is(c.length, 24);
  const out = new Uint8Array(24);
  assert.is(c.computeBits(new Uint8Array([1, 0, 1]), out), out);
});

test.run();
