/**
 * `ldpc:alist:PATH`: the 802.11n (648, 1/2) code written as a MacKay alist file reads back as the
 * same H; its GF(2) systematic encoder gives codewords with H c = 0 (the built-in encoder's
 * codewords, as both are systematic on the first k bits); error rates of the two agree within
 * their 95 % intervals; padded and unpadded files read; malformed files are one-line errors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '../../../src/core/rng.js';
import { UsageError } from '../../../src/core/errors.js';
import { parseAlist, toAlist } from '../../../src/fec/ldpc/alist/alist.js';
import { AlistCode } from '../../../src/fec/ldpc/alist/code.js';
import { Gf2Encoder } from '../../../src/fec/ldpc/gf2-encoder.js';
import { ParityCheck } from '../../../src/fec/ldpc/parity-check.js';
import { createLdpc80211n } from '../../../src/fec/ldpc/80211n/code.js';
import { parseCodeSpec } from '../../../src/fec/registry.js';
import { runBer } from '../../../src/sim/engine.js';
import { wilson } from '../../../src/sim/stats.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-alist-'));
const wifi = createLdpc80211n(648, '1/2');
const file = path.join(dir, 'WiFi_648_1-2.alist');
writeFileSync(file, toAlist(wifi.h));

const oneLine = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test((e as Error).message) && !(e as Error).message.includes('\n');

test('802.11n (648, 1/2) as alist: same H, k = 324, codewords = the built-in encoder\'s, H c = 0', () => {
  const code = parseCodeSpec(`ldpc:alist:${file}`) as AlistCode;
  assert.ok(code instanceof AlistCode);
  assert.equal([code.n, code.k, code.h.m, code.h.edges], [648, 324, 324, wifi.h.edges]);
  assert.equal(Array.from(code.h.rowPtr), Array.from(wifi.h.rowPtr));
  assert.equal(Array.from(code.h.colIdx), Array.from(wifi.h.colIdx));
  assert.equal(Array.from(code.encoder.infoPositions), Array.from({ length: 324 }, (_, i) => i));
  const rng = new Rng(2);
  for (let i = 0; i < 50; i++) {
    const u = rng.fillBits(new Uint8Array(324));
    const c = code.encode(u);
    assert.ok(code.h.syndromeOk(c), `H c = 0 (${i})`);
    assert.equal(Array.from(c), Array.from(wifi.encode(u)));
  }
  assert.is(code.name, `ldpc:alist:${file}`);
});

test('GF(2) encoder on an unstructured, rank-deficient H: H c = 0, k = n - rank, linear', () => {
  // 3 checks on 7 bits, the third the sum of the first two: rank 2, k = 5
  const h = ParityCheck.fromRows(7, [[0, 1, 2, 4], [1, 2, 3, 5], [0, 3, 4, 5]]);
  const enc = new Gf2Encoder(h);
  assert.is(enc.k, 5);
  const seen = new Set<string>();
  for (let v = 0; v < 32; v++) {
    const u = Uint8Array.from({ length: 5 }, (_, i) => (v >> i) & 1);
    const c = enc.encode(u);
    assert.ok(h.syndromeOk(c));
    assert.equal(Array.from(enc.infoPositions, (p) => c[p]), Array.from(u));
    seen.add(c.join(''));
  }
  assert.is(seen.size, 32);
});

test('alist code vs built-in: BLER and BER equal within their 95 % intervals (QPSK AWGN, NMS 10 it)', async () => {
  const opts = { snrDb: [2.5], minErrors: 60, maxBits: 4e6, workers: 1 };
  const a = await runBer({ mod: 'qpsk', code: `ldpc:alist:${file}`, channel: 'awgn', channelParams: {}, demap: 'exact' }, opts);
  const b = await runBer({ mod: 'qpsk', code: 'ldpc:80211n:648:1/2', channel: 'awgn', channelParams: {}, demap: 'exact' }, opts);
  const ra = a.rows[0], rb = b.rows[0];
  const [la, ha] = wilson(ra.blockErrors!, ra.blocks!);
  const [lb, hb] = wilson(rb.blockErrors!, rb.blocks!);
  assert.ok(la <= hb && lb <= ha, `BLER ${ra.blockErrors}/${ra.blocks} vs ${rb.blockErrors}/${rb.blocks}`);
  const [ba, bah] = wilson(ra.bitErrors, ra.bits);
  const [bb, bbh] = wilson(rb.bitErrors, rb.bits);
  assert.ok(ba <= bbh && bb <= bah, `BER ${ra.ber} vs ${rb.ber}`);
  // same H, same codewords, same float arithmetic (JS vs WASM kernels are bit-identical): same counts
  assert.equal([ra.bitErrors, ra.blockErrors], [rb.bitErrors, rb.blockErrors]);
});

test('alist reading: unpadded lists, trailing numbers; malformed files are one-line errors naming the file', () => {
  const text = toAlist(wifi.h);
  const unpadded = text.split('\n').map((l) => l.replace(/( 0)+$/, '')).join('\n');
  assert.throws(() => parseAlist(unpadded + '\n# a note\n', 'x'), oneLine(/line \d+: "#" is not a non-negative integer/));
  const h = parseAlist(unpadded + '\n7 7 7\n', 'x'); // trailing numbers are ignored
  assert.equal(Array.from(h.colIdx), Array.from(wifi.h.colIdx));
  const lines = text.split('\n');
  const cases: [string, RegExp][] = [
    ['', /ends before N/],
    ['648 324\n3 8\n', /ends before the weight of column 1/],
    [lines.slice(0, 4).join('\n'), /ends before the entries of column 1/],
    [text.replace(/^648 324/, '648 700'), /N=648 M=700 is not allowed/],
    [[...lines.slice(0, 4), lines[4].replace(/^\d+/, '999'), ...lines.slice(5)].join('\n'), /line 5: column 1 lists 999 > 324/],
    [[...lines.slice(0, 2), lines[2].replace(/^\d+/, '1'), ...lines.slice(3)].join('\n'), /add up to/],
    [text.replace(/^648 324\n(\d+) /, '648 324\n$1x '), /line 2: .* is not a non-negative integer/],
  ];
  for (const [t, re] of cases) {
    const f = path.join(dir, 'bad.alist');
    writeFileSync(f, t);
    assert.throws(() => parseCodeSpec(`ldpc:alist:${f}`), oneLine(re), `${re}`);
  }
  // column and row lists that disagree: swap two entries of one row
  const r0 = 4 + 648;
  const row = lines[r0].split(' ');
  row[0] = String(Number(row[0]) === 1 ? 2 : 1);
  const f = path.join(dir, 'mismatch.alist');
  writeFileSync(f, [...lines.slice(0, r0), row.join(' '), ...lines.slice(r0 + 1)].join('\n'));
  assert.throws(() => parseCodeSpec(`ldpc:alist:${f}`), oneLine(/lists|twice/));
  assert.throws(() => parseCodeSpec(`ldpc:alist:${path.join(dir, 'missing.alist')}`), oneLine(/cannot be read \(no such file\)/));
  assert.throws(() => parseCodeSpec('ldpc:alist:'), oneLine(/needs a file path/));
  // suffixes after the path; the path keeps its case
  const c = parseCodeSpec(`ldpc:alist:${file}:iter=5:kernel=int16`) as AlistCode;
  assert.equal([c.decoder.maxIterations, c.decoder.kernel], [5, 'int16']);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
