/**
 * Rician fading with K factor (LOS power / scattered power), E|h|^2 = 1, perfect-CSI
 * equalization (see flat-fading.ts). Params: K (linear, default 3) or Kdb, block (default 1:
 * fast fading), losPhase (radians, default 0).
 */
import type { ChannelParams } from '../src/core/types.js';
import { UsageError } from '../src/core/errors.js';
import { checkParams } from './params.js';
import { FlatFadingChannel, blockParam } from './flat-fading.js';

const SPEC = {
  K: { type: 'number', min: 0, help: 'Rician K factor, linear, a number >= 0 (default 3)' },
  Kdb: { type: 'number', min: -100, max: 100, help: 'Rician K factor in dB (instead of K)' },
  block: { type: 'int', min: 1, words: ['all'], help: 'symbols per fading coefficient, an integer >= 1 or all' },
  losPhase: { type: 'number', help: 'phase of the line-of-sight component in radians' },
} as const;

export class RicianChannel extends FlatFadingChannel {
  constructor(params: ChannelParams = {}) {
    const p = checkParams('rician', params, SPEC);
    if (p.K !== undefined && p.Kdb !== undefined) throw new UsageError('channel parameters K and Kdb are both given for rician: use one');
    const K = p.Kdb !== undefined ? Math.pow(10, Number(p.Kdb) / 10) : p.K !== undefined ? Number(p.K) : 3;
    super('rician', p, { K, block: blockParam(p.block, 1), losPhase: p.losPhase === undefined ? 0 : Number(p.losPhase) });
  }
}
