/**
 * Table III: JSCC compression ratio (128, 256, 512, 1024; the paper's four (stride, C') rows) vs
 * task accuracy, trained and tested without noise. Reads the campaign's runs
 * (`scripts/train-default.sh table3` and the jscc512 stage): each ratio's `jscc-RATIO-noiseless`
 * step-3 run, at one budget (step 2 1500 steps on shapes stream 12, step 3 1200 on stream 13),
 * all evaluated on the same held-out images (stream 13's val split), beside the paper's numbers.
 *   npm run build && node dist/reports/figures/table3.js [--runs runs] [--out figures]
 */
import path from 'node:path';
import { resolveModel } from '../../src/compare/cli.js';
import { readCheckpointConfig } from '../../src/nn/checkpoint.js';
import { PAPER } from './paper.js';
import { figureArgs, headerMarkdown, mdTable, writeFigure } from './common.js';
import { campaignResult, nonIncreasing, pct, type CampaignResult } from './training.js';

function main(): void {
  const a = figureArgs({ runs: 'runs', ratios: '128,256,512,1024' });
  const out = path.resolve(String(a.out));
  const runs = path.resolve(String(a.runs));
  const base = resolveModel('default');
  const baseMeta = readCheckpointConfig(base).meta as { metrics?: { mAP50?: number; mIoU?: number; data?: string } };
  const rows: string[][] = [['(H,W,C)', '-', '-', pct(baseMeta.metrics?.mAP50), pct(baseMeta.metrics?.mIoU), '-', String(PAPER.tableIII[0].mAP), String(PAPER.tableIII[0].mIoU)]];
  const results: (CampaignResult | undefined)[] = [];
  for (const ratio of String(a.ratios).split(',').map(Number)) {
    const paper = PAPER.tableIII.find((r) => r.ratio === ratio);
    if (!paper) throw new Error(`--ratios: ${ratio} is not a Table III ratio (128, 256, 512, 1024)`);
    const r = campaignResult(runs, `jscc-${ratio}-noiseless`);
    results.push(r);
    rows.push([paper.featureSize, String(ratio), r?.channelUses === undefined ? '-' : String(r.channelUses), pct(r?.mAP), pct(r?.mIoU),
      r ? `${r.steps} (${r.evalData}, ${r.images} images)` : 'not trained yet: scripts/train-default.sh table3', String(paper.mAP), String(paper.mIoU)]);
  }
  const done = results.filter((r) => r !== undefined).length;
  const mono = (k: 'mAP' | 'mIoU') => nonIncreasing(results.map((r) => r?.[k]));
  const text = headerMarkdown('Table III: JSCC compression ratio vs accuracy (no noise)', 'node dist/reports/figures/table3.js',
    { runs: path.relative(process.cwd(), runs) || '.', ratios: a.ratios, baseline: 'models/default (step 1, its own held-out split)', snrTrain: null }, Number(a.seed))
    + mdTable(['feature size', 'ratio', 'channel uses', 'mAP@0.5 (%)', 'mIoU (%)', 'step-3 steps (held out)', 'paper mAP (%)', 'paper mIoU (%)'], rows)
    + `\n${done} of ${results.length} ratios trained. Accuracy non-increasing in the ratio: mAP ${mono('mAP') ? 'yes' : 'no'}, mIoU ${mono('mIoU') ? 'yes' : 'no'} (over the trained ratios; held-out sampling is about +-1.5 points at 95 %).\n`
    + 'Every row is the first step-3 run of its ratio at the same budget; the shipped jscc-512-noiseless went through further step-3 cycles (models/default/README.md).\n'
    + `Ratio = D1 elements / real channel values (docs/architecture.md). Paper: ${PAPER.dataset.name}; ours: default config on shapes.\n`;
  writeFigure(out, 'table3.md', text);
  process.stdout.write(text);
}

try {
  main();
} catch (e) {
  process.stderr.write(`table3: ${(e as Error)?.message ?? e}\n`);
  process.exitCode = 1;
}
