/** Additive white Gaussian noise: y = x + n, n ~ CN(0, N0), N0 = 10^(-SNR/10) (N0/2 per real dim). */
import type { Channel, ChannelOutput, ChannelParams } from '../src/core/types.js';
import { n0FromSnrDb } from '../src/core/types.js';
import type { Rng } from '../src/core/rng.js';
import { UsageError } from '../src/core/errors.js';
import { checkParams } from './params.js';
import { awgnTensor } from './tensor.js';

export class AwgnChannel implements Channel {
  readonly name = 'awgn';
  readonly params: Readonly<ChannelParams>;

  constructor(params: ChannelParams = {}) {
    this.params = Object.freeze(checkParams('awgn', params, {}));
  }

  apply(x: Float32Array, snrDb: number, rng: Rng): ChannelOutput {
    checkSymbols(x, snrDb);
    const y = new Float32Array(x.length);
    rng.fillGaussian(y, Math.sqrt(n0FromSnrDb(snrDb) / 2));
    for (let i = 0; i < x.length; i++) y[i] += x[i];
    return { y };
  }

  /** Differentiable form (see channels/tensor.ts for the layout). */
  applyTensor(x: unknown, snrDb: number, seed?: number): unknown {
    return awgnTensor(x, snrDb, seed);
  }
}

export function checkSymbols(x: Float32Array, snrDb: number): void {
  if (x.length % 2 !== 0) throw new UsageError(`channel: ${x.length} values is odd (interleaved re, im expected)`);
  if (!Number.isFinite(snrDb)) throw new UsageError(`channel: SNR ${snrDb} dB is not allowed: use a finite number`);
}
