/**
 * Modems: constellation (TS 38.211 5.1 points, Es = 1, Gray neighbours), noiseless round trip,
 * exact and max-log LLRs against a brute-force evaluation of the definition over all M points,
 * finiteness at extreme SNR and deep fades.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/core/rng.js';
import { UsageError } from '../../src/core/errors.js';
import { MODEM_NAMES, createModem } from '../../src/phy/registry.js';
import { QamModem } from '../../src/phy/modem/qam.js';

const modems = () => MODEM_NAMES.map((n) => createModem(n) as QamModem);

test('constellations: unit average energy, M distinct points, Gray neighbours differ in one bit', () => {
  for (const m of modems()) {
    const c = m.constellation;
    const M = m.order;
    let e = 0;
    for (let i = 0; i < M; i++) e += c[2 * i] ** 2 + c[2 * i + 1] ** 2;
    assert.ok(Math.abs(e / M - 1) < 1e-6, `${m.name} Es ${e / M}`);
    // minimum distance and Gray property: every pair at minimum distance differs in exactly 1 bit
    let dmin = Infinity;
    for (let i = 0; i < M; i++) for (let j = i + 1; j < M; j++) dmin = Math.min(dmin, Math.hypot(c[2 * i] - c[2 * j], c[2 * i + 1] - c[2 * j + 1]));
    assert.ok(dmin > 1e-3, `${m.name} has coincident points`);
    for (let i = 0; i < M; i++) {
      for (let j = i + 1; j < M; j++) {
        const d = Math.hypot(c[2 * i] - c[2 * j], c[2 * i + 1] - c[2 * j + 1]);
        if (d < dmin * 1.001) {
          let x = i ^ j, bits = 0;
          while (x) { bits += x & 1; x >>= 1; }
          assert.is(bits, 1, `${m.name}: neighbours ${i} and ${j} differ in ${bits} bits`);
        }
      }
    }
  }
});

test('16-QAM points follow TS 38.211 Table 5.1.4-1 (b0 b1 b2 b3)', () => {
  const m = createModem('16qam');
  const s = 1 / Math.sqrt(10);
  const cases: [number[], number, number][] = [
    [[0, 0, 0, 0], 1, 1], [[0, 0, 1, 1], 3, 3], [[1, 0, 0, 1], -1, 3], [[0, 1, 1, 0], 3, -1], [[1, 1, 1, 1], -3, -3],
  ];
  for (const [b, re, im] of cases) {
    const y = m.modulate(Uint8Array.from(b));
    assert.ok(Math.abs(y[0] - re * s) < 1e-6 && Math.abs(y[1] - im * s) < 1e-6, `${b} -> ${y[0]},${y[1]}`);
  }
  const q = createModem('qpsk').modulate(Uint8Array.from([0, 1]));
  assert.ok(Math.abs(q[0] - Math.SQRT1_2) < 1e-6 && Math.abs(q[1] + Math.SQRT1_2) < 1e-6);
  const b = createModem('bpsk').modulate(Uint8Array.from([0, 1]));
  assert.equal(Array.from(b), [1, 0, -1, 0]);
});

test('noiseless round trip: hard decisions of both demappers return the bits', () => {
  const rng = new Rng(11);
  for (const m of modems()) {
    const bits = rng.fillBits(new Uint8Array(m.bitsPerSymbol * 600));
    const y = m.modulate(bits);
    for (const method of ['exact', 'maxlog'] as const) {
      const llr = m.demodulate(y, 1e-2, undefined, undefined, method);
      for (let i = 0; i < bits.length; i++) assert.is(llr[i] < 0 ? 1 : 0, bits[i], `${m.name} ${method} bit ${i}`);
    }
  }
});

/** The definition: LLR_b = ln sum_{s: b=0} exp(-|y-s|^2 csi/n0) - ln sum_{s: b=1} ..., in float64. */
function bruteForce(m: QamModem, y: number[], n0: number, csi: number, maxlog: boolean): number[] {
  const M = m.order, k = m.bitsPerSymbol, c = m.constellation;
  const d = Array.from({ length: M }, (_, i) => -((y[0] - c[2 * i]) ** 2 + (y[1] - c[2 * i + 1]) ** 2) * csi / n0);
  const out: number[] = [];
  for (let b = 0; b < k; b++) {
    const side = (v: number) => d.filter((_, i) => ((i >> (k - 1 - b)) & 1) === v);
    const lse = (a: number[]) => {
      const mx = Math.max(...a);
      return maxlog ? mx : mx + Math.log(a.reduce((s, x) => s + Math.exp(x - mx), 0));
    };
    out.push(lse(side(0)) - lse(side(1)));
  }
  return out;
}

