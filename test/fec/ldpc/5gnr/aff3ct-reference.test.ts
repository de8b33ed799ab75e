import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLdpc5gnr, type Ldpc5gnrCode } from '../../../../src/fec/ldpc/5gnr/code.js';
import { Rng } from '../../../../src/core/rng.js';

/**
 * FER points of AFF3CT's published 5G NR LDPC curves (aff3ct/error_rate_references, commit
 * 2934264e, AFF3CT v4.5.0), BPSK/AWGN, horizontal layered offset min-sum, offset 0.5,
 * 10 iterations, no syndrome stop:
 *  - LDPC/AWGN/BPSK/BP_HORIZONTAL_LAYERED/OMS/LDPC_N1024_K512_hlayered_OMS_i10_5G.txt
 *    (`aff3ct -N 1024 -K 512 -C LDPC --enc-type LDPC_5G --dec-type BP_HORIZONTAL_LAYERED
 *    --dec-no-synd -i 10 --dec-implem OMS --dec-off 0.5`: BG2, Zc 64, iLS 0, K_LDPC 640);
 *  - .../LDPC_N12288_K6144_hlayered_OMS_i10_5G.txt (same options: BG1, Zc 288, iLS 4, K_LDPC 6336).
 * Rows: Eb/N0 (dB), frames, frame errors (FER = errors / frames) as printed in the trace.
 */
const REFERENCE: { bg: 'bg1' | 'bg2'; k: number; points: [number, number, number][] }[] = [
  { bg: 'bg2', k: 512, points: [[1.5, 548, 102], [1.75, 1817, 101]] },
  { bg: 'bg1', k: 6144, points: [[1.3, 408, 105]] },
];

/** Frames (of `frames`) that decode wrong: BPSK, Es = 1, real AWGN with N0/2, LLR = 4 y / N0. */
function frameErrors(code: Ldpc5gnrCode, ebn0Db: number, frames: number, rng: Rng): number {
  const n0 = 1 / (code.rate * 10 ** (ebn0Db / 10));
  const noise = new Float32Array(code.n);
  const llr = new Float32Array(code.n);
  const u = new Uint8Array(code.k);
  let errors = 0;
  for (let f = 0; f < frames; f++) {
    rng.fillBits(u);
    const c = code.encode(u);
    rng.fillGaussian(noise, Math.sqrt(n0 / 2));
    for (let i = 0; i < code.n; i++) llr[i] = (4 * (1 - 2 * c[i] + noise[i])) / n0;
    const d = code.decode(llr);
    for (let i = 0; i < code.k; i++) {
      if (d.bits[i] !== u[i]) {
        errors++;
        break;
      }
    }
  }
  return errors;
}

// Two-sample test: |FER - FER_ref| <= 3.3 sigma of the difference (pooled binomial, both sample
// sizes), i.e. a correct chain fails it with probability ~1e-3. A 0.1 dB shift of the waterfall
// moves these FERs by ~40%, well outside the interval.
test('FER matches AFF3CT 5G NR (BG2 K=512 and BG1 K=6144, R=1/2, layered OMS 0.5, 10 it) within 3.3 sigma', () => {
  for (const ref of REFERENCE) {
    const code = createLdpc5gnr(ref.bg, ref.k, '1/2', { algorithm: 'oms', offset: 0.5, maxIterations: 10, earlyStop: false });
    assert.is(code.n, 2 * ref.k);
    for (const [ebn0, refFrames, refErrors] of ref.points) {
      const frames = Math.max(400, Math.round(refFrames * 1.5));
      const errors = frameErrors(code, ebn0, frames, new Rng(2024).split(ref.k, Math.round(ebn0 * 100)));
      const fer = errors / frames;
      const refFer = refErrors / refFrames;
      const p = (errors + refErrors) / (frames + refFrames);
      const sigma = Math.sqrt(p * (1 - p) * (1 / frames + 1 / refFrames));
      assert.ok(
        Math.abs(fer - refFer) <= 3.3 * sigma,
        `${code.name} at ${ebn0} dB: FER ${fer.toFixed(4)} (${errors}/${frames}) vs AFF3CT ${refFer.toFixed(4)} (${refErrors}/${refFrames}), tolerance ${(3.3 * sigma).toFixed(4)}`,
      );
    }
  }
});

test.run();
