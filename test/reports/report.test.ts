import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { writeReport } from '../../reports/report.js';
import { summarize } from '../../reports/aggregate.js';
import { wilson } from '../../src/sim/stats.js';
import { versions } from '../../src/core/version.js';
import type { ResultRecord } from '../../src/sweep/results.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-report-'));

// A small sweep: JSCC degrades gracefully, the separate scheme falls off a cliff below 6 dB.
function records(): ResultRecord[] {
  const out: ResultRecord[] = [];
  let index = 0;
  for (const snrDb of [0, 5, 10]) for (const rep of [0, 1]) {
    out.push({ type: 'result', key: `jscc|${snrDb}|${rep}`, index: index++, scheme: 'jscc:models/default', label: 'JSCC (5 dB)',
      snrDb, rep, mAP: 0.3 + 0.01 * snrDb + 0.002 * rep, mIoU: 0.4 + 0.01 * snrDb, images: 10, failures: 0,
      channelUses: 32, compressionRatio: 512 });
    const ok = snrDb >= 6;
    out.push({ type: 'result', key: `sep|${snrDb}|${rep}`, index: index++, scheme: 'separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam',
      label: 'JPEG q50 + LDPC 1/2 + 16-QAM', snrDb, rep, mAP: ok ? 0.45 : 0.02, mIoU: ok ? 0.5 : 0.05, images: 10,
      failures: ok ? 0 : 10, channelUses: 2400, compressionRatio: 6.8, bits: 1000, bitErrors: ok ? 0 : 120, blocks: 10,
      blockErrors: ok ? 0 : 10 });
  }
  return out;
}

test('aggregation: means over repetitions and pooled error counts, checked by hand', () => {
  const pts = summarize(records());
  const j5 = pts.find((p) => p.label === 'JSCC (5 dB)' && p.snrDb === 5)!;
  assert.ok(Math.abs(j5.mAP! - (0.35 + 0.352) / 2) < 1e-12);
  assert.is(j5.reps, 2);
  const s0 = pts.find((p) => p.label.startsWith('JPEG') && p.snrDb === 0)!;
  assert.is(s0.failures, 20);
  assert.is(s0.transmissions, 20);
  assert.is(s0.ber, 240 / 2000);
  assert.is(s0.bler, 1);
  // Wilson 95% for 0 of 20: upper bound z^2/(n+z^2) = 3.8416/23.8416.
  const [lo, hi] = wilson(0, 20);
  assert.is(lo, 0);
  assert.ok(Math.abs(hi - 3.8416 / 23.8416) < 1e-9);
});

test('report: Markdown + HTML with one inline SVG per figure and no external URL', async () => {
  const res = path.join(dir, 'results.jsonl');
  const header = { type: 'header', tool: 'jscc-sim', command: 'compare', config: { snr: [0, 5, 10], reps: 2 }, seed: 3,
    versions: versions(), createdAt: '2026-11-25T00:00:00Z' };
  writeFileSync(res, [header, ...records()].map((r) => JSON.stringify(r)).join('\n') + '\n');
  const out = path.join(dir, 'report');
  const r = await writeReport(res, out);
  // mAP, mIoU, failure rate, BER, BLER.
  assert.is(r.figures, 5);
  const html = readFileSync(path.join(out, 'report.html'), 'utf8');
  assert.is((html.match(/<svg[\s>]/g) ?? []).length, 5);
  assert.is(readdirSync(path.join(out, 'figures')).filter((f) => f.endsWith('.svg')).length, 5);
  assert.not.match(html, /(src|href)\s*=\s*["']?(https?:)?\/\//i);
  assert.not.match(html, /url\(\s*["']?https?:/i);
  assert.not.match(html, /<link\b|<script\b[^>]*\bsrc=/i);
  assert.match(html, /seed: 3/);
  assert.match(html, /JPEG q50 \+ LDPC 1\/2 \+ 16-QAM/);
  const md = readFileSync(path.join(out, 'report.md'), 'utf8');
  assert.match(md, /^# jscc-sim report/);
  assert.match(md, /\| JSCC \(5 dB\) \| 32 \| 512 \|/);
  // Rewriting over an earlier report is fine; over a foreign non-empty folder it is refused.
  await writeReport(res, out);
  const foreign = path.join(dir, 'foreign');
  mkdirSync(foreign);
  writeFileSync(path.join(foreign, 'keep.txt'), 'x');
  let refused = false;
  try { await writeReport(res, foreign); } catch (e) { refused = /non-empty folder/.test((e as Error).message); }
  assert.ok(refused);
  assert.ok(existsSync(path.join(foreign, 'keep.txt')));
});

test('the HTML opens in headless Chromium with no console error', async () => {
  const chromium = ['chromium', 'chromium-browser'].find((c) => spawnSync('which', [c]).status === 0);
  if (!chromium) {
    console.log('  SKIPPED: Debian chromium is not installed here (.ci/install-extras installs it); the HTML was not opened in a browser');
    return;
  }
  const html = path.join(dir, 'report', 'report.html');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'jscc-chromium-'));
  const r = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`,
    '--enable-logging=stderr', '--v=0', '--virtual-time-budget=2000', '--dump-dom', `file://${html}`],
  { encoding: 'utf8', timeout: 60000 });
  rmSync(profile, { recursive: true, force: true });
  assert.is(r.status, 0, r.stderr);
  assert.is((r.stdout.match(/<svg[\s>]/g) ?? []).length, 5);
  const consoleErrors = r.stderr.split('\n').filter((l) => /CONSOLE|Uncaught|Failed to load resource|net::ERR_/.test(l) && l.includes('report.html'));
  assert.equal(consoleErrors, []);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
