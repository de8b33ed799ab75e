/**
 * The separate scheme in 5G NR transport-block mode (code=ldpc:5gnr:tb:auto:R): one TB sized to the
 * payload, exact channel-use accounting, a clean link returns the JPEG-decoded feature, a bad one
 * is lost by the TB CRC; spec errors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/rng.js';
import { UsageError } from '../../src/core/errors.js';
import { parseSchemeSpec } from '../../baselines/registry.js';
import { SeparateScheme } from '../../baselines/separate/scheme.js';
import { sourceEncode, sourceRoundTrip } from '../../baselines/separate/source.js';
import { randomFeature } from '../../baselines/feature.js';
import { segment, tbBaseGraph, transportBlockSize } from '../../src/fec/ldpc/5gnr/segmentation.js';
import { createBuiltinChannel } from '../../channels/registry.js';

test('TB mode: A = smallest valid TBS >= payload, G = round(A / R) in Qm multiples, the feature comes back', () => {
  const feature = randomFeature([16, 16, 8], new Rng(4));
  const s = parseSchemeSpec('separate:jpeg=90,code=ldpc:5gnr:tb:auto:1/2,mod=16qam') as SeparateScheme;
  // The scheme's default Huffman tables are the per-image optimal ones (header=full).
  const J = sourceEncode(feature, 90, { huffman: 'optimal' }).jpeg.length;
  assert.ok(J < sourceEncode(feature, 90).jpeg.length);
  const payloadBits = (J + 12) * 8;
  const a = transportBlockSize(payloadBits, 0.5);
  const seg = segment(a, tbBaseGraph(a, 0.5, 'auto'))!;
  const g = 4 * Math.round(a / 0.5 / 4);
  const r = s.transmit(feature, createBuiltinChannel('awgn'), 12, new Rng(1));
  assert.is(r.failed, false, String(r.stats.lossReason));
  assert.equal([r.stats.blocks, r.stats.padBits, r.stats.codeBits, r.stats.crcBits], [1, a - payloadBits, g, seg.tbCrc + 24 * (seg.c > 1 ? seg.c : 0)]);
  assert.is(r.channelUses, g / 4);
  assert.is(s.channelUsesFor(feature), r.channelUses);
  assert.equal(r.feature, sourceRoundTrip(feature, 90));
  assert.ok(seg.c >= 1 && a >= payloadBits && a - payloadBits < 8 * 64);
  // far below the threshold the TB CRC fails and the fallback is used
  const lost = s.transmit(feature, createBuiltinChannel('awgn'), -2, new Rng(2));
  assert.ok(lost.failed && /failed the CRC/.test(String(lost.stats.lossReason)), String(lost.stats.lossReason));
  assert.ok(lost.feature.every((v) => v === 0));
});

test('TB mode spec: crc= and block= are refused; A=auto only in the scheme', () => {
  const one = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test((e as Error).message) && !(e as Error).message.includes('\n');
  assert.throws(() => parseSchemeSpec('separate:jpeg=50,code=ldpc:5gnr:tb:auto:1/2,mod=qpsk,crc=16'), one(/crc= is not allowed/));
  assert.throws(() => parseSchemeSpec('separate:jpeg=50,code=ldpc:5gnr:tb:auto:1/2,mod=qpsk,block=64'), one(/block=BYTES/));
  const fixed = parseSchemeSpec('separate:jpeg=50,code=ldpc:5gnr:tb:20496:1/2,mod=qpsk') as SeparateScheme;
  assert.is(fixed.k, 20496); // a fixed TB is an ordinary code with blocks of A bits
});

test.run();
