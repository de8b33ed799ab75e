/**
 * PHY benchmarks (single thread): the whole uncoded BPSK/AWGN chain as the BER engine runs it,
 * 256-QAM exact log-MAP demapping, Gaussian draws, and the OFDM-TDL channel (TR 38.901 TDL-C at
 * the NR numerology defaults, block fading and with Doppler).
 */
import type { Bench } from './harness.js';
import { Rng } from '../src/core/rng.js';
import { createModem } from '../src/phy/registry.js';
import { buildChain, type Chain } from '../src/sim/chain.js';
import { createBuiltinChannel } from '../channels/registry.js';
import type { Channel } from '../src/core/types.js';

let chain: Chain;
const chainBits = 1 << 22;

const qam = createModem('256qam');
const nQam = 1 << 16;
let yQam: Float32Array;
let csiQam: Float32Array;
const llrQam = new Float32Array(nQam * 8);

const gauss = new Float32Array(1 << 22);
const grng = new Rng(1);

/** TDL-C (24 taps, DS 100 ns) over fft 1024 / cp 72: symbols per second through apply. */
function ofdmBench(params: Record<string, number | string>, label: string): Bench {
  let ch: Channel;
  const x = new Float32Array(2 * 1024 * 14).fill(Math.SQRT1_2); // one slot of 14 OFDM symbols
  return {
    name: `OFDM-TDL channel, TDL-C DS 100 ns, fft 1024 cp 72, ${label} (complex symbols through apply)`,
    unit: 'Msymbols/s',
    scale: 1e6,
    setup: () => {
      ch = createBuiltinChannel('ofdm-tdl', { profile: 'tdl-c', ...params });
    },
    run: () => {
      for (let i = 0; i < 20; i++) ch.apply(x, 10, new Rng(i));
      return 20 * x.length / 2;
    },
  };
}

export const benchmarks: Bench[] = [
  {
    name: 'uncoded BPSK over AWGN, whole chain (bits, modulate, channel, exact demap, count), 1 thread',
    unit: 'Mbit/s',
    goal: '>= 30 Mbit/s on one core',
    scale: 1e6,
    setup: async () => {
      chain = await buildChain({ mod: 'bpsk', code: 'none', channel: 'awgn', channelParams: {}, demap: 'exact' });
    },
    run: () => chain.run(4, chainBits / chain.frameBits, new Rng(1).split(0, 0)).bits,
  },
  {
    name: '256-QAM exact log-MAP demapping with CSI',
    unit: 'Msymbols/s',
    scale: 1e6,
    setup: () => {
      const rng = new Rng(2);
      yQam = qam.modulate(rng.fillBits(new Uint8Array(nQam * 8)));
      const noise = rng.fillGaussian(new Float32Array(2 * nQam), 0.05);
      for (let i = 0; i < yQam.length; i++) yQam[i] += noise[i];
      csiQam = rng.fillUniform(new Float32Array(nQam)) as Float32Array;
    },
    run: () => {
      qam.demodulate(yQam, 0.005, csiQam, llrQam, 'exact');
      return nQam;
    },
  },
  {
    name: '256-QAM max-log demapping with CSI',
    unit: 'Msymbols/s',
    scale: 1e6,
    run: () => {
      qam.demodulate(yQam, 0.005, csiQam, llrQam, 'maxlog');
      return nQam;
    },
  },
  {
    name: 'Gaussian draws, Rng.fillGaussian (Philox4x32-10 + ziggurat) into Float32Array',
    unit: 'Mdraws/s',
    scale: 1e6,
    run: () => {
      grng.fillGaussian(gauss);
      return gauss.length;
    },
  },
  ofdmBench({}, 'block fading'),
  ofdmBench({ doppler: 100 }, 'Doppler 100 Hz (sum of sinusoids)'),
];
