/**
 * The inter-frame int8 min-sum kernel (kernel/minsum8.wat): bit-exact against a scalar int8 model
 * of the same arithmetic (quantization, saturating adds, q15 normalization) after 1..8 iterations,
 * on QC codes and on non-QC ones (n < 16 and n not a multiple of 16: the transposes' ragged ends);
 * frames in a batch do not interact (a batch of 21 = 16 + 5 = 21 single decodes, converged frames
 * latched); NaNs refused; and its BLER curve on 802.11n (1944, 1/2) crosses 1e-2 within 0.1 dB of
 * the float kernel's.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LdpcDecoder } from '../../../src/fec/ldpc/decoder.js';
import { LANES8, LLR8_FORMAT, WasmMinSum8Kernel, wasmMinSum8Available } from '../../../src/fec/ldpc/kernel/minsum8-kernel.js';
import { createLdpc80211n } from '../../../src/fec/ldpc/80211n/code.js';
import { ParityCheck } from '../../../src/fec/ldpc/parity-check.js';
import { Rng } from '../../../src/core/rng.js';
import { blerCrossings, noisy } from './fixed-kernel.js';
import { UsageError } from '../../../src/core/errors.js';

const sat = (x: number) => (x > 127 ? 127 : x < -128 ? -128 : x);
/** f32.nearest: round half to even. */
const nearest = (x: number) => {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** Scalar model: one frame, `iters` layered passes, the kernel's int8 arithmetic. */
function model(h: ParityCheck, llr: Float32Array, iters: number, alpha: number, offset: number): Int8Array {
  const { scale: s, qmax } = LLR8_FORMAT;
  const post = new Int32Array(h.n);
  for (let v = 0; v < h.n; v++) post[v] = Math.min(qmax, Math.max(-qmax, nearest(Math.fround(llr[v] * s))));
  const msg = new Int32Array(h.edges);
  const t = new Int32Array(64);
  for (let it = 0; it < iters; it++) {
    for (let r = 0; r < h.m; r++) {
      const a0 = h.rowPtr[r], a1 = h.rowPtr[r + 1];
      let min1 = 127, min2 = 127, neg = 0;
      for (let e = a0; e < a1; e++) {
        const x = sat(post[h.colIdx[e]] - msg[e]);
        t[e - a0] = x;
        if (x < 0) neg ^= 1;
        const a = Math.min(Math.abs(x), 127);
        min2 = Math.min(min2, Math.max(a, min1));
        min1 = Math.min(min1, a);
      }
      // minima <= 127, so the q15 product never saturates and min - offset >= -127
      const scale = (m: number) => Math.max(0, ((m * alpha + 0x4000) >> 15) - offset);
      const m1 = scale(min1), m2 = scale(min2);
      for (let e = a0; e < a1; e++) {
        const x = t[e - a0];
        const mag = Math.abs(x) === min1 ? m2 : m1; // |-128| = 128 never equals a minimum (<= 127)
        const c = (neg ^ (x < 0 ? 1 : 0)) ? -mag : mag;
        msg[e] = c;
        post[h.colIdx[e]] = sat(x + c);
      }
    }
  }
  return Int8Array.from(post);
}

/** A random non-QC code: column weight about 3, row weight about 6 (repeated sockets dropped). */
function randomCode(n: number, rng: Rng): ParityCheck {
  const sockets = Array.from({ length: 3 * n }, (_, i) => i % n);
  for (let i = sockets.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [sockets[i], sockets[j]] = [sockets[j], sockets[i]];
  }
  const rows: number[][] = [];
  for (let r = 0; r < sockets.length / 6; r++) rows.push([...new Set(sockets.slice(6 * r, 6 * r + 6))]);
  return ParityCheck.fromRows(n, rows);
}

/** BPSK/AWGN LLR frames of random codewords at Eb/N0 = ebn0 dB. */
test('int8 kernel = scalar int8 model, lane by lane, after 1..8 iterations (NMS 0.75, OMS 0.5), QC and non-QC', () => {
  assert.ok(wasmMinSum8Available());
  const rng = new Rng(4);
  const codes: [string, ParityCheck][] = [
    ['802.11n 648 1/2', createLdpc80211n(648, '1/2').h],
    ['802.11n 1944 2/3', createLdpc80211n(1944, '2/3').h],
    ['random n=300', randomCode(300, rng)],
    ['Hamming (7,4)', ParityCheck.fromRows(7, [[0, 1, 2, 4], [1, 2, 3, 5], [0, 1, 3, 6]])],
  ];
  const offsetQ = Math.round(0.5 * LLR8_FORMAT.scale);
  for (const [name, h] of codes) {
    assert.is(h.qc !== undefined, name.startsWith('802.11n'));
    const n = h.n;
    const llr = new Float32Array(LANES8 * n);
    for (let i = 0; i < llr.length; i++) llr[i] = 3 + 3.5 * rng.gaussian(); // some saturate at +-qmax, some at +-127
    // at the start of frame 0 (quantized 16 at a time) and the end of frame 10 (with 11 frames of
    // n % 16 != 0 variables, the scalar tail)
    for (const at of [1, 11 * n - 6]) {
      llr[at] = 1e9; // saturates at +qmax
      llr[at + 1] = -Infinity;
      llr[at + 2] = -0.1; // quantizes to 0
      llr[at + 3] = 0.375; // ties of round(llr * 4): to even
      llr[at + 4] = -0.625;
    }
    for (const frames of [LANES8, 11]) {
      for (const [alg, alpha, offset] of [['nms', 24576, 0], ['oms', 32767, offsetQ]] as const) {
        for (const iters of [1, 3, 8]) {
          const k = new WasmMinSum8Kernel(h);
          k.llr.set(llr);
          k.load(frames);
          for (let i = 0; i < iters; i++) k.iterate(alpha, offset);
          for (let f = 0; f < LANES8; f++) {
            const got = Array.from({ length: n }, (_, v) => k.post[LANES8 * v + f]);
            // lanes past `frames` hold zeros (an all-zero frame stays all zero), whatever llr holds there
            const want = f < frames ? Array.from(model(h, llr.subarray(f * n, (f + 1) * n), iters, alpha, offset)) : new Array<number>(n).fill(0);
            assert.equal(got, want, `${name} ${alg} frames=${frames} it=${iters} lane ${f}`);
          }
        }
      }
    }
  }
});

test('decodeMany: a batch of 21 frames (16 + 5) = 21 single decodes, converged frames latched, early stop per frame', () => {
  const code = createLdpc80211n(648, '1/2');
  const count = LANES8 + 5;
  const { llr, cws } = noisy(code, 1.5, count, new Rng(6));
  const dec = new LdpcDecoder(code.h, { kernel: 'int8', maxIterations: 20 });
  assert.is(dec.kernel, 'int8');
  const many = dec.decodeMany(llr, count);
  const its = new Set<number>();
  let okCount = 0;
  for (let f = 0; f < count; f++) {
    const one = new LdpcDecoder(code.h, { kernel: 'int8', maxIterations: 20 }).decode(llr.subarray(f * 648, (f + 1) * 648));
    assert.equal(Array.from(many.bits.subarray(f * 648, (f + 1) * 648)), Array.from(one.bits), `frame ${f}`);
    assert.is(many.ok[f], one.ok ? 1 : 0);
    assert.is(many.iterations[f], one.iterations);
    its.add(one.iterations);
    if (one.ok) {
      okCount++;
      assert.ok(code.h.syndromeOk(one.bits));
      assert.equal(Array.from(one.bits), Array.from(cws[f]), `frame ${f} converged to its codeword`);
    }
  }
  // frames of one batch stopped at different iterations: the early ones kept iterating in their
  // lanes, so their equality with single decodes is the latching at work
  assert.ok(its.size >= 3, `iterations ${[...its]}`);
  assert.ok(okCount >= count / 2 && okCount < count, `${okCount} of ${count} converged`); // both paths taken
  // no early stop: every frame runs maxIterations
  const full = new LdpcDecoder(code.h, { kernel: 'int8', maxIterations: 7, earlyStop: false }).decodeMany(llr, count);
  assert.ok(full.iterations.every((it) => it === 7));
  assert.throws(() => new LdpcDecoder(code.h, { kernel: 'int8', algorithm: 'spa' }), (e: unknown) => e instanceof UsageError);
  assert.throws(() => new LdpcDecoder(code.h, { kernel: 'int9' as 'int8' }), /use auto, js, wasm, int16, int8/);
});

test('decodeMany int8: a NaN LLR is refused, in the vector part and in the ragged tail; unused lanes are never read', () => {
  const code = createLdpc80211n(648, '1/2'); // 648 = 40 * 16 + 8: an odd frame count leaves a tail
  const { llr } = noisy(code, 2.0, LANES8, new Rng(9));
  const dec = new LdpcDecoder(code.h, { kernel: 'int8' });
  for (const at of [5, 3 * 648 - 1]) {
    const bad = llr.slice(0, 3 * 648);
    bad[at] = NaN;
    assert.throws(() => dec.decodeMany(bad, 3), /NaN/, `NaN at ${at}`);
  }
  const bad = llr.slice();
  bad[LANES8 * 648 - 1] = NaN; // the last frame
  assert.throws(() => dec.decodeMany(bad, LANES8), /NaN/);
  // the refused NaN is still in the kernel's LLR buffer (frame 15), outside this 1-frame batch
  const one = dec.decodeMany(llr.subarray(0, 648), 1);
  assert.is(one.ok[0], 1);
  assert.throws(() => dec.decode(Float32Array.from({ length: 648 }, (_, i) => (i === 100 ? NaN : 1))), /NaN/);
});

test('802.11n (1944, 1/2), NMS 10 it: the int8 BLER crosses 1e-2 within 0.1 dB of the float kernel', () => {
  const { float: a, fixed: b, bler } = blerCrossings('int8');
  assert.ok(Number.isFinite(a) && Number.isFinite(b), `BLER float ${bler.fl} int8 ${bler.fx}`);
  assert.ok(Math.abs(a - b) < 0.1, `BLER 1e-2 at ${a.toFixed(3)} dB (float) vs ${b.toFixed(3)} dB (int8); ${bler.fl} / ${bler.fx}`);
});

test.run();
