/**
 * Crafted results files (issue 13, items 9 and 10): 100 malformed files, each refused with one
 * line that names the line and the field, as a UsageError (exit 2); a few through the CLI.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readInput } from '../../reports/input.js';
import { UsageError } from '../../src/core/errors.js';
import { runMain } from '../cli/run-main.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-report-input-'));
const J = JSON.stringify;

const sweepHeader = (over: Record<string, unknown> = {}) => ({ type: 'header', tool: 'jscc-sim', command: 'compare',
  config: { schemes: ['none', 'jscc:m/jscc-512-5db'], snrDb: [0, 10], reps: 1 }, seed: 1, createdAt: '2026-12-01T00:00:00Z', ...over });
const rec = (over: Record<string, unknown> = {}) => ({ type: 'result', key: '0|0|0', index: 0, scheme: 'none', label: 'FFMNet', snrDb: 0, rep: 0,
  images: 10, mAP: 0.4, mIoU: 0.45, failures: 0, channelUses: 0, compressionRatio: null, ...over });
const berHeader = (over: Record<string, unknown> = {}) => ({ type: 'header', tool: 'jscc-sim', kind: 'ber', command: 'ber', config: { mod: 'qpsk', snrDb: [0, 1] }, seed: 1, ...over });
const berRec = (over: Record<string, unknown> = {}) => ({ snrDb: 0, ebn0Db: -3, bitErrors: 10, bits: 1000, blocks: 10, blockErrors: 2, theoryBer: 0.01, ...over });
const linkHeader = { type: 'header', tool: 'jscc-sim', kind: 'link', command: 'link', config: { scheme: 'separate:jpeg=50,code=conv:1/2,mod=qpsk', snrDb: [0] }, seed: 1 };
const linkRec = (over: Record<string, unknown> = {}) => ({ snrDb: 0, mse: 0.1, failures: 1, reps: 4, channelUses: 1000, ...over });
const trainHeader = (over: Record<string, unknown> = {}) => ({ kind: 'train-log', trainingStep: 3, config: { steps: 100 }, seed: 1, ...over });
const trainRec = (over: Record<string, unknown> = {}) => ({ step: 10, imagesSeen: 160, lr: 0.001, loss: 1.2, parts: { det_loc: 0.4 }, imagesPerSec: 10, ...over });

let deep = '0';
for (let i = 0; i < 20000; i++) deep = `[${deep}]`;

/** [name, file lines (strings are written as they are), expected message pattern]. */
type Case = [string, (string | object)[], RegExp];
const cases: Case[] = [
  // headers
  ['empty file', [], /is empty/],
  ['header not JSON', ['{"type":'], /line 1 is not JSON/],
  ['pretty JSON instead of JSON Lines', ['{', '  "command": "ber",', '  "rows": []', '}'], /is one JSON document \(e\.g\. --format json output\), not JSON Lines/],
  ['header null', ['null'], /line 1 is null: expected a JSON object/],
  ['header array', ['[1,2]'], /line 1 is \[1,2\]: expected a JSON object/],
  ['header of no known kind', [{ hello: 1 }], /line 1 is not a jscc-sim header/],
  ['sweep header without config', [sweepHeader({ config: undefined })], /line 1: field "config" must be an object/],
  ['sweep header config a string', [sweepHeader({ config: 'x' })], /line 1: field "config" must be an object/],
  ['header command a number', [sweepHeader({ command: 5 })], /line 1: field "command" must be a string/],
  ['header command empty', [sweepHeader({ command: ' ' })], /line 1: field "command" must not be empty/],
  ['header seed negative', [sweepHeader({ seed: -1 })], /line 1: field "seed" must be an integer >= 0/],
  ['header seed a string', [sweepHeader({ seed: '1' })], /line 1: field "seed" must be an integer >= 0/],
  ['config.schemes not a list', [sweepHeader({ config: { schemes: 'none' } })], /line 1: field "config.schemes" must be a list of strings/],
  ['config.schemes of numbers', [sweepHeader({ config: { schemes: [1] } })], /line 1: field "config.schemes" must be a list of strings/],
  ['config.snrDb of strings', [sweepHeader({ config: { snrDb: ['0'] } })], /line 1: field "config.snrDb" must be a list of finite numbers/],
  ['config.reps negative', [sweepHeader({ config: { reps: -1 } })], /line 1: field "config.reps" must be an integer >= 0/],
  ['shard index >= count', [sweepHeader({ shard: { index: 2, count: 2 } })], /line 1: field "shard" must have 0 <= index < count/],
  ['shard count zero', [sweepHeader({ shard: { index: 0, count: 0 } })], /line 1: field "shard" must have 0 <= index < count/],
  ['bootstrap.resamples a string', [sweepHeader({ bootstrap: { resamples: '1000' } })], /line 1: field "bootstrap.resamples" must be an integer/],
  ['config nested 20,000 deep', [`{"type":"header","tool":"jscc-sim","command":"compare","seed":1,"config":{"a":${deep}}}`], /line 1 nests deeper than 32 levels/],
  ['createdAt a number', [sweepHeader({ createdAt: 5 })], /line 1: field "createdAt" must be a string/],
  ['versions a string', [sweepHeader({ versions: 'v1' })], /line 1: field "versions" must be an object/],
  ['train header trainingStep 4', [trainHeader({ trainingStep: 4 })], /line 1: field "trainingStep" must be 1, 2 or 3/],
  ['train header without config', [trainHeader({ config: undefined })], /line 1: field "config" must be an object/],
  ['train header seed a float', [trainHeader({ seed: 1.5 })], /line 1: field "seed" must be an integer >= 0/],
  ['ber header without config', [berHeader({ config: undefined })], /line 1: field "config" must be an object/],
  ['ber header config null', [berHeader({ config: null })], /line 1: field "config" must be an object/],
  // sweep records
  ['record null', [sweepHeader(), 'null'], /line 2 is null: expected a JSON object/],
  ['record a number', [sweepHeader(), '5'], /line 2 is 5: expected a JSON object/],
  ['record a string', [sweepHeader(), '"x"'], /line 2 is "x": expected a JSON object/],
  ['record not JSON', [sweepHeader(), rec(), '{oops'], /line 3 is not JSON/],
  ['record without type', [sweepHeader(), rec({ type: undefined })], /line 2: field "type" must be "result"/],
  ['record without key', [sweepHeader(), rec({ key: undefined })], /line 2: field "key" must be a string/],
  ['record key a number', [sweepHeader(), rec({ key: 7 })], /line 2: field "key" must be a string/],
  ['record index negative', [sweepHeader(), rec({ index: -1 })], /line 2: field "index" must be an integer >= 0/],
  ['record without scheme', [sweepHeader(), rec({ scheme: undefined })], /line 2: field "scheme" must be a string/],
  ['record scheme empty', [sweepHeader(), rec({ scheme: '' })], /line 2: field "scheme" must not be empty/],
  ['record scheme an object', [sweepHeader(), rec({ scheme: { a: 1 } })], /line 2: field "scheme" must be a string/],
  ['record label an object', [sweepHeader(), rec({ label: { text: 'x' } })], /line 2: field "label" must be a string/],
  ['record label a number', [sweepHeader(), rec({ label: 3 })], /line 2: field "label" must be a string/],
  ['record snrDb a string', [sweepHeader(), rec({ snrDb: '0' })], /line 2: field "snrDb" must be a finite number \(got "0"\)/],
  ['record without snrDb', [sweepHeader(), rec({ snrDb: undefined })], /line 2: field "snrDb" must be a finite number/],
  ['record snrDb null', [sweepHeader(), rec({ snrDb: null })], /line 2: field "snrDb" must be a finite number/],
  ['record snrDb 1e999', [sweepHeader(), J(rec()).replace('"snrDb":0', '"snrDb":1e999')], /line 2: field "snrDb" must be a finite number/],
  ['record snrDb a boolean', [sweepHeader(), rec({ snrDb: true })], /line 2: field "snrDb" must be a finite number/],
  ['record rep negative', [sweepHeader(), rec({ rep: -1 })], /line 2: field "rep" must be an integer >= 0/],
  ['record rep fractional', [sweepHeader(), rec({ rep: 1.5 })], /line 2: field "rep" must be an integer >= 0/],
  ['record images negative', [sweepHeader(), rec({ images: -3 })], /line 2: field "images" must be an integer >= 0/],
  ['record mAP above 1', [sweepHeader(), rec({ mAP: 1.5 })], /line 2: field "mAP" must be <= 1/],
  ['record mAP negative', [sweepHeader(), rec({ mAP: -0.1 })], /line 2: field "mAP" must be >= 0/],
  ['record mAP a string', [sweepHeader(), rec({ mAP: '0.4' })], /line 2: field "mAP" must be a finite number/],
  ['record mIoU a string', [sweepHeader(), rec({ mIoU: 'high' })], /line 2: field "mIoU" must be a finite number/],
  ['record cocoAP 2', [sweepHeader(), rec({ cocoAP: 2 })], /line 2: field "cocoAP" must be <= 1/],
  ['record failures negative', [sweepHeader(), rec({ failures: -1 })], /line 2: field "failures" must be an integer >= 0/],
  ['record failures above images', [sweepHeader(), rec({ failures: 11 })], /line 2: field "failures" must be <= images \(10\)/],
  ['record failures fractional', [sweepHeader(), rec({ failures: 2.5 })], /line 2: field "failures" must be an integer >= 0/],
  ['record channelUses negative', [sweepHeader(), rec({ channelUses: -1 })], /line 2: field "channelUses" must be >= 0/],
  ['record channelUses a string', [sweepHeader(), rec({ channelUses: '32' })], /line 2: field "channelUses" must be a finite number/],
  ['record compressionRatio a string', [sweepHeader(), rec({ compressionRatio: '512' })], /line 2: field "compressionRatio" must be a finite number/],
  ['record payloadBits a string', [sweepHeader(), rec({ payloadBits: 'many' })], /line 2: field "payloadBits" must be a finite number/],
  ['record blocks negative', [sweepHeader(), rec({ blocks: -1, blockErrors: 0 })], /line 2: field "blocks" must be an integer >= 0/],
  ['record blockErrors above blocks', [sweepHeader(), rec({ blocks: 4, blockErrors: 5 })], /line 2: field "blockErrors" must be <= blocks \(4\)/],
  ['record blockErrors negative', [sweepHeader(), rec({ blocks: 4, blockErrors: -5 })], /line 2: field "blockErrors" must be an integer >= 0/],
  ['record rawBitErrors above codeBits', [sweepHeader(), rec({ codeBits: 10, rawBitErrors: 11 })], /line 2: field "rawBitErrors" must be <= codeBits/],
  ['record bitErrors above bits', [sweepHeader(), rec({ bits: 10, bitErrors: 11 })], /line 2: field "bitErrors" must be <= bits/],
  ['record mse negative', [sweepHeader(), rec({ mse: -1 })], /line 2: field "mse" must be >= 0/],
  ['record ci95 a list', [sweepHeader(), rec({ ci95: [0.3, 0.5] })], /line 2: field "ci95" must be an object/],
  ['record ci95.mAP of one number', [sweepHeader(), rec({ ci95: { mAP: [0.5] } })], /line 2: field "ci95.mAP" must be an interval/],
  ['record ci95.mAP with lo > hi', [sweepHeader(), rec({ ci95: { mAP: [0.6, 0.4] } })], /line 2: field "ci95.mAP" must have lo <= hi/],
  ['record ci95.mIoU outside [0, 1]', [sweepHeader(), rec({ ci95: { mIoU: [0, 2] } })], /line 2: field "ci95.mIoU" must lie within \[0, 1\]/],
  ['record ci95.mAP of strings', [sweepHeader(), rec({ ci95: { mAP: ['a', 'b'] } })], /line 2: field "ci95.mAP" must be an interval/],
  ['record nested deeply', [sweepHeader(), `{"type":"result","key":"k","scheme":"none","snrDb":0,"x":${deep}}`], /line 2 nests deeper than 32 levels/],
  ['a second header', [sweepHeader(), rec(), sweepHeader()], /line 3 is a second header/],
  ['duplicate key', [sweepHeader(), rec(), rec({ snrDb: 10 })], /line 3: field "key" repeats an earlier record's key/],
  ['two labels for one scheme', [sweepHeader(), rec(), rec({ key: 'b', snrDb: 10, label: 'other' })], /line 3: field "label" differs from this scheme's earlier label "FFMNet"/],
  ['one item twice under two keys', [sweepHeader(), rec(), rec({ key: 'b' })], /line 3: field "rep" repeats \(scheme, snrDb 0, rep\)/],
  ['scheme not in the header', [sweepHeader(), rec({ scheme: 'separate:jpeg=1' })], /line 2: field "scheme" is not one of the header's config.schemes/],
  ['SNR point not in the header', [sweepHeader(), rec({ snrDb: 5 })], /line 2: field "snrDb" is not one of the header's config.snrDb \(got 5\)/],
  ['repetition beyond the header', [sweepHeader(), rec({ rep: 1 })], /line 2: field "rep" must be < the header's config.reps \(1\)/],
  // ber / link records
  ['ber snrDb a string', [berHeader(), berRec({ snrDb: '0' })], /line 2: field "snrDb" must be a finite number/],
  ['ber without bits', [berHeader(), berRec({ bits: undefined })], /line 2: field "bits" must be an integer >= 0/],
  ['ber bitErrors above bits', [berHeader(), berRec({ bitErrors: 1001 })], /line 2: field "bitErrors" must be <= bits \(1000\)/],
  ['ber bitErrors negative', [berHeader(), berRec({ bitErrors: -1 })], /line 2: field "bitErrors" must be an integer >= 0/],
  ['ber theoryBer 2', [berHeader(), berRec({ theoryBer: 2 })], /line 2: field "theoryBer" must be <= 1/],
  ['ber ebn0Db a string', [berHeader(), berRec({ ebn0Db: 'x' })], /line 2: field "ebn0Db" must be a finite number/],
  ['ber blockErrors above blocks', [berHeader(), berRec({ blockErrors: 11 })], /line 2: field "blockErrors" must be <= blocks/],
  ['ber type foo', [berHeader(), berRec({ type: 'foo' })], /line 2: field "type" must be "result" when present/],
  ['ber record an array', [berHeader(), '[]'], /line 2 is \[\]: expected a JSON object/],
  ['ber theory a number', [berHeader(), berRec({ theory: 3 })], /line 2: field "theory" must be a string/],
  ['link failures above reps', [linkHeader, linkRec({ failures: 5 })], /line 2: field "failures" must be <= reps \(4\)/],
  ['link mse a string', [linkHeader, linkRec({ mse: 'low' })], /line 2: field "mse" must be a finite number/],
  ['link reps negative', [linkHeader, linkRec({ reps: -1 })], /line 2: field "reps" must be an integer >= 0/],
  ['link channelUses a string', [linkHeader, linkRec({ channelUses: '1000' })], /line 2: field "channelUses" must be a finite number/],
  // training logs
  ['train record without step', [trainHeader(), trainRec({ step: undefined })], /line 2: field "step" must be an integer >= 0/],
  ['train step negative', [trainHeader(), trainRec({ step: -1 })], /line 2: field "step" must be an integer >= 0/],
  ['train loss a string', [trainHeader(), trainRec({ loss: '1.2' })], /line 2: field "loss" must be a finite number/],
  ['train record without loss or eval', [trainHeader(), trainRec({ loss: undefined })], /line 2: field "loss" must be a finite number/],
  ['train lr negative', [trainHeader(), trainRec({ lr: -0.1 })], /line 2: field "lr" must be >= 0/],
  ['train parts a list', [trainHeader(), trainRec({ parts: [1] })], /line 2: field "parts" must be an object/],
  ['train parts.det_loc a string', [trainHeader(), trainRec({ parts: { det_loc: 'x' } })], /line 2: field "parts.det_loc" must be a finite number/],
  ['train eval a number', [trainHeader(), { step: 10, eval: 5 }], /line 2: field "eval" must be an object/],
  ['train eval.mAP 3', [trainHeader(), { step: 10, eval: { mAP: 3 } }], /line 2: field "eval.mAP" must be <= 1/],
  ['train eval.images negative', [trainHeader(), { step: 10, eval: { images: -1 } }], /line 2: field "eval.images" must be an integer >= 0/],
  ['train imagesSeen fractional', [trainHeader(), trainRec({ imagesSeen: 1.5 })], /line 2: field "imagesSeen" must be an integer >= 0/],
  ['train imagesPerSec a string', [trainHeader(), trainRec({ imagesPerSec: 'fast' })], /line 2: field "imagesPerSec" must be a finite number/],
];

test(`${cases.length} crafted results files: each refused with one line naming the line and field`, () => {
  assert.ok(cases.length >= 100, `${cases.length} cases`);
  cases.forEach(([name, lines, want], i) => {
    const f = path.join(dir, `case${i}.jsonl`);
    writeFileSync(f, lines.map((l) => (typeof l === 'string' ? l : J(l))).join('\n') + (lines.length ? '\n' : ''));
    let err: unknown;
    try { readInput(f); } catch (e) { err = e; }
    assert.ok(err instanceof UsageError, `${name}: expected a UsageError, got ${err}`);
    const msg = (err as Error).message;
    assert.match(msg, want, `${name}: ${msg}`);
    assert.not.match(msg, /\n/, `${name}: one line`);
    assert.ok(msg.length < 400, `${name}: a short message (${msg.length} characters)`);
  });
});

test('well-formed files of every kind are accepted', () => {
  const ok: [string, (string | object)[]][] = [
    ['sweep', [sweepHeader(), rec(), rec({ key: 'b', snrDb: 10, ci95: { mAP: [0.3, 0.5], mIoU: [0.4, 0.5] } })]],
    ['ber', [berHeader(), berRec(), berRec({ snrDb: 1, bitErrors: 0 })]],
    ['link', [linkHeader, linkRec()]],
    ['train-log', [trainHeader(), trainRec(), { step: 10, eval: { split: 'val', images: 50, mAP: 0.3, mIoU: 0.4 } }]],
  ];
  for (const [kind, lines] of ok) {
    const f = path.join(dir, `ok-${kind}.jsonl`);
    writeFileSync(f, lines.map((l) => J(l)).join('\n') + '\n');
    const r = readInput(f);
    assert.is(r.kind, kind);
    assert.is(r.records.length, lines.length - 1);
  }
  // A partial last line (killed mid-write) is ignored, not an error.
  const f = path.join(dir, 'partial.jsonl');
  writeFileSync(f, `${J(sweepHeader())}\n${J(rec())}\n{"type":"res`);
  const r = readInput(f);
  assert.is(r.records.length, 1);
  assert.ok(r.truncatedTail);
});

test('missing and non-file inputs are usage errors', () => {
  assert.throws(() => readInput(path.join(dir, 'nope.jsonl')), (e: Error) => e instanceof UsageError && /does not exist/.test(e.message));
  mkdirSync(path.join(dir, 'adir'), { recursive: true });
  assert.throws(() => readInput(path.join(dir, 'adir')), (e: Error) => e instanceof UsageError && /is not a file/.test(e.message));
});

test('CLI: bad results files exit 2 with one line, never an internal error, and write nothing', async () => {
  const names = ['sweep header without config', 'config nested 20,000 deep', 'record null', 'record label an object', 'record snrDb a string',
    'record blockErrors negative', 'two labels for one scheme', 'ber bitErrors negative'];
  for (const i of names.map((n) => cases.findIndex((c) => c[0] === n))) {
    assert.ok(i >= 0);
    const out = path.join(dir, `cli-out-${i}`);
    const r = await runMain(['report', path.join(dir, `case${i}.jsonl`), '--out', out]);
    assert.is(r.code, 2, `case ${cases[i][0]}: ${r.err}`);
    const lines = r.err.trim().split('\n');
    assert.is(lines.length, 1, r.err);
    assert.match(lines[0], cases[i][2]);
    assert.not.match(r.err, /Cannot read properties|Maximum call stack|binomial interval|TypeError|RangeError/);
    assert.not.ok(existsSync(out), 'nothing written');
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
