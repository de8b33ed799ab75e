/**
 * Table III: JSCC compression ratio (128, 256, 512, 1024; the paper's four (stride, C') rows) vs
 * task accuracy, trained and tested without noise: step 2 then step 3 from the shipped FFMNet,
 * evaluated on the held-out split, beside the paper's numbers. Resumable: finished runs are reused.
 *   npm run build && node dist/reports/figures/table3.js [--steps2 300] [--steps3 300] [--out figures]
 */
import path from 'node:path';
import { initBackend } from '../../src/nn/backend.js';
import { trainJscc } from '../../src/nn/train/jscc-steps.js';
import type { JsccRatio } from '../../src/nn/jscc/model.js';
import { resolveModel } from '../../src/compare/cli.js';
import { readCheckpointConfig } from '../../src/nn/checkpoint.js';
import { PAPER } from './paper.js';
import { figureArgs, headerMarkdown, mdTable, writeFigure } from './common.js';
import { finishedMetrics, pct, shapesData } from './training.js';

async function main(): Promise<void> {
  const a = figureArgs({ steps2: 300, steps3: 300, batch: 16, lr: 0.0005, count: 5000, ratios: '128,256,512,1024' });
  await initBackend('wasm');
  const out = path.resolve(String(a.out));
  const base = resolveModel('default');
  const data = await shapesData(out, Number(a.seed), Number(a.count));
  const baseMeta = readCheckpointConfig(base).meta as { metrics?: { mAP50?: number; mIoU?: number } };
  const rows: string[][] = [['(H,W,C)', '-', pct(baseMeta.metrics?.mAP50), pct(baseMeta.metrics?.mIoU), String(PAPER.tableIII[0].mAP), String(PAPER.tableIII[0].mIoU)]];
  for (const ratio of String(a.ratios).split(',').map(Number) as JsccRatio[]) {
    const s2 = path.join(out, `table3-${ratio}-step2`);
    const s3 = path.join(out, `table3-${ratio}`);
    const common = { data, snrTrain: null, batch: Number(a.batch), lr: Number(a.lr), seed: Number(a.seed), checkpointEvery: 100, resume: true } as const;
    if (!finishedMetrics(s2)) await trainJscc({ ...common, step: 2, from: base, out: s2, ratio, steps: Number(a.steps2) });
    if (!finishedMetrics(s3)) await trainJscc({ ...common, step: 3, from: s2, out: s3, steps: Number(a.steps3) });
    const m = finishedMetrics(s3);
    const paper = PAPER.tableIII.find((r) => r.ratio === ratio)!;
    rows.push([paper.featureSize, String(ratio), pct(m?.mAP), pct(m?.mIoU), String(paper.mAP), String(paper.mIoU)]);
  }
  const text = headerMarkdown('Table III: JSCC compression ratio vs accuracy (no noise)', 'node dist/reports/figures/table3.js',
    { model: 'models/default', data: `shapes seed ${a.seed}, ${a.count} images`, steps2: a.steps2, steps3: a.steps3, batch: a.batch, lr: a.lr, snrTrain: null }, Number(a.seed))
    + mdTable(['feature size', 'ratio', 'mAP@0.5 (%)', 'mIoU (%)', 'paper mAP (%)', 'paper mIoU (%)'], rows)
    + `\nRatio = D1 elements / real channel values (docs/architecture.md). Paper: ${PAPER.dataset.name}; ours: default config on shapes.\n`;
  writeFigure(out, 'table3.md', text);
  process.stdout.write(text);
}

main().catch((e) => { process.stderr.write(`table3: ${e?.message ?? e}\n`); process.exitCode = 1; });
