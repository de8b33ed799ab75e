/**
 * LDPC 802.11n decoder throughput: information Mbit/s on one core, fixed 10 iterations (no early
 * stop), noisy BPSK/AWGN LLRs near the waterfall so the work is realistic. The default min-sum
 * kernel is WebAssembly SIMD; the JS kernel (same numbers) and SPA (double precision, JS) for
 * comparison; the inter-frame int16 and int8 kernels (opt-in, `:kernel=int16`, `kernel: 'int8'`) on
 * batches. Also the encoder.
 */
import type { Bench } from './harness.js';
import { createLdpc80211n, type Ldpc80211nCode } from '../src/fec/ldpc/80211n/code.js';
import { LdpcDecoder, type LdpcAlgorithm } from '../src/fec/ldpc/decoder.js';
import { Rng } from '../src/core/rng.js';

/** BPSK/AWGN LLR frames (2y / sigma^2) for `code` at Eb/N0 = ebn0Db. */
function noisyFrames(code: Ldpc80211nCode, ebn0Db: number, frames: number, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  const sigma2 = 1 / (2 * code.rate * Math.pow(10, ebn0Db / 10));
  const sigma = Math.sqrt(sigma2);
  const out: Float32Array[] = [];
  const noise = new Float32Array(code.n);
  for (let f = 0; f < frames; f++) {
    const cw = code.encode(rng.fillBits(new Uint8Array(code.k)));
    rng.fillGaussian(noise, sigma);
    const llr = new Float32Array(code.n);
    for (let i = 0; i < code.n; i++) llr[i] = (2 * ((1 - 2 * cw[i]) + noise[i])) / sigma2;
    out.push(llr);
  }
  return out;
}

function decodeBench(n: number, rate: string, algorithm: LdpcAlgorithm, kernel: 'wasm' | 'js', ebn0Db: number,
  framesPerRun: number, goal?: string): Bench {
  const code = createLdpc80211n(n, rate);
  const dec = new LdpcDecoder(code.h, { algorithm, maxIterations: 10, earlyStop: false, kernel });
  let frames: Float32Array[] = [];
  const out = new Uint8Array(code.n);
  return {
    name: `LDPC 802.11n N=${n} R=${rate} ${algorithm.toUpperCase()} decode (${kernel} kernel), 10 it, no early stop (info bits)`,
    unit: 'Mbit/s',
    goal,
    scale: 1e6,
    setup: () => {
      frames = noisyFrames(code, ebn0Db, 64, 1);
    },
    run: () => {
      for (let f = 0; f < framesPerRun; f++) dec.decode(frames[f % frames.length], out);
      return framesPerRun * code.k;
    },
  };
}

/** An inter-frame fixed-point kernel: decodeMany on batches of 64 frames (8 per SIMD pass in int16, 16 in int8). */
function batchBench(n: number, rate: string, ebn0Db: number, batches: number, goal?: string, kernel: 'int16' | 'int8' = 'int16'): Bench {
  const code = createLdpc80211n(n, rate);
  const dec = new LdpcDecoder(code.h, { algorithm: 'nms', maxIterations: 10, earlyStop: false, kernel });
  const count = 64;
  let llr = new Float32Array(0);
  const out = new Uint8Array(count * code.n);
  return {
    name: `LDPC 802.11n N=${n} R=${rate} NMS decode (${kernel} inter-frame kernel, ${kernel === 'int16' ? 8 : 16} frames per vector), 10 it, no early stop (info bits)`,
    unit: 'Mbit/s',
    goal,
    scale: 1e6,
    setup: () => {
      const frames = noisyFrames(code, ebn0Db, count, 1);
      llr = new Float32Array(count * code.n);
      frames.forEach((f, i) => llr.set(f, i * code.n));
    },
    run: () => {
      for (let b = 0; b < batches; b++) dec.decodeMany(llr, count, out);
      return batches * count * code.k;
    },
  };
}

function encodeBench(n: number, rate: string): Bench {
  const code = createLdpc80211n(n, rate);
  const msgs: Uint8Array[] = [];
  const out = new Uint8Array(code.n);
  return {
    name: `LDPC 802.11n N=${n} R=${rate} encode (info bits)`,
    unit: 'Mbit/s',
    scale: 1e6,
    setup: () => {
      const rng = new Rng(2);
      for (let i = 0; i < 16; i++) msgs.push(rng.fillBits(new Uint8Array(code.k)));
    },
    run: () => {
      const frames = 2000;
      for (let f = 0; f < frames; f++) code.encode(msgs[f & 15], out);
      return frames * code.k;
    },
  };
}

export const benchmarks: Bench[] = [
  decodeBench(1944, '1/2', 'nms', 'wasm', 1.5, 1000, '>= 15 Mbit/s on one core'),
  batchBench(1944, '1/2', 1.5, 16),
  batchBench(648, '5/6', 3.5, 48),
  batchBench(1944, '1/2', 1.5, 32, '>= 30 Mbit/s on one core', 'int8'),
  batchBench(648, '5/6', 3.5, 96, undefined, 'int8'),
  decodeBench(648, '5/6', 'nms', 'wasm', 3.5, 2000),
  decodeBench(1944, '1/2', 'nms', 'js', 1.5, 100),
  decodeBench(1944, '1/2', 'spa', 'js', 1.5, 30),
  encodeBench(1944, '1/2'),
];
