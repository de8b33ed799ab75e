/**
 * Frequency-flat fading, Rician with K factor (K = 0: Rayleigh), with perfect-CSI zero-forcing
 * equalization: the receiver gets y = (h x + n) / h = x + n / h and csi = |h|^2, so the
 * effective noise variance of symbol s is N0 / |h_s|^2 (what the demapper expects).
 *
 * h = sqrt(K/(K+1)) e^{j phi} + sqrt(1/(K+1)) g, g ~ CN(0, 1): E|h|^2 = 1 for every K.
 * Coherence: a new h every `block` symbols (1 = fast fading), or one per apply call ('all',
 * i.e. per codeword or frame in the BER engine: block fading).
 */
import type { Channel, ChannelOutput, ChannelParams } from '../src/core/types.js';
import { n0FromSnrDb } from '../src/core/types.js';
import type { Rng } from '../src/core/rng.js';
import { checkSymbols } from './awgn.js';

export interface FlatFadingOptions {
  /** Rician K factor (linear), LOS power over scattered power. 0 = Rayleigh. */
  K: number;
  /** Symbols per fading coefficient, or 'all' for one per apply call. */
  block: number | 'all';
  /** Phase of the line-of-sight component, radians. */
  losPhase: number;
}

export class FlatFadingChannel implements Channel {
  readonly name: string;
  readonly params: Readonly<ChannelParams>;
  readonly options: Readonly<FlatFadingOptions>;

  constructor(name: string, params: ChannelParams, options: FlatFadingOptions) {
    if (!(options.K >= 0) || !Number.isFinite(options.K)) throw new RangeError(`${name}: K ${options.K} must be >= 0`);
    if (options.block !== 'all' && !(Number.isInteger(options.block) && options.block >= 1)) {
      throw new RangeError(`${name}: block ${options.block} must be a positive integer or 'all'`);
    }
    this.name = name;
    this.params = Object.freeze({ ...params });
    this.options = Object.freeze({ ...options });
  }

  /** Draw nCoef fading coefficients (interleaved re, im) into h. */
  drawFading(h: Float64Array, rng: Rng): void {
    const { K, losPhase } = this.options;
    rng.fillGaussian(h, Math.sqrt(1 / (2 * (K + 1))));
    if (K > 0) {
      const a = Math.sqrt(K / (K + 1));
      const lr = a * Math.cos(losPhase);
      const li = a * Math.sin(losPhase);
      for (let c = 0; c < h.length; c += 2) {
        h[c] += lr;
        h[c + 1] += li;
      }
    }
  }

  apply(x: Float32Array, snrDb: number, rng: Rng): ChannelOutput {
    checkSymbols(x, snrDb);
    const nSym = x.length / 2;
    const block = this.options.block === 'all' ? Math.max(1, nSym) : this.options.block;
    const nCoef = Math.ceil(nSym / block);
    const h = new Float64Array(2 * nCoef);
    this.drawFading(h, rng);
    const y = new Float32Array(x.length);
    const csi = new Float32Array(nSym);
    rng.fillGaussian(y, Math.sqrt(n0FromSnrDb(snrDb) / 2));
    for (let s = 0, c = 0, left = block; s < nSym; s++) {
      const hr = h[2 * c];
      const hi = h[2 * c + 1];
      const g = hr * hr + hi * hi;
      const nr = y[2 * s];
      const ni = y[2 * s + 1];
      if (g > 1e-30) {
        // n / h = n conj(h) / |h|^2
        y[2 * s] = x[2 * s] + (nr * hr + ni * hi) / g;
        y[2 * s + 1] = x[2 * s + 1] + (ni * hr - nr * hi) / g;
        csi[s] = g;
      } else {
        y[2 * s] = 0; // a complete fade: no information, LLR 0
        y[2 * s + 1] = 0;
        csi[s] = 0;
      }
      if (--left === 0) {
        left = block;
        c++;
      }
    }
    return { y, csi };
  }
}

/** Parse the `block` parameter shared by the fading channels. */
export function blockParam(v: unknown, dflt: number | 'all'): number | 'all' {
  if (v === undefined) return dflt;
  if (v === 'all' || v === 0) return 'all';
  return Number(v);
}
