/**
 * Closed forms and intervals against hand-computed and independently computed values.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { theoryBer } from '../../src/sim/theory.js';
import { erfc, qfunc, betaInc, normInv } from '../../src/sim/special.js';
import { wilson, clopperPearson, zForLevel } from '../../src/sim/stats.js';
import { createModem } from '../../src/phy/registry.js';
import type { QamModem } from '../../src/phy/modem/qam.js';

const close = (a: number, b: number, rel: number, msg: string) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${msg}: ${a} vs ${b}`);

test('special functions: erfc, Q, incomplete beta, normal quantile (tabulated values)', () => {
  close(erfc(0.5), 0.4795001221869535, 1e-13, 'erfc(0.5)');
  close(erfc(3), 2.209049699858544e-5, 1e-12, 'erfc(3)');
  close(erfc(10), 2.088487583762545e-45, 1e-11, 'erfc(10)');
  close(qfunc(1), 0.15865525393145707, 1e-13, 'Q(1)');
  close(betaInc(2, 3, 0.4), 0.5248, 1e-12, 'I_0.4(2,3)'); // 1 - sum: hand computed
  close(normInv(0.975), 1.959963984540054, 1e-12, 'z 0.975');
  close(zForLevel(0.999), 3.2905267314919255, 1e-12, 'z 99.9%');
});

test('BPSK/QPSK closed forms; 16-QAM against the textbook high-SNR form; Rayleigh BPSK', () => {
  close(theoryBer(1, 10 * Math.log10(4)), qfunc(Math.sqrt(8)), 1e-12, 'BPSK Es/N0 = 4');
  close(theoryBer(2, 10), qfunc(Math.sqrt(10)), 1e-12, 'QPSK Es/N0 = 10');
  // Gray 16-QAM: Pb = 3/4 Q(sqrt(Es/5N0)) + 1/2 Q(3 sqrt(Es/5N0)) - 1/4 Q(5 sqrt(Es/5N0)) (Cho-Yoon, M = 16)
  const g = 10 ** 1.5;
  const a = Math.sqrt(g / 5);
  close(theoryBer(4, 15), 0.75 * qfunc(a) + 0.5 * qfunc(3 * a) - 0.25 * qfunc(5 * a), 1e-12, '16QAM 15 dB');
  close(theoryBer(1, 10, 'rayleigh'), 0.5 * (1 - Math.sqrt(10 / 11)), 1e-12, 'Rayleigh BPSK 10 dB');
  close(theoryBer(2, 10, 'rayleigh'), 0.5 * (1 - Math.sqrt(5 / 6)), 1e-12, 'Rayleigh QPSK 10 dB');
});

/**
 * Independent check of the Gray QAM formula: exact BER of nearest-point detection computed from
 * the modem's own constellation, one axis at a time, by Q-functions over the decision regions.
 */
function bruteForcePam(m: QamModem, snrDb: number): number {
  const n0 = 10 ** (-snrDb / 10);
  const sigma = Math.sqrt(n0 / 2);
  const k = m.bitsPerSymbol / 2;
  const L = 1 << k;
  // axis points by I label: symbol labels with Q bits zero carry the I label in their even bits
  const pts: { a: number; lab: number }[] = [];
  for (let sym = 0; sym < m.order; sym++) {
    let qBits = 0, iLab = 0;
    for (let t = 0; t < k; t++) {
      iLab = (iLab << 1) | ((sym >> (m.bitsPerSymbol - 1 - 2 * t)) & 1);
      qBits |= (sym >> (m.bitsPerSymbol - 2 - 2 * t)) & 1;
    }
    if (qBits === 0) pts.push({ a: m.constellation[2 * sym], lab: iLab });
  }
  pts.sort((u, v) => u.a - v.a);
  let errs = 0;
  for (const tx of pts) {
    for (let j = 0; j < L; j++) {
      const lo = j === 0 ? -Infinity : (pts[j - 1].a + pts[j].a) / 2;
      const hi = j === L - 1 ? Infinity : (pts[j].a + pts[j + 1].a) / 2;
      // P(lo < tx + n < hi), written so that far tails do not cancel
      const u = (lo - tx.a) / sigma, v = (hi - tx.a) / sigma;
      const p = u >= 0 ? qfunc(u) - qfunc(v) : v <= 0 ? qfunc(-v) - qfunc(-u) : 1 - qfunc(-u) - qfunc(v);
      let d = tx.lab ^ pts[j].lab, nb = 0;
      while (d) { nb += d & 1; d >>= 1; }
      errs += p * nb;
    }
  }
  return errs / L / k;
}

test('Cho-Yoon Gray QAM equals the exact decision-region BER of our constellations', () => {
  for (const [name, bps] of [['qpsk', 2], ['16qam', 4], ['64qam', 6], ['256qam', 8]] as const) {
    const m = createModem(name) as QamModem;
    // 1e-4: the constellation is float32, and a relative error e in a point moves Q(x) by ~x^2 e
    for (const snr of [0, 7, 15, 25]) close(theoryBer(bps, snr), bruteForcePam(m, snr), 1e-4, `${name} ${snr} dB`);
  }
});

test('Rician closed form (Craig integral + MGF): K -> 0 is Rayleigh, K -> infinity is AWGN', () => {
  for (const bps of [1, 2, 4, 8]) {
    close(theoryBer(bps, 12, 'rician', 1e-12), theoryBer(bps, 12, 'rayleigh'), 1e-9, `K=0 ${bps}`);
    close(theoryBer(bps, 12, 'rician', 1e6), theoryBer(bps, 12, 'awgn'), 2e-3, `K=1e6 ${bps}`);
    const a = theoryBer(bps, 12, 'rician', 1), b = theoryBer(bps, 12, 'rician', 5);
    assert.ok(theoryBer(bps, 12, 'rayleigh') > a && a > b && b > theoryBer(bps, 12), `monotone in K (${bps})`);
  }
});

test('Wilson and Clopper-Pearson intervals: hand-computed and published values', () => {
  // Wilson, 10 of 100 at z = 1.96: centre (0.1 + 0.019208) / 1.038416 = 0.1147979,
  // half-width 1.96 / 1.038416 * sqrt(0.0009 + 0.00009604) = 0.0595694
  const [wl, wh] = wilson(10, 100);
  close(wl, 0.0552285, 1e-5, 'wilson lo');
  close(wh, 0.1743673, 1e-5, 'wilson hi');
  const [cl, ch] = clopperPearson(5, 10);
  close(cl, 0.187086028447398, 1e-9, 'CP lo 5/10');
  close(ch, 0.812913971552602, 1e-9, 'CP hi 5/10');
  assert.equal(clopperPearson(0, 10)[0], 0);
  close(clopperPearson(0, 10)[1], 1 - 0.025 ** (1 / 10), 1e-9, 'CP 0/10 hi');
  const [bl, bh] = clopperPearson(100, 1e8);
  assert.ok(bl < 1e-6 && bh > 1e-6 && bl > 8e-7 && bh < 1.25e-6, `CP 100/1e8 ${bl} ${bh}`);
  assert.throws(() => wilson(5, 3), /errors/);
});

test.run();
