/**
 * Closed-form bit error rates, as functions of SNR = Es/N0 in dB (Es = 1, N0 complex).
 *
 * - BPSK on AWGN: Q(sqrt(2 Es/N0)). Square Gray M-QAM (QPSK included): the exact expression of
 *   K. Cho and D. Yoon, "On the general BER expression of one- and two-dimensional amplitude
 *   modulations", IEEE Trans. Commun. 50(7):1074-1080, 2002, eq. (14)-(16), which is exact for
 *   the binary-reflected Gray labelling per axis used by src/phy/modem/qam.ts.
 * - Rayleigh fading with perfect CSI (E|h|^2 = 1): each erfc(sqrt(a * gamma)) term of the same
 *   sum averaged over the exponential SNR, E[erfc(sqrt(a g))] = 1 - sqrt(a gbar / (1 + a gbar))
 *   (Proakis, Digital Communications, 5th ed., eq. 13.3-7 for BPSK), hence exact for Gray QAM too.
 * - Rician fading with K factor: the same terms averaged with Craig's form of erfc and the MGF of
 *   the Rician power (M. K. Simon and M.-S. Alouini, Digital Communication over Fading Channels,
 *   2nd ed., eq. 2.22 and ch. 5): E[erfc(sqrt(a g))] = (2/pi) int_0^{pi/2} M_g(-a gbar / sin^2 t) dt,
 *   M_g(s) = (1+K)/(1+K-s) exp(K s / (1+K-s)), integrated numerically (composite Simpson).
 */
import { erfc } from './special.js';

export type TheoryChannel = 'awgn' | 'rayleigh' | 'rician';

/** Per-term weights (-1)^... (2^(k-1) - ...) / sqrt M and erfc arguments' factors (2i+1). */
function choYoonTerms(M: number): { w: number; c: number }[] {
  const L = Math.round(Math.sqrt(M));
  const kMax = Math.round(Math.log2(L));
  const terms: { w: number; c: number }[] = [];
  for (let k = 1; k <= kMax; k++) {
    const iMax = (1 - Math.pow(2, -k)) * L - 1;
    const p = Math.pow(2, k - 1);
    for (let i = 0; i <= iMax; i++) {
      const f = Math.floor((i * p) / L);
      const w = ((f % 2 === 0 ? 1 : -1) * (p - Math.floor((i * p) / L + 0.5))) / L / kMax;
      terms.push({ w, c: 2 * i + 1 });
    }
  }
  return terms;
}

const cache = new Map<number, { w: number; c: number }[]>();

/** E[erfc(sqrt(x g))] for Rician power g (E g = 1) with factor K, by Craig's integral. */
function ricianErfc(x: number, K: number): number {
  const N = 2000; // Simpson intervals on (0, pi/2]; the integrand is smooth and bounded by 1
  const f = (t: number): number => {
    if (t <= 0) return 0;
    const sn = Math.sin(t);
    const s = -x / (sn * sn);
    return ((1 + K) / (1 + K - s)) * Math.exp((K * s) / (1 + K - s));
  };
  const h = Math.PI / 2 / N;
  let sum = f(0) + f(Math.PI / 2);
  for (let i = 1; i < N; i++) sum += (i % 2 ? 4 : 2) * f(i * h);
  return ((2 / Math.PI) * sum * h) / 3;
}

function averagedErfc(x: number, channel: TheoryChannel, K: number): number {
  if (channel === 'awgn') return erfc(Math.sqrt(x));
  if (channel === 'rayleigh' || K === 0) return 1 - Math.sqrt(x / (1 + x));
  return ricianErfc(x, K);
}

/**
 * Theoretical BER of uncoded Gray-mapped modulation with `bitsPerSymbol` bits (1 = BPSK,
 * 2, 4, 6, 8 = square QAM) at Es/N0 = snrDb; fading with perfect CSI (Rician: factor K).
 */
export function theoryBer(bitsPerSymbol: number, snrDb: number, channel: TheoryChannel = 'awgn', K = 0): number {
  const g = Math.pow(10, snrDb / 10);
  if (channel === 'rician' && !(K >= 0 && Number.isFinite(K))) throw new RangeError(`theoryBer: Rician K ${K} must be a finite number >= 0`);
  if (bitsPerSymbol === 1) return 0.5 * averagedErfc(g, channel, K);
  if (![2, 4, 6, 8].includes(bitsPerSymbol)) throw new RangeError(`theoryBer: no closed form for ${bitsPerSymbol} bits per symbol`);
  const M = 1 << bitsPerSymbol;
  let terms = cache.get(M);
  if (!terms) cache.set(M, (terms = choYoonTerms(M)));
  // erfc((2i+1) sqrt(3 Es/N0 / (2 (M-1)))) per term.
  const a0 = (3 * g) / (2 * (M - 1));
  let pb = 0;
  for (const { w, c } of terms) {
    const a = c * c * a0;
    pb += w * averagedErfc(a, channel, K);
  }
  return Math.max(0, pb);
}

/** Shannon capacity of the complex AWGN channel, bits per channel use: log2(1 + SNR). */
export function awgnCapacity(snrDb: number): number {
  return Math.log2(1 + Math.pow(10, snrDb / 10));
}
