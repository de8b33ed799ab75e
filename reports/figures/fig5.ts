/**
 * Fig. 5: mAP and mIoU vs test SNR on the shipped default model: FFMNet without compression, JSCC
 * (ratio 512) trained without noise and at SNR_train 10, 5 and 0 dB, the Table III ratios 128
 * and 256, four separate schemes and the capacity bound (compare's default scheme list);
 * the results file, then the report (Markdown + HTML with the plots), including the paper's
 * bandwidth figure (accuracy vs channel uses per image at the chosen SNRs, ratios labelled).
 *   npm run build && node dist/reports/figures/fig5.js [--snr -5..20] [--images N] [--bandwidth-snr 0,10,20] [--out figures]
 */
import path from 'node:path';
import os from 'node:os';
import { parseRange } from '../../src/core/range.js';
import { defaultSchemes } from '../../src/compare/schemes.js';
import { runCompare } from '../../src/compare/run.js';
import { resolveData, resolveModel } from '../../src/compare/cli.js';
import { bandwidthSnrs, ratioAtSimilarAccuracy, SIMILAR_MAP_POINTS, writeReport } from '../report.js';
import { PAPER } from './paper.js';
import { figureArgs } from './common.js';

async function main(): Promise<void> {
  const a = figureArgs({ snr: '-5..20', images: 0, reps: 1, workers: Math.min(4, os.availableParallelism()), 'bandwidth-snr': '' });
  const data = resolveData(undefined);
  const out = path.resolve(String(a.out));
  const results = path.join(out, 'fig5.jsonl');
  const t0 = Date.now();
  const r = await runCompare({
    command: 'compare', snr: parseRange(String(a.snr)), schemes: defaultSchemes(), modelDir: resolveModel('default'),
    dataDir: data.dir, split: data.split, images: Number(a.images) || Number.MAX_SAFE_INTEGER, reps: Number(a.reps),
    seed: Number(a.seed), channel: { name: 'awgn', params: {} }, backend: 'wasm', out: results, resume: true,
    workers: Number(a.workers), batch: 16,
    onProgress: (d, n) => process.stderr.write(`fig5: ${d}/${n} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`),
  });
  const bw = String(a['bandwidth-snr']);
  const rep = await writeReport(results, path.join(out, 'fig5'), { bandwidthSnr: bw ? parseRange(bw, '--bandwidth-snr') : undefined });
  process.stderr.write(`fig5: ${r.ran} items in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${rep.figures} figures in ${path.join(out, 'fig5')}\n`);
  const bwSnr = bw ? parseRange(bw, '--bandwidth-snr') : undefined;
  const similar = ratioAtSimilarAccuracy(r.points, bandwidthSnrs(r.points, bwSnr)).map((row) => {
    const cell = (p?: { compressionRatio?: number; label: string }) => (p ? `${Math.round(p.compressionRatio! * 100) / 100}x (${p.label})` : 'none');
    return `  SNR ${row.snrDb} dB: JSCC ${cell(row.jscc)}, separate ${cell(row.separate)}`;
  });
  process.stdout.write(`Highest compression ratio within ${SIMILAR_MAP_POINTS} mAP points of the uncompressed model:\n${similar.join('\n')}\n`);
  process.stdout.write(`Paper, Fig. 5: JSCC at ratio ${PAPER.fig5.ratio}, SNR_train ${PAPER.fig5.snrTrainDb.join('/')} dB (chosen: ${PAPER.fig5.chosenSnrTrainDb}); `
    + `separate schemes reach similar accuracy at ratio <= ${PAPER.fig5.separateMaxRatioAtSimilarPerformance}, and fall off a cliff at low SNR.\n`
    + `Ours: ${path.join(out, 'fig5', 'report.md')}; bandwidth figure (read the ratios off at similar accuracy): ${path.join(out, 'fig5', 'figures', 'bandwidth-map.svg')}\n`);
}

main().catch((e) => { process.stderr.write(`fig5: ${e?.message ?? e}\n`); process.exitCode = 1; });
