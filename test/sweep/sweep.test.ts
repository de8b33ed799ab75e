import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ResultsWriter, readResults, type ResultHeader } from '../../src/sweep/results.js';
import { runSweep, workerScript } from '../../src/sweep/run.js';
import { mergeResults, canonicalRecords } from '../../src/sweep/merge.js';
import { parseShard } from '../../src/sweep/shard.js';
import { UsageError } from '../../src/core/errors.js';
import { versions } from '../../src/core/version.js';
import { runItem, setup, toyItems } from './toy-items.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-sweep-'));
const header = (shard?: { index: number; count: number }): ResultHeader => ({
  type: 'header', tool: 'jscc-sim', command: 'toy', config: { schemes: ['a', 'b'], snr: [0, 5, 10], reps: 2 },
  seed: 7, versions: versions(), createdAt: new Date().toISOString(), ...(shard ? { shard } : {}),
});
setup({ seed: 7 });
const strip = (f: string) => canonicalRecords(readResults(f).records);

test('an interrupted sweep, resumed, equals an uninterrupted one', async () => {
  const full = path.join(dir, 'full.jsonl');
  const w = ResultsWriter.open(full, header());
  await runSweep({ items: toyItems(), writer: w, run: runItem });
  w.close();
  assert.is(strip(full).length, 12);

  const part = path.join(dir, 'part.jsonl');
  const w1 = ResultsWriter.open(part, header());
  let n = 0;
  await runSweep({ items: toyItems(), writer: w1, run: (it) => { if (++n > 5) throw new Error('killed'); return runItem(it); } })
    .catch((e) => assert.is(e.message, 'killed'));
  w1.close();
  appendFileSync(part, '{"type":"result","key":"b|10'); // a line cut off by the kill
  assert.is(readResults(part).truncatedTail, true);
  const w2 = ResultsWriter.open(part, header());
  assert.is(w2.count, 5);
  const s = await runSweep({ items: toyItems(), writer: w2, run: runItem });
  w2.close();
  assert.equal(s, { total: 12, skipped: 5, ran: 7 });
  assert.equal(strip(part), strip(full));
});

test('merged shards equal a single run; workers give the same numbers as one process', async () => {
  const full = path.join(dir, 'full.jsonl');
  const shards: string[] = [];
  for (let i = 0; i < 3; i++) {
    const f = path.join(dir, `shard${i}.jsonl`);
    const w = ResultsWriter.open(f, header({ index: i, count: 3 }));
    const mod = workerScript(new URL('./toy-items.js', import.meta.url)).href;
    await runSweep({ items: toyItems(), writer: w, shard: { index: i, count: 3 }, worker: { module: mod, context: { seed: 7 }, count: 2 } });
    w.close();
    assert.is(readResults(f).records.length, 4);
    shards.push(f);
  }
  const merged = path.join(dir, 'merged.jsonl');
  const summary = mergeResults(shards.reverse(), merged);
  assert.equal(summary.missingShards, []);
  assert.equal(strip(merged), strip(full));
  // A missing shard is reported.
  assert.equal(mergeResults(shards.slice(0, 2), path.join(dir, 'm2.jsonl')).missingShards.length, 1);
});

test('resuming with another config, or merging different sweeps, is refused', () => {
  const full = path.join(dir, 'full.jsonl');
  const other = { ...header(), seed: 8 };
  assert.throws(() => ResultsWriter.open(full, other), (e: unknown) => e instanceof UsageError);
  const f2 = path.join(dir, 'other.jsonl');
  ResultsWriter.open(f2, other).close();
  assert.throws(() => mergeResults([full, f2], path.join(dir, 'x.jsonl')), (e: unknown) => e instanceof UsageError && /another sweep/.test((e as Error).message));
  assert.ok(readFileSync(full, 'utf8').startsWith('{"type":"header"'));
});

test('--shard parsing', () => {
  assert.equal(parseShard('0/4'), { index: 0, count: 4 });
  assert.equal(parseShard('3/4'), { index: 3, count: 4 });
  for (const bad of ['4/4', '1/0', 'a/b', '1', '-1/2']) assert.throws(() => parseShard(bad), /--shard/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
