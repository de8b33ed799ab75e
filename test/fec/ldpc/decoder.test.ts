import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ParityCheck } from '../../../src/fec/ldpc/parity-check.js';
import { LdpcDecoder, LDPC_ALGORITHMS, LLR_CLAMP } from '../../../src/fec/ldpc/decoder.js';
import { parityCheck80211n } from '../../../src/fec/ldpc/80211n/code.js';
import { UsageError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';

// One single-parity check of degree 5: after one iteration the posterior of bit v is
// llr[v] + (check message), computable by hand for each algorithm.
const spc = ParityCheck.fromRows(5, [[0, 1, 2, 3, 4]]);
const llr = Float32Array.from([1.5, -0.25, 3, -2, 0.75]);

function posteriorAfterOne(algorithm: 'nms' | 'oms' | 'spa', extra: object = {}): Float32Array {
  const dec = new LdpcDecoder(spc, { algorithm, maxIterations: 1, ...extra });
  dec.decode(llr);
  return Float32Array.from(dec.posterior());
}

test('SPA check message is the exact boxplus 2 atanh(prod tanh(l/2)) of the other LLRs', () => {
  const post = posteriorAfterOne('spa');
  for (let v = 0; v < 5; v++) {
    let p = 1;
    for (let j = 0; j < 5; j++) if (j !== v) p *= Math.tanh(llr[j] / 2);
    const want = llr[v] + 2 * Math.atanh(p);
    assert.ok(Math.abs(post[v] - want) < 1e-5 * Math.max(1, Math.abs(want)), `v=${v}: ${post[v]} vs ${want}`);
  }
});

test('normalized and offset min-sum messages: alpha * min and max(min - beta, 0), sign = product of the others', () => {
  const nms = posteriorAfterOne('nms', { normalization: 0.8 });
  const oms = posteriorAfterOne('oms', { offset: 0.5 });
  for (let v = 0; v < 5; v++) {
    let sign = 1;
    let min = Infinity;
    for (let j = 0; j < 5; j++) {
      if (j === v) continue;
      sign *= Math.sign(llr[j]);
      min = Math.min(min, Math.abs(llr[j]));
    }
    assert.ok(Math.abs(nms[v] - (llr[v] + sign * 0.8 * min)) < 1e-6, `nms v=${v}`);
    assert.ok(Math.abs(oms[v] - (llr[v] + sign * Math.max(min - 0.5, 0))) < 1e-6, `oms v=${v}`);
  }
  // v = 1 holds the smallest |llr| (0.25): the others see 0.25, v sees the second minimum 0.75
  assert.ok(Math.abs(nms[1] - (-0.25 + -1 * 0.8 * 0.75)) < 1e-6);
});

test('early stop: a clean codeword stops after 1 iteration; without early stop all iterations run', () => {
  const h = parityCheck80211n(648, '1/2');
  const clean = new Float32Array(h.n).fill(4); // all-zero codeword
  for (const algorithm of LDPC_ALGORITHMS) {
    const r1 = new LdpcDecoder(h, { algorithm, maxIterations: 7 }).decode(clean);
    assert.is(r1.iterations, 1);
    assert.ok(r1.ok);
    const r2 = new LdpcDecoder(h, { algorithm, maxIterations: 7, earlyStop: false }).decode(clean);
    assert.is(r2.iterations, 7);
    assert.ok(r2.ok);
    assert.ok(r2.bits.every((b) => b === 0));
  }
});

test('zero LLRs in: bits defined, ok is a boolean, no NaN anywhere', () => {
  const h = parityCheck80211n(1296, '2/3');
  for (const v of VARIANTS) {
    const algorithm = `${v.algorithm}/${v.kernel}`;
    const dec = new LdpcDecoder(h, { ...v, maxIterations: 5, earlyStop: false });
    const r = dec.decode(new Float32Array(h.n));
    assert.is(typeof r.ok, 'boolean');
    assert.ok(r.bits.every((b) => b === 0 || b === 1));
    assert.ok(dec.posterior().every((x) => Number.isFinite(x)), algorithm);
  }
});

const VARIANTS = [
  { algorithm: 'nms', kernel: 'wasm' }, { algorithm: 'nms', kernel: 'js' },
  { algorithm: 'oms', kernel: 'wasm' }, { algorithm: 'oms', kernel: 'js' }, { algorithm: 'spa', kernel: 'js' },
] as const;

test('huge and infinite LLRs (also contradicting the code) stay finite and decode', () => {
  const h = parityCheck80211n(648, '5/6');
  const rng = new Rng(5);
  for (const v of VARIANTS) {
    const algorithm = `${v.algorithm}/${v.kernel}`;
    const dec = new LdpcDecoder(h, { ...v, maxIterations: 10, earlyStop: false });
    // all-zero codeword sent with infinite confidence, 3 bits flipped to -Infinity, some 1e30
    const x = new Float32Array(h.n).fill(Infinity);
    for (let i = 0; i < 40; i++) x[rng.int(h.n)] = 1e30;
    x[3] = -Infinity; x[200] = -Infinity; x[600] = -1e38;
    const r = dec.decode(x);
    const bound = (1 + Math.max(...h.columnWeights())) * LLR_CLAMP;
    assert.ok(dec.posterior().every((v) => Number.isFinite(v) && Math.abs(v) <= bound), algorithm);
    assert.ok(r.bits.every((b) => b === 0 || b === 1));
    // weak wrong bits among saturated LLRs must be corrected (saturation must not break the
    // extrinsic arithmetic):
    const y = new Float32Array(h.n).fill(Infinity);
    y[3] = -2; y[200] = -2; y[600] = -2;
    const r2 = dec.decode(y);
    assert.ok(r2.ok && r2.bits.every((b) => b === 0), `${algorithm} corrects 3 weak errors among infinite LLRs`);
  }
});

test('bad options and inputs: UsageError / RangeError naming the value', () => {
  const h = parityCheck80211n(648, '1/2');
  assert.throws(() => new LdpcDecoder(h, { algorithm: 'bp' as never }), (e: unknown) => e instanceof UsageError && /"bp"/.test((e as Error).message));
  assert.throws(() => new LdpcDecoder(h, { maxIterations: 0 }), (e: unknown) => e instanceof UsageError && /maxIterations 0/.test((e as Error).message));
  assert.throws(() => new LdpcDecoder(h, { normalization: 1.5 }), /normalization 1.5/);
  assert.throws(() => new LdpcDecoder(h, { offset: -1 }), /offset -1/);
  const dec = new LdpcDecoder(h);
  assert.throws(() => dec.decode(new Float32Array(647)), /got 647 LLRs/);
  const nan = new Float32Array(648);
  nan[10] = NaN;
  assert.throws(() => dec.decode(nan), /LLR 10 is NaN/);
});

test.run();
