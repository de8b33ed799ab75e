/**
 * Monte-Carlo BER of the K=7 rate-1/2 code with soft Viterbi decoding (BPSK, AWGN) against the
 * union bound P_b <= sum_d c_d Q(sqrt(2 d R Eb/N0)) from the code's distance spectrum (whose
 * c_d are checked against the published ones in spectrum.test.ts).
 *
 * At Eb/N0 = 4 dB the bound is 1.90e-5 (with the tail's rate k/n) and a long run (32.8 Mbit,
 * 563 bit errors in 130 blocks) measured 1.72e-5: the bound is tight there, so the test asks
 * that the 95% interval of the measured BER reaches below the bound and above half of it. The
 * interval comes from per-block error counts (batch means), as Viterbi errors come in bursts.
 * 4000 blocks of 2048 bits: about 140 bit errors, a +-35% interval; a decoder 1 dB worse
 * (hard decisions lose 2 dB) lands several times above the bound and fails.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConvCode } from '../../../src/fec/conv/code.js';
import { distanceSpectrum, qfunc, unionBoundBer } from '../../../src/fec/conv/spectrum.js';
import { Rng } from '../../../src/core/rng.js';
import { BpskAwgn, batchMeans95 } from './awgn.js';

test('K=7 R=1/2 soft Viterbi at Eb/N0 = 4 dB: within [bound / 2, bound] (95% CI), channel errors as BPSK theory', () => {
  const ebn0 = 4;
  const k = 2048;
  const blocks = 4000;
  const code = new ConvCode('1/2', { k });
  const bound = unionBoundBer(distanceSpectrum('1/2', 30), ebn0, code.rate);
  const sigma = BpskAwgn.sigma(ebn0, code.rate);
  const ch = new BpskAwgn();
  const root = new Rng(2026);
  const u = new Uint8Array(k);
  const x = new Uint8Array(code.n);
  const llr = new Float32Array(code.n);
  const out = new Uint8Array(k);
  const errors = new Float64Array(blocks);
  let rawErrors = 0;
  for (let b = 0; b < blocks; b++) {
    const rng = root.split(b);
    rng.fillBits(u);
    code.encode(u, x);
    ch.transmit(x, sigma, rng, llr);
    for (let i = 0; i < code.n; i++) rawErrors += (llr[i] < 0 ? 1 : 0) ^ x[i];
    code.decode(llr, out);
    let e = 0;
    for (let i = 0; i < k; i++) e += out[i] ^ u[i];
    errors[b] = e;
  }
  // The channel really made errors: hard-decision BER = Q(sqrt(2 R Eb/N0)) (~1.25e-2), within 3%.
  const rawTheory = qfunc(Math.sqrt(2 * code.rate * Math.pow(10, ebn0 / 10)));
  const raw = rawErrors / (blocks * code.n);
  assert.ok(Math.abs(raw / rawTheory - 1) < 0.03, `raw BER ${raw} vs ${rawTheory}`);
  const ber = batchMeans95(errors, k);
  const total = errors.reduce((s, e) => s + e, 0);
  assert.ok(total >= 60, `only ${total} bit errors: the estimate is too loose`);
  assert.ok(ber.lo <= bound, `BER ${ber.mean.toExponential(3)} [${ber.lo.toExponential(3)}, ${ber.hi.toExponential(3)}] is above the union bound ${bound.toExponential(3)}`);
  assert.ok(ber.hi >= bound / 2, `BER ${ber.mean.toExponential(3)} [${ber.lo.toExponential(3)}, ${ber.hi.toExponential(3)}] is below half the bound ${bound.toExponential(3)}`);
  assert.ok(ber.mean <= bound * 1.3 && ber.mean >= bound / 2.5, `BER ${ber.mean} vs bound ${bound}`);
});

test.run();
