/**
 * 5G NR transport blocks: TS 38.212 5.2.2 segmentation (C, K', Kb, Z, F) and 5.4.2.1 E_r checked
 * against hand-worked cases of the formulas; the TS 38.214 5.1.3.2 TBS formula always segments
 * exactly; encode/decode round trips (noiseless, one corrupted block, AWGN); the spec string.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../../../src/core/rng.js';
import { UsageError } from '../../../../src/core/errors.js';
import { segment, rateMatchLengths, transportBlockSize, tbBaseGraph } from '../../../../src/fec/ldpc/5gnr/segmentation.js';
import { Ldpc5gnrTransportBlock } from '../../../../src/fec/ldpc/5gnr/transport-block.js';
import { parseCodeSpec, parseTransportBlockFamily } from '../../../../src/fec/registry.js';
import { crcByName } from '../../../../src/fec/crc/catalog.js';

test('segmentation (5.2.2): C, K\', Kb, Z, K, F for several TB sizes, worked by hand', () => {
  // [A, R, bg, tbCrc, C, K', Kb, Z, F]
  const cases: [number, number, string, number, number, number, number, number, number][] = [
    [100, 0.5, 'bg2', 16, 1, 116, 6, 20, 84], //      B = 116 <= 192: Kb 6, 6 Z >= 116 -> Z 20, K 200
    [400, 0.5, 'bg2', 16, 1, 416, 8, 52, 104], //     192 < B <= 560: Kb 8, 8 Z >= 416 -> 52, K 520
    [600, 0.5, 'bg2', 16, 1, 616, 9, 72, 104], //     560 < B <= 640: Kb 9, 9 Z >= 616 -> 72 (69 is no lifting size)
    [3824, 0.5, 'bg2', 16, 1, 3840, 10, 384, 0], //   A <= 3824, R <= 0.67: bg2; B = Kcb = 3840: one block
    [3832, 0.5, 'bg1', 24, 1, 3856, 22, 176, 16], //  A > 3824: CRC24A, bg1; 22 Z >= 3856 -> 176
    [4000, 0.2, 'bg2', 24, 2, 2036, 10, 208, 44], //  R <= 0.25: bg2; B = 4024 > 3840: C = ceil(4024 / 3816) = 2, B' = 4072
    [20496, 0.5, 'bg1', 24, 3, 6864, 22, 320, 176], // B = 20520: C = ceil(20520 / 8424) = 3, B' = 20592, K' = 6864
    [8424, 0.5, 'bg1', 24, 1, 8448, 22, 384, 0], //   B = 8448 = Kcb: still one block
    [8432, 0.5, 'bg1', 24, 2, 4252, 22, 208, 324], // B = 8456 > Kcb: C = 2, B' = 8504
  ];
  for (const [a, r, bg, tbCrc, c, kp, kb, z, f] of cases) {
    assert.is(tbBaseGraph(a, r, 'auto'), bg, `A=${a} graph`);
    const s = segment(a, bg as 'bg1' | 'bg2')!;
    assert.ok(s, `A=${a}`);
    assert.equal([s.tbCrc, s.c, s.kPrime, s.kb, s.z, s.filler, s.l], [tbCrc, c, kp, kb, z, f, c > 1 ? 24 : 0], `A=${a}`);
    assert.is(s.k, (bg === 'bg1' ? 22 : 10) * z);
    assert.is(s.kPrime * s.c, a + tbCrc + s.l * c);
  }
  // B' / C not an integer: no exact segmentation
  assert.is(segment(20500, 'bg1'), null);
});

test('TS 38.214 TBS formula (N_info > 3824) always segments exactly; transportBlockSize never exceeds it', () => {
  const rng = new Rng(3);
  for (let i = 0; i < 200; i++) {
    const nInfo = 3832 + rng.int(300000);
    const r = [0.2, 0.5, 0.8][i % 3];
    // 38.214 5.1.3.2: n = floor(log2(N - 24)) - 5, N' = max(3840, 2^n round((N - 24) / 2^n)),
    // C = ceil((N' + 24) / 3816) for R <= 1/4, else ceil((N' + 24) / 8424) when N' > 8424, else 1
    const n = Math.floor(Math.log2(nInfo - 24)) - 5;
    const np = Math.max(3840, 2 ** n * Math.round((nInfo - 24) / 2 ** n));
    const c = r <= 0.25 ? Math.ceil((np + 24) / 3816) : np > 8424 ? Math.ceil((np + 24) / 8424) : 1;
    const tbs = 8 * c * Math.ceil((np + 24) / (8 * c)) - 24;
    const s = segment(tbs, tbBaseGraph(tbs, r, 'auto'));
    assert.ok(s && s.c === c, `TBS ${tbs} (R ${r}): C ${s?.c} vs ${c}`);
    const a = transportBlockSize(np, r);
    assert.ok(a >= np && a <= tbs && a % 8 === 0 && segment(a, tbBaseGraph(a, r, 'auto')), `size for ${np}: ${a} (TBS ${tbs})`);
  }
});

test('rate matching lengths (5.4.2.1): E_r in multiples of Qm, the shorter blocks first, sum G', () => {
  assert.equal(rateMatchLengths(40992, 3, 4), [13664, 13664, 13664]);
  // G / Qm = 10001 over C = 2: r <= C - mod(10001, 2) - 1 = 0 gets floor, the rest ceil
  assert.equal(rateMatchLengths(20002, 2, 2), [10000, 10002]);
  // 1003 symbols over 4 blocks: mod = 3, so r = 0 gets 250 symbols and r = 1..3 get 251
  assert.equal(rateMatchLengths(6018, 4, 6), [1500, 1506, 1506, 1506]);
  const tb = new Ldpc5gnrTransportBlock(4000, 0.2, 'auto', { bitsPerSymbol: 2, g: 20002 });
  assert.equal(tb.e, [10000, 10002]);
  assert.is(tb.n, 20002);
});

test('round trip: noiseless decode returns the TB; a corrupted block fails its CRC24B and the TB CRC', () => {
  const rng = new Rng(5);
  for (const [a, r, qm] of [[100, '1/2', 1], [3832, '2/3', 2], [20496, '1/2', 4], [4000, '0.2', 2]] as const) {
    const tb = new Ldpc5gnrTransportBlock(a, r, 'auto', { bitsPerSymbol: qm });
    const u = rng.fillBits(new Uint8Array(a));
    const cw = tb.encode(u);
    assert.is(cw.length, tb.n);
    assert.ok(tb.e.every((e) => e % qm === 0) && tb.e.reduce((x, y) => x + y, 0) === tb.n);
    const llr = Float32Array.from(cw, (b) => (b ? -8 : 8));
    const d = tb.decode(llr);
    assert.ok(d.ok && d.blockOk.every((x) => x === 1), `A=${a}`);
    assert.equal(Array.from(d.bits), Array.from(u), `A=${a}`);
    if (tb.blocks > 1) {
      // the last block's LLRs inverted: only that block's CRC fails, and the TB CRC
      const bad = llr.slice();
      const from = tb.n - tb.e[tb.blocks - 1];
      for (let i = from; i < tb.n; i++) bad[i] = -bad[i];
      const e = tb.decode(bad);
      assert.ok(!e.ok, `A=${a} corrupted`);
      assert.equal(Array.from(e.blockOk), [...Array(tb.blocks - 1).fill(1), 0]);
    }
  }
  // The TB CRC is the TS one: gCRC24A over A bits for A > 3824 (the first B - A = 24 bits after the payload)
  const tb = new Ldpc5gnrTransportBlock(20496, '1/2');
  const u = rng.fillBits(new Uint8Array(20496));
  const d = tb.decode(Float32Array.from(tb.encode(u), (b) => (b ? -8 : 8)));
  assert.ok(d.ok && crcByName('crc24a').computeBitsValue(u) === crcByName('crc24a').computeBitsValue(d.bits));
});

test('AWGN: a 3-block TB at 2.5 dB Eb/N0 (BPSK, R 1/2) decodes; at 0 dB it fails', () => {
  const tb = new Ldpc5gnrTransportBlock(20496, '1/2');
  const rng = new Rng(7);
  const run = (ebn0: number) => {
    let ok = 0;
    for (let f = 0; f < 4; f++) {
      const u = rng.fillBits(new Uint8Array(tb.k));
      const cw = tb.encode(u);
      const n0 = 1 / (tb.rate * 10 ** (ebn0 / 10)); // Es = 1, Es/N0 = R Eb/N0
      const noise = rng.fillGaussian(new Float32Array(tb.n), Math.sqrt(n0 / 2));
      const llr = Float32Array.from(cw, (b, i) => (4 * ((b ? -1 : 1) + noise[i])) / n0); // 2 y / sigma^2
      const d = tb.decode(llr);
      if (d.ok && d.bits.every((x, i) => x === u[i])) ok++;
    }
    return ok;
  };
  assert.is(run(2.5), 4);
  assert.is(run(0), 0);
});

test('spec: ldpc:5gnr:tb:A:R[:qm][:bg] in the registry; bad sizes and A=auto outside the scheme are one-line errors', () => {
  const c = parseCodeSpec('ldpc:5gnr:tb:20496:1/2:qm=4:iter=8')!;
  assert.ok(c instanceof Ldpc5gnrTransportBlock);
  assert.equal([c.k, c.n, (c as Ldpc5gnrTransportBlock).blocks], [20496, 40992, 3]);
  assert.is(c.name, 'ldpc:5gnr:tb:20496:1/2:qm=4');
  const oneLine = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test((e as Error).message) && !(e as Error).message.includes('\n');
  assert.throws(() => parseCodeSpec('ldpc:5gnr:tb:20500:1/2'), oneLine(/A=20500 is not allowed.*use e\.g\. \d+ or \d+/));
  assert.throws(() => parseCodeSpec('ldpc:5gnr:tb:auto:1/2'), oneLine(/separate scheme only/));
  assert.throws(() => parseCodeSpec('ldpc:5gnr:tb:1000:1/2:bg=bg3'), oneLine(/bg=bg3/));
  assert.throws(() => parseCodeSpec('ldpc:5gnr:tb:1000:0.99'), oneLine(/rate/));
  const fam = parseTransportBlockFamily('ldpc:5gnr:tb:auto:2/3')!;
  assert.ok(fam && fam.sizeFor(9001) >= 9001);
  assert.is(parseTransportBlockFamily('ldpc:5gnr:bg1:100:1/2'), null);
  const t = fam.create(fam.sizeFor(9001), 4);
  assert.ok(t.k === fam.sizeFor(9001) && t.bitsPerSymbol === 4);
});

test.run();
