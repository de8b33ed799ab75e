/**
 * Step learning-rate schedule as in the paper (Sec. III-B): the initial rate, divided by `factor`
 * (10) at each of the given fractions of the total steps (e.g. 500K steps, drops at 250K and 450K
 * = fractions [0.5, 0.9]).
 */
export interface LrSchedule {
  lr: number;
  /** Fractions of the total steps in (0, 1) at which the rate drops. */
  drops: number[];
  factor?: number;
  /** Linear warm-up over the first steps (0 = none). */
  warmupSteps?: number;
}

export function learningRate(s: LrSchedule, step: number, totalSteps: number): number {
  const factor = s.factor ?? 10;
  let lr = s.lr;
  for (const f of s.drops) if (step >= Math.round(f * totalSteps)) lr /= factor;
  const w = s.warmupSteps ?? 0;
  if (w > 0 && step < w) lr *= (step + 1) / w;
  return lr;
}

/** Parse a `--lr-drops 0.5,0.9` list. */
export function parseDrops(spec: string): number[] {
  const v = spec.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
  if (v.some((x) => !(x > 0 && x < 1))) throw new RangeError(`lr drops ${JSON.stringify(spec)} must be fractions in (0, 1)`);
  return v.sort((a, b) => a - b);
}
