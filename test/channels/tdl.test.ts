/**
 * TR 38.901 TDL profiles and time variation of the ofdm-tdl channel: the tables (tap counts,
 * rows read off Tables 7.7.2-1..5, normalized delay spread 1, K factors), delay-spread scaling
 * (7.7.3), average gain 1, BPSK BER per subcarrier against the Rayleigh closed form, the
 * sum-of-sinusoids autocorrelation against J0(2 pi fD t), and the NR numerology defaults (every
 * shipped profile inside the CP; a warning when a setting makes ISI).
 * Tolerances: 5 standard errors of the estimator unless stated.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/rng.js';
import type { ChannelParams } from '../../src/core/types.js';
import { UsageError } from '../../src/core/errors.js';
import { createChannel } from '../../channels/registry.js';
import { OfdmTdlChannel } from '../../channels/ofdm-tdl.js';
import { PROFILES, PROFILE_NAMES, rmsDelaySpread } from '../../channels/profiles.js';
import { SumOfSinusoids } from '../../channels/doppler.js';
import { runBer } from '../../src/sim/engine.js';
import { theoryBer } from '../../src/sim/theory.js';

const TDL = ['tdl-a', 'tdl-b', 'tdl-c', 'tdl-d', 'tdl-e'];

/** J0 by its power series (exact to ~1e-12 for x < 12). */
function j0(x: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 60; k++) {
    term *= -(x * x) / (4 * k * k);
    sum += term;
  }
  return sum;
}

test('TDL tables: tap counts, rows of Tables 7.7.2-1..5, normalized delay spread 1, K factors', () => {
  // [taps listed (LOS tap 1 twice), first row, last row] as printed in TR 38.901 7.7.2
  const rows: Record<string, [number, [number, number], [number, number]]> = {
    'tdl-a': [23, [0, -13.4], [9.6586, -29.7]],
    'tdl-b': [23, [0, 0], [4.7834, -11.3]],
    'tdl-c': [24, [0, -4.4], [8.6523, -22.8]],
    'tdl-d': [14, [0, -0.2], [12.525, -27.7]],
    'tdl-e': [15, [0, -0.03], [20.6519, -29.2]],
  };
  for (const name of TDL) {
    const p = PROFILES[name];
    const [count, first, last] = rows[name];
    assert.ok(p.normalized, name);
    assert.is(p.delaysNs.length, count, `${name} taps`);
    assert.is(p.powersDb.length, count, `${name} powers`);
    assert.equal([p.delaysNs[0], p.powersDb[0]], first, `${name} first row`);
    assert.equal([p.delaysNs[count - 1], p.powersDb[count - 1]], last, `${name} last row`);
    // the tables are normalized to an RMS delay spread of 1 (the TDL-D table gives 0.994)
    const ds = rmsDelaySpread(p.delaysNs, p.powersDb);
    assert.ok(Math.abs(ds - 1) < 0.01, `${name} normalized DS ${ds}`);
  }
  // K factor of the first tap: LOS power over its Rayleigh part, 13.3 dB (TDL-D) and 22 dB (TDL-E)
  for (const [name, k] of [['tdl-d', 13.3], ['tdl-e', 22]] as const) {
    const p = PROFILES[name];
    assert.ok(p.los && p.delaysNs[1] === 0);
    assert.ok(Math.abs(p.powersDb[0] - p.powersDb[1] - k) < 1e-9, `${name} K`);
  }
});

