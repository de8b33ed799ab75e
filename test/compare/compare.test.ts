/**
 * End to end: an (untrained) FFMNet checkpoint and a tiny shapes set through `runCompare`; the
 * numbers' meaning is not tested here (see the training tests), their plumbing is: the channel
 * really hits the separate scheme at low SNR, worker count and sharding do not change a number,
 * and a killed sweep resumes to the same file.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../src/nn/backend.js';
import { buildFFMNet } from '../../src/nn/ffmnet/model.js';
import { getConfig } from '../../src/nn/ffmnet/config.js';
import { saveCheckpoint } from '../../src/nn/checkpoint.js';
import { makeShapesDataset } from '../../src/data/shapes.js';
import { runCompare, splitSchemeList, type CompareOptions } from '../../src/compare/run.js';
import { readResults } from '../../src/sweep/results.js';
import { mergeResults, canonicalRecords } from '../../src/sweep/merge.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-compare-'));
const model = path.join(dir, 'model');
const data = path.join(dir, 'data');
const schemes = ['none', 'separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam'];

const options = (out: string, extra: Partial<CompareOptions> = {}): CompareOptions => ({
  command: 'compare', snr: [-2, 14], schemes, modelDir: model, dataDir: data, split: 'val', images: 4, reps: 1, seed: 5,
  channel: { name: 'awgn', params: {} }, backend: 'wasm', out, resume: true, workers: 1, batch: 4, ...extra,
});
const strip = (f: string) => canonicalRecords(readResults(f).records).map((r) => JSON.stringify(r));

test.before(async () => {
  await initBackend('wasm');
  const config = getConfig('default', { numClasses: 6 });
  const net = buildFFMNet(config, ['det', 'seg']);
  await saveCheckpoint(model, { models: { device: net.device, edge: net.edge }, meta: { kind: 'ffmnet', config, tasks: ['det', 'seg'] } });
  await makeShapesDataset({ count: 8, out: data, seed: 3, size: 128, val: 0.5, workers: 1 });
});

test('scheme lists split only between specs', () => {
  assert.equal(splitSchemeList('none,separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam,ideal:jpeg,ref=2,jscc:/m/x'),
    ['none', 'separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam', 'ideal:jpeg,ref=2', 'jscc:/m/x']);
});

test('compare: records per (scheme, SNR), the cliff is visible, workers and shards change nothing', async () => {
  const one = path.join(dir, 'one.jsonl');
  const r = await runCompare(options(one));
  assert.is(r.ran, 4);
  const recs = readResults(one).records;
  const sep = recs.filter((x) => String(x.scheme).startsWith('separate'));
  const lo = sep.find((x) => x.snrDb === -2)!;
  const hi = sep.find((x) => x.snrDb === 14)!;
  // 16-QAM with a rate-1/2 LDPC code: every image lost at -2 dB, none at 14 dB; raw channel errors at both.
  assert.is(lo.failures, 4);
  assert.is(hi.failures, 0);
  assert.ok(Number(lo.rawBitErrors) > 0 && Number(hi.rawBitErrors) >= 0);
  assert.ok(Number(lo.channelUses) > 100);
  const none = recs.filter((x) => x.scheme === 'none');
  assert.is(none[0].mAP, none[1].mAP); // the uncompressed baseline does not depend on SNR
  for (const x of recs) assert.ok(typeof x.mIoU === 'number' && (x.mIoU as number) >= 0 && (x.mIoU as number) <= 1);

  const two = path.join(dir, 'two.jsonl');
  await runCompare(options(two, { workers: 2 }));
  assert.equal(strip(two), strip(one));

  const shards = [0, 1].map((i) => path.join(dir, `shard${i}.jsonl`));
  for (let i = 0; i < 2; i++) await runCompare(options(shards[i], { shard: { index: i, count: 2 } }));
  const merged = path.join(dir, 'merged.jsonl');
  mergeResults(shards, merged);
  assert.equal(strip(merged), strip(one));
});

test('compare: a killed sweep resumes to the same results', async () => {
  const one = path.join(dir, 'one.jsonl');
  const killed = path.join(dir, 'killed.jsonl');
  const lines = readFileSync(one, 'utf8').split('\n');
  // Header + 2 records, then a record cut off mid-write.
  writeFileSync(killed, lines.slice(0, 3).join('\n') + '\n' + lines[3].slice(0, 25));
  const r = await runCompare(options(killed));
  assert.is(r.skipped, 2);
  assert.is(r.ran, 2);
  assert.equal(strip(killed), strip(one));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
