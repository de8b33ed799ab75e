/**
 * Table II: multi-task (det + seg) vs single-task FFMNet, same backbone, data, steps and seed:
 * the three step-1 runs of `scripts/train-default.sh table2` (`table2-det-seg`, `table2-det`,
 * `table2-seg`), each evaluated on the same held-out split, beside the paper's numbers.
 *   npm run build && node dist/reports/figures/table2.js [--runs runs] [--out figures]
 */
import path from 'node:path';
import { PAPER } from './paper.js';
import { figureArgs, headerMarkdown, mdTable, writeFigure } from './common.js';
import { campaignResult, pct } from './training.js';

function main(): void {
  const a = figureArgs({ runs: 'runs' });
  const out = path.resolve(String(a.out));
  const runs = path.resolve(String(a.runs));
  const rows: string[][] = [];
  let done = 0;
  for (const tasks of [['det', 'seg'], ['det'], ['seg']]) {
    const r = campaignResult(runs, `table2-${tasks.join('-')}`);
    if (r) done++;
    const paper = PAPER.tableII.find((p) => p.tasks.join(',') === tasks.join(','))!;
    rows.push([tasks.join(' + '), pct(tasks.includes('det') ? r?.mAP : undefined), pct(tasks.includes('seg') ? r?.mIoU : undefined),
      r ? `${r.steps} (${r.evalData}, ${r.images} images)` : 'not trained yet: scripts/train-default.sh table2',
      paper.mAP === null ? '-' : String(paper.mAP), paper.mIoU === null ? '-' : String(paper.mIoU)]);
  }
  const text = headerMarkdown('Table II: multi-task vs single-task FFMNet', 'node dist/reports/figures/table2.js',
    { runs: path.relative(process.cwd(), runs) || '.', config: 'default' }, Number(a.seed))
    + mdTable(['tasks', 'mAP@0.5 (%)', 'mIoU (%)', 'steps (held out)', 'paper mAP (%)', 'paper mIoU (%)'], rows)
    + `\n${done} of 3 runs trained. Paper numbers: ${PAPER.dataset.name}, ResNet-50 FFMNet; ours: the default config on the synthetic shapes data.\n`;
  writeFigure(out, 'table2.md', text);
  process.stdout.write(text);
}

try {
  main();
} catch (e) {
  process.stderr.write(`table2: ${(e as Error)?.message ?? e}\n`);
  process.exitCode = 1;
}
