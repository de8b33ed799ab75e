/**
 * `jscc-sim link` end to end, in process (main(argv) with stdout/stderr captured), so it runs the
 * same from source and from dist/.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runMain } from './run-main.js';
import { packageRoot } from '../../src/core/version.js';
import { readNpy, writeNpy } from '../../src/io/npy.js';

const run = runMain;

const FIX = path.join(packageRoot(), 'fixtures', 'feature_d1_8x8x16_f16.npy');
const SEP = 'separate:jpeg=50,code=none,mod=16qam';

test('json: rows per SNR, failures at low SNR, none at high SNR, exact accounting fields', async () => {
  const r = await run(['link', '--scheme', SEP, '--random', '8,8,16', '--snr', '-2,30', '--reps', '4', '--seed', '3', '--format', 'json']);
  assert.is(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.is(j.command, 'link');
  assert.is(j.seed, 3);
  assert.ok(j.versions.jsccSim && j.versions.node);
  assert.equal(j.config.shape, [8, 8, 16]);
  assert.is(j.rows.length, 2);
  const [lo, hi] = j.rows;
  assert.is(lo.failures, 4);
  assert.is(hi.failures, 0);
  assert.ok(lo.rawBitErrors > 0, 'the channel made errors');
  assert.ok(Math.abs(hi.snrDb - hi.ebn0Db - 10 * Math.log10(4)) < 1e-9, 'Eb/N0 = SNR - 10 log10(R log2 M), R = 1, M = 16');
  assert.ok(hi.channelUses > 0);
  // the breakdown adds up: 16-QAM, uncoded blocks of 1024 bits with CRC-16
  const a = hi.accounting;
  assert.is(a.blocks * 1024, a.codeBits);
  assert.is(a.jpegBytes * 8 + a.sideInfoBits + a.crcBits + a.padBits, a.codeBits);
  assert.is(a.codeBits + a.modPadBits, 4 * hi.channelUses);
  assert.ok(Math.abs(hi.compressionRatio - 1024 / (2 * hi.channelUses)) < 1e-9);
  assert.is(hi.repetitions.length, 4);
  assert.equal(hi.repetitions[2].stream, [2, 1, 2]);
  assert.ok(hi.psnrDb > 20 && hi.mse < lo.mse);
  assert.ok(lo.failureCi95[0] > 0.39 && lo.failureCi95[1] === 1, `Wilson CI for 4/4: ${lo.failureCi95}`);
  // same seed, same numbers
  const again = JSON.parse((await run(['link', '--scheme', SEP, '--random', '8,8,16', '--snr', '-2,30', '--reps', '4', '--seed', '3', '--format', 'json'])).out);
  assert.equal(again.rows, j.rows);
});

test('a NumPy float16 feature (1 x H x W x C), csv and table formats, saved received features', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'link-'));
  try {
    const r = await run(['link', '--scheme', 'separate:jpeg=90,code=none,mod=qpsk', '--feature', FIX, '--snr', '40', '--format', 'csv', '--save-received', dir]);
    assert.is(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.is(JSON.parse(lines[0].slice(2)).config.feature.dtype, 'float16'); // '# {header}'
    assert.match(lines[1], /^snrDb,ebn0Db,mse,psnrDb,failures,reps,failureRate/);
    assert.is(lines.length, 3);
    assert.is(lines[2].split(',')[4], '0');
    assert.equal(readdirSync(dir).sort(), ['snr0_rep0.npy']);
    const rec = readNpy(path.join(dir, 'snr0_rep0.npy'));
    assert.equal(rec.shape, [8, 8, 16]);
    const t = await run(['link', '--scheme', 'none', '--feature', FIX, '--snr', '-1..1', '--quiet']);
    assert.is(t.code, 0, t.err);
    assert.is(t.err, '');
    assert.match(t.out, /PSNR dB/);
    assert.is(t.out.trim().split('\n').length, 5); // title, rule, 3 rows
    assert.match(t.out, /inf/); // scheme none: MSE 0
    const outFile = path.join(dir, 'res.jsonl');
    const o = await run(['link', '--scheme', 'none', '--feature', FIX, '--snr', '0', '--format', 'json', '--out', outFile]);
    assert.is(o.code, 0, o.err);
    // --out is the JSON Lines results file; --format json still goes to stdout.
    assert.is(JSON.parse(o.out).rows[0].mse, 0);
    const records = readFileSync(outFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.is(records[0].kind, 'link');
    assert.is(records[1].mse, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fallback=mean uses the per-channel means from --mean', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'link-mean-'));
  try {
    const means = Array.from({ length: 16 }, (_, c) => 0.05 * c);
    const meanFile = path.join(dir, 'mean.npy');
    writeNpy(meanFile, new Float32Array(means), [16]);
    const r = await run(['link', '--scheme', 'separate:jpeg=50,code=none,mod=16qam,fallback=mean', '--feature', FIX,
      '--mean', meanFile, '--snr', '-5', '--format', 'json', '--save-received', dir, '--quiet']);
    assert.is(r.code, 0, r.err);
    assert.is(JSON.parse(r.out).rows[0].failures, 1);
    const rec = readNpy(path.join(dir, 'snr0_rep0.npy')).data;
    assert.equal(Array.from(rec.slice(0, 16)), means.map(Math.fround));
    const bad = await run(['link', '--scheme', 'separate:jpeg=50,code=none,mod=16qam,fallback=mean', '--feature', FIX,
      '--mean', FIX, '--snr', '-5']);
    assert.is(bad.code, 2);
    assert.match(bad.err, /--mean .* has 1024 values: use one per channel \(16\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad usage exits 2 with one line naming the bad value', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'link-bad-'));
  try {
    const good = readFileSync(FIX);
    const truncated = path.join(dir, 'truncated.npy');
    writeFileSync(truncated, good.subarray(0, good.length - 10));
    const badHeader = path.join(dir, 'header.npy');
    const h = Buffer.from(good); h.write("{'descr': '<f2', 'fortran_order': False, 'shape': (1, 8, x, 16), }", 10, 'latin1');
    writeFileSync(badHeader, h);
    const complex = path.join(packageRoot(), 'fixtures', 'npy_c8_2.npy');
    const base = ['--snr', '10', '--random', '8,8,4'];
    const cases: [string[], RegExp][] = [
      [['link', '--scheme', 'separate:jpeg=50', ...base], /needs code=/],
      [['link', '--scheme', 'separate:jpeg=0,code=none,mod=qpsk', ...base], /quality "0".*1\.\.100/],
      [['link', '--scheme', 'separate:jpeg=101,code=none,mod=qpsk', ...base], /quality "101".*1\.\.100/],
      [['link', '--scheme', 'separate:jpeg=50,code=none,mod=qpsk,colour=red', ...base], /key "colour" is not allowed/],
      [['link', '--scheme', 'separate:jpeg=50,code=ldpc:9:9,mod=qpsk', ...base], /code "ldpc:9:9"/],
      [['link', '--scheme', 'separate:jpeg=50,code=none,mod=8psk', ...base], /8psk/],
      [['link', '--scheme', 'separate:jpeg=50,code=none,mod=qpsk,crc=32', ...base], /crc=32/],
      [['link', '--scheme', 'separate:jpeg=auto,code=none,mod=qpsk', ...base], /uses=N/],
      [['link', '--scheme', 'separate:jpeg=50,code=none,mod=qpsk,fallback=mean', ...base], /--mean/],
      [['link', '--scheme', 'ideal:jpeg', ...base], /uses=N/],
      [['link', '--scheme', 'fancy:thing', ...base], /scheme "fancy:thing"/],
      [['link', '--scheme', 'none', '--snr', '10', '--random', '8,0,4'], /--random "8,0,4"/],
      [['link', '--scheme', 'none', '--snr', '10'], /exactly one of --feature/],
      [['link', '--scheme', 'none', '--snr', '10', '--random', '8,8,4', '--feature', FIX], /exactly one of --feature/],
      [['link', '--scheme', 'none', '--snr', '10', '--feature', truncated], /truncated data/],
      [['link', '--scheme', 'none', '--snr', '10', '--feature', badHeader], /bad shape/],
      [['link', '--scheme', 'none', '--snr', '10', '--feature', complex], /<c8/],
      [['link', '--scheme', 'none', '--snr', '10', '--feature', path.join(dir, 'missing.npy')], /missing\.npy/],
      [['link', '--scheme', 'none', '--snr', '10..0', '--random', '8,8,4'], /--snr "10\.\.0"/],
      [['link', '--scheme', 'none', '--snr', '10', '--random', '8,8,4', '--reps', '0'], /--reps "0"/],
      [['link', '--scheme', 'none', '--snr', '10', '--random', '8,8,4', '--format', 'xml'], /--format "xml"/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      assert.is(r.code, 2, `${args.join(' ')} -> ${r.code}: ${r.err}`);
      assert.match(r.err, re, args.join(' '));
      assert.is(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
      assert.is(r.out, '', 'nothing on stdout');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
