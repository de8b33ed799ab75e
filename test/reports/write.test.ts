/**
 * Issue 13, items 1, 11 and 12: report never deletes what it did not create; every field written
 * to report.md is escaped for Markdown and HTML; huge labels and fields are capped.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMain } from '../cli/run-main.js';
import { writeReport } from '../../reports/report.js';
import { mdText } from '../../reports/text.js';
import { sweepLines } from './fixtures.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-report-write-'));
const J = JSON.stringify;
const small = sweepLines({ snr: [0, 10] });

test('13.1: a folder with the results and notes: report writes beside them and deletes nothing', async () => {
  const v = path.join(dir, 'v');
  mkdirSync(v);
  writeFileSync(path.join(v, 'my-results.jsonl'), small.join('\n') + '\n');
  writeFileSync(path.join(v, 'notes.txt'), 'x\n');
  mkdirSync(path.join(v, 'figures'));
  writeFileSync(path.join(v, 'figures', 'my-sketch.svg'), '<svg/>');
  const r = await runMain(['report', path.join(v, 'my-results.jsonl'), '--out', v]);
  assert.is(r.code, 0, r.err);
  assert.is(readFileSync(path.join(v, 'notes.txt'), 'utf8'), 'x\n');
  assert.is(readFileSync(path.join(v, 'my-results.jsonl'), 'utf8'), small.join('\n') + '\n');
  assert.is(readFileSync(path.join(v, 'figures', 'my-sketch.svg'), 'utf8'), '<svg/>');
  assert.ok(existsSync(path.join(v, 'report.html')) && existsSync(path.join(v, 'report.md')));
  // Again, now from a file without the failure and BLER figures: report's own stale figures go,
  // the user's files stay, and no temporary file is left behind.
  const before = readdirSync(path.join(v, 'figures'));
  assert.ok(before.includes('bler-vs-snr.svg'));
  const jsccOnly = small.filter((l, i) => i === 0 || JSON.parse(l).scheme.startsWith('jscc:'));
  const head = JSON.parse(jsccOnly[0]);
  head.config.schemes = head.config.schemes.filter((s: string) => s.startsWith('jscc:'));
  writeFileSync(path.join(v, 'jscc.jsonl'), [J(head), ...jsccOnly.slice(1)].join('\n') + '\n');
  const r2 = await runMain(['report', path.join(v, 'jscc.jsonl'), '--out', v]);
  assert.is(r2.code, 0, r2.err);
  const after = readdirSync(path.join(v, 'figures'));
  assert.not.ok(after.includes('bler-vs-snr.svg'), 'its own stale figure is removed');
  assert.ok(after.includes('my-sketch.svg'));
  assert.ok(existsSync(path.join(v, 'notes.txt')) && existsSync(path.join(v, 'my-results.jsonl')));
  const all = [...readdirSync(v), ...after];
  assert.not.ok(all.some((f) => f.includes('.tmp-')), all.join(' '));
});

test('13.1: a report.html that report did not write is not replaced; nothing is written', async () => {
  const v = path.join(dir, 'foreign');
  mkdirSync(v);
  writeFileSync(path.join(v, 'r.jsonl'), small.join('\n') + '\n');
  writeFileSync(path.join(v, 'notes.txt'), 'x\n');
  writeFileSync(path.join(v, 'report.html'), '<p>my own page</p>');
  const r = await runMain(['report', path.join(v, 'r.jsonl'), '--out', v]);
  assert.is(r.code, 2);
  assert.match(r.err, /report\.html was not written by jscc-sim report, so it is not replaced/);
  assert.is(r.err.trim().split('\n').length, 1);
  assert.is(readFileSync(path.join(v, 'report.html'), 'utf8'), '<p>my own page</p>');
  assert.equal(readdirSync(v).sort(), ['notes.txt', 'r.jsonl', 'report.html']);
  // An output path that is a file, or under /proc, is refused before any work.
  const f = await runMain(['report', path.join(v, 'r.jsonl'), '--out', path.join(v, 'notes.txt')]);
  assert.is(f.code, 2);
  assert.match(f.err, /is a file: name a folder/);
  const p = await runMain(['report', path.join(v, 'r.jsonl'), '--out', '/proc/self/x']);
  assert.is(p.code, 2);
  assert.match(p.err, /outside \/proc and \/sys/);
});

test('13.11: labels and header fields cannot add Markdown rows, headings or live HTML', async () => {
  const evil = 'line1\n| injected | row |\n\n# Heading <script>alert(1)</script> <img src=x onerror=alert(2)> [a](javascript:x) `code` *b*';
  const lines = sweepLines({ snr: [0, 10] }).map((l, i) => {
    const o = JSON.parse(l);
    if (i === 0) {
      o.command = 'compare\n# Owned <script>x</script>';
      o.createdAt = '<img src=x onerror=alert(3)>';
      o.config.note = '```\n<script>alert(4)</script>\n```';
      o.versions = { jsccSim: '<b>1</b>', commit: '|x|', node: '\n## h' };
    } else if (o.scheme === 'none') {
      o.label = evil;
    }
    return J(o);
  });
  writeFileSync(path.join(dir, 'evil.jsonl'), lines.join('\n') + '\n');
  const out = path.join(dir, 'evil');
  await writeReport(path.join(dir, 'evil.jsonl'), out);
  const md = readFileSync(path.join(out, 'report.md'), 'utf8');
  const html = readFileSync(path.join(out, 'report.html'), 'utf8');
  const headings = md.split('\n').filter((l) => /^\s{0,3}#/.test(l));
  assert.equal(headings, ['# jscc-sim report', '## Config', '## Bandwidth per scheme', '## Figures', '## Results per SNR point']);
  assert.not.ok(md.split('\n').some((l) => /^\|\s*injected/.test(l)), 'no injected table row');
  // 8 schemes: the bandwidth table has exactly a head, a rule and 8 rows.
  const table = md.split('## Bandwidth per scheme')[1].trim().split('\n\n')[0].split('\n');
  assert.is(table.length, 10);
  for (const bad of ['<script', '<img', '<b>', '](javascript:']) {
    assert.not.ok(md.includes(bad), `report.md holds ${bad}`);
    assert.not.ok(html.replace(/<script type="application\/json" class="vega-lite-spec">[^<]*<\/script>/g, '').includes(bad) && bad !== '<b>', `report.html holds ${bad}`);
  }
  assert.not.match(html, /<img|<script>alert|onerror=alert\(\d\)>/);
  // The config fence cannot be closed from inside.
  const fenced = md.split('## Config')[1].split('## Bandwidth')[0];
  assert.is((fenced.match(/^`{3,}/gm) ?? []).length, 2);
  // The escaping itself, by hand.
  assert.is(mdText('a|b\n# c <x> & *d*'), 'a\\|b \\# c &lt;x&gt; &amp; \\*d\\*');
  assert.is(mdText('- item'), '\\- item');
  assert.is(mdText('1. item'), '1\\. item');
  assert.is(mdText('0.15'), '0.15', 'a number is not a list marker');
  assert.is(mdText('---'), '\\---');
});

test('13.12: a 5 MB label is cut with an ellipsis, the report says so, and the page stays small', async () => {
  const huge = 'A'.repeat(5 * 1024 * 1024);
  const lines = sweepLines({ snr: [0, 10] }).map((l, i) => {
    const o = JSON.parse(l);
    if (i === 0) o.config.comment = huge;
    else if (o.scheme === 'none') o.label = huge;
    return J(o);
  });
  writeFileSync(path.join(dir, 'huge.jsonl'), lines.join('\n') + '\n');
  const out = path.join(dir, 'huge');
  const r = await writeReport(path.join(dir, 'huge.jsonl'), out);
  const html = statSync(path.join(out, 'report.html')).size;
  assert.ok(html < 1_500_000, `report.html is ${html} bytes`);
  const md = readFileSync(path.join(out, 'report.md'), 'utf8');
  assert.ok(md.length < 200_000, `report.md is ${md.length} characters`);
  assert.match(md, new RegExp(`\\| ${'A'.repeat(99)}\u2026 \\|`));
  assert.ok(r.warnings.some((w) => /^Shortened for display \(cut with \u2026\): 1 labels longer than 100 characters, 1 config blocks longer than 20000 characters/.test(w)), r.warnings.join('|'));
  assert.match(md, /> \*\*Warning:\*\* Shortened for display/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
