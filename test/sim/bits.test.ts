/** fillBitsFast gives exactly Rng.fillBits's bits (and leaves the stream in the same state). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/rng.js';
import { fillBitsFast } from '../../src/sim/bits.js';

test('fillBitsFast equals Rng.fillBits for lengths around word boundaries, then the streams agree', () => {
  for (const n of [0, 1, 5, 31, 32, 33, 64, 100, 1024, 1620, 4099]) {
    const a = new Rng(8).split(n), b = new Rng(8).split(n);
    const x = fillBitsFast(a, new Uint8Array(n));
    const y = b.fillBits(new Uint8Array(n));
    assert.equal(Array.from(x), Array.from(y), `n = ${n}`);
    assert.is(a.uint32(), b.uint32(), `stream state after n = ${n}`);
  }
  // an unaligned view falls back to fillBits and still agrees
  const buf = new Uint8Array(101);
  const a = fillBitsFast(new Rng(3), buf.subarray(1, 101));
  const b = new Rng(3).fillBits(new Uint8Array(100));
  assert.equal(Array.from(a), Array.from(b));
});

test.run();
