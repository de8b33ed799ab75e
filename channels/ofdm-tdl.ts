/**
 * Tapped-delay-line multipath over OFDM with a cyclic prefix (fft.js), perfect-CSI one-tap
 * equalization per subcarrier.
 *
 * Transmitter: symbols fill `fft` subcarriers per OFDM symbol (the last one zero-padded), unitary
 * IFFT, cyclic prefix of `cp` samples. Channel: sample-spaced taps with the profile's average
 * powers (normalized to 1), Rayleigh (h_l ~ CN(0, p_l)) or static (sqrt(p_l), fading=none), a new
 * draw every `block` OFDM symbols; complex AWGN of variance N0 per time sample. Receiver: drop
 * the CP, unitary FFT, y_k = R_k / H_k with H_k = sum_l h_l e^{-j 2 pi k d_l / fft}, csi = |H_k|^2.
 * SNR is Es/N0 per subcarrier symbol (the unitary FFT keeps N0 per subcarrier; the CP's energy is
 * not counted). When the profile is longer than the CP the inter-symbol interference is simulated
 * as it is (the previous OFDM symbol leaks in), not removed.
 *
 * Params: fft (power of 2, default 64), cp (default 16), profile (flat, pedA, pedB, vehA, epa, eva;
 * default pedA), sampleRate in Hz (default 20e6, converts the profile's ns to samples), or a
 * custom profile delays=0,2,5 (samples) with powers=0,-3,-6 (dB); fading rayleigh|none; block.
 */
import FFT from 'fft.js';
import type { Channel, ChannelOutput, ChannelParams } from '../src/core/types.js';
import { n0FromSnrDb } from '../src/core/types.js';
import type { Rng } from '../src/core/rng.js';
import { UsageError } from '../src/core/errors.js';
import { checkParams, numberList } from './params.js';
import { checkSymbols } from './awgn.js';
import { PROFILES, PROFILE_NAMES, sampleTaps } from './profiles.js';

const SPEC = {
  fft: { type: 'int', min: 2, max: 65536, help: 'FFT size, a power of 2 in 2..65536 (default 64)' },
  cp: { type: 'int', min: 0, help: 'cyclic prefix in samples, an integer >= 0 (default 16)' },
  profile: { type: 'string', choices: PROFILE_NAMES, help: `power-delay profile, one of ${PROFILE_NAMES.join(', ')} (default pedA)` },
  sampleRate: { type: 'number', min: 1, help: 'sample rate in Hz for the profile delays (default 20e6)' },
  delays: { type: 'string', help: 'custom tap delays in samples, a comma list of integers >= 0' },
  powers: { type: 'string', help: 'custom tap powers in dB, a comma list (same length as delays)' },
  fading: { type: 'string', choices: ['rayleigh', 'none'], help: 'rayleigh (taps CN(0, p)) or none (static taps sqrt(p))' },
  block: { type: 'int', min: 1, help: 'OFDM symbols per channel draw, an integer >= 1 (default 1)' },
} as const;

export class OfdmTdlChannel implements Channel {
  readonly name = 'ofdm-tdl';
  readonly params: Readonly<ChannelParams>;
  readonly fftSize: number;
  readonly cp: number;
  /** Tap delays in samples and their powers (sum 1). */
  readonly delays: Int32Array;
  readonly powers: Float64Array;
  readonly fading: 'rayleigh' | 'none';
  readonly block: number;
  readonly profileSource: string;
  private readonly fft: FFT;

  constructor(params: ChannelParams = {}) {
    const p = checkParams('ofdm-tdl', params, SPEC);
    const bad = (msg: string): never => {
      throw new UsageError(`channel ofdm-tdl: ${msg}`);
    };
    this.fftSize = p.fft === undefined ? 64 : Number(p.fft);
    if ((this.fftSize & (this.fftSize - 1)) !== 0) bad(`fft=${this.fftSize} is not allowed: use a power of 2 in 2..65536`);
    this.cp = p.cp === undefined ? 16 : Number(p.cp);
    this.fading = (p.fading ?? 'rayleigh') as 'rayleigh' | 'none';
    this.block = p.block === undefined ? 1 : Number(p.block);
    let delaysSamples: number[];
    let powersDb: number[];
    if (p.delays !== undefined || p.powers !== undefined) {
      if (p.profile !== undefined) bad('give either profile or delays/powers, not both');
      delaysSamples = numberList('ofdm-tdl', 'delays', p.delays ?? '');
      powersDb = p.powers === undefined ? delaysSamples.map(() => 0) : numberList('ofdm-tdl', 'powers', p.powers);
      if (powersDb.length !== delaysSamples.length) bad(`powers has ${powersDb.length} values for ${delaysSamples.length} delays`);
      if (delaysSamples.some((d) => !Number.isInteger(d) || d < 0)) bad(`delays=${p.delays} is not allowed: use integers >= 0 (samples)`);
      this.profileSource = 'custom';
    } else {
      const prof = PROFILES[String(p.profile ?? 'pedA')];
      const fs = p.sampleRate === undefined ? 20e6 : Number(p.sampleRate);
      delaysSamples = prof.delaysNs.map((ns) => Math.round(ns * 1e-9 * fs));
      powersDb = [...prof.powersDb];
      this.profileSource = `${prof.source} at ${fs} Hz`;
    }
    const taps = sampleTaps(delaysSamples, powersDb);
    this.delays = taps.delays;
    this.powers = taps.powers;
    if (this.delays[this.delays.length - 1] >= this.fftSize) bad(`the longest delay ${this.delays[this.delays.length - 1]} samples must be < fft=${this.fftSize}`);
    this.params = Object.freeze({ ...p });
    this.fft = new FFT(this.fftSize);
  }

