/** The ideal:jpeg bound and bandwidth matching. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/rng.js';
import { IdealScheme, awgnCapacity } from '../../baselines/ideal.js';
import { matchBandwidth } from '../../baselines/separate/bandwidth.js';
import { linkBudget } from '../../baselines/separate/scheme.js';
import { jpegBytesAt, sourceRoundTrip } from '../../baselines/separate/source.js';
import { randomFeature } from '../../baselines/feature.js';
import { awgn, repetition3 } from './standins.js';

const feature = randomFeature([8, 8, 16], new Rng(21)); // mosaic 32 x 32

test('capacity: log2(1 + SNR)', () => {
  assert.is(awgnCapacity(0), 1);
  assert.ok(Math.abs(awgnCapacity(10 * Math.log10(3)) - 2) < 1e-12);
  assert.ok(Math.abs(awgnCapacity(20) - Math.log2(101)) < 1e-12);
});

test('ideal quality is the largest that fits the capacity, and never decreases with SNR', () => {
  const uses = 1500;
  const s = new IdealScheme({ channelUses: uses });
  let prev = 0;
  let sawLoss = false, sawHundred = false;
  for (let snr = -10; snr <= 30; snr += 0.5) {
    const r = s.transmit(feature, awgn(), snr, new Rng(1));
    const q = r.stats.quality;
    assert.ok(q >= prev, `quality ${q} at ${snr} dB < ${prev} below`);
    prev = q;
    const cap = uses * awgnCapacity(snr);
    if (q === 0) {
      sawLoss = true;
      assert.is(r.failed, true);
      assert.ok(jpegBytesAt(feature, 1) * 8 + 64 > cap);
    } else {
      assert.ok(jpegBytesAt(feature, q) * 8 + 64 <= cap, 'fits');
      for (let k = q + 1; k <= 100; k++) assert.ok(jpegBytesAt(feature, k) * 8 + 64 > cap, `q=${k} would also fit at ${snr} dB`);
      assert.equal(r.feature, sourceRoundTrip(feature, q));
      if (q === 100) sawHundred = true;
    }
    assert.is(r.channelUses, uses);
  }
  assert.ok(sawLoss && sawHundred, 'the sweep covers both ends');
  // Decodes are cached by (content, quality): the q = 100 points above were served from it, and
  // a bad bound is refused.
  assert.throws(() => new IdealScheme({ channelUses: uses, cacheBytes: -1 }), /ideal:jpeg cache bound -1 is not allowed/);
});

test('bandwidth matching: largest fitting quality, or null with the reason', () => {
  const code = repetition3(200);
  const a = matchBandwidth({ feature, channelUses: 20000, code, bitsPerSymbol: 2 });
  assert.ok(a.quality !== null);
  if (a.quality === null) return;
  assert.ok(a.channelUses <= 20000);
  const cost = (q: number) => linkBudget(jpegBytesAt(feature, q), { range: 'feature', channels: 16, k: 200, n: 600, crcBits: 16, bitsPerSymbol: 2 }).channelUses;
  assert.is(a.channelUses, cost(a.quality));
  for (let q = a.quality + 1; q <= 100; q++) assert.ok(cost(q) > 20000);
  const none = matchBandwidth({ feature, channelUses: 100, code, bitsPerSymbol: 2 });
  assert.is(none.quality, null);
  if (none.quality === null) {
    assert.match(none.reason, /no JPEG quality fits 100 channel uses/);
    assert.ok(none.minChannelUses > 100);
  }
});

test.run();
