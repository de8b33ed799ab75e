import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLdpc80211n, LDPC_80211N_LENGTHS, LDPC_80211N_RATES, parityCheck80211n } from '../../../../src/fec/ldpc/80211n/code.js';
import { prototype80211n } from '../../../../src/fec/ldpc/80211n/prototypes.js';
import { UsageError } from '../../../../src/core/errors.js';
import { Rng } from '../../../../src/core/rng.js';

const RATE_VALUE: Record<string, number> = { '1/2': 1 / 2, '2/3': 2 / 3, '3/4': 3 / 4, '5/6': 5 / 6 };

test('prototypes: 24 block columns, 24(1-R) rows, Z = N/24, shifts in 0..Z-1, 802.11n parity structure', () => {
  for (const n of LDPC_80211N_LENGTHS) {
    for (const rate of LDPC_80211N_RATES) {
      const p = prototype80211n(n, rate)!;
      assert.is(p.cols, 24);
      assert.is(p.z, n / 24);
      assert.is(p.rows, Math.round(24 * (1 - RATE_VALUE[rate])));
      const kb = p.cols - p.rows;
      for (let i = 0; i < p.shifts.length; i++) assert.ok(p.shifts[i] >= -1 && p.shifts[i] < p.z, `${n}:${rate} entry ${i}`);
      // first parity column: 1 at the first and last row, 0 at one middle row (Annex F)
      const col = Array.from({ length: p.rows }, (_, r) => p.shifts[r * 24 + kb]);
      assert.is(col[0], 1);
      assert.is(col[p.rows - 1], 1);
      assert.is(col.filter((s) => s === 0).length, 1);
      assert.is(col.filter((s) => s >= 0).length, 3);
    }
  }
  assert.is(prototype80211n(648, '7/8'), undefined);
});

test('every codeword of all 12 codes satisfies H c = 0, is systematic and the code is linear', () => {
  const rng = new Rng(11);
  for (const n of LDPC_80211N_LENGTHS) {
    for (const rate of LDPC_80211N_RATES) {
      const code = createLdpc80211n(n, rate);
      assert.is(code.n, n);
      assert.is(code.k, Math.round(n * RATE_VALUE[rate]));
      assert.is(code.name, `ldpc:80211n:${n}:${rate}`);
      const h = parityCheck80211n(n, rate);
      const a = rng.fillBits(new Uint8Array(code.k));
      const b = rng.fillBits(new Uint8Array(code.k));
      const ca = code.encode(a);
      const cb = code.encode(b);
      assert.ok(h.syndromeOk(ca), `${n}:${rate} a`);
      assert.ok(h.syndromeOk(cb), `${n}:${rate} b`);
      assert.equal(ca.subarray(0, code.k), a, 'systematic');
      // parity is not trivially zero and the map is linear: enc(a ^ b) = enc(a) ^ enc(b)
      assert.ok(ca.subarray(code.k).some((x) => x === 1));
      const ab = a.map((x, i) => x ^ b[i]);
      const cab = code.encode(ab);
      assert.equal(cab, ca.map((x, i) => x ^ cb[i]));
      // a single flipped parity or information bit breaks the syndrome
      for (const pos of [0, code.k - 1, code.k, n - 1]) {
        const bad = ca.slice();
        bad[pos] ^= 1;
        assert.not.ok(h.syndromeOk(bad), `${n}:${rate} flip ${pos}`);
      }
    }
  }
});

test('noiseless decoding is exact for all 12 codes and every algorithm (1 iteration, ok)', () => {
  const rng = new Rng(12);
  for (const n of LDPC_80211N_LENGTHS) {
    for (const rate of LDPC_80211N_RATES) {
      for (const algorithm of ['nms', 'oms', 'spa'] as const) {
        const code = createLdpc80211n(n, rate, { algorithm });
        const u = rng.fillBits(new Uint8Array(code.k));
        const c = code.encode(u);
        const llr = new Float32Array(n);
        for (let i = 0; i < n; i++) llr[i] = c[i] ? -5 : 5;
        const r = code.decode(llr);
        assert.ok(r.ok);
        assert.is(r.iterations, 1);
        assert.equal(r.bits, u, `${n}:${rate}:${algorithm}`);
      }
    }
  }
});

test('decoding corrects channel errors: 1944 R=1/2 with 4% hard errors at |LLR| = 2', () => {
  const rng = new Rng(13);
  const code = createLdpc80211n(1944, '1/2', { maxIterations: 20 });
  const u = rng.fillBits(new Uint8Array(code.k));
  const c = code.encode(u);
  const llr = new Float32Array(code.n);
  let flips = 0;
  for (let i = 0; i < code.n; i++) {
    const flip = rng.uniform() < 0.04;
    flips += flip ? 1 : 0;
    llr[i] = (c[i] ^ (flip ? 1 : 0)) ? -2 : 2;
  }
  assert.ok(flips > 50, 'the channel made errors');
  const r = code.decode(llr);
  assert.ok(r.ok);
  assert.ok(r.iterations > 1);
  assert.equal(r.bits, u);
});

test('unsupported (N, R), wrong message and LLR lengths: UsageError listing what is allowed', () => {
  const isUsage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test((e as Error).message);
  assert.throws(() => createLdpc80211n(640, '1/2'), isUsage(/N=640.*648, 1296, 1944.*1\/2, 2\/3, 3\/4, 5\/6/));
  assert.throws(() => createLdpc80211n(648, '7/8'), isUsage(/R=7\/8/));
  const code = createLdpc80211n(648, '3/4');
  assert.throws(() => code.encode(new Uint8Array(485)), isUsage(/485 bits.*k = 486/));
  assert.throws(() => code.decode(new Float32Array(640)), isUsage(/640 LLRs.*n = 648/));
});

test('N=648 R=5/6 H equals AFF3CT conf/dec/LDPC/WIFI_540_648.alist (the H of the reference curves), sampled rows/columns', () => {
  // 1-based variable indices of checks 1, 28, 55, 82 and 1-based check indices of variables 1, 28, 541, 648,
  // copied from the alist (aff3ct/aff3ct @ a356ed6).
  const checks: Record<number, number[]> = {
    0: [18, 41, 63, 103, 118, 139, 181, 202, 227, 244, 275, 313, 344, 354, 384, 416, 459, 479, 500, 527, 542, 568],
    27: [4, 40, 66, 96, 120, 161, 168, 208, 217, 253, 273, 324, 351, 362, 403, 413, 447, 480, 491, 516, 568, 595],
    54: [23, 44, 59, 85, 119, 157, 175, 195, 238, 258, 290, 303, 360, 384, 424, 444, 465, 492, 529, 541, 595, 622],
  };
  const vars: Record<number, number[]> = { 0: [11, 52, 60, 102], 27: [15, 43, 66, 102], 540: [27, 55, 108], 647: [81, 108] };
  const h = parityCheck80211n(648, '5/6');
  for (const [r, want] of Object.entries(checks)) {
    const got = Array.from(h.colIdx.slice(h.rowPtr[+r], h.rowPtr[+r + 1]), (c) => c + 1);
    assert.equal(got, want, `check ${r}`);
  }
  for (const [v, want] of Object.entries(vars)) {
    const got: number[] = [];
    for (let r = 0; r < h.m; r++) for (let e = h.rowPtr[r]; e < h.rowPtr[r + 1]; e++) if (h.colIdx[e] === +v) got.push(r + 1);
    assert.equal(got, want, `variable ${v}`);
  }
});

test.run();
