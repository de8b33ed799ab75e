/**
 * Time-varying Rayleigh tap gains by a sum of sinusoids with Jakes' (Clarke's) spectrum:
 *   g(t) = sqrt(1/M) sum_m exp(j (2 pi fD cos(alpha_m) t + phi_m)),
 *   alpha_m = 2 pi (m + theta) / M,  theta ~ U[0, 1),  phi_m ~ U[0, 2 pi),
 * one independent (theta, phi) set per tap and per realization. Averaged over theta the arrival
 * angles are uniform on [0, 2 pi), so the autocorrelation E[g(t + tau) g*(t)] is exactly
 * J0(2 pi fD tau) (Clarke's model) and E|g|^2 = 1; with M = 32 paths g is close to CN(0, 1)
 * (central limit). Equally spaced angles with one random offset (rather than M independent
 * angles) keep the time average close to the ensemble one (Zheng and Xiao, IEEE Trans. Commun.
 * 2003, use the same idea).
 */
import type { Rng } from '../src/core/rng.js';

export const SOS_PATHS = 32;

export class SumOfSinusoids {
  /** Paths per tap. */
  readonly paths: number;
  /** fD cos(alpha_m) per tap and path (Hz) and the phases, for the current realization. */
  private readonly freq: Float64Array;
  private readonly phase: Float64Array;
  readonly taps: number;

  constructor(taps: number, paths = SOS_PATHS) {
    if (!(Number.isInteger(taps) && taps >= 1)) throw new RangeError(`sum of sinusoids: taps ${taps} must be a positive integer`);
    if (!(Number.isInteger(paths) && paths >= 1)) throw new RangeError(`sum of sinusoids: paths ${paths} must be a positive integer`);
    this.taps = taps;
    this.paths = paths;
    this.freq = new Float64Array(taps * paths);
    this.phase = new Float64Array(taps * paths);
  }

  /** A new realization for maximum Doppler fD (Hz): M + 1 uniforms per tap. */
  draw(fD: number, rng: Rng): void {
    const M = this.paths;
    for (let l = 0; l < this.taps; l++) {
      const theta = rng.uniform();
      for (let m = 0; m < M; m++) {
        this.freq[l * M + m] = fD * Math.cos((2 * Math.PI * (m + theta)) / M);
        this.phase[l * M + m] = 2 * Math.PI * rng.uniform();
      }
    }
  }

  /** Gain of tap l at time t (s), scaled by `amp`, into out[at], out[at + 1] (re, im). */
  gain(l: number, t: number, amp: number, out: Float64Array, at: number): void {
    const M = this.paths;
    let re = 0;
    let im = 0;
    for (let m = l * M; m < (l + 1) * M; m++) {
      const a = 2 * Math.PI * this.freq[m] * t + this.phase[m];
      re += Math.cos(a);
      im += Math.sin(a);
    }
    const s = amp / Math.sqrt(M);
    out[at] = re * s;
    out[at + 1] = im * s;
  }
}
