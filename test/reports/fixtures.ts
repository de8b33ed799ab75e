/**
 * Crafted results for the report tests: a Fig. 5-like compare sweep (default scheme set, JSCC
 * degrading gracefully, separate schemes falling off a cliff, bootstrap intervals, BLER counts),
 * and a training log. Numbers are invented but shaped like the real ones; the hand-written ber
 * files live in test/reports/fixtures/.
 */
import path from 'node:path';
import { packageRoot } from '../../src/core/version.js';

export const FIXTURES = path.join(packageRoot(), 'test', 'reports', 'fixtures');

const versions = { jsccSim: '0.1.0', commit: 'abc1234', node: 'v20.11.0', deps: { vega: '5.33.1', 'vega-lite': '5.23.0' } };

export const SCHEMES = [
  'none',
  'jscc:/home/u/jscc-sim/models/default/jscc-512-noiseless',
  'jscc:/home/u/jscc-sim/models/default/jscc-512-5db',
  'separate:jpeg=90,code=ldpc:80211n:1944:1/2,mod=qpsk',
  'separate:jpeg=70,code=ldpc:80211n:1944:2/3,mod=16qam',
  'separate:jpeg=50,code=ldpc:80211n:1944:3/4,mod=64qam',
  'separate:jpeg=30,code=conv:1/2,mod=qpsk',
  'ideal:jpeg,ref=6',
];

const LABELS = ['FFMNet, no compression', 'JSCC 512x, trained without noise', 'JSCC 512x, trained at 5 dB',
  'JPEG q90 + LDPC 802.11n (1944, R=1/2) + QPSK', 'JPEG q70 + LDPC 802.11n (1944, R=2/3) + 16-QAM',
  'JPEG q50 + LDPC 802.11n (1944, R=3/4) + 64-QAM', 'JPEG q30 + conv K=7 R=1/2 + QPSK',
  'ideal JPEG at capacity (19500 channel uses, as scheme 6)'];
const USES = [0, 32, 32, 111000, 38000, 19500, 10944, 19500];
// SNR (dB) where each separate scheme's cliff sits, and its accuracy above it.
const CLIFF = [NaN, NaN, NaN, 2, 9, 15, 3, 0.5];
const TOP = [0.41, 0.36, 0.385, 0.405, 0.40, 0.39, 0.37, 0.37];

export interface SweepOptions { snr?: number[]; reps?: number; ci?: boolean; drop?: number; bootstrap?: boolean }

/** A compare results file as lines of JSON (header first). */
export function sweepLines(o: SweepOptions = {}): string[] {
  const snr = o.snr ?? [-5, -2, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20];
  const reps = o.reps ?? 1;
  const header = {
    type: 'header', tool: 'jscc-sim', command: 'compare',
    config: { schemes: SCHEMES, snrDb: snr, reps, images: 200, model: 'models/default', data: 'data/shapes', split: 'val', channel: { name: 'awgn', params: {} }, backend: 'wasm' },
    seed: 1, versions, createdAt: '2026-12-01T08:00:00Z',
    ...(o.bootstrap !== false ? { bootstrap: { resamples: 1000, seed: 7 } } : {}),
  };
  const lines = [JSON.stringify(header)];
  let index = 0;
  SCHEMES.forEach((scheme, s) => snr.forEach((x) => {
    for (let rep = 0; rep < reps; rep++, index++) {
      if (o.drop !== undefined && index % o.drop === o.drop - 1) continue;
      const wig = 0.006 * Math.sin(3 * x + 5 * s + 11 * rep);
      let p: number;
      if (s === 0) p = TOP[0];
      else if (s === 1) p = TOP[1] - 0.12 / (1 + Math.exp(x / 2.5)) + wig;
      else if (s === 2) p = TOP[2] - 0.2 / (1 + Math.exp((x - 1) / 2)) + wig;
      else p = 0.02 + (TOP[s] - 0.02) / (1 + Math.exp(-(x - CLIFF[s]) * 3));
      const mAP = Math.max(0, Math.min(1, p));
      const mIoU = Math.max(0, Math.min(1, p + 0.05));
      const lost = s >= 3 && s < 7 ? Math.round(200 / (1 + Math.exp((x - CLIFF[s]) * 3))) : 0;
      const blocks = s >= 3 && s < 7 ? 200 * Math.ceil(USES[s] / 1000) : 0;
      const r: Record<string, unknown> = {
        type: 'result', key: `${s}|${x}|${rep}`, index, scheme, label: LABELS[s], snrDb: x, rep, seed: 1, images: 200,
        mAP, mIoU, failures: lost, channelUses: USES[s], compressionRatio: USES[s] ? 32768 / (2 * USES[s]) : null, payloadBits: USES[s] * 1.6,
      };
      if (blocks) Object.assign(r, { blocks, blockErrors: Math.min(blocks, Math.round(blocks / (1 + Math.exp((x - CLIFF[s]) * 4)))), rawBitErrors: Math.round(blocks * 1944 * 0.2 / (1 + Math.exp(x / 3))), codeBits: blocks * 1944 });
      if (o.ci !== false) r.ci95 = { mAP: [Math.max(0, mAP - 0.025), Math.min(1, mAP + 0.025)], mIoU: [Math.max(0, mIoU - 0.02), Math.min(1, mIoU + 0.02)] };
      lines.push(JSON.stringify(r));
    }
  }));
  return lines;
}

/** A training log (step 3 of the JSCC training): loss parts, and an eval every 100 steps. */
export function trainLogLines(steps = 400): string[] {
  const lines = [JSON.stringify({ kind: 'train-log', trainingStep: 3, config: { steps, batch: 16, lr: 0.0005, ratio: 512, snrTrain: 5 }, seed: 1, versions })];
  for (let step = 10; step <= steps; step += 10) {
    const d = Math.exp(-step / 150);
    const parts = { det_loc: 0.4 * d + 0.08, det_cls: 0.9 * d + 0.2, seg: 0.6 * d + 0.15 };
    lines.push(JSON.stringify({ step, imagesSeen: step * 16, lr: step < 280 ? 5e-4 : 5e-5, loss: parts.det_loc + parts.det_cls + parts.seg, parts, imagesPerSec: 11.5 }));
    if (step % 100 === 0) lines.push(JSON.stringify({ step, eval: { split: 'val', images: 500, mAP: 0.38 - 0.2 * d, mIoU: 0.43 - 0.2 * d } }));
  }
  return lines;
}