test('TDL delay scaling (7.7.3): taps at round(tau_n DS fs), powers normalized, RMS delay spread = ds', async () => {
  for (const name of TDL) {
    for (const ds of [30, 100, 300]) {
      const ch = (await createChannel('ofdm-tdl', { profile: name, ds, sampleRate: 1e10, fft: 65536, cp: 65536 })) as OfdmTdlChannel;
      const p = PROFILES[name];
      assert.ok(Math.abs(ch.powers.reduce((a, b) => a + b, 0) - 1) < 1e-12);
      // at 0.1 ns per sample the sampled profile keeps the table's delay spread
      const delaysNs = Array.from(ch.delays, (d) => d / 10);
      const got = rmsDelaySpread(delaysNs, Array.from(ch.powers, (x) => 10 * Math.log10(x)));
      const want = rmsDelaySpread(p.delaysNs.map((d) => d * ds), p.powersDb);
      assert.ok(Math.abs(got - want) < 0.05, `${name} ds=${ds}: ${got} vs ${want}`);
      assert.ok(Math.abs(got / ds - 1) < 0.011, `${name} ds=${ds}: RMS delay spread ${got}`);
      assert.is(ch.delays[ch.delays.length - 1], Math.round(p.delaysNs[p.delaysNs.length - 1] * ds * 10));
      assert.is(ch.los, !!p.los);
      if (p.los) assert.ok(Math.abs(10 * Math.log10(ch.powers[0] / (1 - ch.powers[0])) - 10 * Math.log10(10 ** (p.powersDb[0] / 10) / p.powersDb.slice(1).reduce((a, b) => a + 10 ** (b / 10), 0))) < 1e-9);
    }
  }
  await assertRejects(createChannel('ofdm-tdl', { profile: 'pedA', ds: 100 }), /ds applies to the TR 38.901 profiles/);
});

test('TDL average gain: E|H_k|^2 = 1 per subcarrier, block fading and with Doppler', async () => {
  for (const name of TDL) {
    for (const extra of [{}, { doppler: 300 }] as ChannelParams[]) {
      const ch = await createChannel('ofdm-tdl', { profile: name, fft: 256, cp: 18, sampleRate: 3.84e6, ...extra });
      const x = new Float32Array(2 * 256 * 400).fill(Math.SQRT1_2);
      let sum = 0;
      let sum2 = 0;
      let n = 0;
      // 50 frames x 400 OFDM symbols; the mean of each OFDM symbol's gain is one sample
      for (let f = 0; f < 10; f++) {
        const { csi } = ch.apply(x, 200, new Rng(11, [f]));
        for (let o = 0; o < 400; o++) {
          let g = 0;
          for (let k = 0; k < 256; k++) g += csi![o * 256 + k];
          g /= 256;
          sum += g;
          sum2 += g * g;
          n++;
        }
      }
      const mean = sum / n;
      // Doppler frames are correlated over time: the standard error of frame means
      const se = Math.sqrt((sum2 / n - mean * mean) / 10);
      assert.ok(Math.abs(mean - 1) < Math.max(5 * se, 0.01), `${name} ${JSON.stringify(extra)}: E|H|^2 = ${mean} (se ${se})`);
    }
  }
});

/** BPSK over the channel, hard decisions, errors per OFDM symbol -> BER and its standard error. */
function bpskBer(ch: OfdmTdlChannel, snrDb: number, frames: number, perFrame: number) {
  const N = ch.fftSize;
  const rng = new Rng(21);
  const counts: number[] = [];
  for (let f = 0; f < frames; f++) {
    const bits = rng.split(f, 0).fillBits(new Uint8Array(N * perFrame));
    const x = new Float32Array(2 * bits.length);
    for (let i = 0; i < bits.length; i++) x[2 * i] = bits[i] ? -1 : 1;
    const { y } = ch.apply(x, snrDb, rng.split(f, 1));
    let e = 0;
    for (let i = 0; i < bits.length; i++) if ((y[2 * i] < 0 ? 1 : 0) !== bits[i]) e++;
    counts.push(e / bits.length);
  }
  const mean = counts.reduce((a, b) => a + b, 0) / frames;
  const v = counts.reduce((a, b) => a + (b - mean) ** 2, 0) / (frames - 1);
  return { ber: mean, se: Math.sqrt(v / frames) };
}

