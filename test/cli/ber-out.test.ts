/**
 * `ber --out FILE.jsonl` and `link --out FILE.jsonl`: the results files `report` reads, appended
 * point by point and resumed to the numbers of an uninterrupted run; rows printed as each point
 * finishes; --max-seconds, --stop-at-zero, the frame-level interval of coded links; outputs
 * checked before any work.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMain } from './run-main.js';
import { RowPrinter } from '../../src/cli/row-stream.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-ber-out-'));
const jsonl = (f: string) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
/** The reproducible fields of a record (wall-clock ones dropped). */
const numbers = (r: Record<string, unknown>) => { const { seconds: _s, mbitPerSecond: _m, ...rest } = r; return rest; };

test('ber --out: a header of kind ber, one record per point; a cut file resumes to the same records', async () => {
  const args = ['ber', '--mod', 'qpsk', '--code', 'conv:1/2', '--snr', '0,1,2', '--min-errors', '50', '--workers', '1', '--quiet', '--format', 'csv'];
  const full = path.join(dir, 'full.jsonl');
  const r = await runMain([...args, '--out', full]);
  assert.is(r.code, 0, r.err);
  const a = jsonl(full);
  assert.is(a[0].type, 'header');
  assert.is(a[0].kind, 'ber');
  assert.is(a[0].config.code, 'conv:1/2');
  assert.is(a[0].seed, 1);
  assert.ok(a[0].versions.jsccSim);
  assert.equal(a.slice(1).map((x) => x.snrDb), [0, 1, 2]);
  for (const x of a.slice(1)) for (const k of ['snrDb', 'ebn0Db', 'bitErrors', 'bits', 'blockErrors', 'blocks', 'ber', 'bler', 'ci95', 'ci95Frames', 'seconds', 'mbitPerSecond']) assert.ok(k in x, k);
  // Ctrl-C after the first point: header + 1 record, then a record cut mid-write.
  const cut = path.join(dir, 'cut.jsonl');
  const text = readFileSync(full, 'utf8').split('\n');
  writeFileSync(cut, `${text[0]}\n${text[1]}\n${text[2].slice(0, 30)}`);
  const again = await runMain([...args, '--out', cut]);
  assert.is(again.code, 0, again.err);
  assert.equal(jsonl(cut).slice(1).map(numbers), a.slice(1).map(numbers));
  // stdout has every row, the resumed ones included.
  assert.is(again.out.trim().split('\n').length, 2 + 3);
  // Another config: refused, naming the field.
  const other = await runMain(['ber', '--mod', 'qpsk', '--code', 'conv:1/2', '--snr', '0,1,3', '--min-errors', '50', '--workers', '1', '--quiet', '--out', cut]);
  assert.is(other.code, 2);
  assert.match(other.err, /config\.snrDb differs/);
});

test('ber: --stop-at-zero ends the sweep after the first error-free point; --max-seconds caps a point', async () => {
  const z = await runMain(['ber', '--mod', 'bpsk', '--snr', '0,14,16,18', '--max-bits', '20000', '--workers', '1', '--quiet', '--format', 'jsonl', '--stop-at-zero']);
  assert.is(z.code, 0, z.err);
  const rows = z.out.trim().split('\n').map((l) => JSON.parse(l)).slice(1);
  assert.equal(rows.map((x) => x.snrDb), [0, 14]); // BER(14 dB) = 1e-12: no error in 2e4 bits, 16 and 18 dB are not run
  assert.is(rows[1].bitErrors, 0);
  const t = await runMain(['ber', '--mod', 'bpsk', '--snr', '12', '--max-seconds', '0.3', '--min-errors', '1000000', '--workers', '1', '--quiet', '--format', 'jsonl']);
  assert.is(t.code, 0, t.err);
  const row = JSON.parse(t.out.trim().split('\n')[1]);
  assert.is(row.stop, 'max-seconds');
  assert.ok(row.seconds >= 0.3 && row.seconds < 10, String(row.seconds));
});

