/** Scheme SPEC parsing (baselines/registry.ts). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/rng.js';
import { UsageError } from '../../src/core/errors.js';
import { parseSchemeSpec, createScheme, registerScheme, schemePrefixes } from '../../baselines/registry.js';
import { SeparateScheme } from '../../baselines/separate/scheme.js';
import { IdealScheme } from '../../baselines/ideal.js';
import { IdentityScheme } from '../../baselines/none.js';
import { sourceRoundTrip } from '../../baselines/separate/source.js';
import { randomFeature } from '../../baselines/feature.js';
import { awgn } from './standins.js';
import { createChannel } from '../../channels/registry.js';
import { wilson } from '../../src/sim/stats.js';
import { erfc } from '../../src/sim/special.js';

const shape: [number, number, number] = [8, 8, 16];

test('built-in specs', () => {
  assert.ok(parseSchemeSpec('none') instanceof IdentityScheme);
  assert.ok(parseSchemeSpec(' NONE ') instanceof IdentityScheme);
  const s = parseSchemeSpec('separate:jpeg=50,code=none,mod=16qam');
  assert.ok(s instanceof SeparateScheme);
  const sep = s as SeparateScheme;
  assert.equal([sep.k, sep.n, sep.bitsPerSymbol, sep.codeRate], [1024, 1024, 4, 1]);
  const l = parseSchemeSpec('separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=64qam') as SeparateScheme;
  assert.equal([l.k, l.n, l.bitsPerSymbol, l.codeRate], [324, 648, 6, 0.5]);
  const c = parseSchemeSpec('separate:jpeg=50,code=conv:3/4,mod=qpsk') as SeparateScheme;
  assert.ok(Math.abs(c.codeRate - 0.75) < 0.01 && c.k > 0);
  const b = parseSchemeSpec('separate:jpeg=50,code=none,mod=qpsk,block=32,crc=24a') as SeparateScheme;
  assert.equal([b.k, b.link.crcBits], [256, 24]);
  assert.is((parseSchemeSpec('separate:jpeg=50,code=none,mod=qpsk,crc=none') as SeparateScheme).link.crcBits, 0);
  const known = parseSchemeSpec('separate:jpeg=50,code=none,mod=qpsk,header=known,range=channel') as SeparateScheme;
  assert.equal([known.link.header, known.link.range], ['known', 'channel']);
  const ideal = parseSchemeSpec('ideal:jpeg,ratio=8', { shape });
  assert.ok(ideal instanceof IdealScheme);
  assert.is((ideal as IdealScheme).channelUses, 64); // 1024 elements / (2 * 8)
  assert.is((parseSchemeSpec('ideal:jpeg', { channelUses: 77 }) as IdealScheme).channelUses, 77);
  assert.is((parseSchemeSpec('ideal:jpeg,uses=500') as IdealScheme).channelUses, 500);
  assert.ok(schemePrefixes().includes('separate') && schemePrefixes().includes('ideal'));
});

test('a spec-built scheme runs with the real modem and CRC: exact at high SNR', () => {
  const f = randomFeature(shape, new Rng(8));
  for (const mod of ['bpsk', 'qpsk', '16qam', '64qam', '256qam']) {
    const s = parseSchemeSpec(`separate:jpeg=60,code=none,mod=${mod},demap=maxlog`);
    const r = s.transmit(f, awgn(), 80, new Rng(1)) as ReturnType<SeparateScheme['transmit']>;
    assert.is(r.failed, false, mod);
    assert.equal(r.feature, sourceRoundTrip(f, 60), mod);
  }
});

test('raw coded-bit errors through the scheme match uncoded QPSK theory (real modem and AWGN)', async () => {
  const f = randomFeature([16, 16, 16], new Rng(8));
  const s = parseSchemeSpec('separate:jpeg=90,code=none,mod=qpsk') as SeparateScheme;
  const channel = await createChannel('awgn', {});
  let errors = 0, bits = 0;
  for (let r = 0; r < 4; r++) {
    const res = s.transmit(f, channel, 6, new Rng(3).split(r)) as ReturnType<SeparateScheme['transmit']>;
    errors += Number(res.stats.rawBitErrors);
    bits += Number(res.stats.codeBits);
    assert.is(res.failed, true, 'uncoded at 6 dB: some block fails its CRC');
  }
  // Gray QPSK, Es/N0 = 6 dB: BER = Q(sqrt(Es/N0)) (each bit sees Eb/N0 = Es/N0 / 2: Q(sqrt(2 Eb/N0)))
  const p = 0.5 * erfc(Math.sqrt(10 ** 0.6) / Math.SQRT2);
  const [lo, hi] = wilson(errors, bits, 3.29); // 99.9%
  assert.ok(lo <= p && p <= hi, `BER ${errors}/${bits} = ${(errors / bits).toExponential(3)}, theory ${p.toExponential(3)}`);
  assert.ok(bits > 50000);
});

test('jpeg=auto picks the largest quality within the budget', () => {
  const f = randomFeature(shape, new Rng(8));
  const s = parseSchemeSpec('separate:jpeg=auto,uses=3000,code=none,mod=qpsk') as SeparateScheme;
  const q = s.qualityFor(f)!;
  assert.ok(q >= 1 && q <= 100);
  const r = s.transmit(f, awgn(), 60, new Rng(2)) as ReturnType<SeparateScheme['transmit']>;
  assert.is(r.stats.quality, q);
  assert.ok(r.channelUses <= 3000);
  const tiny = parseSchemeSpec('separate:jpeg=auto,uses=10,code=none,mod=qpsk');
  const t = tiny.transmit(f, awgn(), 60, new Rng(2)) as ReturnType<SeparateScheme['transmit']>;
  assert.is(t.failed, true);
  assert.match(String(t.stats.lossReason), /budget/);
});

test('malformed specs are one-line usage errors', () => {
  const bad: [string, RegExp][] = [
    ['separate', /needs jpeg=/],
    ['separate:jpeg=50,code=none', /needs mod=/],
    ['separate:jpeg=abc,code=none,mod=qpsk', /quality "abc"/],
    ['separate:jpeg=50,jpeg=60,code=none,mod=qpsk', /given twice/],
    ['separate:jpeg=50,code=none,mod=qpsk,block=2', /block=2/],
    ['separate:jpeg=50,code=none,mod=qpsk,block=', /block needs a value/],
    ['separate:jpeg=50,code=none,mod=qpsk,demap=fast', /demap=fast.*exact\|maxlog/],
    ['separate:jpeg=50,code=none,mod=qpsk,uses=100', /uses\/ratio go with jpeg=auto/],
    ['separate:jpeg=auto,code=none,mod=qpsk,uses=100,ratio=4', /not both/],
    ['separate:jpeg=auto,code=none,mod=qpsk,uses=1.5', /uses=1.5/],
    ['ideal:png,uses=10', /ideal:jpeg/],
    ['ideal:jpeg,ratio=4', /feature shape/],
    ['ideal:jpeg,uses=-3', /uses=-3/],
    ['jscc', /scheme "jscc"/],
  ];
  for (const [spec, re] of bad) {
    assert.throws(() => parseSchemeSpec(spec), (e: unknown) => e instanceof UsageError && re.test((e as Error).message) && !(e as Error).message.includes('\n'), spec);
  }
});

test('registerScheme adds a family that createScheme builds (async)', async () => {
  registerScheme('test-echo', async (rest) => {
    const s = new IdentityScheme();
    return { ...s, name: 'test-echo', spec: `test-echo:${rest}`, transmit: s.transmit.bind(s) };
  });
  const s = await createScheme('test-echo:abc');
  assert.is(s.spec, 'test-echo:abc');
  assert.throws(() => parseSchemeSpec('test-echo:abc'), /createScheme/);
  assert.throws(() => registerScheme('Bad Prefix', () => new IdentityScheme()), /lower-case/);
});

test.run();
