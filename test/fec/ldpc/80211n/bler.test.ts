/**
 * BLER of 802.11n LDPC (648, 540), R = 5/6, BPSK over AWGN, 10 layered iterations with syndrome
 * stop, against AFF3CT's published simulations (aff3ct/error_rate_references @ 021a9e0, kept in
 * fixtures/reference/aff3ct-curves):
 *  - LDPC_..._NMS_..._i10_Wi-Fi.txt: horizontal layered min-sum, normalization factor 1.0;
 *  - LDPC_..._SPA_..._i10_Wi-Fi.txt: horizontal layered sum-product.
 * Both use this exact H (checked in code.test.ts). For each point the test runs F frames and
 * compares our frame-error count with AFF3CT's (FE of FRA frames) by a two-proportion z test:
 * |z| < 3.29, i.e. the two estimates agree within the 99.9% confidence interval of their
 * difference. With ~100 reference errors and ~200-300 of ours this tolerates about +/-37% in FER;
 * the FER changes x1.4 to x1.9 per 0.1 dB here. Measured on the min-sum points (seeded, so
 * reproducible): correct decoder |z| = 0.35 and 0.13; normalization 0.75 instead of 1.0 gives
 * z = -6.3 and -8.0; offset min-sum -5.6 and -7.0; Eb/N0 off by -0.1 dB gives 3.1 and 4.3, by
 * +0.1 dB -2.5 and -2.9. So a wrong check update or normalization fails, as does an Eb/N0 error
 * of -0.1 dB; +0.1 dB sits just inside the tolerance (larger errors fail).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { referencePath } from '../../../reference.js';
import { createLdpc80211n } from '../../../../src/fec/ldpc/80211n/code.js';
import type { LdpcDecoderOptions } from '../../../../src/fec/ldpc/decoder.js';
import { Rng } from '../../../../src/core/rng.js';

const DIR = referencePath('aff3ct-curves');
const FILES = {
  nms: 'LDPC_AWGN_BPSK_BP_HORIZONTAL_LAYERED_NMS_LDPC_N648_K540_hlayered_NMS_i10_Wi-Fi.txt',
  spa: 'LDPC_AWGN_BPSK_BP_HORIZONTAL_LAYERED_SPA_LDPC_N648_K540_hlayered_SPA_i10_Wi-Fi.txt',
};

interface RefPoint { ebn0: number; frames: number; frameErrors: number; fer: number }

/** Rows of an AFF3CT BFER trace: Es/N0 | Eb/N0 | FRA | BE | FE | BER | FER | ... */
function readReference(file: string): RefPoint[] {
  const out: RefPoint[] = [];
  for (const line of readFileSync(path.join(DIR, file), 'utf8').split('\n')) {
    if (line.startsWith('#') || !line.includes('|')) continue;
    const f = line.split('|').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
    if (f.length < 7 || f.slice(0, 7).some((x) => !Number.isFinite(x))) continue;
    out.push({ ebn0: f[1], frames: f[2], frameErrors: f[4], fer: f[6] });
  }
  return out;
}

/** Frame errors (info bits differ) of `frames` BPSK/AWGN frames at Eb/N0, with its own tiny BPSK + AWGN. */
function simulate(options: LdpcDecoderOptions, ebn0Db: number, frames: number, seed: number) {
  const code = createLdpc80211n(648, '5/6', { maxIterations: 10, ...options });
  const rng = new Rng(seed);
  // Es = 1 per BPSK symbol: Es/N0 = Eb/N0 + 10 log10(R), sigma^2 = N0 / 2 per real dimension
  const esn0Db = ebn0Db + 10 * Math.log10(code.rate);
  const sigma2 = Math.pow(10, -esn0Db / 10) / 2;
  const u = new Uint8Array(code.k);
  const noise = new Float32Array(code.n);
  const llr = new Float32Array(code.n);
  let frameErrors = 0;
  let rawErrors = 0;
  for (let f = 0; f < frames; f++) {
    rng.fillBits(u);
    const c = code.encode(u);
    rng.fillGaussian(noise, Math.sqrt(sigma2));
    for (let i = 0; i < code.n; i++) {
      const y = 1 - 2 * c[i] + noise[i];
      llr[i] = (2 * y) / sigma2;
      if ((y < 0 ? 1 : 0) !== c[i]) rawErrors++;
    }
    const r = code.decode(llr);
    for (let i = 0; i < code.k; i++) {
      if (r.bits[i] !== u[i]) {
        frameErrors++;
        break;
      }
    }
  }
  return { frameErrors, frames, rawErrors };
}

function zTwoProportions(e1: number, n1: number, e2: number, n2: number): number {
  const p = (e1 + e2) / (n1 + n2);
  return (e1 / n1 - e2 / n2) / Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
}

const CASES: { name: keyof typeof FILES; options: LdpcDecoderOptions; points: { ebn0: number; frames: number }[] }[] = [
  { name: 'nms', options: { algorithm: 'nms', normalization: 1.0 }, points: [{ ebn0: 3.5, frames: 1200 }, { ebn0: 3.8, frames: 2400 }] },
  { name: 'spa', options: { algorithm: 'spa' }, points: [{ ebn0: 3.25, frames: 1000 }, { ebn0: 3.5, frames: 2000 }] },
];

for (const c of CASES) {
  test(`802.11n (648, 540) layered ${c.name.toUpperCase()} BLER within the 99.9% CI of AFF3CT's`, () => {
    const ref = readReference(FILES[c.name]);
    assert.ok(ref.length > 10, 'reference parsed');
    for (const pt of c.points) {
      const r = ref.find((x) => Math.abs(x.ebn0 - pt.ebn0) < 1e-6);
      assert.ok(r, `reference point at ${pt.ebn0} dB`);
      const ours = simulate(c.options, pt.ebn0, pt.frames, 1000 + Math.round(pt.ebn0 * 100));
      assert.ok(ours.rawErrors > pt.frames, 'the channel made errors');
      const z = zTwoProportions(ours.frameErrors, ours.frames, r!.frameErrors, r!.frames);
      const msg = `${c.name} ${pt.ebn0} dB: FER ${(ours.frameErrors / ours.frames).toFixed(4)} (${ours.frameErrors}/${ours.frames}) vs AFF3CT ${r!.fer} (${r!.frameErrors}/${r!.frames}), z = ${z.toFixed(2)}`;
      assert.ok(Math.abs(z) < 3.29, msg);
    }
  });
}

test.run();
