/**
 * The cliff of the separate scheme with the project's own blocks: 802.11n LDPC (648, 324) rate 1/2,
 * Gray 16-QAM with exact demapping, AWGN. Rate 1/2 x 4 bits = 2 bits per channel use: the
 * Gaussian-input Shannon limit is SNR = 10 log10(2^2 - 1) = 4.77 dB, and this short code with
 * layered min-sum reaches block error rate 1e-2 near Es/N0 = 8 dB (Eb/N0 = 5 dB). A feature (15
 * blocks here) is lost when any block fails; measured with 40 repetitions per point: 100% lost up
 * to 7 dB, 70% at 7.5, 10% at 8, 0% from 8.5 dB. The test asserts both sides of the cliff, 2 dB
 * below and 1.5 dB above its 50% point (20 repetitions each; one stray event allowed).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/rng.js';
import { createChannel } from '../../channels/registry.js';
import { createModem } from '../../src/phy/registry.js';
import { createLdpc80211n } from '../../src/fec/ldpc/80211n/code.js';
import { crcByName } from '../../baselines/separate/crc.js';
import { SeparateScheme } from '../../baselines/separate/scheme.js';
import { randomFeature } from '../../baselines/feature.js';
import { sourceRoundTrip } from '../../baselines/separate/source.js';

test('LDPC 1/2 + 16-QAM: ~100% losses below the threshold, ~0% above', async () => {
  const feature = randomFeature([8, 8, 16], new Rng(31));
  // what the spec separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam builds
  const scheme = new SeparateScheme({ quality: 50, code: createLdpc80211n(648, '1/2'), modem: createModem('16qam'), crc: crcByName('16') });
  const channel = await createChannel('awgn', {});
  const reps = 20;
  const rate = (snrDb: number) => {
    let failed = 0, rawErrors = 0, blocks = 0;
    for (let r = 0; r < reps; r++) {
      const res = scheme.transmit(feature, channel, snrDb, new Rng(5).split(Math.round(snrDb * 10), r));
      if (res.failed) failed++;
      else assert.equal(res.feature, sourceRoundTrip(feature, 50), 'a delivered feature is the JPEG-decoded one');
      rawErrors += Number(res.stats.rawBitErrors);
      blocks = Number(res.stats.blocks);
    }
    return { failed, rawErrors, blocks };
  };
  const below = rate(5.3);
  const above = rate(8.8);
  assert.ok(below.blocks >= 10, `${below.blocks} blocks per feature`);
  assert.ok(below.failed >= reps - 1, `below threshold: ${below.failed}/${reps} lost`);
  assert.ok(above.failed <= 1, `above threshold: ${above.failed}/${reps} lost`);
  assert.ok(above.rawErrors > 0, 'above the threshold the channel still flips coded bits: the code corrects them');
});

test.run();
