/**
 * `jscc-sim ber` end to end: spawned as a user runs it (from source with tsx, or the compiled
 * dist/ build when these tests are compiled), checking outputs, exit codes 0/2, one-line errors
 * and that bad input writes nothing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/core/version.js';

const root = packageRoot();
const compiled = import.meta.url.includes('/dist/');

interface Result { code: number | null; stdout: string; stderr: string }

function cli(args: string[]): Promise<Result> {
  const argv = compiled ? [path.join(root, 'dist/src/cli/bin.js'), ...args] : ['--import', 'tsx', path.join(root, 'src/cli/bin.ts'), ...args];
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('json: header with config, seed and versions; rows with the documented fields and theory', async () => {
  const r = await cli(['ber', '--mod', '16qam', '--snr', '-2..10:6', '--min-errors', '300', '--format', 'json', '--workers', '1', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.is(j.command, 'ber');
  assert.is(j.seed, 1);
  assert.ok(j.versions.node && j.versions.jsccSim);
  assert.is(j.config.mod, '16qam');
  assert.equal(j.config.snrDb, [-2, 4, 10]);
  assert.is(j.rows.length, 3);
  for (const row of j.rows) {
    for (const k of ['snrDb', 'ebn0Db', 'ber', 'bler', 'bitErrors', 'bits', 'blocks', 'ci95', 'stop', 'theoryBer']) assert.ok(k in row, `row lacks ${k}`);
    assert.ok(row.ci95[0] <= row.ber && row.ber <= row.ci95[1]);
    assert.ok(row.bitErrors >= 300 && row.stop === 'min-errors', 'the channel made errors');
    assert.ok(Math.abs(row.ebn0Db - (row.snrDb - 10 * Math.log10(4))) < 1e-6);
  }
});

test('--ebn0 converts with the bits per symbol; csv has a commented header then rows; workers do not change results', async () => {
  const base = ['ber', '--mod', 'qpsk', '--ebn0', '0,4', '--min-errors', '200', '--quiet', '--format', 'csv'];
  const [a, b] = await Promise.all([cli([...base, '--workers', '1']), cli([...base, '--workers', '2'])]);
  assert.is(a.code, 0, a.stderr);
  const lines = a.stdout.trim().split('\n');
  assert.ok(lines[0].startsWith('# {') && JSON.parse(lines[0].slice(2)).config.ebn0Db.length === 2);
  assert.is(lines[1].split(',')[0], 'snrDb');
  assert.is(lines.length, 4);
  assert.ok(Math.abs(Number(lines[2].split(',')[0]) - 10 * Math.log10(2)) < 1e-6, lines[2]);
  // identical rows whatever the worker count (the header differs only in "workers"; the timing
  // columns seconds and Mbit/s differ from run to run)
  const keys = lines[1].split(',');
  const timing = new Set([keys.indexOf('seconds'), keys.indexOf('mbitPerSecond')]);
  assert.ok(!timing.has(-1), lines[1]);
  const numbers = (out: string) => out.split('\n').slice(1).map((l) => l.split(',').filter((_, i) => !timing.has(i)).join(','));
  assert.equal(numbers(a.stdout), numbers(b.stdout));
});

test('table on stderr-free stdout, progress on stderr; a plug-in channel and --out', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-ber-'));
  try {
    const out = path.join(dir, 'res.jsonl');
    const r = await cli(['ber', '--mod', 'qpsk', '--snr', '10', '--channel', './fixtures/my-channel.js', '--channel-param', 'phaseStd=0.2',
      '--min-errors', '100', '--workers', '1', '--format', 'json', '--out', out]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /ber: 1\/1 SNR 10 dB/);
    // --out is the JSON Lines results file; --format json still goes to stdout.
    const j = JSON.parse(r.stdout);
    assert.ok(j.rows[0].bitErrors >= 100 && j.config.channelParams.phaseStd === 0.2);
    const lines = (await import('node:fs')).readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.is(lines[0].kind, 'ber');
    assert.equal(lines[0].config.channelParams, { phaseStd: 0.2 });
    assert.is(lines[1].bitErrors, j.rows[0].bitErrors);
    const t = await cli(['ber', '--mod', 'bpsk', '--snr', '0,3', '--quiet', '--workers', '1']);
    assert.is(t.code, 0);
    const tl = t.stdout.trim().split('\n');
    assert.match(tl[0], /^# jscc-sim ber: mod=bpsk .*channel=awgn .*seed=1 \(jscc-sim /);
    assert.match(tl[1], /SNR dB .* theory \(awgn\)/);
    assert.is(tl.length, 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad input: exit 2, one line naming the value, nothing written', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-ber-bad-'));
  writeFileSync(path.join(dir, 'nochannel.mjs'), 'export const x = 1;\n');
  const out = path.join(dir, 'out.json');
  const cases: [string[], RegExp][] = [
    [['--mod', '8psk', '--snr', '0'], /"8psk".*bpsk, qpsk/],
    [['--mod', 'bpsk', '--channel', 'foo', '--snr', '0'], /"foo".*awgn/],
    [['--mod', 'bpsk', '--snr=-5..'], /"-5\.\."/],
    [['--mod', 'bpsk', '--snr', 'a..b'], /"a\.\.b"/],
    [['--mod', 'bpsk', '--snr', '0..5:0'], /step/],
    [['--mod', 'bpsk', '--snr', '5..0'], /reversed/],
    [['--mod', 'bpsk', '--snr', '0', '--min-errors=-3'], /--min-errors "-3"/],
    [['--mod', 'bpsk', '--snr', '0', '--min-errors', '1.5'], /--min-errors "1\.5"/],
    [['--mod', 'bpsk', '--snr', '0', '--max-bits', 'lots'], /--max-bits "lots"/],
    [['--mod', 'bpsk', '--snr', '0', '--workers', '0'], /--workers "0"/],
    [['--mod', 'bpsk', '--snr', '0', '--channel', './nope.js'], /"\.\/nope\.js".*no such file/],
    [['--mod', 'bpsk', '--snr', '0', '--channel', path.join(dir, 'nochannel.mjs')], /exports no channel/],
    [['--mod', 'bpsk', '--snr', '0', '--ebn0', '0'], /exactly one of --snr/],
    [['--mod', 'bpsk'], /exactly one of --snr/],
    [['--mod', 'bpsk', '--snr', '0', '--demap', 'soft'], /"soft".*exact or maxlog/],
    [['--mod', 'bpsk', '--snr', '0', '--format', 'xml'], /"xml".*table, csv, json/],
    [['--mod', 'bpsk', '--snr', '0', '--channel-param', 'K3'], /"K3"/],
    [['--mod', 'bpsk', '--snr', '0', '--channel', 'rician', '--channel-param', 'K=-2'], /K=-2/],
    [['--mod', 'bpsk', '--snr', '0', '--code', 'turbo:1/3'], /"turbo:1\/3"/],
    [['--mod', 'bpsk', '--snr', '0', '--min-erors', '5'], /unknown option --min-erors/],
    [['--snr', '0'], /--mod is required/],
    [['--mod', 'bpsk', '--snr', '0', '--ci', 'bayes'], /--ci "bayes".*wilson or clopper-pearson/],
  ];
  try {
    for (let i = 0; i < cases.length; i += 4) {
      const batch = cases.slice(i, i + 4);
      const results = await Promise.all(batch.map(([args]) => cli(['ber', ...args, '--out', out, '--quiet'])));
      results.forEach((r, j) => {
        const [args, re] = batch[j];
        assert.is(r.code, 2, `${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
        const lines = r.stderr.trim().split('\n');
        assert.is(lines.length, 1, `${args.join(' ')}: ${r.stderr}`);
        assert.match(lines[0], re, `${args.join(' ')}: ${lines[0]}`);
        assert.is(r.stdout, '');
        assert.not.ok(existsSync(out), `${args.join(' ')} wrote ${out}`);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