test('exact and max-log LLRs equal the brute-force definition on random points, with CSI', () => {
  const rng = new Rng(5);
  for (const m of modems()) {
    const nSym = 200;
    const y = new Float32Array(2 * nSym);
    rng.fillGaussian(y, 1.2);
    const csi = new Float32Array(nSym);
    for (let s = 0; s < nSym; s++) csi[s] = 0.05 + 3 * rng.uniform();
    for (const n0 of [0.0005, 0.02, 0.3, 2]) { // 0.0005: far terms underflow, the per-side fallback runs
      for (const method of ['exact', 'maxlog'] as const) {
        const llr = m.demodulate(y, n0, csi, undefined, method);
        for (let s = 0; s < nSym; s++) {
          const ref = bruteForce(m, [y[2 * s], y[2 * s + 1]], n0, csi[s], method === 'maxlog');
          for (let b = 0; b < m.bitsPerSymbol; b++) {
            const got = llr[s * m.bitsPerSymbol + b];
            assert.ok(Math.abs(got - ref[b]) <= 1e-4 * Math.max(1, Math.abs(ref[b])), `${m.name} ${method} n0=${n0} s=${s} b=${b}: ${got} vs ${ref[b]}`);
          }
        }
      }
    }
  }
});

test('LLRs stay finite at extreme SNR, huge inputs and complete fades', () => {
  for (const m of modems()) {
    const y = Float32Array.from([0.3, -0.7, 5, 5, -1e20, 1e20, 0, 0]);
    const csi = Float32Array.from([1, 1, 1e-30, 0]);
    for (const n0 of [1e-30, 1e-12, 1e-3]) {
      for (const method of ['exact', 'maxlog'] as const) {
        const llr = m.demodulate(y, n0, csi, undefined, method);
        for (const v of llr) assert.ok(Number.isFinite(v), `${m.name} ${method} n0=${n0}: ${v}`);
        // a complete fade (csi 0) carries no information
        for (let b = 0; b < m.bitsPerSymbol; b++) assert.is(llr[3 * m.bitsPerSymbol + b], 0);
      }
    }
    // at SNR 300 dB the sign still gives the transmitted bits
    const bits = new Rng(2).fillBits(new Uint8Array(m.bitsPerSymbol * 50));
    const llr = m.demodulate(m.modulate(bits), 1e-30);
    for (let i = 0; i < bits.length; i++) assert.is(llr[i] < 0 ? 1 : 0, bits[i]);
  }
});

test('bad arguments: unknown modulation is a UsageError naming it; wrong lengths throw', () => {
  assert.throws(() => createModem('8psk'), (e: unknown) => e instanceof UsageError && /"8psk".*bpsk, qpsk, 16qam, 64qam, 256qam/.test((e as Error).message));
  const m = createModem('16qam');
  assert.throws(() => m.modulate(new Uint8Array(6)), /multiple of 4/);
  assert.throws(() => m.demodulate(new Float32Array(3), 1), /odd/);
  assert.throws(() => m.demodulate(new Float32Array(4), 0), /n0/);
});

test.run();
