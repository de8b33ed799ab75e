/**
 * The campaign reader of the Table II / III scripts: the last final held-out eval of a training
 * log counts, an unfinished or absent run gives undefined, a line cut by a kill is skipped.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { campaignResult, nonIncreasing, pct } from '../../../reports/figures/training.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-campaign-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const header = { kind: 'train-log', trainingStep: 3, tasks: ['det', 'seg'], channelUses: 512, compressionRatio: 128, totalSteps: 1200 };
const line = (o: unknown) => JSON.stringify(o);

test('the final eval of a finished run, the last one when a resumed run appended another', () => {
  writeFileSync(path.join(dir, 'jscc-128-noiseless.train-log.jsonl'), [
    line(header),
    line({ step: 10, loss: 3 }),
    line({ step: 600, eval: { split: 'val', data: 'shapes:seed=13/val', images: 200, mAP: 0.5, mIoU: 0.4 } }),
    line({ step: 1200, eval: { split: 'val', data: 'shapes:seed=13/val', images: 1000, mAP: 0.8, mIoU: 0.6, final: true } }),
    line({ step: 1200, eval: { split: 'val', data: 'shapes:seed=13/val', images: 1000, mAP: 0.81, mIoU: 0.61, final: true } }),
    '{"step":1201,"lo', // cut by a kill
  ].join('\n'));
  const r = campaignResult(dir, 'jscc-128-noiseless');
  assert.equal(r, { run: 'jscc-128-noiseless', mAP: 0.81, mIoU: 0.61, images: 1000, evalData: 'shapes:seed=13/val', steps: 1200, trainingStep: 3, channelUses: 512, compressionRatio: 128, tasks: ['det', 'seg'] });
});

test('an unfinished run (no final eval) and an absent one give undefined', () => {
  writeFileSync(path.join(dir, 'jscc-256-noiseless.train-log.jsonl'), [line(header), line({ step: 600, eval: { images: 200, mAP: 0.5, mIoU: 0.4 } })].join('\n'));
  assert.is(campaignResult(dir, 'jscc-256-noiseless'), undefined);
  assert.is(campaignResult(dir, 'jscc-1024-noiseless'), undefined);
});

test('a single-task run (Table II) has the one metric its model has', () => {
  writeFileSync(path.join(dir, 'table2-det.train-log.jsonl'), [
    line({ ...header, trainingStep: 1, tasks: ['det'] }),
    line({ step: 2000, eval: { split: 'val', data: 'shapes:seed=21/val', images: 1000, mAP: 0.71, mIoU: null, final: true } }),
  ].join('\n'));
  const r = campaignResult(dir, 'table2-det')!;
  assert.is(r.mAP, 0.71);
  assert.ok(!('mIoU' in r));
  assert.equal(r.tasks, ['det']);
});

test('nonIncreasing skips missing values; pct formats percent', () => {
  assert.ok(nonIncreasing([0.9, undefined, 0.9, 0.85]));
  assert.not.ok(nonIncreasing([0.9, 0.85, undefined, 0.86]));
  assert.ok(nonIncreasing([]));
  assert.is(pct(0.8611), '86.1');
  assert.is(pct(undefined), '-');
});

test.run();
