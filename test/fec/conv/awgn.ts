/** Test helper: BPSK (0 -> +1, 1 -> -1) over real AWGN, channel LLRs 2y / sigma^2 (positive = 0). */
import type { Rng } from '../../../src/core/rng.js';

export class BpskAwgn {
  private noise = new Float32Array(0);

  /** Eb/N0 in dB with code rate R: Es/N0 = R Eb/N0 per code bit, sigma^2 = N0 / 2 with Es = 1. */
  static sigma(ebn0Db: number, rate: number): number {
    return Math.sqrt(1 / (2 * rate * Math.pow(10, ebn0Db / 10)));
  }

  /** LLRs for code bits `c` at noise std `sigma`, written to `llr`. */
  transmit(c: Uint8Array, sigma: number, rng: Rng, llr: Float32Array): Float32Array {
    if (this.noise.length !== c.length) this.noise = new Float32Array(c.length);
    rng.fillGaussian(this.noise, sigma);
    const g = 2 / (sigma * sigma);
    for (let i = 0; i < c.length; i++) llr[i] = g * (1 - 2 * c[i] + this.noise[i]);
    return llr;
  }
}

/**
 * Mean and 95% interval of a rate from per-block error counts (batch means): Viterbi errors come
 * in bursts (about 3.3 bits per event at rate 1/2), so a per-bit binomial interval would be too
 * narrow; the spread between blocks measures the real variance.
 */
export function batchMeans95(errorsPerBlock: ArrayLike<number>, bitsPerBlock: number): { mean: number; lo: number; hi: number } {
  const b = errorsPerBlock.length;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < b; i++) {
    const r = errorsPerBlock[i] / bitsPerBlock;
    s += r;
    s2 += r * r;
  }
  const mean = s / b;
  const variance = Math.max(0, s2 / b - mean * mean) * (b / (b - 1));
  const half = 1.959964 * Math.sqrt(variance / b);
  return { mean, lo: mean - half, hi: mean + half };
}
