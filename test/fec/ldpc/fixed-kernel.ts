/**
 * Shared by the int16 and int8 kernel tests: BPSK/AWGN frames of an 802.11n code, and the Eb/N0 at
 * which a fixed-point kernel's BLER crosses 1e-2 beside the float kernel's, on the same frames.
 */
import { LdpcDecoder } from '../../../src/fec/ldpc/decoder.js';
import { createLdpc80211n } from '../../../src/fec/ldpc/80211n/code.js';
import { Rng } from '../../../src/core/rng.js';

/** `frames` random codewords of `code` through BPSK + AWGN at `ebn0` dB, as channel LLRs. */
export function noisy(code: ReturnType<typeof createLdpc80211n>, ebn0: number, frames: number, rng: Rng) {
  const sigma2 = 1 / (2 * code.rate * 10 ** (ebn0 / 10));
  const llr = new Float32Array(frames * code.n);
  const cws: Uint8Array[] = [];
  for (let f = 0; f < frames; f++) {
    const cw = code.encode(rng.fillBits(new Uint8Array(code.k)));
    cws.push(cw);
    for (let i = 0; i < code.n; i++) llr[f * code.n + i] = (2 * (1 - 2 * cw[i] + Math.sqrt(sigma2) * rng.gaussian())) / sigma2;
  }
  return { llr, cws };
}

/**
 * (1944, 1/2), NMS 10 it, 2400 frames at 1.9 / 2.1 / 2.3 dB (seed 8): the Eb/N0 where log10 BLER
 * crosses -2 (linear between the bracketing points) for the float kernel and for `kernel`.
 */
export function blerCrossings(kernel: 'int16' | 'int8'): { float: number; fixed: number; bler: { fl: number[]; fx: number[] } } {
  const code = createLdpc80211n(1944, '1/2');
  const fl = new LdpcDecoder(code.h, { maxIterations: 10 });
  const fx = new LdpcDecoder(code.h, { maxIterations: 10, kernel });
  const points = [1.9, 2.1, 2.3];
  const frames = 2400;
  const bler = { fl: [] as number[], fx: [] as number[] };
  const rng = new Rng(8);
  for (const ebn0 of points) {
    const { llr, cws } = noisy(code, ebn0, frames, rng); // the same frames for both decoders
    for (const [key, dec] of [['fl', fl], ['fx', fx]] as const) {
      const r = dec.decodeMany(llr, frames);
      let errs = 0;
      for (let f = 0; f < frames; f++) {
        for (let i = 0; i < code.k; i++) if (r.bits[f * code.n + i] !== cws[f][i]) { errs++; break; }
      }
      bler[key].push(Math.max(errs, 0.5) / frames);
    }
  }
  const cross = (b: number[]) => {
    for (let i = 0; i + 1 < b.length; i++) {
      const y0 = Math.log10(b[i]), y1 = Math.log10(b[i + 1]);
      if (y0 >= -2 && y1 <= -2) return points[i] + ((y0 + 2) / (y0 - y1)) * (points[i + 1] - points[i]);
    }
    return NaN;
  };
  return { float: cross(bler.fl), fixed: cross(bler.fx), bler };
}
