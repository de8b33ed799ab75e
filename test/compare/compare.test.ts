/**
 * End to end: an (untrained) FFMNet checkpoint and a tiny shapes set through `runCompare`; the
 * numbers' meaning is not tested here (see the training tests), their plumbing is: the channel
 * really hits the separate scheme at low SNR, worker count and sharding do not change a number,
 * and a killed sweep resumes to the same file.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../src/nn/backend.js';
import { buildFFMNet } from '../../src/nn/ffmnet/model.js';
import { getConfig } from '../../src/nn/ffmnet/config.js';
import { saveCheckpoint } from '../../src/nn/checkpoint.js';
import { buildJscc, jsccConfigForRatio } from '../../src/nn/jscc/model.js';
import { makeShapesDataset } from '../../src/data/shapes.js';
import { runCompare, splitSchemeList, type CompareOptions } from '../../src/compare/run.js';
import { readResults } from '../../src/sweep/results.js';
import { mergeResults, canonicalRecords } from '../../src/sweep/merge.js';
import { d1CacheStats } from '../../src/compare/items.js';
import { quickSnr } from '../../src/compare/quick.js';
import { UsageError } from '../../src/core/errors.js';
import { runMain } from '../cli/run-main.js';

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

const rejects = async (f: () => Promise<unknown>, re: RegExp) => {
  try {
    await f();
  } catch (e) {
    assert.instance(e, UsageError);
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected a UsageError matching ${re}`);
};

test('D1 once per image per sweep: every item after the first reads the cache, the records do not change', async () => {
  const sch = ['none', 'separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam', 'ideal:jpeg,uses=match:separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam'];
  const cached = path.join(dir, 'cached.jsonl');
  await runCompare(options(cached, { schemes: sch, snr: [0, 12, 16], batch: 2 }));
  const s = d1CacheStats();
  // 4 images in batches of 2 through one FFMNet: 2 device passes in all. Reads: the bound's
  // reference bandwidth (2 batches), none once (it does not depend on SNR), separate and ideal at
  // 3 SNR points: (1 + 1 + 3 + 3) * 2 = 16 reads, 2 of them computing.
  assert.is(s.computed, 2);
  assert.is(s.hits, 14);
  const uncached = path.join(dir, 'uncached.jsonl');
  await runCompare(options(uncached, { schemes: sch, snr: [0, 12, 16], batch: 2, d1CacheBytes: 0 }));
  assert.ok(d1CacheStats().overflow > 0);
  assert.equal(strip(uncached), strip(cached));
  // Batches of D1' seen before (error-free or all-lost at another SNR point) reuse the edge half.
  assert.ok(s.edgeHits >= 1, `edge hits ${s.edgeHits}`);
  // Items whose D1' is the same everywhere (the separate scheme at 12 and 16 dB, error-free) reuse
  // the metrics and their bootstrap.
  assert.ok(s.metricsHits >= 1, `metrics hits ${s.metricsHits}`);
});

test('records carry 95 % bootstrap intervals; the header records the bootstrap', async () => {
  const f = path.join(dir, 'ci.jsonl');
  await runCompare(options(f, { bootstrap: 200 }));
  const { header, records } = readResults(f);
  assert.equal(header.bootstrap, { resamples: 200, seed: 5 });
  for (const r of records) {
    const ci = r.ci95 as { mAP: [number, number]; mIoU: [number, number] };
    assert.ok(ci.mIoU[0] <= (r.mIoU as number) + 1e-12 && (r.mIoU as number) <= ci.mIoU[1] + 1e-12, JSON.stringify(r));
    assert.ok(ci.mIoU[0] >= 0 && ci.mIoU[1] <= 1);
  }
  const again = path.join(dir, 'ci2.jsonl');
  await runCompare(options(again, { bootstrap: 200 }));
  assert.equal(strip(again), strip(f));
});

test('records are keyed by the scheme spec: reordering the list keeps keys and numbers of the bound', async () => {
  const ref = 'separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam';
  const a = path.join(dir, 'order-a.jsonl'), b = path.join(dir, 'order-b.jsonl');
  await runCompare(options(a, { schemes: ['none', ref, `ideal:jpeg,uses=match:${ref}`] }));
  await runCompare(options(b, { schemes: [`ideal:jpeg,uses=match:${ref}`, 'none'] }));
  const ka = readResults(a).records, kb = readResults(b).records;
  assert.ok(ka.every((r) => r.key.startsWith(`${r.scheme}|`)));
  const ideal = (rs: typeof ka) => rs.filter((r) => String(r.scheme).startsWith('ideal')).map((r) => [r.key, r.mAP, r.mIoU, r.channelUses]);
  assert.equal(ideal(kb), ideal(ka));
  // The bound gets the mean channel uses of the named scheme.
  const sep = ka.find((r) => r.scheme === ref)!;
  assert.is(ka.find((r) => String(r.scheme).startsWith('ideal'))!.channelUses, Math.round(sep.channelUses as number));
  assert.match(String(kb[0].label), /as JPEG q50/);
  await rejects(() => runCompare(options(path.join(dir, 'ref.jsonl'), { schemes: [ref, 'ideal:jpeg,ref=1'] })), /ref=K .*uses=match/);
});

test('streams follow the spec: a sweep resumed with schemes and SNRs reordered and added runs only the new items, with the numbers of a fresh run', async () => {
  const one = path.join(dir, 'one.jsonl');
  const grown = path.join(dir, 'grown.jsonl');
  writeFileSync(grown, readFileSync(one));
  const bigger = { schemes: ['separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=qpsk', ...[...schemes].reverse()], snr: [4, 14, -2] };
  const r = await runCompare(options(grown, bigger));
  assert.is(r.skipped, 4);
  assert.is(r.ran, 5);
  const h = readResults(grown).header.config as Record<string, unknown>;
  assert.equal(h.schemes, [...schemes, bigger.schemes[0]]);
  assert.equal(h.snrDb, [-2, 14, 4]);
  const fresh = path.join(dir, 'grown-fresh.jsonl');
  await runCompare(options(fresh, bigger));
  const byKey = (f: string) => Object.fromEntries(readResults(f).records.map(({ index: _, ...x }) => [x.key, JSON.stringify(x)]));
  assert.equal(byKey(grown), byKey(fresh));
  // The separate scheme at -2 dB really drew channel errors, and the same ones in both files.
  const sep = readResults(fresh).records.find((x) => x.scheme === schemes[1] && x.snrDb === -2)!;
  assert.ok(Number(sep.rawBitErrors) > 0);
});

test('a refused resume names the first field that differs; old position-keyed files are refused', async () => {
  const f = path.join(dir, 'one.jsonl');
  await rejects(() => runCompare(options(f, { images: 3 })), /config\.images differs \(file 4, now 3\)/);
  await rejects(() => runCompare(options(f, { seed: 6 })), /seed differs/);
  const spec = path.join(dir, 'position-streams.jsonl');
  const l0 = readFileSync(f, 'utf8').split('\n');
  writeFileSync(spec, [JSON.stringify({ ...JSON.parse(l0[0]), keyFormat: 'scheme|snrDb|rep' }), l0[1]].join('\n') + '\n');
  await rejects(() => runCompare(options(spec)), /random streams followed the scheme positions/);
  const old = path.join(dir, 'old.jsonl');
  const lines = readFileSync(f, 'utf8').split('\n');
  const h = JSON.parse(lines[0]);
  delete h.keyFormat;
  writeFileSync(old, [JSON.stringify(h), lines[1].replace(/"key":"[^"]*"/, '"key":"0|-2|0"')].join('\n') + '\n');
  await rejects(() => runCompare(options(old)), /older jscc-sim/);
});

test('the header fingerprints the model: a replaced checkpoint refuses the resume, naming it', async () => {
  const m2 = path.join(dir, 'model2');
  cpSync(model, m2, { recursive: true });
  const f = path.join(dir, 'fp.jsonl');
  await runCompare(options(f, { modelDir: m2, schemes: ['none'] }));
  const w = path.join(m2, 'edge', 'weights.bin');
  const bytes = readFileSync(w);
  bytes[100] ^= 1;
  writeFileSync(w, bytes);
  await rejects(() => runCompare(options(f, { modelDir: m2, schemes: ['none'] })), /inputs\.model differs/);
});

test('--rerun-changed: a retrained JSCC model is refused by a plain resume; with the flag only its items run again, as in a fresh run', async () => {
  const config = getConfig('default', { numClasses: 6 });
  const net = buildFFMNet(config, ['det', 'seg']);
  const d1 = net.device.outputs[0].shape.slice(1) as [number, number, number];
  const jsccDir = path.join(dir, 'jscc');
  const jscc = { ...jsccConfigForRatio(d1, 512), seed: 4 };
  const j = buildJscc(jscc);
  await saveCheckpoint(jsccDir, {
    models: { device: net.device, edge: net.edge, encoder: j.encoder, decoder: j.decoder },
    meta: { kind: 'jscc', config, tasks: ['det', 'seg'], jscc, snrTrain: null },
  });
  const spec = `jscc:${jsccDir}`;
  const o = { schemes: ['none', spec], snr: [0, 10] };
  const f = path.join(dir, 'rerun.jsonl');
  await runCompare(options(f, o));
  const before = readFileSync(f, 'utf8').split('\n');
  const j2 = buildJscc({ ...jscc, seed: 5 }); // "retrained": other weights in the same folder
  await saveCheckpoint(jsccDir, {
    models: { device: net.device, edge: net.edge, encoder: j2.encoder, decoder: j2.decoder },
    meta: { kind: 'jscc', config, tasks: ['det', 'seg'], jscc: { ...jscc, seed: 5 }, snrTrain: null },
  });
  await rejects(() => runCompare(options(f, o)), /inputs\.jscc\[.*jscc"\] differs .*--rerun-changed to re-run the items of/);
  assert.equal(readFileSync(f, 'utf8').split('\n'), before, 'a refused resume leaves the file as it was');
  const dropped: [string, number][] = [];
  const r = await runCompare(options(f, { ...o, rerunChanged: true, onRerun: (s, n) => dropped.push([s, n]) }));
  assert.equal(dropped, [[spec, 2]]);
  assert.is(r.skipped, 2);
  assert.is(r.ran, 2);
  const after = readFileSync(f, 'utf8').split('\n');
  const noneLines = (ls: string[]) => ls.filter((l) => l.includes('"scheme":"none"'));
  assert.equal(noneLines(after), noneLines(before), 'the unchanged scheme\'s records are kept byte for byte');
  const fresh = path.join(dir, 'rerun-fresh.jsonl');
  await runCompare(options(fresh, o));
  // The JSCC symbols of a batch are encoded once per sweep: the second SNR point reads them.
  assert.is(d1CacheStats().latentHits, 1);
  const byKey = (file: string) => Object.fromEntries(readResults(file).records.map(({ index: _, ...x }) => [x.key, JSON.stringify(x)]));
  assert.equal(byKey(f), byKey(fresh));
  const uncached = path.join(dir, 'rerun-uncached.jsonl');
  await runCompare(options(uncached, { ...o, d1CacheBytes: 0 }));
  assert.is(d1CacheStats().latentHits, 0);
  assert.equal(byKey(uncached), byKey(fresh), 'encoding at every SNR point gives the same numbers');
  assert.equal(readResults(f).header.inputs, readResults(fresh).header.inputs, 'the header names the new fingerprint');
  const again = await runCompare(options(f, { ...o, rerunChanged: true }));
  assert.is(again.ran, 0, 'nothing changed since: nothing re-runs');
});

test('nothing is left by a run that fails before its first record; bad outputs are refused first', async () => {
  const f = path.join(dir, 'fails.jsonl');
  // An FFMNet checkpoint is not a JSCC one: the worker fails when it prepares the scheme.
  let failed = false;
  try { await runCompare(options(f, { schemes: [`jscc:${model}`] })); } catch { failed = true; }
  assert.ok(failed);
  assert.not.ok(existsSync(f));
  await rejects(() => runCompare(options('/proc/self/x.jsonl')), /\/proc is not a place/);
  await rejects(() => runCompare(options(path.join(dir, 'no', 'such', 'x.jsonl'))), /does not exist/);
  await rejects(() => runCompare(options(path.join(dir, 'bad.jsonl'), { schemes: ['none', 'separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=17qam'] })), /17qam/);
  assert.not.ok(existsSync(path.join(dir, 'bad.jsonl')));
});

test('eval: a broken model fails without leaving a results file that blocks the next run', async () => {
  const broken = path.join(dir, 'broken');
  cpSync(model, broken, { recursive: true });
  const w = path.join(broken, 'device', 'weights.bin');
  writeFileSync(w, readFileSync(w).subarray(0, 1000)); // truncated weights
  const out = path.join(dir, 'eval-broken.jsonl');
  const args = ['eval', '--model', broken, '--data', data, '--scheme', 'none', '--snr', '0', '--images', '2', '--workers', '1', '--quiet', '--out', out];
  const r = await runMain(args);
  assert.is.not(r.code, 0);
  assert.not.ok(existsSync(out), r.err);
  rmSync(path.join(broken, 'config.json'));
  const r2 = await runMain(args);
  assert.is(r2.code, 2);
  assert.match(r2.err, /config\.json/);
  assert.not.ok(existsSync(out));
  const r3 = await runMain(['eval', '--model', model, '--data', data, '--scheme', 'none', '--snr', '1e999', '--quiet', '--out', out]);
  assert.is(r3.code, 2);
  assert.match(r3.err, /1e999/);
});

test('--quick keeps an explicit SNR list and thins a range', () => {
  assert.equal(quickSnr('0,10', [0, 10]), { snr: [0, 10], thinned: false, spec: '0,10' });
  assert.equal(quickSnr('-5..20', Array.from({ length: 26 }, (_, i) => i - 5)).snr, [-5, 0, 5, 10, 15, 20]);
  assert.is(quickSnr('0..10:5', [0, 5, 10]).thinned, false);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