test('BPSK BER over TDL taps inside the CP is the Rayleigh closed form per subcarrier (block fading and Doppler)', async () => {
  for (const [name, extra] of [['tdl-a', {}], ['tdl-c', { doppler: 200 }], ['tdl-b', { ds: 300 }]] as const) {
    const ch = (await createChannel('ofdm-tdl', { profile: name, ...extra })) as OfdmTdlChannel;
    assert.ok(ch.isiFree && ch.fading === 'rayleigh', name);
    for (const snr of [5, 15]) {
      const { ber, se } = bpskBer(ch, snr, 200, 2);
      const th = theoryBer(1, snr, 'rayleigh');
      assert.ok(Math.abs(ber - th) < 5 * se, `${name} ${snr} dB: ${ber} +- ${se} vs ${th}`);
    }
  }
  // the engine shows the Rayleigh closed form for NLOS TDL, none for LOS (Rician subcarriers)
  const a = await runBer({ mod: 'bpsk', code: 'none', channel: 'ofdm-tdl', channelParams: { profile: 'tdl-a' }, demap: 'exact' }, { snrDb: [10], minErrors: 50, workers: 1 });
  assert.is(a.theory, 'rayleigh');
  const d = await runBer({ mod: 'bpsk', code: 'none', channel: 'ofdm-tdl', channelParams: { profile: 'tdl-d' }, demap: 'exact' }, { snrDb: [10], minErrors: 50, workers: 1 });
  assert.is(d.theory, undefined);
  // TDL-D: Rician subcarriers with K = 13.3 dB are far better than Rayleigh at 15 dB
  const dCh = (await createChannel('ofdm-tdl', { profile: 'tdl-d' })) as OfdmTdlChannel;
  assert.is(dCh.fading, 'rician');
  const los = bpskBer(dCh, 15, 50, 2);
  assert.ok(los.ber < theoryBer(1, 15, 'rayleigh') / 5, `TDL-D BER ${los.ber}`);
});

test('sum of sinusoids: E|g|^2 = 1 and E[g(t + tau) g*(t)] = J0(2 pi fD tau)', () => {
  const fD = 100;
  const R = 20000;
  const lags = [0, 0.5e-3, 1.2e-3, 2.4e-3, 3.83e-3, 5e-3, 8.8e-3];
  const sos = new SumOfSinusoids(1);
  const rng = new Rng(31);
  const acc = lags.map(() => [0, 0]);
  const g0 = new Float64Array(2);
  const g1 = new Float64Array(2);
  for (let r = 0; r < R; r++) {
    sos.draw(fD, rng);
    const t0 = 0.37 * r * 1e-4; // different absolute times: the process is stationary
    sos.gain(0, t0, 1, g0, 0);
    lags.forEach((tau, i) => {
      sos.gain(0, t0 + tau, 1, g1, 0);
      acc[i][0] += g1[0] * g0[0] + g1[1] * g0[1]; // Re g1 conj(g0)
      acc[i][1] += g1[1] * g0[0] - g1[0] * g0[1];
    });
  }
  lags.forEach((tau, i) => {
    const re = acc[i][0] / R;
    const im = acc[i][1] / R;
    const want = j0(2 * Math.PI * fD * tau);
    // Var Re(g1 g0*) = (1 + J0^2) / 2 <= 1 for a complex Gaussian pair
    assert.ok(Math.abs(re - want) < 5 * Math.sqrt(1 / R), `tau ${tau}: ${re} vs J0 ${want}`);
    assert.ok(Math.abs(im) < 5 * Math.sqrt(1 / R), `tau ${tau}: imaginary part ${im}`);
  });
});

