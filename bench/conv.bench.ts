/**
 * Convolutional code and CRC throughput, one core. Decoding runs on noisy LLRs (BPSK, AWGN at
 * Eb/N0 = 4 dB), so the add-compare-select sees realistic decisions.
 */
import type { Bench } from './harness.js';
import { ConvCode } from '../src/fec/conv/code.js';
import { crcByName } from '../src/fec/crc/catalog.js';
import { Rng } from '../src/core/rng.js';

const BLOCKS = 40;

function decodeBench(rate: string, k: number, kernel: 'auto' | 'js' = 'auto'): Bench {
  const code = new ConvCode(rate, { k, kernel });
  const llrs: Float32Array[] = [];
  const out = new Uint8Array(k);
  return {
    name: `Viterbi K=7 [133,171] R=${rate} decode, k=${k} info bits/block (soft, ${code.decoder.kernel === 'wasm' ? 'WebAssembly SIMD' : 'JS'} int32 ACS)`,
    unit: 'Mbit/s',
    goal: rate === '1/2' && kernel === 'auto' ? '>= 10 Mbit/s on one core' : undefined,
    scale: 1e6,
    setup: () => {
      const rng = new Rng(1);
      const sigma = Math.sqrt(1 / (2 * code.rate * Math.pow(10, 4 / 10)));
      const noise = new Float32Array(code.n);
      for (let b = 0; b < 4; b++) {
        const u = rng.fillBits(new Uint8Array(k));
        const x = code.encode(u);
        rng.fillGaussian(noise, sigma);
        llrs.push(Float32Array.from(x, (c, i) => (2 / (sigma * sigma)) * (1 - 2 * c + noise[i])));
      }
    },
    run: () => {
      for (let b = 0; b < BLOCKS; b++) code.decode(llrs[b & 3], out);
      return BLOCKS * k;
    },
  };
}

function encodeBench(): Bench {
  const k = 8192;
  const code = new ConvCode('3/4', { k });
  const u = new Rng(2).fillBits(new Uint8Array(k));
  const out = new Uint8Array(code.n);
  return {
    name: `conv encode + puncture R=3/4, k=${k}`,
    unit: 'Mbit/s',
    scale: 1e6,
    run: () => {
      for (let b = 0; b < BLOCKS; b++) code.encode(u, out);
      return BLOCKS * k;
    },
  };
}

function crcBench(name: string, level: 'bits' | 'bytes'): Bench {
  const crc = crcByName(name);
  const bytes = new Uint8Array(1 << 16);
  const rng = new Rng(3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
  const bits = Uint8Array.from({ length: bytes.length * 8 }, (_, i) => (bytes[i >> 3] >> (7 - (i & 7))) & 1);
  return {
    name: `${name} over ${level === 'bits' ? '0/1 bit arrays' : 'bytes'} (64 KiB message)`,
    unit: 'Mbit/s',
    scale: 1e6,
    run: () => {
      let acc = 0;
      for (let r = 0; r < 4; r++) acc ^= level === 'bits' ? crc.computeBitsValue(bits) : crc.computeBytes(bytes);
      if (acc === -1) throw new Error('unreachable');
      return 4 * bits.length;
    },
  };
}

export const benchmarks: Bench[] = [
  decodeBench('1/2', 8192),
  decodeBench('1/2', 1024),
  decodeBench('3/4', 8192),
  decodeBench('1/2', 8192, 'js'),
  encodeBench(),
  crcBench('crc24a', 'bits'),
  crcBench('crc24a', 'bytes'),
];
