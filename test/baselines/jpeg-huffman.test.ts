/**
 * Optimized Huffman tables (T.81 Annex K.2): a hand-worked Figure K.1 case, the 16-bit limit of
 * Figure K.3 (Kraft sum < 1, no all-ones code), every stream decoded by jpeg-js to the pixels of
 * the typical-table stream and never larger, and the separate scheme's huffman= key.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import jpeg from 'jpeg-js';
import { Rng } from '../../src/core/rng.js';
import { UsageError } from '../../src/core/errors.js';
import { encodeGrayJpeg, optimalHuffman } from '../../baselines/separate/jpeg-encoder.js';
import { parseSchemeSpec } from '../../baselines/registry.js';
import { SeparateScheme } from '../../baselines/separate/scheme.js';
import type { IdealScheme } from '../../baselines/ideal.js';
import { randomFeature } from '../../baselines/feature.js';
import { sourceRoundTrip, sourceEncode } from '../../baselines/separate/source.js';
import { createBuiltinChannel } from '../../channels/registry.js';

test('Figure K.1 by hand: frequencies 1, 1, 2, 4 (+ the reserved 1) give code lengths 3, 4, 2, 1', () => {
  const f = new Array(256).fill(0);
  f[0] = 1; f[1] = 1; f[2] = 2; f[3] = 4;
  // merges (least first, the larger symbol on ties): {256,1}, {0,{256,1}}, {2,..}, {3,..};
  // lengths 3:1, 2:2, 0:3, 1:4, 256:4 -> the reserved longest code is dropped
  const t = optimalHuffman(f);
  assert.equal(t.bits, [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(t.vals, [3, 2, 0, 1]);
});

test('Figure K.3: skewed frequencies are limited to 16-bit codes, Kraft sum < 1 (no all-ones code)', () => {
  const f = new Array(256).fill(0);
  // Fibonacci frequencies make an unbalanced tree 30 levels deep before the limit
  let a = 1, b = 1;
  for (let i = 0; i < 30; i++) { f[i] = a; [a, b] = [b, a + b]; }
  const t = optimalHuffman(f);
  assert.is(t.vals.length, 30);
  assert.is(t.bits.reduce((x, y) => x + y, 0), 30);
  const kraft = t.bits.reduce((s, n, i) => s + n * 2 ** -(i + 1), 0);
  assert.ok(kraft < 1, `Kraft ${kraft}`);
  assert.ok(t.bits[15] > 0); // some codes do reach 16 bits
  // the most frequent symbols get the shortest codes (28 and 29 tie with the rest of the tree)
  assert.ok(t.vals[0] === 28 || t.vals[0] === 29, `first ${t.vals[0]}`);
  assert.ok(t.vals.indexOf(29) < t.vals.indexOf(0) && t.vals.indexOf(20) < t.vals.indexOf(2));
});

test('optimal tables: jpeg-js decodes every stream to the typical stream\'s pixels, and it is never larger', () => {
  const rng = new Rng(12);
  let saved = 0, total = 0;
  for (let t = 0; t < 24; t++) {
    const w = 8 + rng.int(120), h = 8 + rng.int(90);
    const g = new Uint8Array(w * h);
    const smooth = t % 2 === 0;
    for (let i = 0; i < g.length; i++) g[i] = smooth ? (128 + 90 * Math.sin((i % w) / 9) * Math.cos(i / w / 7)) & 255 : rng.int(256);
    for (const q of [5, 25, 50, 75, 95]) {
      const typ = encodeGrayJpeg(g, w, h, q);
      const opt = encodeGrayJpeg(g, w, h, q, { huffman: 'optimal' });
      const a = jpeg.decode(typ, { useTArray: true });
      const b = jpeg.decode(opt, { useTArray: true });
      assert.equal([b.width, b.height], [w, h]);
      assert.ok(a.data.every((v: number, i: number) => v === b.data[i]), `pixels ${w}x${h} q${q}`);
      assert.ok(opt.length <= typ.length, `${w}x${h} q${q}: optimal ${opt.length} > typical ${typ.length}`);
      saved += typ.length - opt.length;
      total += typ.length;
    }
  }
  assert.ok(saved / total > 0.02, `saved ${saved} of ${total} bytes`);
});

test('scheme key huffman=optimal: smaller JPEG, same reconstruction; with header=known a one-line error', () => {
  const feature = randomFeature([16, 16, 16], new Rng(5));
  const opt = parseSchemeSpec('separate:jpeg=30,code=ldpc:80211n:648:1/2,mod=qpsk,huffman=optimal') as SeparateScheme;
  const typ = parseSchemeSpec('separate:jpeg=30,code=ldpc:80211n:648:1/2,mod=qpsk,huffman=typical') as SeparateScheme;
  // The default is the stronger baseline where the header travels, the typical tables where it does not.
  assert.is((parseSchemeSpec('separate:jpeg=30,code=ldpc:80211n:648:1/2,mod=qpsk') as SeparateScheme).huffman, 'optimal');
  assert.is((parseSchemeSpec('separate:jpeg=30,code=none,mod=qpsk,header=known') as SeparateScheme).huffman, 'typical');
  const r = opt.transmit(feature, createBuiltinChannel('awgn'), 30, new Rng(1));
  assert.is(r.failed, false);
  assert.equal(r.feature, sourceRoundTrip(feature, 30));
  assert.ok(Number(r.stats.jpegBytes) < sourceEncode(feature, 30).jpeg.length);
  assert.ok(opt.channelUsesFor(feature) <= typ.channelUsesFor(feature));
  assert.throws(() => parseSchemeSpec('separate:jpeg=30,code=none,mod=qpsk,huffman=optimal,header=known'),
    (e: unknown) => e instanceof UsageError && /huffman=optimal needs header=full/.test((e as Error).message) && !(e as Error).message.includes('\n'));
  assert.throws(() => parseSchemeSpec('separate:jpeg=30,code=none,mod=qpsk,huffman=best'), (e: unknown) => e instanceof UsageError && /huffman=best/.test((e as Error).message));
});

test('ideal:jpeg huffman=: optimal tables fit a quality at least as high in the same capacity; header=known needs typical', () => {
  const feature = randomFeature([16, 16, 16], new Rng(6));
  const uses = 300;
  const opt = parseSchemeSpec(`ideal:jpeg,uses=${uses}`) as IdealScheme;
  const typ = parseSchemeSpec(`ideal:jpeg,uses=${uses},huffman=typical`) as IdealScheme;
  let higher = 0;
  for (let snr = -4; snr <= 20; snr += 0.25) {
    const qo = opt.qualityFor(feature, snr) ?? 0, qt = typ.qualityFor(feature, snr) ?? 0;
    assert.ok(qo >= qt, `${snr} dB: optimal q${qo} < typical q${qt}`);
    if (qo > qt) higher++;
    if (qo > 0 && snr % 4 === 0) {
      // What it delivers is that quality's reconstruction, the same pixels whichever tables coded it.
      assert.equal(opt.transmit(feature, createBuiltinChannel('awgn'), snr, new Rng(1)).feature, sourceRoundTrip(feature, qo));
    }
  }
  assert.ok(higher > 0, 'the optimal tables never bought a higher quality');
  assert.throws(() => parseSchemeSpec('ideal:jpeg,uses=300,header=known,huffman=optimal'), (e: unknown) => e instanceof UsageError && /needs header=full/.test((e as Error).message));
});

test('separate schemes decode their blocks with the int16 inter-frame LDPC kernel unless :kernel=float', () => {
  const kernel = (code: string) => ((parseSchemeSpec(`separate:jpeg=30,code=${code},mod=qpsk`) as SeparateScheme).code as unknown as { decoder: { kernel: string } }).decoder.kernel;
  assert.is(kernel('ldpc:80211n:648:1/2'), 'int16');
  assert.is(kernel('ldpc:80211n:648:1/2:kernel=float'), 'wasm');
  assert.is.not(kernel('ldpc:80211n:648:1/2:alg=spa'), 'int16');
  assert.is(kernel('ldpc:80211n:648:1/2:kernel=int8'), 'int8');
  assert.throws(() => kernel('ldpc:80211n:648:1/2:alg=spa:kernel=int8'), (e: unknown) => e instanceof UsageError && /kernel=int8 runs min-sum only/.test((e as Error).message));
  assert.throws(() => kernel('ldpc:80211n:648:1/2:kernel=int4'), (e: unknown) => e instanceof UsageError && /kernel=int4 is not one of float, int16, int8/.test((e as Error).message));
});

test.run();
