import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConvCode, DEFAULT_CONV_K } from '../../../src/fec/conv/code.js';
import { CONV_RATES, PUNCTURE_PATTERNS, type ConvRate } from '../../../src/fec/conv/puncture.js';
import { UsageError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { BpskAwgn } from './awgn.js';

function bits(s: string): Uint8Array {
  return Uint8Array.from(s.replace(/\s+/g, ''), (ch) => Number(ch));
}

function hexBits(bytes: number[]): Uint8Array {
  const out = new Uint8Array(bytes.length * 8);
  for (let i = 0; i < out.length; i++) out[i] = (bytes[i >> 3] >> (7 - (i & 7))) & 1;
  return out;
}

const isUsage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test((e as Error).message);

test('rate 1/2 reference vector: 802.11 SIGNAL field before/after encoding (IEEE 802.11 Annex G Tables G.7/G.8)', () => {
  // 36 Mbit/s, LENGTH 100: RATE 1011, R 0, LENGTH LSB first, parity 0; the 6 tail zeros are the code's tail.
  const signal = bits('1011 0 001001100000 0');
  const code = new ConvCode('1/2', { k: 18 });
  assert.is(code.n, 48);
  const expected = bits('1101 0001 1010 0001 0000 0010 0011 1110 0111 0000 0000 0000');
  assert.equal(Array.from(code.encode(signal)), Array.from(expected));
});

test('rate 3/4 reference vector: first DATA symbol of the 802.11 example, scrambled bits -> coded bits (Annex G Tables G.16/G.18)', () => {
  // 36 Mbit/s (16-QAM, R = 3/4): N_DBPS = 144 data bits give the N_CBPS = 192 coded bits of symbol 1.
  const data = hexBits([0x6c, 0x19, 0x89, 0x8f, 0x68, 0x21, 0xf4, 0xa5, 0x61, 0x4f, 0xd7, 0xae, 0x24, 0x0c, 0xf3, 0x3a, 0xe4, 0xbc]);
  const coded = hexBits([0x2b, 0x08, 0xa1, 0xf0, 0x9d, 0xb5, 0x9a, 0x1d, 0x4a, 0xfb, 0xe8, 0xc2,
    0x8f, 0xc0, 0xc8, 0x73, 0xc0, 0x43, 0xe0, 0x19, 0xe0, 0xd3, 0xeb, 0xb2]);
  const code = new ConvCode('3/4', { k: 144 });
  // The block code appends a tail; the first 192 sent bits depend on the 144 data bits only.
  assert.equal(Array.from(code.encode(data).subarray(0, 192)), Array.from(coded));
});

test('puncturing matches the 802.11 patterns bit for bit (Figure 17-9; HT 5/6)', () => {
  // Sent sequences written out from the standard's figures (two periods each, then the pattern repeats).
  const figures: Record<ConvRate, string> = {
    '1/2': 'A0 B0 A1 B1 A2 B2 A3 B3',
    '2/3': 'A0 B0 A1 A2 B2 A3 A4 B4 A5',
    '3/4': 'A0 B0 A1 B2 A3 B3 A4 B5 A6 B6 A7 B8',
    '5/6': 'A0 B0 A1 B2 A3 B4 A5 B5 A6 B7 A8 B9 A10 B10 A11 B12 A13 B14',
  };
  const rng = new Rng(21);
  const k = 60;
  const u = rng.fillBits(new Uint8Array(k));
  const mother = new ConvCode('1/2', { k }).encode(u); // A0 B0 A1 B1 ...
  for (const rate of CONV_RATES) {
    const sent = new ConvCode(rate, { k }).encode(u);
    const labels = figures[rate].split(' ');
    labels.forEach((lab, i) => {
      const t = Number(lab.slice(1));
      const expected = mother[2 * t + (lab[0] === 'B' ? 1 : 0)];
      assert.is(sent[i], expected, `${rate}: position ${i} should be ${lab}`);
    });
    // And across the whole block (tail included): periodic extension of the figure.
    const pat = PUNCTURE_PATTERNS[rate];
    let i = 0;
    for (let t = 0; t < k + 6; t++) {
      if (pat.a[t % pat.period]) assert.is(sent[i++], mother[2 * t], `${rate}: A${t}`);
      if (pat.b[t % pat.period]) assert.is(sent[i++], mother[2 * t + 1], `${rate}: B${t}`);
    }
    assert.is(i, sent.length);
  }
});

test('n, rate and name: the tail is punctured with the data', () => {
  const c = new ConvCode('1/2');
  assert.is(c.k, DEFAULT_CONV_K);
  assert.is(c.n, 2 * (DEFAULT_CONV_K + 6));
  assert.is(c.name, 'conv:1/2:K=1024');
  // 3/4 with k = 144 + 6 = 150 steps = 50 periods of 4 sent bits.
  assert.is(new ConvCode('3/4', { k: 144 }).n, 200);
  // 5/6 with k = 4: 10 steps = 2 periods of 6 sent bits.
  assert.is(new ConvCode('5/6', { k: 4 }).n, 12);
  // 2/3 with k = 1: 7 steps: 3 full periods (9 bits) + A6 B6.
  assert.is(new ConvCode('2/3', { k: 1 }).n, 11);
  for (const r of CONV_RATES) {
    const code = new ConvCode(r, { k: 3000 });
    const nominal = ({ '1/2': 1 / 2, '2/3': 2 / 3, '3/4': 3 / 4, '5/6': 5 / 6 } as const)[r];
    assert.ok(code.rate < nominal && code.rate > nominal * 0.997, `${r}: rate ${code.rate}`);
  }
});

test('noiseless decoding is exact for every rate and block size (LLR magnitudes varied)', () => {
  const rng = new Rng(22);
  for (const rate of CONV_RATES) {
    for (const k of [1, 5, 37, 1024]) {
      const code = new ConvCode(rate, { k });
      for (let trial = 0; trial < 3; trial++) {
        const u = rng.fillBits(new Uint8Array(k));
        const c = code.encode(u);
        const llr = Float32Array.from(c, (b) => (1 - 2 * b) * (0.1 + 5 * rng.uniform()));
        const r = code.decode(llr);
        assert.equal(Array.from(r.bits), Array.from(u), `${rate} k=${k}`);
        assert.ok(r.ok);
        assert.is(r.iterations, 1);
      }
    }
  }
});

test('zero LLRs give bits, no NaN; huge, infinite and NaN LLRs stay safe', () => {
  const rng = new Rng(23);
  for (const rate of CONV_RATES) {
    const code = new ConvCode(rate, { k: 200 });
    const zero = code.decode(new Float32Array(code.n));
    assert.is(zero.bits.length, 200);
    assert.ok(zero.bits.every((b) => b === 0 || b === 1));
    const u = rng.fillBits(new Uint8Array(200));
    const c = code.encode(u);
    for (const big of [1e30, Infinity, 3e38]) {
      const llr = Float32Array.from(c, (b) => (b ? -big : big));
      assert.equal(Array.from(code.decode(llr).bits), Array.from(u), `${rate} at |LLR| = ${big}`);
    }
    // A few NaNs (read as erasures) among ordinary values; ordinary values mixed with huge ones.
    const llr = Float64Array.from(c, (b) => (b ? -4 : 4));
    for (let i = 0; i < code.n; i += 37) llr[i] = NaN;
    assert.equal(Array.from(code.decode(llr).bits), Array.from(u), `${rate} with NaNs`);
    for (let i = 1; i < code.n; i += 5) llr[i] = c[i] ? -1e300 : 1e300;
    assert.equal(Array.from(code.decode(llr).bits), Array.from(u), `${rate} with 1e300s`);
  }
});

test('decoding is invariant to the LLR scale (integer metrics are scaled per block)', () => {
  const rng = new Rng(24);
  const code = new ConvCode('3/4', { k: 500 });
  const ch = new BpskAwgn();
  const u = rng.fillBits(new Uint8Array(500));
  const llr = ch.transmit(code.encode(u), BpskAwgn.sigma(3, code.rate), rng, new Float32Array(code.n));
  const ref = Array.from(code.decode(llr).bits);
  for (const s of [1e-6, 0.01, 7, 1e5]) {
    assert.equal(Array.from(code.decode(llr.map((v) => v * s)).bits), ref, `scale ${s}`);
  }
});

test('soft Viterbi is maximum likelihood: beats every codeword by exhaustive search (k = 9, all rates)', () => {
  const rng = new Rng(25);
  const k = 9;
  for (const rate of CONV_RATES) {
    const code = new ConvCode(rate, { k });
    const codewords: Uint8Array[] = [];
    for (let m = 0; m < 1 << k; m++) {
      const u = Uint8Array.from({ length: k }, (_, i) => (m >> i) & 1);
      codewords.push(code.encode(u));
    }
    const ch = new BpskAwgn();
    for (let trial = 0; trial < 20; trial++) {
      const m = rng.int(1 << k);
      const llr = ch.transmit(codewords[m], BpskAwgn.sigma(0, code.rate), rng, new Float32Array(code.n));
      const corr = (c: Uint8Array) => c.reduce((s, b, i) => s + (1 - 2 * b) * llr[i], 0);
      let best = -Infinity;
      for (const cw of codewords) best = Math.max(best, corr(cw));
      const dec = code.decode(llr).bits;
      const got = corr(code.encode(dec));
      // Integer metrics: within n rounding steps of 1/QUNIT of the mean |LLR| of the optimum.
      const meanAbs = llr.reduce((s, v) => s + Math.abs(v), 0) / llr.length;
      assert.ok(got >= best - (code.n * meanAbs) / 1024, `${rate} trial ${trial}: ${got} < ML ${best}`);
    }
  }
});

test('bad input: wrong message or LLR length, non-binary bits, bad rate or block size -> UsageError naming it', () => {
  const code = new ConvCode('2/3', { k: 100 });
  assert.throws(() => code.encode(new Uint8Array(99)), isUsage(/99 bits.*k=100/));
  assert.throws(() => code.encode(new Uint8Array(100).fill(2)), isUsage(/bit 0 = 2.*0 or 1/));
  assert.throws(() => code.decode(new Float32Array(code.n + 1)), isUsage(new RegExp(`${code.n + 1}.*n=${code.n}`)));
  assert.throws(() => new ConvCode('7/8'), isUsage(/"7\/8".*1\/2, 2\/3, 3\/4, 5\/6/));
  assert.throws(() => new ConvCode('1/2', { k: 0 }), isUsage(/K=0.*1\.\./));
  assert.throws(() => new ConvCode('1/2', { k: 2.5 }), isUsage(/K=2.5/));
});

test.run();
