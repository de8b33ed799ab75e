import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { referencePath } from '../reference.js';
import { PAPER } from '../../reports/figures/paper.js';

test('the paper numbers printed by the figure scripts match fixtures/reference/paper/tables.json', () => {
  const p = referencePath('paper', 'tables.json');
  const t = JSON.parse(readFileSync(p, 'utf8'));
  assert.equal(PAPER.tableI.map((r) => [r.network, r.mAP, r.mIoU, r.paramsM]), t.tableI_networks.map((r: { network: string; mAP: number; mIoU: number; paramsM: number }) => [r.network, r.mAP, r.mIoU, r.paramsM]));
  assert.equal(PAPER.tableII.map((r) => [r.tasks.join(','), r.mAP, r.mIoU]), t.tableII_mtl_vs_stl.map((r: { tasks: string[]; mAP: number | null; mIoU: number | null }) => [r.tasks.join(','), r.mAP, r.mIoU]));
  assert.equal(PAPER.tableIII.map((r) => [r.featureSize, r.ratio, r.mAP, r.mIoU]), t.tableIII_jscc_ratio.map((r: { featureSize: string; ratio: number | null; mAP: number; mIoU: number }) => [r.featureSize, r.ratio, r.mAP, r.mIoU]));
  assert.equal([...PAPER.fig5.snrTrainDb], t.fig5.snrTrainDb);
  assert.is(PAPER.fig5.separateMaxRatioAtSimilarPerformance, t.fig5.separateMaxRatioAtSimilarPerformance);
});

test.run();
