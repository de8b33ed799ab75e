/**
 * Channel statistics (noise N0/2 per real dimension, E|h|^2 = 1, Rician K from moments, block
 * structure), OFDM-TDL (one static tap = AWGN; Rayleigh taps inside the CP = Rayleigh per
 * subcarrier), the registry, `--channel-param` parsing and user plug-ins.
 * Tolerances are 5-sigma bounds of the estimators unless stated.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '../../src/core/rng.js';
import { UsageError } from '../../src/core/errors.js';
import { packageRoot } from '../../src/core/version.js';
import { CHANNEL_NAMES, createChannel, parseChannelParams } from '../../channels/registry.js';
import { OfdmTdlChannel } from '../../channels/ofdm-tdl.js';
import { createModem } from '../../src/phy/registry.js';
import { runBer } from '../../src/sim/engine.js';
import { theoryBer } from '../../src/sim/theory.js';
import { wilson } from '../../src/sim/stats.js';

const isUsage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test((e as Error).message) && !(e as Error).message.includes('\n');

/** Equalized noise w = (y - x) * sqrt(csi): CN(0, N0) whatever the fading. */
function noiseStats(x: Float32Array, y: Float32Array, csi?: Float32Array) {
  const n = x.length / 2;
  let sr = 0, si = 0, vr = 0, vi = 0, cri = 0;
  for (let s = 0; s < n; s++) {
    const g = csi ? Math.sqrt(csi[s]) : 1;
    const a = (y[2 * s] - x[2 * s]) * g, b = (y[2 * s + 1] - x[2 * s + 1]) * g;
    sr += a; si += b; vr += a * a; vi += b * b; cri += a * b;
  }
  return { n, meanRe: sr / n, meanIm: si / n, varRe: vr / n, varIm: vi / n, cov: cri / n };
}

function symbols(n: number, seed = 1): Float32Array {
  const m = createModem('16qam');
  return m.modulate(new Rng(seed).fillBits(new Uint8Array(4 * n)));
}

test('AWGN: zero mean, N0/2 per real dimension, re/im uncorrelated', async () => {
  const ch = await createChannel('awgn');
  const x = symbols(200000);
  for (const snr of [-3, 10]) {
    const n0 = 10 ** (-snr / 10);
    const st = noiseStats(x, ch.apply(x, snr, new Rng(2)).y);
    const tolV = 5 * (n0 / 2) * Math.sqrt(2 / st.n);
    assert.ok(Math.abs(st.varRe - n0 / 2) < tolV && Math.abs(st.varIm - n0 / 2) < tolV, `var ${st.varRe} ${st.varIm} vs ${n0 / 2}`);
    assert.ok(Math.abs(st.meanRe) < 5 * Math.sqrt(n0 / 2 / st.n) && Math.abs(st.cov) < 5 * (n0 / 2) / Math.sqrt(st.n));
  }
});

test('Rayleigh and Rician: E|h|^2 = 1, equalized noise N0/|h|^2, Rician K from the moments', async () => {
  const x = symbols(200000);
  const snr = 5, n0 = 10 ** (-snr / 10);
  for (const [name, params, K] of [['rayleigh', {}, 0], ['rician', { K: 4 }, 4], ['rician', { Kdb: 10 }, 10]] as const) {
    const ch = await createChannel(name, params);
    const { y, csi } = ch.apply(x, snr, new Rng(3));
    assert.ok(csi && csi.length === x.length / 2);
    const n = csi.length;
    let m1 = 0, m2 = 0;
    for (let s = 0; s < n; s++) { m1 += csi[s]; m2 += csi[s] * csi[s]; }
    m1 /= n; m2 /= n;
    // |h|^2 of a Rician channel with E|h|^2 = 1: E|h|^4 = (2 + 4K + K^2) / (K + 1)^2
    const e4 = (2 + 4 * K + K * K) / (K + 1) ** 2;
    assert.ok(Math.abs(m1 - 1) < 5 * Math.sqrt((e4 - 1) / n), `${name} E|h|^2 = ${m1}`);
    // K estimate by the moment method: K = sqrt(2 - m2) / (1 - sqrt(2 - m2))
    const r = Math.sqrt(Math.max(0, 2 - m2 / (m1 * m1)));
    const kHat = r / (1 - r);
    assert.ok(Math.abs(kHat - K) < 0.05 * K + 0.03, `${name} K estimate ${kHat} vs ${K}`);
    const st = noiseStats(x, y, csi);
    assert.ok(Math.abs(st.varRe - n0 / 2) < 0.02 * n0 && Math.abs(st.varIm - n0 / 2) < 0.02 * n0, `${name} equalized noise ${st.varRe}`);
  }
});

