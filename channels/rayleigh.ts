/**
 * Rayleigh fading, h ~ CN(0, 1), perfect-CSI equalization (see flat-fading.ts).
 * `rayleigh`: fast fading by default (block=1); `rayleigh-block`: one h per apply call by default
 * (block=all: per codeword / frame in `ber`). Either accepts `block=N` symbols per coefficient.
 */
import type { ChannelParams } from '../src/core/types.js';
import { checkParams } from './params.js';
import { FlatFadingChannel, blockParam } from './flat-fading.js';
import { rayleighTensor } from './tensor.js';

const SPEC = {
  block: { type: 'int', min: 1, words: ['all'], help: 'symbols per fading coefficient, an integer >= 1 or all (one per transmission)' },
  minGain: { type: 'number', min: 0, help: 'floor on |h|^2 in applyTensor only, a number >= 0 (default 1e-6)' },
} as const;

export class RayleighChannel extends FlatFadingChannel {
  private readonly minGain: number;

  constructor(name: 'rayleigh' | 'rayleigh-block', params: ChannelParams = {}) {
    const p = checkParams(name, params, SPEC);
    super(name, p, { K: 0, block: blockParam(p.block, name === 'rayleigh' ? 1 : 'all'), losPhase: 0 });
    this.minGain = p.minGain === undefined ? 1e-6 : Number(p.minGain);
  }

  /**
   * Differentiable form (channels/tensor.ts layout). Block fading ('all' or block > 1) uses one h
   * per example (axis 0); fast fading one h per complex value.
   */
  applyTensor(x: unknown, snrDb: number, seed?: number): unknown {
    return rayleighTensor(x, snrDb, seed, { block: this.options.block === 1 ? 'symbol' : 'example', minGain: this.minGain });
  }
}
