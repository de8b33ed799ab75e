/**
 * 5G NR LDPC throughput on one core, information Mbit/s: BG1 Z=384 (K=8448) R=1/3 (E=25344, so the
 * whole 46-row graph is used). Encode = TS 38.212 encoding + rate matching; decode = rate recovery +
 * layered NMS, fixed 10 iterations (no early stop), noisy BPSK/AWGN LLRs near the waterfall
 * (Eb/N0 = 1 dB). Also BG2 Z=384 (K=3840) R=1/5 and a high-rate BG1 case (truncated graph).
 */
import type { Bench } from './harness.js';
import { createLdpc5gnr, type Ldpc5gnrCode } from '../src/fec/ldpc/5gnr/code.js';
import { Rng } from '../src/core/rng.js';

function noisyFrames(code: Ldpc5gnrCode, ebn0Db: number, frames: number, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  const n0 = 1 / (code.rate * 10 ** (ebn0Db / 10));
  const noise = new Float32Array(code.n);
  const out: Float32Array[] = [];
  for (let f = 0; f < frames; f++) {
    const c = code.encode(rng.fillBits(new Uint8Array(code.k)));
    rng.fillGaussian(noise, Math.sqrt(n0 / 2));
    out.push(Float32Array.from(c, (b, i) => (4 * (1 - 2 * b + noise[i])) / n0));
  }
  return out;
}

function decodeBench(bg: 'bg1' | 'bg2', k: number, rate: string, ebn0Db: number, framesPerRun: number, goal?: string): Bench {
  let code: Ldpc5gnrCode;
  let frames: Float32Array[] = [];
  return {
    name: `LDPC 5G NR ${bg} K=${k} R=${rate} NMS decode, 10 it, no early stop (info bits)`,
    unit: 'Mbit/s',
    goal,
    scale: 1e6,
    setup: () => {
      code = createLdpc5gnr(bg, k, rate, { maxIterations: 10, earlyStop: false });
      frames = noisyFrames(code, ebn0Db, 8, 1);
    },
    run: () => {
      for (let f = 0; f < framesPerRun; f++) code.decode(frames[f % frames.length]);
      return framesPerRun * code.k;
    },
  };
}

function encodeBench(bg: 'bg1' | 'bg2', k: number, rate: string, framesPerRun: number): Bench {
  let code: Ldpc5gnrCode;
  const msgs: Uint8Array[] = [];
  let out: Uint8Array;
  return {
    name: `LDPC 5G NR ${bg} K=${k} R=${rate} encode + rate matching (info bits)`,
    unit: 'Mbit/s',
    scale: 1e6,
    setup: () => {
      code = createLdpc5gnr(bg, k, rate);
      out = new Uint8Array(code.n);
      const rng = new Rng(2);
      for (let i = 0; i < 8; i++) msgs.push(rng.fillBits(new Uint8Array(k)));
    },
    run: () => {
      for (let f = 0; f < framesPerRun; f++) code.encode(msgs[f & 7], out);
      return framesPerRun * code.k;
    },
  };
}

export const benchmarks: Bench[] = [
  encodeBench('bg1', 8448, '1/3', 200),
  decodeBench('bg1', 8448, '1/3', 1.0, 10),
  encodeBench('bg2', 3840, '1/5', 200),
  decodeBench('bg2', 3840, '1/5', 1.0, 10),
  decodeBench('bg1', 8448, '8/9', 3.5, 20),
];
