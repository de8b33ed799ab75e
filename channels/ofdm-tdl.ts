/**
 * Tapped-delay-line multipath over OFDM with a cyclic prefix (fft.js), perfect-CSI one-tap
 * equalization per subcarrier.
 *
 * Transmitter: symbols fill `fft` subcarriers per OFDM symbol (the last one zero-padded), unitary
 * IFFT, cyclic prefix of `cp` samples. Channel: sample-spaced taps with the profile's average
 * powers (normalized to 1), Rayleigh (h_l ~ CN(0, p_l)) or static (sqrt(p_l), fading=none);
 * TR 38.901 TDL-D/E add a specular LOS tap at delay 0 (then every subcarrier is Rician).
 * Time variation: without `doppler`/`speed`, block fading, a new draw every `block` OFDM symbols;
 * with a maximum Doppler fD the Rayleigh taps evolve across OFDM symbols by a sum of sinusoids
 * (doppler.ts, autocorrelation J0(2 pi fD t)) and the LOS tap rotates at fD cos(pi/4), Sionna's
 * default arrival angle. Gains are held over each OFDM symbol (no inter-carrier interference:
 * a fair model while fD * T_symbol << 1; a warning is given above 0.05). Each apply call (one
 * frame) is an independent realization. Complex AWGN of variance N0 per time sample.
 * Receiver: drop the CP, unitary FFT, y_k = R_k / H_k with H_k = sum_l h_l e^{-j 2 pi k d_l / fft},
 * csi = |H_k|^2. SNR is Es/N0 per subcarrier symbol (the unitary FFT keeps N0 per subcarrier;
 * the CP's energy is not counted). When the profile is longer than the CP the inter-symbol
 * interference is simulated as it is (the previous OFDM symbol leaks in), not removed, and the
 * channel carries a warning line (printed by the registry).
 *
 * Numerology (numerology.ts): scs (default 15 kHz), fft (default 1024), sampleRate = fft * scs
 * (or given, then scs = sampleRate / fft), cp (default the NR normal CP, 144 fft / 2048).
 * Profiles: flat, pedA, pedB, vehA, epa, eva (delays in ns) and tdl-a..tdl-e (TR 38.901, delays
 * scaled by `ds` in ns, default 100), or a custom profile delays=0,2,5 (samples) with
 * powers=0,-3,-6 (dB).
 */
import FFT from 'fft.js';
import type { Channel, ChannelOutput, ChannelParams } from '../src/core/types.js';
import { n0FromSnrDb } from '../src/core/types.js';
import type { Rng } from '../src/core/rng.js';
import { UsageError } from '../src/core/errors.js';
import { checkParams, numberList } from './params.js';
import { checkSymbols } from './awgn.js';
import { PROFILES, PROFILE_NAMES, TDL_DEFAULT_DS_NS, profileDelaysNs, sampleTaps } from './profiles.js';
import { DEFAULT_FFT, DEFAULT_SCS_HZ, normalCp } from './numerology.js';
import { SumOfSinusoids } from './doppler.js';

const SPEED_OF_LIGHT = 299792458;
/** Arrival angle of the LOS path relative to the motion (Sionna's TDL default). */
const LOS_ANGLE = Math.PI / 4;
/** fD * T_symbol above which the per-symbol (ICI-free) time variation is flagged. */
const ICI_WARN = 0.05;

const SPEC = {
  fft: { type: 'int', min: 2, max: 65536, help: `FFT size, a power of 2 in 2..65536 (default ${DEFAULT_FFT})` },
  cp: { type: 'int', min: 0, help: 'cyclic prefix in samples, an integer >= 0 (default the NR normal CP, 144 fft / 2048)' },
  scs: { type: 'number', min: 1, help: `subcarrier spacing in Hz (default ${DEFAULT_SCS_HZ}); sampleRate = fft * scs` },
  profile: { type: 'string', choices: PROFILE_NAMES, help: `power-delay profile, one of ${PROFILE_NAMES.join(', ')} (default pedA)` },
  ds: { type: 'number', min: 0, help: `delay spread in ns for the TR 38.901 tdl-* profiles (default ${TDL_DEFAULT_DS_NS})` },
  sampleRate: { type: 'number', min: 1, help: 'sample rate in Hz for the profile delays (default fft * scs)' },
  delays: { type: 'string', help: 'custom tap delays in samples, a comma list of integers >= 0' },
  powers: { type: 'string', help: 'custom tap powers in dB, a comma list (same length as delays)' },
  fading: { type: 'string', choices: ['rayleigh', 'none'], help: 'rayleigh (taps CN(0, p)) or none (static taps sqrt(p))' },
  block: { type: 'int', min: 1, help: 'OFDM symbols per channel draw without Doppler, an integer >= 1 (default 1)' },
  doppler: { type: 'number', min: 0, help: 'maximum Doppler frequency fD in Hz (taps evolve across OFDM symbols)' },
  speed: { type: 'number', min: 0, help: 'terminal speed in m/s (fD = speed fc / c)' },
  fc: { type: 'number', min: 1, help: 'carrier frequency in Hz for speed (default 3.5e9)' },
} as const;

