import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLdpc5gnr, parseRate, Ldpc5gnrCode } from '../../../../src/fec/ldpc/5gnr/code.js';
import { UsageError } from '../../../../src/core/errors.js';
import { Rng } from '../../../../src/core/rng.js';

function usage(fn: () => unknown, re: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, UsageError);
    assert.match((e as Error).message, re);
    assert.not.match((e as Error).message, /\n/);
    return;
  }
  assert.unreachable(`expected a UsageError matching ${re}`);
}

test('E = round(K / R), rate = K / E, base graph by 7.2.2 for auto, the name', () => {
  const a = createLdpc5gnr('bg1', 1000, '1/3');
  assert.is(a.n, 3000);
  assert.is(a.rate, 1000 / 3000);
  assert.is(a.name, 'ldpc:5gnr:bg1:1000:1/3');
  const b = createLdpc5gnr('bg2', 100, '0.45');
  assert.is(b.n, 222); // 222.2
  assert.is(createLdpc5gnr('bg2', 101, '2/3').n, 152); // 151.5 rounds up
  assert.is(createLdpc5gnr('auto', 200, '0.9').bg, 'bg2'); // A <= 292
  assert.is(createLdpc5gnr('auto', 3000, '2/3').bg, 'bg2'); // A <= 3824, R <= 0.67
  assert.is(createLdpc5gnr('auto', 3000, '3/4').bg, 'bg1');
  assert.is(createLdpc5gnr('auto', 3830, '0.25').bg, 'bg2'); // A > 3824 but R <= 0.25
  assert.is(createLdpc5gnr('auto', 3830, '0.26').bg, 'bg1');
  assert.is(createLdpc5gnr('auto', 8448, '0.3').bg, 'bg1');
  assert.is(createLdpc5gnr('auto', 8448, '0.3').name, 'ldpc:5gnr:bg1:8448:0.3');
  const explicit = createLdpc5gnr('bg2', 75, '1/3', { e: 210 });
  assert.is(explicit.n, 210);
  assert.is(explicit.name, 'ldpc:5gnr:bg2:75:75/210');
  assert.is(parseRate('948/1024'), 948 / 1024);
  assert.is(parseRate(' 0.5 '), 0.5);
});

test('bad input: one-line UsageError naming the value and what is allowed', () => {
  usage(() => createLdpc5gnr('bg3' as 'bg1', 100, '1/2'), /base graph "bg3".*bg1, bg2 or auto/);
  usage(() => createLdpc5gnr('bg2', 3841, '1/2'), /K=3841.*12\.\.3840/);
  usage(() => createLdpc5gnr('bg1', 8449, '1/2'), /K=8449.*12\.\.8448/);
  usage(() => createLdpc5gnr('bg1', 11, '1/2'), /K=11/);
  usage(() => createLdpc5gnr('bg1', 100.5, '1/2'), /K=100\.5/);
  usage(() => createLdpc5gnr('bg1', 1000, 'half'), /rate "half".*fraction/);
  usage(() => createLdpc5gnr('bg1', 1000, '3/2'), /rate "3\/2"/);
  usage(() => createLdpc5gnr('bg1', 1000, '0.97'), /rate 0\.97.*bg1.*<= 0\.95/);
  usage(() => createLdpc5gnr('bg1', 1000, '1/5'), /rate 1\/5.*1\/4 <= R/);
  usage(() => createLdpc5gnr('bg2', 1000, '1/6'), /rate 1\/6.*1\/5 <= R/);
  usage(() => createLdpc5gnr('auto', 8000, '0.22'), /K=8000.*bg2.*3840/);
  usage(() => createLdpc5gnr('bg1', 1000, '1/2', { rv: 4 as 0 }), /rv 4/);
  usage(() => createLdpc5gnr('bg1', 1000, '1/2', { bitsPerSymbol: 3 }), /bitsPerSymbol 3.*E=2000/);
  usage(() => createLdpc5gnr('bg1', 1000, '1/2', { maxIterations: 0 }), /maxIterations/);
  usage(() => createLdpc5gnr('bg1', 1000, '1/2', { ncb: 1000 }), /ncb 1000.*1152\.\.3168/);
  const c = createLdpc5gnr('bg2', 100, '1/2');
  usage(() => c.encode(new Uint8Array(99)), /99 bits.*k=100/);
  usage(() => c.decode(new Float32Array(201)), /201 LLRs.*n=200/);
});

const CONFIGS: [string, () => Ldpc5gnrCode][] = [
  ['bg1 K=1000 R=1/2', () => createLdpc5gnr('bg1', 1000, '1/2')],
  ['bg2 K=75 R=0.357 (Z=13, filler)', () => createLdpc5gnr('bg2', 75, '75/210')],
  ['bg1 K=4000 R=0.26 (repetition)', () => createLdpc5gnr('auto', 4000, '0.26')],
  ['bg2 K=300 R=0.9', () => createLdpc5gnr('bg2', 300, '0.9')],
  // rv 2 alone is not self-decodable at high rates (it starts at 33Z, past the systematic bits);
  // at R = 1/3 the circular buffer wraps back to them.
  ['bg1 K=500 R=1/3 rv 2', () => createLdpc5gnr('bg1', 500, '1/3', { rv: 2 })],
  ['bg2 K=640 R=1/3 rv 3 + interleaver Qm=6', () => createLdpc5gnr('bg2', 640, '1/3', { rv: 3, bitsPerSymbol: 6 })],
  ['bg1 K=2000 R=1/3 limited buffer Ncb = 1.5 K (repeats)', () => createLdpc5gnr('bg1', 2000, '1/3', { ncb: 3168 })],
];

