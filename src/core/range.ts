import { UsageError } from './errors.js';

/**
 * RANGE (docs/architecture.md, "Command line"): `-5..20` (1 dB steps), `-5..20:0.5` (explicit
 * step), or a list `0,5,10`.
 * Returns the points in order. Values are rounded to 1e-9 so that 0.1 steps print cleanly.
 */
export function parseRange(spec: string, name = 'RANGE'): number[] {
  const s = String(spec).trim();
  const allowed = 'use LO..HI, LO..HI:STEP (LO <= HI, STEP > 0) or a list like 0,5,10';
  const bad = (why: string): never => {
    throw new UsageError(`${name} ${JSON.stringify(spec)} is not allowed (${why}): ${allowed}`);
  };
  const num = (t: string): number => {
    const x = t.trim();
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(x)) bad(`${JSON.stringify(t)} is not a number`);
    const v = Number(x);
    if (!Number.isFinite(v)) bad(`${JSON.stringify(t)} is not a finite number`);
    return v;
  };
  if (s.length === 0) bad('empty');
  const m = /^(.*?)\.\.(.*?)(?::(.*))?$/.exec(s);
  if (m) {
    const lo = num(m[1]);
    const hi = num(m[2]);
    const step = m[3] === undefined ? 1 : num(m[3]);
    if (!(step > 0)) bad('step must be > 0');
    if (lo > hi) bad('reversed bounds');
    const n = Math.floor((hi - lo) / step + 1e-9) + 1;
    if (n > 100000) bad('more than 100000 points');
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(round9(lo + i * step));
    return out;
  }
  const out = s.split(',').map(num);
  return out.map(round9);
}

function round9(x: number): number {
  const r = Math.round(x * 1e9) / 1e9;
  return Object.is(r, -0) ? 0 : r;
}