test('ber: coded links show the frame-level interval by default; each row has seconds and Mbit/s', async () => {
  const r = await runMain(['ber', '--mod', 'qpsk', '--code', 'conv:1/2', '--snr', '2', '--min-errors', '20', '--workers', '1', '--quiet']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /CI95 lo \(frames\).*seconds.*Mbit\/s/);
  const u = await runMain(['ber', '--mod', 'qpsk', '--snr', '2', '--min-errors', '20', '--workers', '1', '--quiet']);
  assert.not.match(u.out, /frames\)/);
});

test('rows are written as they come, not at the end', () => {
  const got: string[] = [];
  const p = new RowPrinter<{ a: number }>({ command: 'x', config: {}, seed: 1, versions: { jsccSim: '0', node: 'v', deps: {} } },
    [{ key: 'a', title: 'a', value: (r) => r.a, kind: 'int' }], 'csv', {}, (s) => got.push(s));
  p.row({ a: 1 });
  assert.is(got.length, 2); // header lines, then the row
  assert.is(got[1], '1\n');
  p.row({ a: 2 });
  assert.is(got[2], '2\n');
  p.end();
  assert.is(got.length, 3);
});

test('link --out: kind link, resumed to the same records', async () => {
  const args = ['link', '--scheme', 'separate:jpeg=50,code=conv:1/2,mod=qpsk', '--random', '8,8,16', '--snr', '-2,4,20', '--reps', '2', '--seed', '3', '--quiet', '--format', 'jsonl'];
  const full = path.join(dir, 'link.jsonl');
  const r = await runMain([...args, '--out', full]);
  assert.is(r.code, 0, r.err);
  const a = jsonl(full);
  assert.is(a[0].kind, 'link');
  assert.equal(a.slice(1).map((x) => x.snrDb), [-2, 4, 20]);
  const cut = path.join(dir, 'link-cut.jsonl');
  writeFileSync(cut, readFileSync(full, 'utf8').split('\n').slice(0, 2).join('\n') + '\n');
  assert.is((await runMain([...args, '--out', cut])).code, 0);
  assert.equal(jsonl(cut).slice(1), a.slice(1));
});

test('outputs are checked before any work; --snr 1e999 is a usage error', async () => {
  for (const [args, re] of [
    [['ber', '--mod', 'bpsk', '--snr', '0', '--out', path.join(dir, 'no/such/x.jsonl')], /does not exist/],
    [['ber', '--mod', 'bpsk', '--snr', '0', '--out', '/proc/self/x.jsonl'], /\/proc is not a place/],
    [['ber', '--mod', 'bpsk', '--snr', '1e999'], /"1e999" is not a finite number/],
    [['ber', '--mod', 'bpsk', '--snr', '0', '--max-seconds', 'soon'], /--max-seconds "soon"/],
    [['link', '--scheme', 'none', '--random', '4,4,2', '--snr', '0', '--out', '/sys/x.jsonl'], /\/sys is not a place/],
    [['link', '--scheme', 'none', '--random', '4,4,2', '--snr', '0', '--out', dir], /is a directory/],
  ] as [string[], RegExp][]) {
    const r = await runMain([...args, '--quiet']);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
    assert.is(r.out, '');
  }
  assert.not.ok(existsSync(path.join(dir, 'no')));
});

test('ber: a run that fails before its first point removes the results file it created', async () => {
  const plugin = path.join(dir, 'bad-channel.mjs');
  writeFileSync(plugin, "export default () => ({ name: 'bad', params: {}, apply(x, snrDb) { if (snrDb > 50) return { y: x }; throw new Error('broken channel'); } });\n");
  const out = path.join(dir, 'failed.jsonl');
  const r = await runMain(['ber', '--mod', 'bpsk', '--snr', '0', '--channel', plugin, '--workers', '1', '--quiet', '--out', out]);
  assert.is.not(r.code, 0);
  assert.match(r.err, /broken channel/);
  assert.not.ok(existsSync(out));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
