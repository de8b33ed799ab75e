/**
 * Learning-rate schedules. 'step' (the paper, Sec. III-B): the initial rate divided by `factor`
 * (10) at each of the given fractions of the total steps (500K steps, drops at 250K and 450K =
 * [0.5, 0.9]). 'cosine': cosine decay from the initial rate to `minLr` (default lr / 100) over
 * the steps after the warm-up (Loshchilov & Hutter 2017, without restarts). Both take an optional
 * linear warm-up over the first `warmupSteps` steps. The rate is a pure function of the step, so
 * a resumed run follows the same schedule.
 */
export interface LrSchedule {
  lr: number;
  kind?: 'step' | 'cosine';
  /** 'step': fractions of the total steps in (0, 1) at which the rate drops. */
  drops: number[];
  factor?: number;
  /** 'cosine': the final rate (default lr / 100). */
  minLr?: number;
  /** Linear warm-up over the first steps (0 = none). */
  warmupSteps?: number;
}

export function learningRate(s: LrSchedule, step: number, totalSteps: number): number {
  const w = s.warmupSteps ?? 0;
  let lr = s.lr;
  if ((s.kind ?? 'step') === 'cosine') {
    const min = s.minLr ?? s.lr / 100;
    const span = Math.max(1, totalSteps - w);
    const f = Math.min(1, Math.max(0, (step - w) / span));
    lr = min + 0.5 * (s.lr - min) * (1 + Math.cos(Math.PI * f));
  } else {
    const factor = s.factor ?? 10;
    for (const f of s.drops) if (step >= Math.round(f * totalSteps)) lr /= factor;
  }
  if (w > 0 && step < w) lr *= (step + 1) / w;
  return lr;
}

/** Parse a `--lr-drops 0.5,0.9` list. */
export function parseDrops(spec: string): number[] {
  const v = spec.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
  if (v.some((x) => !(x > 0 && x < 1))) throw new RangeError(`lr drops ${JSON.stringify(spec)} must be fractions in (0, 1)`);
  return v.sort((a, b) => a - b);
}
