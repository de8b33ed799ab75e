/**
 * A stream's position as plain data, so a plug-in running in another thread continues the
 * caller's stream and hands it back: the draws are exactly those made in the caller's thread.
 * Reads Rng's private fields (src/core/rng.ts: key from seed + path, block counter, the current
 * block, its read position, the cached second Box-Muller value).
 */
import { Rng } from '../src/core/rng.js';

export interface RngState { seed: number; path: number[]; ctr: number; buf: number[]; pos: number; spare: number }

interface RngInternals { ctr: number; buf: Uint32Array; pos: number; spare: number }

export function rngState(rng: Rng): RngState {
  const r = rng as unknown as RngInternals;
  if (!rng || typeof r.ctr !== 'number' || !(r.buf instanceof Uint32Array) || typeof rng.seed !== 'number') {
    throw new TypeError('a channel plug-in needs an Rng from src/core/rng.ts as its rng');
  }
  return { seed: rng.seed, path: [...rng.path], ctr: r.ctr, buf: Array.from(r.buf), pos: r.pos, spare: r.spare };
}

/** Move `rng` to `s` (a state of the same stream, taken later). */
export function setRngState(rng: Rng, s: RngState): void {
  const r = rng as unknown as RngInternals;
  r.ctr = s.ctr;
  r.buf.set(s.buf);
  r.pos = s.pos;
  r.spare = s.spare;
}

export function rngFromState(s: RngState): Rng {
  const rng = new Rng(s.seed, s.path);
  setRngState(rng, s);
  return rng;
}
