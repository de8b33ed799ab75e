/**
 * Table I: FFMNet's parameter count (paper config: ResNet-50 backbone, 512x512, 117 classes, 63.2M)
 * per part, beside the paper's number, and the default config's. mAP/mIoU of Table I need the Open
 * Images subset, which is not available here; the default model's held-out metrics are printed
 * from its checkpoint meta instead, labelled as such.
 *   npm run build && node dist/reports/figures/table1.js [--out figures]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { initBackend } from '../../src/nn/backend.js';
import { buildFFMNet, paramCounts } from '../../src/nn/ffmnet/model.js';
import { getConfig } from '../../src/nn/ffmnet/config.js';
import { readCheckpointConfig } from '../../src/nn/checkpoint.js';
import { packageRoot } from '../../src/core/version.js';
import { PAPER } from './paper.js';
import { figureArgs, headerMarkdown, mdTable, writeFigure } from './common.js';

async function main(): Promise<void> {
  const a = figureArgs({});
  await initBackend('wasm');
  const rows: (string | number | null)[][] = [];
  const parts = ['backbone', 'fusion', 'parser', 'detHead', 'segHead', 'device', 'edge', 'total'];
  const counts: Record<string, Record<string, number>> = {};
  for (const name of ['paper', 'default']) {
    const net = buildFFMNet(getConfig(name), ['det', 'seg']);
    counts[name] = paramCounts(net);
    net.device.dispose();
    net.edge.dispose();
  }
  for (const p of parts) rows.push([p, (counts.paper[p] / 1e6).toFixed(2), (counts.default[p] / 1e6).toFixed(3)]);
  const paperTotal = PAPER.tableI[0].paramsM;
  const dev = (100 * (counts.paper.total / 1e6 - paperTotal)) / paperTotal;
  let metrics = 'the shipped default model is missing';
  const ck = path.join(packageRoot(), 'models/default');
  if (existsSync(ck)) {
    const m = readCheckpointConfig(ck).meta as { metrics?: { mAP50?: number; mAP?: number; mIoU?: number; images?: number } };
    if (m.metrics) metrics = `mAP@0.5 ${(100 * (m.metrics.mAP50 ?? m.metrics.mAP ?? NaN)).toFixed(1)}%, mIoU ${(100 * (m.metrics.mIoU ?? NaN)).toFixed(1)}% on ${m.metrics.images} held-out shapes images`;
  }
  const text = headerMarkdown('Table I: FFMNet parameters', 'node dist/reports/figures/table1.js', { configs: ['paper', 'default'], tasks: ['det', 'seg'] }, a.seed)
    + mdTable(['part', 'paper config (M)', 'default config (M)'], rows)
    + `\nPaper, Table I: FFMNet ${paperTotal}M parameters (BlitzNet ${PAPER.tableI[1].paramsM}M, TripleNet ${PAPER.tableI[2].paramsM}M). `
    + `Ours, paper config: ${(counts.paper.total / 1e6).toFixed(2)}M (${dev >= 0 ? '+' : ''}${dev.toFixed(1)}%).\n`
    + `\nTask metrics: the paper's ${PAPER.tableI[0].mAP}% mAP / ${PAPER.tableI[0].mIoU}% mIoU are on ${PAPER.dataset.name}; the default model here: ${metrics}.\n`;
  writeFigure(a.out, 'table1.md', text);
  process.stdout.write(text);
}

main().catch((e) => { process.stderr.write(`table1: ${e?.message ?? e}\n`); process.exitCode = 1; });