test('block fading: h constant over `block` symbols (and over the whole call for block=all)', async () => {
  const x = symbols(1000);
  const ch = await createChannel('rayleigh', { block: 7 });
  const { csi } = ch.apply(x, 10, new Rng(1));
  for (let s = 0; s < 1000; s++) if (s % 7 !== 0) assert.is(csi![s], csi![s - 1]);
  assert.ok(csi![0] !== csi![7]);
  const all = await createChannel('rayleigh-block');
  const c2 = all.apply(x, 10, new Rng(1)).csi!;
  assert.ok(c2.every((v) => v === c2[0]));
  const fast = (await createChannel('rayleigh')).apply(x, 10, new Rng(1)).csi!;
  assert.ok(fast[0] !== fast[1] && fast[1] !== fast[2]);
});

test('OFDM-TDL with one static tap is AWGN: y - x has N0/2 per dimension and csi = 1', async () => {
  const ch = await createChannel('ofdm-tdl', { profile: 'flat', fading: 'none', fft: 64, cp: 4 });
  const x = symbols(64 * 1000 + 17); // a partial last OFDM symbol too
  const snr = 8, n0 = 10 ** (-snr / 10);
  const { y, csi } = ch.apply(x, snr, new Rng(4));
  assert.ok(csi!.every((v) => Math.abs(v - 1) < 1e-12));
  const st = noiseStats(x, y);
  const tol = 5 * (n0 / 2) * Math.sqrt(2 / st.n);
  assert.ok(Math.abs(st.varRe - n0 / 2) < tol && Math.abs(st.varIm - n0 / 2) < tol, `OFDM flat var ${st.varRe} ${st.varIm}`);
  // noiseless (SNR 200 dB): the OFDM chain returns the symbols themselves
  const clean = ch.apply(x, 200, new Rng(4)).y;
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(clean[i] - x[i]) < 1e-5, `${i}: ${clean[i]} vs ${x[i]}`);
  // and its BER is the AWGN closed form (16-QAM, 10 dB)
  const run = await runBer({ mod: '16qam', code: 'none', channel: 'ofdm-tdl', channelParams: { profile: 'flat', fading: 'none' }, demap: 'exact' },
    { snrDb: [10], minErrors: 2000, workers: 1 });
  assert.is(run.theory, 'awgn');
  const [lo, hi] = wilson(run.rows[0].bitErrors, run.rows[0].bits, 3.2905);
  assert.ok(theoryBer(4, 10) >= lo && theoryBer(4, 10) <= hi, `OFDM flat BER ${run.rows[0].ber}`);
});