export class OfdmTdlChannel implements Channel {
  readonly name = 'ofdm-tdl';
  readonly params: Readonly<ChannelParams>;
  readonly fftSize: number;
  readonly cp: number;
  /** Sample rate (Hz) and subcarrier spacing (Hz) of the numerology. */
  readonly sampleRate: number;
  readonly scs: number;
  /** Tap delays in samples and their powers (sum 1). With `los`, tap 0 is the specular LOS path. */
  readonly delays: Int32Array;
  readonly powers: Float64Array;
  readonly los: boolean;
  /** 'rician' when a Rayleigh channel has a LOS tap (every subcarrier is then Rician, not Rayleigh). */
  readonly fading: 'rayleigh' | 'rician' | 'none';
  readonly block: number;
  /** Maximum Doppler frequency in Hz (0: block fading). */
  readonly doppler: number;
  readonly profileSource: string;
  /** One-line warnings about the setting (inter-symbol interference, fast time variation). */
  readonly warnings: readonly string[];
  private readonly fft: FFT;
  private readonly sos: SumOfSinusoids | null;

  constructor(params: ChannelParams = {}) {
    const p = checkParams('ofdm-tdl', params, SPEC);
    const bad = (msg: string): never => {
      throw new UsageError(`channel ofdm-tdl: ${msg}`);
    };
    this.fftSize = p.fft === undefined ? DEFAULT_FFT : Number(p.fft);
    if ((this.fftSize & (this.fftSize - 1)) !== 0) bad(`fft=${this.fftSize} is not allowed: use a power of 2 in 2..65536`);
    this.cp = p.cp === undefined ? normalCp(this.fftSize) : Number(p.cp);
    if (p.sampleRate !== undefined && p.scs !== undefined) bad('give sampleRate or scs, not both (sampleRate = fft * scs)');
    this.sampleRate = p.sampleRate !== undefined ? Number(p.sampleRate) : this.fftSize * Number(p.scs ?? DEFAULT_SCS_HZ);
    this.scs = this.sampleRate / this.fftSize;
    this.block = p.block === undefined ? 1 : Number(p.block);
    if (p.doppler !== undefined && p.speed !== undefined) bad('give doppler or speed, not both');
    if (p.fc !== undefined && p.speed === undefined) bad('fc goes with speed=m/s');
    this.doppler = p.doppler !== undefined ? Number(p.doppler) : p.speed !== undefined ? (Number(p.speed) * Number(p.fc ?? 3.5e9)) / SPEED_OF_LIGHT : 0;
    if (this.doppler > 0 && p.block !== undefined) bad('block applies without Doppler only (with doppler/speed the taps evolve every OFDM symbol)');
    if (p.ds !== undefined && !(p.profile !== undefined && PROFILES[String(p.profile)].normalized)) bad('ds applies to the TR 38.901 profiles tdl-a..tdl-e only');

    const taps = this.buildTaps(p, bad);
    this.delays = taps.delays;
    this.powers = taps.powers;
    this.los = taps.los;
    this.profileSource = taps.source;
    const fading = (p.fading ?? 'rayleigh') as 'rayleigh' | 'none';
    this.fading = fading === 'rayleigh' && this.los ? 'rician' : fading;
    const maxDelay = this.delays[this.delays.length - 1];
    if (maxDelay >= this.fftSize) bad(`the longest delay ${maxDelay} samples must be < fft=${this.fftSize}`);
    this.params = Object.freeze({ ...p });
    this.fft = new FFT(this.fftSize);
    this.sos = this.doppler > 0 && this.fading !== 'none' ? new SumOfSinusoids(this.delays.length) : null;
    this.warnings = Object.freeze(this.checkSetting());
  }

