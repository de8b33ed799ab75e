/**
 * .npy read/write. Fixtures in fixtures/npy_*.npy were written by NumPy 2.4 (np.save,
 * np.lib.format.write_array for version 2.0); the expected values below are NumPy's.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readNpy, writeNpy, encodeNpy, readNpyFloat32, halfToFloat, floatToHalf } from '../../src/io/npy.js';
import { UsageError } from '../../src/core/errors.js';
import { packageRoot } from '../../src/core/version.js';

const fx = (name: string) => path.join(packageRoot(), 'fixtures', name);
const F4 = [0, 1.5, -2.25, 3.0e-3, 65504.0, 1e-7].map(Math.fround);

test('reads NumPy float32, float64, big-endian, version-2 files', () => {
  for (const f of ['npy_f4_2x3.npy', 'npy_be_f4_2x3.npy', 'npy_v2_f4_2x3.npy']) {
    const a = readNpy(fx(f));
    assert.is(a.dtype, 'float32', f);
    assert.equal(a.shape, [2, 3], f);
    assert.ok(a.data instanceof Float32Array);
    assert.equal(Array.from(a.data), F4, f);
  }
  const d = readNpy(fx('npy_f8_2x3.npy'));
  assert.is(d.dtype, 'float64');
  assert.ok(d.data instanceof Float64Array);
  assert.equal(Array.from(d.data), F4);
});

test('float16 files become float32 with NumPy\'s values', () => {
  const a = readNpy(fx('npy_f2_2x3.npy'));
  assert.is(a.dtype, 'float16');
  assert.ok(a.data instanceof Float32Array);
  assert.equal(Array.from(a.data), [0.0, 1.5, -2.25, 0.0030002593994140625, 65504.0, 1.1920928955078125e-07]);
  // The bit patterns NumPy wrote for the same values (round to nearest even, subnormal 2).
  assert.equal(F4.map(floatToHalf), [0, 15872, 49280, 6693, 31743, 2]);
  assert.is(halfToFloat(0x7c00), Infinity);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
  assert.is(floatToHalf(1e6), 0x7c00); // overflow -> Inf
  assert.is(floatToHalf(-0), 0x8000);
});

test('float16: every finite bit pattern round trips; ties round to even', () => {
  for (let h = 0; h < 65536; h++) {
    const f = halfToFloat(h);
    if (Number.isNaN(f)) continue;
    assert.is(floatToHalf(f), h);
  }
  // 1 + 2^-11 lies halfway between 1 (0x3c00) and 1 + 2^-10 (0x3c01): to even (0x3c00);
  // 1 + 3 * 2^-11 lies between 0x3c01 and 0x3c02: to even (0x3c02).
  assert.is(floatToHalf(1 + 2 ** -11), 0x3c00);
  assert.is(floatToHalf(1 + 3 * 2 ** -11), 0x3c02);
  assert.is(floatToHalf(65520), 0x7c00); // rounds past the largest half (65504) to Inf, as NumPy does
  assert.is(floatToHalf(2 ** -25), 0); // halfway to the smallest subnormal: to even (0)
  assert.is(floatToHalf(3 * 2 ** -26), 1);
});

test('uint8 and int32 files', () => {
  const u = readNpy(fx('npy_u1_2x2x2.npy'));
  assert.is(u.dtype, 'uint8');
  assert.equal(u.shape, [2, 2, 2]);
  assert.equal(Array.from(u.data), [0, 32, 64, 96, 128, 160, 192, 224]);
  const i = readNpy(fx('npy_i4_4.npy'));
  assert.equal(i.shape, [4]);
  assert.equal(Array.from(i.data), [-5, 0, 7, 2 ** 31 - 1]);
  assert.equal(Array.from(readNpyFloat32(fx('npy_i4_4.npy')).data), [-5, 0, 7, 2 ** 31].map(Math.fround));
});

test('our header is byte-identical to NumPy\'s and round trips every dtype', () => {
  const np = readFileSync(fx('npy_f4_2x3.npy'));
  const ours = encodeNpy(new Float32Array(F4), [2, 3]);
  assert.equal(Buffer.from(ours).equals(np), true);
  const dir = mkdtempSync(path.join(tmpdir(), 'npy-'));
  try {
    const cases: [string, number[], ArrayLike<number>][] = [
      ['float32', [2, 3], F4], ['float64', [3, 2], [1e300, -1, 0.1, 2, 3, 4]], ['uint8', [4], [0, 1, 254, 255]],
      ['int8', [2], [-128, 127]], ['int16', [1, 2], [-32768, 5]], ['uint16', [2], [0, 65535]],
      ['int32', [2], [-(2 ** 31), 9]], ['uint32', [1], [2 ** 32 - 1]], ['float16', [3], [0.5, -2, 65504]],
      ['float32', [0, 4], []], ['float32', [], [42]],
    ];
    for (const [dtype, shape, values] of cases) {
      const p = path.join(dir, `${dtype}.npy`);
      writeNpy(p, values, shape, dtype as never);
      const r = readNpy(p);
      assert.is(r.dtype, dtype);
      assert.equal(r.shape, shape);
      assert.equal(Array.from(r.data), Array.from(values), dtype);
    }
    // Atomic write: no temporary file left behind.
    assert.equal(readdirSync(dir).filter((f) => f.includes('.tmp')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function usage(fn: () => unknown, ...words: string[]): void {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UsageError, `expected a UsageError, got ${e}`);
    const msg = (e as Error).message;
    assert.not.match(msg, /\n/);
    for (const w of words) assert.ok(msg.includes(w), `"${msg}" should mention "${w}"`);
    return;
  }
  assert.unreachable('no error thrown');
}

test('bad files are one-line usage errors naming the problem', () => {
  const good = readFileSync(fx('npy_f4_2x3.npy'));
  usage(() => readNpy(fx('npy_fortran_f4_2x3.npy')), 'Fortran order');
  usage(() => readNpy(fx('npy_c8_2.npy')), '<c8', 'float32');
  usage(() => readNpy(fx('npy_i8_2.npy')), '<i8');
  usage(() => readNpy(good.subarray(0, good.length - 3)), 'truncated data');
  usage(() => readNpy(good.subarray(0, 40)), 'truncated header');
  usage(() => readNpy(Buffer.concat([good, Buffer.from([0])])), '1 bytes after');
  usage(() => readNpy(Buffer.from('hello world, not numpy')), 'magic');
  usage(() => readNpy(path.join(packageRoot(), 'fixtures', 'no-such-file.npy')), 'no-such-file.npy');
  const hdr = Buffer.from(good);
  hdr.write("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", 10, 'latin1');
  usage(() => readNpy(hdr), 'bad shape');
  const noShape = Buffer.from(good);
  noShape.write("{'descr': '<f4', 'fortran_order': False, 'shxpe'", 10, 'latin1');
  usage(() => readNpy(noShape), 'bad header');
  const v9 = Buffer.from(good);
  v9[6] = 9;
  usage(() => readNpy(v9), 'version 9');
  usage(() => encodeNpy(new Float32Array(5), [2, 3]), '(2, 3)', '5');
});

test.run();