test('OFDM-TDL Pedestrian A inside the CP: noiseless recovery, E|H_k|^2 = 1, Rayleigh BER per subcarrier', async () => {
  // the numerology before the NR defaults (fft 64, cp 16, 20 MHz), kept so the numbers stay the same
  const old = { profile: 'pedA', fft: 64, cp: 16, sampleRate: 20e6 };
  const ch = (await createChannel('ofdm-tdl', old)) as OfdmTdlChannel;
  assert.equal(Array.from(ch.delays), [0, 2, 4, 8]); // 0, 110, 190, 410 ns at 20 MHz
  assert.ok(ch.isiFree && Math.abs(ch.powers.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  const x = symbols(64 * 2000);
  const { y, csi } = ch.apply(x, 250, new Rng(5));
  let g = 0;
  for (let s = 0; s < csi!.length; s++) g += csi![s];
  assert.ok(Math.abs(g / csi!.length - 1) < 0.05, `E|H|^2 ${g / csi!.length}`);
  for (let i = 0; i < 2000; i++) if (csi![i >> 1] > 1e-3) assert.ok(Math.abs(y[i] - x[i]) < 1e-3, `noiseless ${i}`);
  const run = await runBer({ mod: 'bpsk', code: 'none', channel: 'ofdm-tdl', channelParams: old, demap: 'exact' },
    { snrDb: [5, 15], minErrors: 4000, workers: 1 });
  assert.is(run.theory, 'rayleigh');
  for (const r of run.rows) {
    // subcarriers of one OFDM symbol are correlated: interval over 64-bit units (design effect)
    const [lo, hi] = wilson(Math.round(r.bitErrors / 64), Math.floor(r.bits / 64), 3.2905);
    const th = theoryBer(1, r.snrDb, 'rayleigh');
    assert.ok(th >= lo && th <= hi, `OFDM pedA ${r.snrDb} dB: ${r.ber} vs ${th}`);
  }
  // a profile longer than the CP is simulated with its ISI: BER is then worse than Rayleigh
  const isi = await runBer({ mod: 'qpsk', code: 'none', channel: 'ofdm-tdl', channelParams: { delays: '0,12', powers: '0,0', cp: 2 }, demap: 'exact' },
    { snrDb: [30], minErrors: 500, workers: 1 });
  assert.is(isi.theory, undefined);
  assert.ok(isi.rows[0].ber > 3 * theoryBer(2, 30, 'rayleigh'), `ISI BER ${isi.rows[0].ber}`);
});

test('registry: names, bad names and bad params are one-line usage errors', async () => {
  for (const name of CHANNEL_NAMES) assert.ok((await createChannel(name)).apply(symbols(8), 10, new Rng(1)).y.length === 16);
  await assertRejects(createChannel('rayleig'), isUsage(/"rayleig".*awgn, rayleigh/));
  await assertRejects(createChannel('rician', { K: -1 }), isUsage(/K=-1/));
  await assertRejects(createChannel('rician', { foo: 1 }), isUsage(/"foo".*rician/));
  await assertRejects(createChannel('ofdm-tdl', { fft: 48 }), isUsage(/fft=48/));
  await assertRejects(createChannel('ofdm-tdl', { profile: 'nope' }), isUsage(/profile=/));
  await assertRejects(createChannel('rayleigh', { block: 'some' }), isUsage(/block=/));
  assert.equal(parseChannelParams(['K=3', 'block=all', 'x=-1e-3', 'f=true', 'delays=0,2']), { K: 3, block: 'all', x: -0.001, f: true, delays: '0,2' });
  assert.throws(() => parseChannelParams(['K3']), isUsage(/"K3".*key=value/));
  assert.throws(() => parseChannelParams(['K=']), isUsage(/no value/));
});

async function assertRejects(p: Promise<unknown>, check: (e: unknown) => boolean) {
  try {
    await p;
  } catch (e) {
    assert.ok(check(e), `unexpected error: ${(e as Error).message}`);
    return;
  }
  assert.unreachable('expected a rejection');
}

test('plug-ins: fixtures/my-channel.js loads with params and runs; missing or channel-less modules are usage errors', async () => {
  const file = path.join(packageRoot(), 'fixtures', 'my-channel.js');
  const ch = await createChannel(file, { phaseStd: 0.05 });
  assert.is(ch.name, 'phase-noise');
  const x = symbols(1000);
  const a = ch.apply(x, 20, new Rng(8)).y, b = ch.apply(x, 20, new Rng(8)).y;
  assert.equal(Array.from(a), Array.from(b));
  const run = await runBer({ mod: 'qpsk', code: 'none', channel: file, channelParams: { phaseStd: 0.3 }, demap: 'exact' },
    { snrDb: [12], minErrors: 200, workers: 2 });
  assert.ok(run.rows[0].bitErrors >= 200 && run.rows[0].ber > theoryBer(2, 12), 'phase noise must add errors over AWGN');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-plugin-'));
  try {
    writeFileSync(path.join(dir, 'none.mjs'), 'export default 42;\n');
    writeFileSync(path.join(dir, 'broken.js'), 'export default {;\n');
    await assertRejects(createChannel(path.join(dir, 'none.mjs')), isUsage(/exports no channel/));
    await assertRejects(createChannel(path.join(dir, 'broken.js')), isUsage(/could not be loaded/));
    await assertRejects(createChannel(path.join(dir, 'missing.js')), isUsage(/no such file/));
    await assertRejects(createChannel(file, { phaseStd: -1 }), isUsage(/rejected its parameters/));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
