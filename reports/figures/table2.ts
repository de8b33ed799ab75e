/**
 * Table II: multi-task (det + seg) vs single-task FFMNet, same backbone, same data, same steps and
 * seed: three step-1 trainings of the default config on the shapes data, evaluated on the held-out
 * split, printed beside the paper's numbers. Resumable: finished runs are reused.
 *   npm run build && node dist/reports/figures/table2.js [--steps 1200] [--out figures]
 */
import path from 'node:path';
import { initBackend } from '../../src/nn/backend.js';
import { trainStep1 } from '../../src/nn/train/step1.js';
import type { Task } from '../../src/nn/ffmnet/config.js';
import { PAPER } from './paper.js';
import { figureArgs, headerMarkdown, mdTable, writeFigure } from './common.js';
import { finishedMetrics, pct, shapesData } from './training.js';

async function main(): Promise<void> {
  const a = figureArgs({ steps: 1200, batch: 16, lr: 0.001, count: 5000 });
  await initBackend('wasm');
  const out = path.resolve(String(a.out));
  const data = await shapesData(out, Number(a.seed), Number(a.count));
  const variants: Task[][] = [['det', 'seg'], ['det'], ['seg']];
  const rows: string[][] = [];
  for (const tasks of variants) {
    const dir = path.join(out, `table2-${tasks.join('-')}`);
    let m = finishedMetrics(dir);
    if (!m) {
      process.stderr.write(`table2: training ${tasks.join('+')} -> ${dir}\n`);
      await trainStep1({ data, out: dir, config: 'default', tasks, steps: Number(a.steps), batch: Number(a.batch), lr: Number(a.lr),
        lrDrops: [0.7, 0.9], seed: Number(a.seed), checkpointEvery: 100, resume: true });
      m = finishedMetrics(dir);
    }
    const paper = PAPER.tableII.find((r) => r.tasks.join(',') === tasks.join(','))!;
    rows.push([tasks.join(' + '), pct(tasks.includes('det') ? m?.mAP : undefined), pct(tasks.includes('seg') ? m?.mIoU : undefined),
      paper.mAP === null ? '-' : String(paper.mAP), paper.mIoU === null ? '-' : String(paper.mIoU)]);
  }
  const text = headerMarkdown('Table II: multi-task vs single-task FFMNet', 'node dist/reports/figures/table2.js',
    { config: 'default', data: `shapes seed ${a.seed}, ${a.count} images, 20% held out`, steps: a.steps, batch: a.batch, lr: a.lr }, Number(a.seed))
    + mdTable(['tasks', 'mAP@0.5 (%)', 'mIoU (%)', 'paper mAP (%)', 'paper mIoU (%)'], rows)
    + `\nPaper numbers: ${PAPER.dataset.name}, ResNet-50 FFMNet; ours: the default config on the synthetic shapes data.\n`;
  writeFigure(out, 'table2.md', text);
  process.stdout.write(text);
}

main().catch((e) => { process.stderr.write(`table2: ${e?.message ?? e}\n`); process.exitCode = 1; });