  /** Whether the cyclic prefix covers the channel (no inter-symbol interference). */
  get isiFree(): boolean {
    return this.delays[this.delays.length - 1] <= this.cp;
  }

  /** Duration of one OFDM symbol with its CP, in seconds. */
  get symbolDuration(): number {
    return (this.fftSize + this.cp) / this.sampleRate;
  }

  private buildTaps(p: ChannelParams, bad: (msg: string) => never): { delays: Int32Array; powers: Float64Array; los: boolean; source: string } {
    if (p.delays !== undefined || p.powers !== undefined) {
      if (p.profile !== undefined) bad('give either profile or delays/powers, not both');
      const delaysSamples = numberList('ofdm-tdl', 'delays', p.delays ?? '');
      const powersDb = p.powers === undefined ? delaysSamples.map(() => 0) : numberList('ofdm-tdl', 'powers', p.powers);
      if (powersDb.length !== delaysSamples.length) bad(`powers has ${powersDb.length} values for ${delaysSamples.length} delays`);
      if (delaysSamples.some((d) => !Number.isInteger(d) || d < 0)) bad(`delays=${p.delays} is not allowed: use integers >= 0 (samples)`);
      return { ...sampleTaps(delaysSamples, powersDb), los: false, source: 'custom' };
    }
    const prof = PROFILES[String(p.profile ?? 'pedA')];
    const ds = Number(p.ds ?? TDL_DEFAULT_DS_NS);
    const toSamples = (ns: number): number => Math.round(ns * 1e-9 * this.sampleRate);
    const delaysSamples = profileDelaysNs(prof, ds).map(toSamples);
    const source = `${prof.source}${prof.normalized ? `, DS ${ds} ns` : ''} at ${this.sampleRate} Hz`;
    if (!prof.los) return { ...sampleTaps(delaysSamples, [...prof.powersDb]), los: false, source };
    // LOS: the specular first tap stays its own tap 0; the Rayleigh taps are sampled as usual.
    const lin = prof.powersDb.map((db) => Math.pow(10, db / 10));
    const total = lin.reduce((a, b) => a + b, 0);
    const rest = sampleTaps(delaysSamples.slice(1), prof.powersDb.slice(1));
    const scatter = 1 - lin[0] / total;
    return {
      delays: Int32Array.from([0, ...rest.delays]),
      powers: Float64Array.from([lin[0] / total, ...Array.from(rest.powers, (x) => x * scatter)]),
      los: true,
      source,
    };
  }

  private checkSetting(): string[] {
    const out: string[] = [];
    const maxDelay = this.delays[this.delays.length - 1];
    if (maxDelay > this.cp) {
      out.push(`channel ofdm-tdl: the longest delay (${maxDelay} samples, ${fmtUs(maxDelay / this.sampleRate)}) exceeds cp=${this.cp} `
        + `(${fmtUs(this.cp / this.sampleRate)}): inter-symbol interference is simulated and the BER floors; use cp >= ${maxDelay} or a shorter profile`);
    }
    const x = this.doppler * this.symbolDuration;
    if (this.sos && x > ICI_WARN) {
      out.push(`channel ofdm-tdl: fD T_symbol = ${x.toPrecision(3)} > ${ICI_WARN}: gains are held over each OFDM symbol, the inter-carrier interference of such fast fading is not modeled`);
    }
    return out;
  }

  apply(x: Float32Array, snrDb: number, rng: Rng): ChannelOutput {
    checkSymbols(x, snrDb);
    const nSym = x.length / 2;
    const nOfdm = Math.max(1, Math.ceil(nSym / this.fftSize));
    const { taps, per } = this.drawTaps(nOfdm, rng);
    const tx = this.modulate(x, nOfdm);
    const rx = new Float64Array(tx.length);
    rng.fillGaussian(rx, Math.sqrt(n0FromSnrDb(snrDb) / 2));
    this.convolve(tx, taps, per, nOfdm, rx);
    return this.demodulate(rx, taps, per, nSym, nOfdm);
  }