  /** Whether the cyclic prefix covers the channel (no inter-symbol interference). */
  get isiFree(): boolean {
    return this.delays[this.delays.length - 1] <= this.cp;
  }

  apply(x: Float32Array, snrDb: number, rng: Rng): ChannelOutput {
    checkSymbols(x, snrDb);
    const N = this.fftSize;
    const cp = this.cp;
    const L = this.delays.length;
    const nSym = x.length / 2;
    const nOfdm = Math.max(1, Math.ceil(nSym / N));
    const symLen = N + cp;
    // Taps per draw (interleaved), then the transmitted time signal.
    const nDraws = Math.ceil(nOfdm / this.block);
    const taps = new Float64Array(2 * L * nDraws);
    if (this.fading === 'rayleigh') {
      rng.fillGaussian(taps, Math.SQRT1_2);
      for (let d = 0; d < nDraws; d++) {
        for (let l = 0; l < L; l++) {
          const a = Math.sqrt(this.powers[l]);
          taps[2 * (d * L + l)] *= a;
          taps[2 * (d * L + l) + 1] *= a;
        }
      }
    } else {
      for (let d = 0; d < nDraws; d++) for (let l = 0; l < L; l++) taps[2 * (d * L + l)] = Math.sqrt(this.powers[l]);
    }
    const tx = new Float64Array(2 * nOfdm * symLen);
    const freq = new Float64Array(2 * N);
    const time = new Float64Array(2 * N);
    const sqrtN = Math.sqrt(N);
    for (let o = 0; o < nOfdm; o++) {
      freq.fill(0);
      const first = o * N;
      const count = Math.min(N, nSym - first);
      for (let k = 0; k < 2 * count; k++) freq[k] = x[2 * first + k];
      this.fft.inverseTransform(time, freq); // includes 1/N
      const base = 2 * o * symLen;
      for (let i = 0; i < 2 * N; i++) tx[base + 2 * cp + i] = time[i] * sqrtN;
      for (let i = 0; i < 2 * cp; i++) tx[base + i] = tx[base + 2 * N + i]; // CP = last cp samples
    }
    // Multipath (taps of the current OFDM symbol's draw) plus noise.
    const rx = new Float64Array(tx.length);
    rng.fillGaussian(rx, Math.sqrt(n0FromSnrDb(snrDb) / 2));
    for (let o = 0; o < nOfdm; o++) {
      const tb = 2 * L * Math.floor(o / this.block);
      for (let n = o * symLen; n < (o + 1) * symLen; n++) {
        let re = 0;
        let im = 0;
        for (let l = 0; l < L; l++) {
          const m = n - this.delays[l];
          if (m < 0) continue;
          const hr = taps[tb + 2 * l];
          const hi = taps[tb + 2 * l + 1];
          const sr = tx[2 * m];
          const si = tx[2 * m + 1];
          re += hr * sr - hi * si;
          im += hr * si + hi * sr;
        }
        rx[2 * n] += re;
        rx[2 * n + 1] += im;
      }
    }
    // Receiver. H_k = sum_l h_l e^{-j 2 pi k d_l / N}: the unnormalized FFT of the taps, per draw.
    const y = new Float32Array(x.length);
    const csi = new Float32Array(nSym);
    const invSqrtN = 1 / sqrtN;
    const H = new Float64Array(2 * N);
    const imp = new Float64Array(2 * N);
    let hDraw = -1;
    for (let o = 0; o < nOfdm; o++) {
      const base = 2 * (o * symLen + cp);
      for (let i = 0; i < 2 * N; i++) time[i] = rx[base + i];
      this.fft.transform(freq, time);
      const draw = Math.floor(o / this.block);
      if (draw !== hDraw) {
        imp.fill(0);
        const tb = 2 * L * draw;
        for (let l = 0; l < L; l++) {
          imp[2 * this.delays[l]] += taps[tb + 2 * l];
          imp[2 * this.delays[l] + 1] += taps[tb + 2 * l + 1];
        }
        this.fft.transform(H, imp);
        hDraw = draw;
      }
      const first = o * N;
      const count = Math.min(N, nSym - first);
      for (let k = 0; k < count; k++) {
        const hr = H[2 * k];
        const hi = H[2 * k + 1];
        const g = hr * hr + hi * hi;
        const rr = freq[2 * k] * invSqrtN;
        const ri = freq[2 * k + 1] * invSqrtN;
        const s = first + k;
        if (g > 1e-30) {
          y[2 * s] = (rr * hr + ri * hi) / g;
          y[2 * s + 1] = (ri * hr - rr * hi) / g;
          csi[s] = g;
        } else {
          csi[s] = 0;
        }
      }
    }
    return { y, csi };
  }
}