test('ofdm-tdl with Doppler: |H|^2 correlation over OFDM symbols is J0^2(2 pi fD t) (Rayleigh), block fading when doppler is absent', async () => {
  const fft = 16, cp = 1, sampleRate = 240e3; // T = 17 / 240 kHz = 70.8 us
  const T = (fft + cp) / sampleRate;
  const fD = 0.01 / T; // 0.01 per OFDM symbol
  const ch = (await createChannel('ofdm-tdl', { profile: 'flat', fft, cp, sampleRate, doppler: fD })) as OfdmTdlChannel;
  assert.ok(Math.abs(ch.symbolDuration - T) < 1e-15 && ch.doppler === fD);
  const nOfdm = 80;
  const lags = [0, 10, 20, 38, 55, 70];
  const acc = lags.map(() => 0);
  const frames = 4000;
  const x = new Float32Array(2 * fft * nOfdm).fill(1);
  for (let f = 0; f < frames; f++) {
    const { csi } = ch.apply(x, 100, new Rng(41, [f]));
    lags.forEach((lag, i) => {
      acc[i] += csi![0] * csi![lag * fft] - 1; // E|h|^2 = 1
    });
  }
  lags.forEach((lag, i) => {
    const c = acc[i] / frames;
    const want = j0(2 * Math.PI * fD * lag * T) ** 2;
    // Var(|h0|^2 |h1|^2) <= E|h|^8 = 24 for Rayleigh
    assert.ok(Math.abs(c - want) < 5 * Math.sqrt(24 / frames), `lag ${lag}: ${c} vs J0^2 ${want}`);
  });
  // without doppler the taps are constant over `block` OFDM symbols
  const blk = await createChannel('ofdm-tdl', { profile: 'flat', fft, cp, sampleRate, block: 4 });
  const c = blk.apply(x, 100, new Rng(1)).csi!;
  assert.ok(c[0] === c[3 * fft] && c[0] !== c[4 * fft]);
  await assertRejects(createChannel('ofdm-tdl', { doppler: 10, block: 2 }), /block applies without Doppler/);
  await assertRejects(createChannel('ofdm-tdl', { doppler: 10, speed: 3 }), /doppler or speed/);
  const v = (await createChannel('ofdm-tdl', { speed: 30, fc: 3e9 })) as OfdmTdlChannel;
  assert.ok(Math.abs(v.doppler - (30 * 3e9) / 299792458) < 1e-9);
});

test('NR numerology defaults: 15 kHz, fft 1024, cp 72; every shipped profile fits the CP; ISI settings carry a warning', async () => {
  const d = (await createChannel('ofdm-tdl')) as OfdmTdlChannel;
  assert.equal([d.fftSize, d.cp, d.sampleRate, d.scs], [1024, 72, 15.36e6, 15e3]);
  for (const name of PROFILE_NAMES) {
    const ch = (await createChannel('ofdm-tdl', { profile: name })) as OfdmTdlChannel;
    assert.ok(ch.isiFree, `${name}: longest delay ${ch.delays[ch.delays.length - 1]} > cp ${ch.cp}`);
    assert.equal(ch.warnings, [], name);
  }
  assert.is(((await createChannel('ofdm-tdl', { profile: 'pedB' })) as OfdmTdlChannel).delays.at(-1), 57); // 3.7 us
  // the old defaults (fft 64, cp 16, 20 MHz) put EVA's 2.51 us = 50 samples outside the CP
  const old = (await createChannel('ofdm-tdl', { profile: 'eva', fft: 64, cp: 16, sampleRate: 20e6 })) as OfdmTdlChannel;
  assert.ok(!old.isiFree);
  assert.is(old.warnings.length, 1);
  assert.match(old.warnings[0], /longest delay \(50 samples, 2\.50 us\) exceeds cp=16/);
  assert.ok(!old.warnings[0].includes('\n'));
  // EVA at the defaults reaches the Rayleigh closed form at 30 dB (BPSK 2.5e-4)
  const eva = (await createChannel('ofdm-tdl', { profile: 'eva' })) as OfdmTdlChannel;
  const { ber, se } = bpskBer(eva, 30, 400, 2);
  const th = theoryBer(1, 30, 'rayleigh');
  assert.ok(Math.abs(ber - th) < 5 * se && se < th / 4, `EVA 30 dB: ${ber} +- ${se} vs ${th}`);
  await assertRejects(createChannel('ofdm-tdl', { scs: 30e3, sampleRate: 1e6 }), /sampleRate or scs/);
  const mu1 = (await createChannel('ofdm-tdl', { scs: 30e3, fft: 512 })) as OfdmTdlChannel;
  assert.equal([mu1.sampleRate, mu1.cp], [15.36e6, 36]);
});

async function assertRejects(p: Promise<unknown>, re: RegExp) {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof UsageError && re.test((e as Error).message) && !(e as Error).message.includes('\n'), `unexpected error: ${(e as Error).message}`);
    return;
  }
  assert.unreachable('expected a rejection');
}

test.run();
