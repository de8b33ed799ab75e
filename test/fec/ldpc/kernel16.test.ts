/**
 * The inter-frame int16 min-sum kernel (kernel/minsum16.wat): bit-exact against a scalar int16
 * model of the same arithmetic (quantization, saturating adds, q15 normalization) after 1..8
 * iterations; frames in a batch do not interact (a batch of 13 = 13 single decodes); and its
 * BLER curve on 802.11n (1944, 1/2) crosses 1e-2 within 0.1 dB of the float kernel's.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LdpcDecoder } from '../../../src/fec/ldpc/decoder.js';
import { LLR16_QMAX, LLR16_SCALE, WasmMinSum16Kernel, wasmMinSum16Available } from '../../../src/fec/ldpc/kernel/minsum16-kernel.js';
import { createLdpc80211n } from '../../../src/fec/ldpc/80211n/code.js';
import type { ParityCheck } from '../../../src/fec/ldpc/parity-check.js';
import { Rng } from '../../../src/core/rng.js';
import { blerCrossings, noisy } from './fixed-kernel.js';
import { UsageError } from '../../../src/core/errors.js';

const sat = (x: number) => (x > 32767 ? 32767 : x < -32768 ? -32768 : x);
/** f32.nearest: round half to even. */
const nearest = (x: number) => {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** Scalar model: one frame, `iters` layered passes, the kernel's int16 arithmetic. */
function model(h: ParityCheck, llr: Float32Array, iters: number, alpha: number, offset: number): Int16Array {
  const post = new Int32Array(h.n);
  for (let v = 0; v < h.n; v++) post[v] = Math.min(LLR16_QMAX, Math.max(-LLR16_QMAX, nearest(Math.fround(llr[v] * LLR16_SCALE))));
  const msg = new Int32Array(h.edges);
  const t = new Int32Array(64);
  for (let it = 0; it < iters; it++) {
    for (let r = 0; r < h.m; r++) {
      const a0 = h.rowPtr[r], a1 = h.rowPtr[r + 1];
      let min1 = 32767, min2 = 32767, neg = 0;
      for (let e = a0; e < a1; e++) {
        const x = sat(post[h.colIdx[e]] - msg[e]);
        t[e - a0] = x;
        if (x < 0) neg ^= 1;
        const a = Math.min(Math.abs(x), 32767);
        min2 = Math.min(min2, Math.max(a, min1));
        min1 = Math.min(min1, a);
      }
      const scale = (m: number) => Math.max(0, sat(Math.min(32767, (m * alpha + 0x4000) >> 15) - offset));
      const m1 = scale(min1), m2 = scale(min2);
      for (let e = a0; e < a1; e++) {
        const x = t[e - a0];
        const mag = Math.abs(x) === min1 ? m2 : m1; // |-32768| = 32768 never equals a minimum (<= 32767)
        const c = (neg ^ (x < 0 ? 1 : 0)) ? -mag : mag;
        msg[e] = c;
        post[h.colIdx[e]] = sat(x + c);
      }
    }
  }
  return Int16Array.from(post);
}

test('int16 kernel = scalar int16 model, lane by lane, after 1..8 iterations (NMS 0.75, OMS 0.5)', () => {
  assert.ok(wasmMinSum16Available());
  const rng = new Rng(4);
  for (const [n, rate] of [[648, '1/2'], [1944, '2/3']] as const) {
    const code = createLdpc80211n(n, rate);
    const { llr } = noisy(code, 1.0, 8, rng);
    llr[3] = 1e9; // saturates at +qmax
    llr[5] = -0.06; // quantizes to 0
    for (const [alg, alpha, offset] of [['nms', 24576, 0], ['oms', 32767, 4]] as const) {
      for (const iters of [1, 3, 8]) {
        const k = new WasmMinSum16Kernel(code.h);
        k.llr.set(llr);
        k.load(8);
        for (let i = 0; i < iters; i++) k.iterate(alpha, offset);
        for (let f = 0; f < 8; f++) {
          const want = model(code.h, llr.subarray(f * n, (f + 1) * n), iters, alpha, offset);
          const got = Int16Array.from({ length: n }, (_, v) => k.post[8 * v + f]);
          assert.equal(Array.from(got), Array.from(want), `${n}:${rate} ${alg} it=${iters} frame ${f}`);
        }
      }
    }
  }
});

test('decodeMany: a batch of 13 frames = 13 single decodes (lanes are independent), early stop per frame', () => {
  const code = createLdpc80211n(648, '1/2');
  const { llr } = noisy(code, 1.5, 13, new Rng(6));
  const dec = new LdpcDecoder(code.h, { kernel: 'int16', maxIterations: 20 });
  assert.is(dec.kernel, 'int16');
  const many = dec.decodeMany(llr, 13);
  let sawEarly = false;
  for (let f = 0; f < 13; f++) {
    const one = new LdpcDecoder(code.h, { kernel: 'int16', maxIterations: 20 }).decode(llr.subarray(f * 648, (f + 1) * 648));
    assert.equal(Array.from(many.bits.subarray(f * 648, (f + 1) * 648)), Array.from(one.bits), `frame ${f}`);
    assert.is(many.ok[f], one.ok ? 1 : 0);
    assert.is(many.iterations[f], one.iterations);
    if (one.iterations < 20) sawEarly = true;
    if (one.ok) assert.ok(code.h.syndromeOk(one.bits));
  }
  assert.ok(sawEarly);
  // the float kernels keep their numbers in decodeMany
  const fl = new LdpcDecoder(code.h, { maxIterations: 20 });
  const fm = fl.decodeMany(llr, 13);
  for (let f = 0; f < 13; f++) assert.equal(Array.from(fm.bits.subarray(f * 648, (f + 1) * 648)), Array.from(fl.decode(llr.subarray(f * 648, (f + 1) * 648)).bits));
  assert.throws(() => new LdpcDecoder(code.h, { kernel: 'int16', algorithm: 'spa' }), (e: unknown) => e instanceof UsageError);
});

test('802.11n (1944, 1/2), NMS 10 it: the int16 BLER crosses 1e-2 within 0.1 dB of the float kernel', () => {
  const { float: a, fixed: b, bler } = blerCrossings('int16');
  assert.ok(Number.isFinite(a) && Number.isFinite(b), `BLER float ${bler.fl} int16 ${bler.fx}`);
  assert.ok(Math.abs(a - b) < 0.1, `BLER 1e-2 at ${a.toFixed(3)} dB (float) vs ${b.toFixed(3)} dB (int16); ${bler.fl} / ${bler.fx}`);
});

test.run();
