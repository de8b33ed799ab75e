/**
 * The separate scheme's pipeline (with the project's CRC-16) and textbook stand-ins for modem, channel and code
 * (test/baselines/standins.ts), so it is tested on its own; test/baselines/cliff.test.ts runs it
 * with the project's LDPC code and 16-QAM.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/rng.js';
import { SeparateScheme, linkBudget } from '../../baselines/separate/scheme.js';
import { sourceEncode, sourceRoundTrip } from '../../baselines/separate/source.js';
import { randomFeature } from '../../baselines/feature.js';
import { crcByName } from '../../baselines/separate/crc.js';
import { bpsk, qpsk, awgn, repetition3 } from './standins.js';

const crc16 = crcByName('16');

const feature = randomFeature([8, 8, 4], new Rng(3));

test('channel-use accounting by hand', () => {
  // 1000 JPEG bytes + 12 side-info bytes (2 float32 range + uint32 length) = 8096 bits.
  // Blocks of k = 1001 with CRC-16: 985 payload bits -> 9 blocks, 9*985 - 8096 = 769 pad bits.
  // n = 1001 (uncoded): 9009 code bits; 16-QAM: ceil(9009 / 4) = 2253 uses, 3 modulation pad bits.
  assert.equal(linkBudget(1000, { range: 'feature', channels: 4, k: 1001, n: 1001, crcBits: 16, bitsPerSymbol: 4 }), {
    payloadBytes: 1012, jpegBits: 8000, sideInfoBits: 96, blocks: 9, crcBits: 144, padBits: 769,
    codeBits: 9009, modPadBits: 3, channelUses: 2253,
  });
  // 802.11n (648, 324) with CRC-16: 308 payload bits -> 27 blocks, 220 pad bits, 17496 code bits,
  // 64-QAM: 2916 uses exactly. Per-channel ranges for C = 4: 4 * 64 + 32 side bits.
  const b = linkBudget(1000, { range: 'feature', channels: 4, k: 324, n: 648, crcBits: 16, bitsPerSymbol: 6 });
  assert.equal([b.blocks, b.padBits, b.codeBits, b.channelUses, b.modPadBits], [27, 220, 17496, 2916, 0]);
  assert.is(linkBudget(1000, { range: 'channel', channels: 4, k: 324, n: 648, crcBits: 16, bitsPerSymbol: 6 }).sideInfoBits, 288);
});

test('the channel sees exactly channelUses symbols (QPSK, odd code bits)', () => {
  const log = { symbols: 0 };
  const s = new SeparateScheme({ quality: 50, code: null, blockBits: 1001, modem: qpsk, crc: crc16 });
  const r = s.transmit(feature, awgn(log), 100, new Rng(1));
  const J = sourceEncode(feature, 50).jpeg.length;
  const bits = (J + 12) * 8;
  const blocks = Math.ceil(bits / 985);
  assert.is(r.stats.jpegBytes, J);
  assert.is(r.stats.blocks, blocks);
  assert.is(r.stats.padBits, blocks * 985 - bits);
  assert.is(r.channelUses, Math.ceil((blocks * 1001) / 2));
  assert.is(log.symbols, r.channelUses);
  assert.is(s.channelUsesFor(feature), r.channelUses);
  assert.is(r.bits, bits);
});

test('at very high SNR the received feature is exactly the JPEG-decoded feature', () => {
  for (const [code, modem, header, range] of [[repetition3(200), bpsk, 'full', 'feature'], [null, qpsk, 'known', 'channel']] as const) {
    const s = new SeparateScheme({ quality: 75, code, modem, crc: crc16, header, range });
    const r = s.transmit(feature, awgn(), 200, new Rng(9));
    assert.is(r.failed, false);
    assert.is(r.stats.rawBitErrors, 0);
    assert.is(r.stats.sideInfoBits, (range === 'channel' ? 4 : 1) * 64 + 32);
    assert.equal(r.feature, sourceRoundTrip(feature, 75, { header, range }));
    // and that is not the original (JPEG is lossy), but close
    let mse = 0;
    for (let i = 0; i < r.feature.length; i++) mse += (r.feature[i] - feature.data[i]) ** 2;
    assert.ok(mse > 0 && mse / r.feature.length < 0.01, `mse ${mse / r.feature.length}`);
  }
});

test('failed CRC blocks are a counted loss with the fallback; same seed, same outcome', () => {
  const s = new SeparateScheme({ quality: 50, code: repetition3(200), modem: bpsk, crc: crc16 });
  const hi = s.transmit(feature, awgn(), 30, new Rng(4));
  const lo = s.transmit(feature, awgn(), -6, new Rng(4));
  assert.is(hi.failed, false);
  assert.is(lo.failed, true);
  assert.ok(Number(lo.stats.failedBlocks) > 0);
  assert.ok(Number(lo.stats.rawBitErrors) > 0, 'the channel really made errors');
  assert.match(String(lo.stats.lossReason), /CRC/);
  assert.ok(lo.feature.every((v) => v === 0), 'zeros fallback');
  assert.is(lo.channelUses, hi.channelUses);
  const again = s.transmit(feature, awgn(), -6, new Rng(4));
  assert.equal(again.stats, lo.stats);
  const mean = new Float32Array([0.1, 0.2, 0.3, 0.4]);
  const sm = new SeparateScheme({ quality: 50, code: repetition3(200), modem: bpsk, crc: crc16, fallback: 'mean', channelMean: mean });
  const lm = sm.transmit(feature, awgn(), -6, new Rng(4));
  assert.is(lm.failed, true);
  assert.equal(Array.from(lm.feature.slice(0, 8)), Array.from(mean).concat(Array.from(mean)));
});

test('without a CRC, channel errors reach the JPEG decoder and never crash it', () => {
  const s = new SeparateScheme({ quality: 50, code: null, modem: bpsk, crc: null });
  let lost = 0, damaged = 0;
  for (let rep = 0; rep < 30; rep++) {
    const r = s.transmit(feature, awgn(), 6, new Rng(5).split(rep)); // uncoded BPSK at 6 dB: BER ~ 2.4e-3
    assert.ok(Number(r.stats.rawBitErrors) > 0);
    assert.is(r.feature.length, feature.data.length);
    if (r.failed) lost++; else damaged++;
    assert.ok(r.feature.every(Number.isFinite));
  }
  assert.is(lost + damaged, 30);
  assert.ok(lost > 0, `some streams are undecodable (${lost})`);
});

test('the transmitter cache changes no number, keeps to its bound and refuses a bad bound', () => {
  const feats = [3, 4, 5, 6].map((seed) => randomFeature([8, 8, 4], new Rng(seed)));
  const opts = { quality: 50, code: repetition3(200), modem: bpsk, crc: crc16 };
  const cached = new SeparateScheme(opts);
  const plain = new SeparateScheme({ ...opts, txCacheBytes: 0 });
  let lost = 0, received = 0;
  // Every feature at SNR points below, at and above the cliff, twice over: entries are reused.
  for (const snr of [-6, 2, 30, -6, 2, 30]) {
    feats.forEach((f, i) => {
      const a = cached.transmit(f, awgn(), snr, new Rng(9).split(snr + 10, i));
      const b = plain.transmit(f, awgn(), snr, new Rng(9).split(snr + 10, i));
      assert.equal(a.stats, b.stats);
      assert.is(a.failed, b.failed);
      assert.equal(Array.from(a.feature), Array.from(b.feature));
      if (a.failed) lost++; else received++;
    });
  }
  assert.ok(lost > 0 && received > 0, `both sides of the cliff (${lost} lost, ${received} received)`);
  assert.is(cached.txCacheUsage.entries, 4);
  assert.is(plain.txCacheUsage.entries, 0);
  // A bound that holds about one entry keeps at most that much.
  const one = cached.txCacheUsage.bytes / 4;
  const small = new SeparateScheme({ ...opts, txCacheBytes: Math.ceil(one * 1.5) });
  for (const f of feats) small.transmit(f, awgn(), 30, new Rng(1));
  assert.ok(small.txCacheUsage.entries <= 1 && small.txCacheUsage.bytes <= small.txCacheBytes, JSON.stringify(small.txCacheUsage));
  assert.throws(() => new SeparateScheme({ ...opts, txCacheBytes: -1 }), /transmitter cache bound -1 is not allowed/);
});

test.run();
