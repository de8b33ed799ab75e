import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCodeSpec, CODE_SPEC_EXAMPLES, CODE_SPEC_HELP } from '../../src/fec/registry.js';
import { ConvCode } from '../../src/fec/conv/code.js';
import { Ldpc80211nCode } from '../../src/fec/ldpc/80211n/code.js';
import { Ldpc5gnrCode } from '../../src/fec/ldpc/5gnr/code.js';
import { UsageError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';

const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test((e as Error).message);

test('none is uncoded (null)', () => {
  assert.is(parseCodeSpec('none'), null);
  assert.is(parseCodeSpec('  NONE '), null);
});

test('conv: every rate, default and explicit K, case-insensitive', () => {
  for (const r of ['1/2', '2/3', '3/4', '5/6']) {
    const c = parseCodeSpec(`conv:${r}`);
    assert.ok(c instanceof ConvCode);
    assert.is(c!.k, 1024);
    assert.is(c!.name, `conv:${r}:K=1024`);
  }
  const c = parseCodeSpec('CONV:3/4:K=4096')!;
  assert.is(c.k, 4096);
  assert.is(c.n, 5470); // 4102 steps: 1367 periods of 4 bits + A B of the last step
  // The name round-trips.
  assert.is(parseCodeSpec(c.name)!.name, c.name);
});

test('ldpc:80211n: all 12 (N, R), with decoder options from the argument and from suffixes', () => {
  for (const n of [648, 1296, 1944]) {
    for (const [r, k] of [['1/2', n / 2], ['2/3', (2 * n) / 3], ['3/4', (3 * n) / 4], ['5/6', (5 * n) / 6]] as const) {
      const c = parseCodeSpec(`ldpc:80211n:${n}:${r}`);
      assert.ok(c instanceof Ldpc80211nCode, `${n} ${r}`);
      assert.is(c!.n, n);
      assert.is(c!.k, k);
    }
  }
  // maxIterations reaches the decoder: pure noise never satisfies the syndrome, so all iterations run.
  const noise = new Float32Array(648);
  new Rng(31).fillGaussian(noise, 1);
  const viaOption = parseCodeSpec('ldpc:80211n:648:1/2', { ldpc: { maxIterations: 3 } })!;
  assert.is(viaOption.decode(noise).iterations, 3);
  const viaSuffix = parseCodeSpec('ldpc:80211n:648:1/2:alg=spa:iter=7', { ldpc: { maxIterations: 3 } })!;
  assert.is(viaSuffix.decode(noise).iterations, 7, 'the suffix overrides the argument');
});

test('ldpc:5gnr: bg1, bg2 and auto, K and R as fraction or decimal', () => {
  const a = parseCodeSpec('ldpc:5gnr:bg1:8448:1/3')!;
  assert.ok(a instanceof Ldpc5gnrCode);
  assert.is(a.k, 8448);
  assert.is(a.n, 25344);
  const b = parseCodeSpec('ldpc:5gnr:bg2:512:0.5:alg=oms:iter=20')!;
  assert.is(b.k, 512);
  assert.is(b.n, 1024);
  const auto = parseCodeSpec('ldpc:5gnr:auto:1000:1/2')!;
  assert.match(auto.name, /bg2/); // TS 38.212 7.2.2: A <= 3824 at R <= 0.67 -> BG2
});

test('every example parses, and encodes + decodes a noiseless block exactly', () => {
  const rng = new Rng(32);
  for (const spec of CODE_SPEC_EXAMPLES) {
    const c = parseCodeSpec(spec);
    if (spec === 'none') {
      assert.is(c, null);
      continue;
    }
    assert.ok(c, spec);
    const u = rng.fillBits(new Uint8Array(c!.k));
    const x = c!.encode(u);
    assert.is(x.length, c!.n, spec);
    const d = c!.decode(Float32Array.from(x, (b) => (b ? -8 : 8)));
    assert.equal(Array.from(d.bits), Array.from(u), spec);
    assert.ok(d.ok, spec);
  }
});

test('bad SPECs: UsageError naming the SPEC and what is allowed', () => {
  const help = CODE_SPEC_HELP.replace(/[|()[\]]/g, '.');
  const cases: [string, RegExp][] = [
    ['turbo:1/3', new RegExp(`"turbo:1/3" is not allowed: use ${help}`)],
    ['', /"" is not allowed/],
    ['conv', /"conv".*rate ""/],
    ['conv:7/8', /"conv:7\/8".*"7\/8" is not one of 1\/2, 2\/3, 3\/4, 5\/6/],
    ['conv:1/2:K=0', /"conv:1\/2:K=0".*K "0" must be a positive integer/],
    ['conv:1/2:K=2000000', /K=2000000 is not allowed: use an integer in 1\.\.1048576/],
    ['conv:1/2:q=3', /"q=3" is not a known option \(k=\)/],
    ['conv:1/2:k=8:k=9', /k= is given twice/],
    ['ldpc:80211n:600:1/2', /"ldpc:80211n:600:1\/2".*N=600.*648, 1296, 1944/],
    ['ldpc:80211n:648:7/8', /R=7\/8.*1\/2, 2\/3, 3\/4, 5\/6/],
    ['ldpc:80211n:648:1/2:alg=bp', /alg=bp is not one of nms, oms, spa/],
    ['ldpc:80211n:648:1/2:iter=0', /iter "0" must be a positive integer/],
    ['ldpc:80211n', /needs N and R/],
    ['ldpc:5gnr:bg3:100:1/2', /base graph "bg3"/],
    ['ldpc:5gnr:bg1:10:1/2', /"ldpc:5gnr:bg1:10:1\/2".*K=10/],
    ['ldpc:5gnr:bg1:100:2', /rate "2"/],
    ['ldpc:5gnr:bg1:100', /needs a base graph, K and R/],
    ['ldpc:polar:128:1/2', /LDPC family "polar"/],
  ];
  for (const [spec, re] of cases) assert.throws(() => parseCodeSpec(spec), usage(re), spec);
});

test.run();
