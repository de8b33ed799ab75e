/**
 * Channel plug-ins contained (issue 13, items 6-7): the zoo in fixtures/plugins/ through
 * createChannel and through `ber` (1 and 2 workers) and `link`. A hang is stopped at the time limit,
 * bad results are refused the same way everywhere (length, finite values, csi shape), a Promise
 * result is supported, process.exit inside a plug-in fails the run; every failure is one line that
 * names the plug-in. A good plug-in draws exactly what it would draw in the caller's thread.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createChannel } from '../../channels/registry.js';
import { CHANNEL_TIMEOUT_ENV, channelTimeoutSeconds, parseChannelTimeout, DEFAULT_CHANNEL_TIMEOUT_S } from '../../channels/plugin.js';
import type { Channel } from '../../src/core/types.js';
import { Rng } from '../../src/core/rng.js';
import { packageRoot } from '../../src/core/version.js';
import { runMain } from '../cli/run-main.js';

const ZOO = path.join(packageRoot(), 'fixtures', 'plugins');
const zoo = (name: string) => path.join(ZOO, name);
const TIMEOUT_S = 2;
const saved = process.env[CHANNEL_TIMEOUT_ENV];
const work = mkdtempSync(path.join(os.tmpdir(), 'jscc-plugin-zoo-'));

test.before(() => { process.env[CHANNEL_TIMEOUT_ENV] = String(TIMEOUT_S); });
test.after(() => {
  if (saved === undefined) delete process.env[CHANNEL_TIMEOUT_ENV];
  else process.env[CHANNEL_TIMEOUT_ENV] = saved;
  rmSync(work, { recursive: true, force: true });
});

function symbols(n: number, seed = 4): Float32Array {
  const r = new Rng(seed);
  const x = new Float32Array(2 * n);
  for (let i = 0; i < x.length; i++) x[i] = r.uniform() < 0.5 ? -Math.SQRT1_2 : Math.SQRT1_2;
  return x;
}

function expectUsage(f: () => unknown, pattern: RegExp, file: string): Error {
  try {
    f();
  } catch (e) {
    const err = e as Error;
    assert.is(err.name, 'UsageError', String(err.stack));
    assert.match(err.message, pattern, err.message);
    assert.ok(err.message.includes(JSON.stringify(file)), `the error does not name the plug-in: ${err.message}`);
    assert.not.match(err.message, /\n/);
    return err;
  }
  assert.unreachable('expected a UsageError');
  throw new Error('unreachable');
}

async function expectRejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.is((e as Error).name, 'UsageError', String((e as Error).stack));
    assert.match((e as Error).message, pattern, (e as Error).message);
    assert.not.match((e as Error).message, /\n/);
    return;
  }
  assert.unreachable('expected a rejection');
}

test('the limit: default, environment, parsing', () => {
  assert.is(DEFAULT_CHANNEL_TIMEOUT_S, 30);
  assert.is(channelTimeoutSeconds(), TIMEOUT_S);
  assert.is(parseChannelTimeout('0.5'), 0.5);
  for (const bad of ['0', '-1', 'soon', '1e9', 'NaN', '']) {
    try {
      parseChannelTimeout(bad);
      assert.unreachable(bad);
    } catch (e) {
      assert.match((e as Error).message, /--channel-timeout .* is not allowed: use seconds in \(0, 86400\]/);
    }
  }
});

test('a good plug-in in its thread draws exactly what it draws in the caller\'s thread, rng state included', async () => {
  const file = path.join(packageRoot(), 'fixtures', 'my-channel.js');
  const hosted = await createChannel(file, { phaseStd: 0.2 });
  const local = ((await import(pathToFileURL(file).href)).default as (p: object) => Channel)({ phaseStd: 0.2 });
  assert.is(hosted.name, 'phase-noise');
  assert.equal({ ...hosted.params }, { phaseStd: 0.2 });
  const x = symbols(300);
  const ra = new Rng(9).split(1, 2), rb = new Rng(9).split(1, 2);
  for (let k = 0; k < 3; k++) {
    assert.equal(Array.from(hosted.apply(x, 7, ra).y), Array.from(local.apply(x, 7, rb).y));
    assert.is(ra.gaussian(), rb.gaussian(), 'the caller\'s stream continues where the plug-in left it');
  }
});

test('a Promise result is supported (async apply), with the same draws as the synchronous form', async () => {
  const ch = await createChannel(zoo('async-awgn.js'));
  const { awgn } = await import(pathToFileURL(zoo('_awgn.js')).href) as { awgn: (x: Float32Array, s: number, r: Rng) => Float32Array };
  const x = symbols(64);
  assert.equal(Array.from(ch.apply(x, 3, new Rng(2)).y), Array.from(awgn(x, 3, new Rng(2))));
});

test('hangs are stopped at the limit, in apply and while loading; the error stays', async () => {
  for (const name of ['hang.js', 'never-resolves.js']) {
    const ch = await createChannel(zoo(name));
    const t0 = Date.now();
    expectUsage(() => ch.apply(symbols(8), 0, new Rng(1)), /did not return from apply within 2 s \(--channel-timeout\): stopped it/, zoo(name));
    const dt = (Date.now() - t0) / 1000;
    assert.ok(dt >= TIMEOUT_S - 0.05 && dt < TIMEOUT_S + 5, `stopped after ${dt} s`);
    const t1 = Date.now();
    expectUsage(() => ch.apply(symbols(8), 0, new Rng(1)), /did not return/, zoo(name));
    assert.ok(Date.now() - t1 < 500, 'a stopped plug-in fails at once');
  }
  await expectRejects(createChannel(zoo('hang-load.js')), /hang-load\.js" did not finish loading within 2 s/);
});

test('bad results are refused naming the plug-in: length, NaN, Infinity in csi, csi shape, type, null, a throw', async () => {
  const cases: [string, RegExp][] = [
    ['longer.js', /returned 18 values of y for 16 sent: y must have exactly x\.length values/],
    ['shorter.js', /returned 14 values of y for 16 sent/],
    ['nan.js', /returned y\[3\] = NaN: every value must be finite/],
    ['inf-csi.js', /returned csi\[1\] = Infinity: every csi value must be finite and >= 0/],
    ['csi-interleaved.js', /returned 16 csi values for 8 complex symbols: csi must have one value per symbol/],
    ['plain-array.js', /returned y as Array: y must be a Float32Array of 16 values/],
    ['returns-null.js', /returned null from apply: it must return \{ y, csi\? \} or a Promise of it/],
    ['throws.js', /failed in apply: the antenna fell off/],
    ['exit.js', /failed during apply: it called process\.exit\(0\)/],
  ];
  for (const [name, re] of cases) {
    const ch = await createChannel(zoo(name));
    expectUsage(() => ch.apply(symbols(8), 10, new Rng(1)), re, zoo(name));
  }
  await expectRejects(createChannel(zoo('exit-load.js')), /exit-load\.js" failed while loading: it called process\.exit\(0\)/);
});

test('an error thrown outside any call ends the plug-in, reported at the next call or while loading', async () => {
  let ch: Channel;
  try {
    ch = await createChannel(zoo('stray-throw.js'));
  } catch (e) {
    assert.match((e as Error).message, /stray-throw\.js" failed while loading: it threw outside apply: stray timer error/);
    return;
  }
  await new Promise((r) => setTimeout(r, 100));
  expectUsage(() => ch.apply(symbols(8), 10, new Rng(1)), /it threw outside apply: stray timer error/, zoo('stray-throw.js'));
});

test('a plug-in runs with the user\'s rights: it can write files (documented, not contained)', async () => {
  const target = path.join(work, 'written.txt');
  const ch = await createChannel(zoo('writes-file.js'), { path: target });
  assert.ok(existsSync(target));
  assert.is(readFileSync(target, 'utf8'), 'written by a channel plug-in\n');
  assert.is(ch.apply(symbols(4), 10, new Rng(1)).y.length, 8);
  const readme = readFileSync(path.join(packageRoot(), 'channels', 'README.md'), 'utf8');
  assert.match(readme, /ordinary code running with your rights/);
  assert.match(readFileSync(path.join(packageRoot(), 'README.md'), 'utf8'), /ordinary code running with your rights/);
});

test('ber (1 and 2 workers): a hang, NaN output and process.exit end the run with exit 2 and one line naming the plug-in', async () => {
  const cases: [string, RegExp][] = [
    ['hang.js', /did not return from apply within 2 s/],
    ['nan.js', /returned y\[3\] = NaN/],
    ['exit.js', /it called process\.exit\(0\)/],
    ['longer.js', /returned 2050 values of y for 2048 sent/],
  ];
  for (const workers of ['1', '2']) {
    for (const [name, re] of workers === '1' ? cases : cases.filter(([n]) => n !== 'nan.js' && n !== 'longer.js')) {
      const r = await runMain(['ber', '--mod', 'qpsk', '--snr', '4', '--channel', zoo(name), '--workers', workers, '--quiet', '--format', 'json']);
      assert.is(r.code, 2, `${name} workers ${workers}: exit ${r.code} ${r.err}`);
      assert.is(r.out, '');
      assert.is(r.err.trim().split('\n').length, 1, r.err);
      assert.match(r.err, re);
      assert.ok(r.err.includes(name), r.err);
    }
  }
});

test('link: a wrong length blames the plug-in, not the FEC; the same check as ber', async () => {
  for (const [name, re] of [['longer.js', /returned \d+ values of y for \d+ sent/], ['nan.js', /NaN/]] as const) {
    const r = await runMain(['link', '--scheme', 'separate:jpeg=50,code=conv:1/2,mod=qpsk', '--random', '8,8,16', '--snr', '10',
      '--channel', zoo(name), '--quiet']);
    assert.is(r.code, 2, r.err);
    assert.match(r.err, re);
    assert.ok(r.err.includes(name), r.err);
    assert.not.match(r.err, /LLR block|conv:1\/2/);
  }
});

test.run();