test('noiseless decoding is exact (finite and infinite LLRs), ok, within 3 iterations', () => {
  const rng = new Rng(21);
  for (const [label, make] of CONFIGS) {
    const code = make();
    for (const mag of [4, Infinity, 1e30]) {
      const u = rng.fillBits(new Uint8Array(code.k));
      const c = code.encode(u);
      assert.is(c.length, code.n);
      const llr = Float32Array.from(c, (b) => (b ? -mag : mag));
      const d = code.decode(llr);
      assert.is(d.bits.length, code.k);
      assert.equal(Array.from(d.bits), Array.from(u), `${label} |LLR|=${mag}`);
      assert.ok(d.ok, label);
      // Punctured (LLR 0) bits can need a pass or two of the layered schedule.
      assert.ok(d.iterations <= 3, `${label}: ${d.iterations} iterations`);
      for (const x of code.decoder.posterior()) if (!Number.isFinite(x)) assert.unreachable(`${label}: posterior ${x}`);
    }
  }
  // Repetition: E > N - F, so some bits are sent twice; decoding uses the codeword H, which holds.
  const rep = CONFIGS[2][1]();
  assert.ok(rep.n > rep.rateMatcher.ncb - (rep.kFull - rep.k));
});

test('zero LLRs in: no NaN, the all-zero decision', () => {
  for (const [label, make] of CONFIGS) {
    const code = make();
    const d = code.decode(new Float32Array(code.n));
    assert.ok(d.bits.every((b) => b === 0), label);
    for (const x of code.decoder.posterior()) if (!Number.isFinite(x)) assert.unreachable(`${label}: posterior ${x}`);
  }
});

test('repeated bits are combined: a weaker wrong second copy is outvoted, a stronger one is not', () => {
  // BG1 K'=40: Z=2, K=44 (4 filler bits), N - F = 132 - 4 = 128 < E = 154, so outputs 128..153
  // repeat outputs 0..25, which are info bits 4..29.
  const code = createLdpc5gnr('bg1', 40, '0.26', { maxIterations: 1, earlyStop: false });
  assert.is(code.n, 154);
  const u = new Rng(4).fillBits(new Uint8Array(40));
  const c = code.encode(u);
  for (let q = 0; q < 26; q++) assert.is(c[128 + q], c[q]);
  const weak = Float32Array.from(c, (b) => (b ? -3 : 3));
  for (let q = 128; q < 154; q++) weak[q] = -weak[q] / 3; // wrong sign, |1|
  const full = code.rateMatcher.recover(weak, code.encoder.n);
  for (let i = 4; i < 30; i++) assert.is(full[i], u[i] ? -2 : 2);
  assert.equal(Array.from(code.decode(weak).bits), Array.from(u));
  const strong = Float32Array.from(c, (b) => (b ? -1 : 1));
  for (let q = 128; q < 154; q++) strong[q] = -strong[q] * 3; // wrong sign, |3|
  const full2 = code.rateMatcher.recover(strong, code.encoder.n);
  for (let i = 4; i < 30; i++) assert.is(full2[i], u[i] ? 2 : -2);
});

/** BPSK (x = 1 - 2b) over real AWGN at Eb/N0 (dB), Es = 1, N0/2 per real dimension: LLR = 4 y / N0. */
function bler(code: Ldpc5gnrCode, ebn0Db: number, blocks: number, seed: number): { failures: number; rawErrors: number } {
  const rng = new Rng(seed);
  const n0 = 1 / (code.rate * 10 ** (ebn0Db / 10));
  const noise = new Float32Array(code.n);
  const llr = new Float32Array(code.n);
  const u = new Uint8Array(code.k);
  let failures = 0;
  let rawErrors = 0;
  for (let b = 0; b < blocks; b++) {
    rng.fillBits(u);
    const c = code.encode(u);
    rng.fillGaussian(noise, Math.sqrt(n0 / 2));
    for (let i = 0; i < code.n; i++) {
      const y = 1 - 2 * c[i] + noise[i];
      llr[i] = (4 * y) / n0;
      if ((y < 0 ? 1 : 0) !== c[i]) rawErrors++;
    }
    const d = code.decode(llr);
    if (d.bits.some((x, i) => x !== u[i])) failures++;
  }
  return { failures, rawErrors };
}

// Measured with this decoder (layered NMS 0.75, 10 iterations): BG1 K=1024 R=1/2 has BLER ~0.3 at
// 1.5 dB, ~3e-3 at 2 dB; BG2 K=256 R=1/3 ~0.4 at 1 dB, ~3e-3 at 2 dB (5G NR LDPC literature: BLER
// 1e-2 near 1.7-2 dB for K ~ 1000, R = 1/2). Thresholds below leave a wide margin either side.
test('waterfall, BPSK/AWGN: BLER near 0 above the threshold, near 1 well below', () => {
  const cases: [Ldpc5gnrCode, number, number][] = [
    [createLdpc5gnr('bg1', 1024, '1/2'), 3.0, -0.5],
    [createLdpc5gnr('bg2', 256, '1/3'), 3.5, -1.0],
  ];
  for (const [code, good, bad] of cases) {
    const hi = bler(code, good, 100, 1);
    // The channel really made errors (raw BPSK BER at Es/N0 = Eb/N0 + 10 log10 R is several %).
    assert.ok(hi.rawErrors > 100 * code.n * 0.02, `${code.name}: only ${hi.rawErrors} raw errors`);
    assert.ok(hi.failures <= 1, `${code.name} at ${good} dB: ${hi.failures}/100 blocks failed`);
    const lo = bler(code, bad, 40, 2);
    assert.ok(lo.failures >= 38, `${code.name} at ${bad} dB: only ${lo.failures}/40 blocks failed`);
  }
});

test.run();
