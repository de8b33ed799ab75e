/**
 * PHY benchmarks (single thread): the whole uncoded BPSK/AWGN chain as the BER engine runs it,
 * 256-QAM exact log-MAP demapping, and Gaussian draws.
 */
import type { Bench } from './harness.js';
import { Rng } from '../src/core/rng.js';
import { createModem } from '../src/phy/registry.js';
import { buildChain, type Chain } from '../src/sim/chain.js';

let chain: Chain;
const chainBits = 1 << 22;

const qam = createModem('256qam');
const nQam = 1 << 16;
let yQam: Float32Array;
let csiQam: Float32Array;
const llrQam = new Float32Array(nQam * 8);

const gauss = new Float32Array(1 << 22);
const grng = new Rng(1);

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
];
