import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RateMatcher, bitInterleaverPermutation, startingPosition } from '../../../../src/fec/ldpc/5gnr/rate-matching.js';

// Hand-worked case: BG2, K' = 12, Z = 2 (Kb = 6), K = 10 Z = 20, so codeword bits 12..19 are filler;
// N = Ncb = 50 Z = 100 (codeword 4..103); in the buffer d (codeword index - 4) the filler is d 8..15.
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

test('k0 of Table 5.4.2.1-2 (full buffer Ncb = N)', () => {
  assert.equal([0, 1, 2, 3].map((rv) => startingPosition('bg1', rv as 0, 66 * 384, 384)), [0, 17 * 384, 33 * 384, 56 * 384]);
  assert.equal([0, 1, 2, 3].map((rv) => startingPosition('bg2', rv as 0, 50 * 2, 2)), [0, 26, 50, 86]);
  // Ncb < N (limited buffer) rounds down to a multiple of Z: floor(17 * 1000 / (66 * 16)) * 16 = 16 * 16.
  assert.is(startingPosition('bg1', 1, 1000, 16), 256);
});

test('rv 0: first 2Z bits punctured, filler skipped, bits taken in order', () => {
  const rm = new RateMatcher('bg2', 2, 12, 10);
  assert.equal(Array.from(rm.positions), [...range(4, 12), 20, 21]);
  assert.is(rm.span, 22);
});

test('rv 3 wraps around the circular buffer to its start', () => {
  const rm = new RateMatcher('bg2', 2, 12, 20, { rv: 3 });
  assert.equal(Array.from(rm.positions), [...range(90, 104), ...range(4, 10)]);
  assert.is(rm.span, 104);
});

test('E > N - F repeats the buffer (without filler) from its start', () => {
  const rm = new RateMatcher('bg2', 2, 12, 100);
  const once = [...range(4, 12), ...range(20, 104)]; // N - F = 92 bits
  assert.equal(Array.from(rm.positions), [...once, ...once.slice(0, 8)]);
});

test('limited buffer (Ncb < N) wraps at Ncb, and k0 scales with Ncb', () => {
  // BG2 K'=12 Z=2: K + 2Z = 24 <= Ncb <= 100. Ncb = 30: buffer d 0..29 without filler 8..15 = 22 bits.
  const rm = new RateMatcher('bg2', 2, 12, 30, { ncb: 30 });
  const once = [...range(4, 12), ...range(20, 34)];
  assert.equal(Array.from(rm.positions), [...once, ...once.slice(0, 8)]);
  assert.is(rm.span, 34);
  // rv 2: k0 = floor(25 * 30 / (50 * 2)) * 2 = 14, inside the filler, so output starts at d = 16.
  const rv2 = new RateMatcher('bg2', 2, 12, 4, { ncb: 30, rv: 2 });
  assert.is(rv2.k0, 14);
  assert.equal(Array.from(rv2.positions), [20, 21, 22, 23]);
  assert.throws(() => new RateMatcher('bg2', 2, 12, 30, { ncb: 23 }), /Ncb=23/);
  assert.throws(() => new RateMatcher('bg2', 2, 12, 30, { ncb: 101 }), /Ncb=101/);
});

test('5.4.2.2 bit interleaver: f[i + j Qm] = e[i E/Qm + j], a permutation', () => {
  assert.equal(Array.from(bitInterleaverPermutation(12, 4)), [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
  const p = bitInterleaverPermutation(6 * 50, 6);
  assert.equal([...p].sort((a, b) => a - b), range(0, 300));
  assert.throws(() => bitInterleaverPermutation(10, 4), /multiple/);
  const plain = new RateMatcher('bg2', 2, 12, 12);
  const inter = new RateMatcher('bg2', 2, 12, 12, { bitsPerSymbol: 4 });
  assert.equal(Array.from(inter.positions), [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11].map((q) => plain.positions[q]));
});

test('select then recover: repeats add, filler is +Infinity, punctured and unsent stay 0', () => {
  const rm = new RateMatcher('bg2', 2, 12, 100);
  const cw = Uint8Array.from(range(0, 104), (i) => (i * 7) % 3 === 0 ? 1 : 0);
  for (let i = 12; i < 20; i++) cw[i] = 0;
  const e = rm.select(cw);
  for (let q = 0; q < 100; q++) assert.is(e[q], cw[rm.positions[q]]);
  const llr = Float32Array.from(e, (b) => (b ? -1 : 1));
  const full = rm.recover(llr, 104);
  for (let i = 0; i < 4; i++) assert.is(full[i], 0); // punctured
  for (let i = 12; i < 20; i++) assert.is(full[i], Infinity); // filler
  // The 8 repeated bits are codeword bits 4..11 (sent twice); the rest went out once.
  for (let i = 4; i < 12; i++) assert.is(full[i], cw[i] ? -2 : 2, `bit ${i}`);
  for (let i = 20; i < 104; i++) assert.is(full[i], cw[i] ? -1 : 1, `bit ${i}`);
  // A shorter E leaves the tail unsent (0); recover into a longer array.
  const short = new RateMatcher('bg2', 2, 12, 10);
  const f2 = short.recover(new Float32Array(10).fill(3), 40);
  assert.is(f2[21], 3);
  assert.is(f2[22], 0);
  assert.is(f2[39], 0);
  assert.throws(() => short.recover(new Float32Array(10), 21), /span/);
});

test.run();
