/**
 * Test-only stand-ins with textbook definitions, so the pipeline is tested independently of the
 * PHY/FEC modules: Gray BPSK with exact LLRs, an AWGN channel (N0 = 10^(-SNR/10), N0/2 per real
 * dimension), a rate-1/3 repetition code, Gray QPSK, and a channel that counts what it was sent.
 */
import type { Channel, Code, Modem } from '../../src/core/types.js';
import { n0FromSnrDb } from '../../src/core/types.js';
import type { Rng } from '../../src/core/rng.js';

export const bpsk: Modem = {
  name: 'bpsk', bitsPerSymbol: 1,
  modulate(bits) {
    const x = new Float32Array(bits.length * 2);
    for (let i = 0; i < bits.length; i++) x[2 * i] = bits[i] ? -1 : 1;
    return x;
  },
  demodulate(y, n0, csi, out) {
    const n = y.length / 2;
    const l = out ?? new Float32Array(n);
    for (let i = 0; i < n; i++) l[i] = (4 * y[2 * i] * (csi ? csi[i] : 1)) / n0;
    return l;
  },
};

export function awgn(log?: { symbols: number }): Channel {
  return {
    name: 'awgn', params: {},
    apply(x: Float32Array, snrDb: number, rng: Rng) {
      if (log) log.symbols += x.length / 2;
      const std = Math.sqrt(n0FromSnrDb(snrDb) / 2);
      const y = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) y[i] = x[i] + std * rng.gaussian();
      return { y };
    },
  };
}

export function repetition3(k: number): Code {
  return {
    name: `rep3:${k}`, k, n: 3 * k, rate: 1 / 3,
    encode(bits, out = new Uint8Array(3 * k)) {
      for (let i = 0; i < k; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = bits[i];
      return out;
    },
    decode(llr) {
      const bits = new Uint8Array(k);
      for (let i = 0; i < k; i++) bits[i] = llr[3 * i] + llr[3 * i + 1] + llr[3 * i + 2] < 0 ? 1 : 0;
      return { bits, ok: true, iterations: 1 };
    },
  };
}

/** Gray QPSK with Es = 1 (bit 0 on I, bit 1 on Q; 0 -> +1/sqrt 2), exact LLRs. */
export const qpsk: Modem = {
  name: 'qpsk', bitsPerSymbol: 2,
  modulate(bits) {
    const a = Math.SQRT1_2;
    const x = new Float32Array(bits.length);
    for (let i = 0; i < bits.length; i++) x[i] = bits[i] ? -a : a;
    return x;
  },
  demodulate(y, n0, csi, out) {
    const l = out ?? new Float32Array(y.length);
    for (let i = 0; i < y.length; i++) l[i] = (4 * Math.SQRT1_2 * y[i] * (csi ? csi[i >> 1] : 1)) / n0;
    return l;
  },
};
