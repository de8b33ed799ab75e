/**
 * Results files never lose or mix data: a refused resume names the first field that differs, a
 * writer that fails before its first record removes only a file it created, and output locations
 * are checked before any work.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ResultsWriter, firstDifference, type ResultHeader } from '../../src/sweep/results.js';
import { checkOutputFile } from '../../src/sweep/output-path.js';
import { mergeResults } from '../../src/sweep/merge.js';
import { UsageError } from '../../src/core/errors.js';
import { versions } from '../../src/core/version.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-results-'));
const header = (extra: Partial<ResultHeader> = {}): ResultHeader => ({
  type: 'header', tool: 'jscc-sim', command: 'toy', config: { schemes: ['a', 'b'], snrDb: [0, 5], nested: { x: 1, y: 2 } },
  seed: 7, versions: versions(), createdAt: new Date().toISOString(), keyFormat: 'k', inputs: { model: 'sha256:aa' }, ...extra,
});
const record = (key: string) => ({ type: 'result' as const, key, index: 0, v: 1 });
const throwsUsage = (f: () => unknown, re: RegExp) => {
  try { f(); } catch (e) { assert.instance(e, UsageError); assert.match((e as Error).message, re); return; }
  assert.unreachable(`expected ${re}`);
};

test('firstDifference: the dotted path of the first differing field, lists named whole', () => {
  assert.is(firstDifference({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 2 } }), undefined);
  assert.is(firstDifference({ a: 1, b: { c: 2, d: 1 } }, { a: 1, b: { c: 3, d: 0 } }), 'b.c');
  assert.is(firstDifference({ a: [1, 2] }, { a: [1, 3] }), 'a');
  assert.is(firstDifference({ a: 1 }, { a: 1, z: 2 }), 'z');
});

test('a refused resume names the field: config, seed, inputs, an old key format', () => {
  const f = path.join(dir, 'r.jsonl');
  const w = ResultsWriter.open(f, header());
  w.append(record('k1'));
  w.close();
  throwsUsage(() => ResultsWriter.open(f, header({ config: { schemes: ['a', 'b'], snrDb: [0, 5], nested: { x: 1, y: 3 } } })), /config\.nested\.y differs \(file 2, now 3\)/);
  throwsUsage(() => ResultsWriter.open(f, header({ seed: 8 })), /seed differs \(file 7, now 8\)/);
  throwsUsage(() => ResultsWriter.open(f, header({ inputs: { model: 'sha256:bb' } })), /other inputs: inputs\.model differs/);
  const old = path.join(dir, 'old.jsonl');
  const h = header();
  delete h.keyFormat;
  writeFileSync(old, JSON.stringify(h) + '\n' + JSON.stringify(record('0|0|0')) + '\n');
  throwsUsage(() => ResultsWriter.open(old, header()), /older jscc-sim/);
  const ok = ResultsWriter.open(f, header());
  assert.ok(ok.has('k1'));
  ok.close();
});

test('growable lists: a resume may reorder or extend them; the header lists the union and the records stay', () => {
  const f = path.join(dir, 'grow.jsonl');
  const w = ResultsWriter.open(f, header(), { growable: ['config.schemes', 'config.snrDb', 'inputs.jscc'] });
  w.append(record('a|0'));
  w.close();
  const g = ResultsWriter.open(f, header({ config: { schemes: ['c', 'b'], snrDb: [5, 10], nested: { x: 1, y: 2 } } }), { growable: ['config.schemes', 'config.snrDb', 'inputs.jscc'] });
  assert.ok(g.has('a|0'));
  g.append(record('c|10'));
  g.close();
  const lines = readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines[0].config.schemes, ['a', 'b', 'c']);
  assert.equal(lines[0].config.snrDb, [0, 5, 10]);
  assert.equal(lines.slice(1).map((r) => r.key), ['a|0', 'c|10']);
  // Without `growable` the lists are part of the identity; other config fields always are.
  throwsUsage(() => ResultsWriter.open(f, header()), /config\.schemes differs/);
  // A map of fingerprints gains keys; a key it holds must keep its value.
  const grow = { growable: ['config.schemes', 'config.snrDb', 'inputs.jscc'] };
  ResultsWriter.open(f, header({ inputs: { model: 'sha256:aa', jscc: { 'jscc:a': 'sha256:01' } } }), grow).close();
  ResultsWriter.open(f, header({ inputs: { model: 'sha256:aa', jscc: { 'jscc:b': 'sha256:02' } } }), grow).close();
  assert.equal(JSON.parse(readFileSync(f, 'utf8').split('\n')[0]).inputs.jscc, { 'jscc:a': 'sha256:01', 'jscc:b': 'sha256:02' });
  throwsUsage(() => ResultsWriter.open(f, header({ inputs: { model: 'sha256:aa', jscc: { 'jscc:a': 'sha256:09' } } }), grow), /inputs\.jscc\["jscc:a"\] differs/);
  throwsUsage(() => ResultsWriter.open(f, header({ config: { schemes: ['a'], snrDb: [0], nested: { x: 2, y: 2 } } }), { growable: ['config.schemes', 'config.snrDb', 'inputs.jscc'] }), /config\.nested\.x differs/);
});

test('abandon: removes a file it created with no record, keeps a resumed one and one with records', () => {
  const a = path.join(dir, 'a.jsonl');
  ResultsWriter.open(a, header()).abandon();
  assert.not.ok(existsSync(a));
  const b = path.join(dir, 'b.jsonl');
  const wb = ResultsWriter.open(b, header());
  wb.append(record('k'));
  wb.abandon();
  assert.ok(existsSync(b));
  const resumed = ResultsWriter.open(b, header());
  resumed.abandon();
  assert.ok(existsSync(b));
  assert.match(readFileSync(b, 'utf8'), /"key":"k"/);
});

test('merge refuses inputs from other inputs, naming the field', () => {
  const a = path.join(dir, 'm1.jsonl'), b = path.join(dir, 'm2.jsonl');
  for (const [f, h] of [[a, header()], [b, header({ inputs: { model: 'sha256:cc' } })]] as const) {
    const w = ResultsWriter.open(f, h);
    w.append(record(f));
    w.close();
  }
  throwsUsage(() => mergeResults([a, b], path.join(dir, 'm.jsonl')), /inputs\.model differs/);
});

test('output locations: a missing folder, a folder, /proc, /sys are refused; a new file is fine', () => {
  throwsUsage(() => checkOutputFile(path.join(dir, 'nope', 'x.jsonl')), /does not exist/);
  mkdirSync(path.join(dir, 'sub'));
  throwsUsage(() => checkOutputFile(path.join(dir, 'sub')), /is a directory/);
  throwsUsage(() => checkOutputFile('/proc/self/x'), /\/proc is not a place/);
  throwsUsage(() => checkOutputFile('/sys/kernel/x'), /\/sys is not a place/);
  assert.is(checkOutputFile(path.join(dir, 'new.jsonl')), path.join(dir, 'new.jsonl'));
  assert.not.ok(existsSync(path.join(dir, 'new.jsonl')));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