  /**
   * Tap gains (interleaved re, im; L per set) and `per`, the OFDM symbols each set covers:
   * `block` for block fading, 1 with Doppler (one set per OFDM symbol).
   */
  private drawTaps(nOfdm: number, rng: Rng): { taps: Float64Array; per: number } {
    const L = this.delays.length;
    const sos = this.sos;
    if (sos) {
      const taps = new Float64Array(2 * L * nOfdm);
      sos.draw(this.doppler, rng);
      const T = this.symbolDuration;
      const losFreq = this.doppler * Math.cos(LOS_ANGLE);
      for (let o = 0; o < nOfdm; o++) {
        const t = o * T;
        for (let l = 0; l < L; l++) {
          const a = Math.sqrt(this.powers[l]);
          if (this.los && l === 0) {
            taps[2 * o * L] = a * Math.cos(2 * Math.PI * losFreq * t);
            taps[2 * o * L + 1] = a * Math.sin(2 * Math.PI * losFreq * t);
          } else {
            sos.gain(l, t, a, taps, 2 * (o * L + l));
          }
        }
      }
      return { taps, per: 1 };
    }
    const nDraws = Math.ceil(nOfdm / this.block);
    const taps = new Float64Array(2 * L * nDraws);
    if (this.fading !== 'none') {
      rng.fillGaussian(taps, Math.SQRT1_2);
      for (let d = 0; d < nDraws; d++) {
        for (let l = 0; l < L; l++) {
          const a = Math.sqrt(this.powers[l]);
          taps[2 * (d * L + l)] *= a;
          taps[2 * (d * L + l) + 1] *= a;
        }
        if (this.los) {
          taps[2 * d * L] = Math.sqrt(this.powers[0]); // specular: phase 0 at t = 0
          taps[2 * d * L + 1] = 0;
        }
      }
    } else {
      for (let d = 0; d < nDraws; d++) for (let l = 0; l < L; l++) taps[2 * (d * L + l)] = Math.sqrt(this.powers[l]);
    }
    return { taps, per: this.block };
  }

  /** Unitary IFFT of each OFDM symbol, cyclic prefix in front: nOfdm (fft + cp) samples. */
  private modulate(x: Float32Array, nOfdm: number): Float64Array {
    const N = this.fftSize;
    const cp = this.cp;
    const nSym = x.length / 2;
    const symLen = N + cp;
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
    return tx;
  }

  /** rx += multipath(tx), each OFDM symbol's samples through the taps of its set. */
  private convolve(tx: Float64Array, taps: Float64Array, per: number, nOfdm: number, rx: Float64Array): void {
    const L = this.delays.length;
    const symLen = this.fftSize + this.cp;
    const delays = this.delays;
    for (let o = 0; o < nOfdm; o++) {
      const tb = 2 * L * Math.floor(o / per);
      for (let n = o * symLen; n < (o + 1) * symLen; n++) {
        let re = 0;
        let im = 0;
        for (let l = 0; l < L; l++) {
          const m = n - delays[l];
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
  }

  /** Drop the CP, unitary FFT, one-tap zero forcing with H_k of the symbol's tap set. */
  private demodulate(rx: Float64Array, taps: Float64Array, per: number, nSym: number, nOfdm: number): ChannelOutput {
    const N = this.fftSize;
    const cp = this.cp;
    const L = this.delays.length;
    const symLen = N + cp;
    const y = new Float32Array(2 * nSym);
    const csi = new Float32Array(nSym);
    const invSqrtN = 1 / Math.sqrt(N);
    const time = new Float64Array(2 * N);
    const freq = new Float64Array(2 * N);
    const H = new Float64Array(2 * N);
    const imp = new Float64Array(2 * N);
    let hSet = -1;
    for (let o = 0; o < nOfdm; o++) {
      const base = 2 * (o * symLen + cp);
      for (let i = 0; i < 2 * N; i++) time[i] = rx[base + i];
      this.fft.transform(freq, time);
      const set = Math.floor(o / per);
      if (set !== hSet) {
        // H_k = sum_l h_l e^{-j 2 pi k d_l / N}: the unnormalized FFT of the impulse response
        imp.fill(0);
        const tb = 2 * L * set;
        for (let l = 0; l < L; l++) {
          imp[2 * this.delays[l]] += taps[tb + 2 * l];
          imp[2 * this.delays[l] + 1] += taps[tb + 2 * l + 1];
        }
        this.fft.transform(H, imp);
        hSet = set;
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

function fmtUs(s: number): string {
  return `${(s * 1e6).toPrecision(3)} us`;
}
