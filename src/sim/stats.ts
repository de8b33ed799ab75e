/** Binomial confidence intervals for error rates (errors out of trials). */
import { betaInv, normInv } from './special.js';

function check(errors: number, trials: number): void {
  if (!(Number.isInteger(errors) && Number.isInteger(trials) && errors >= 0 && trials >= 0 && errors <= trials)) {
    throw new RangeError(`binomial interval: need integers 0 <= errors (${errors}) <= trials (${trials})`);
  }
}

/**
 * Wilson score interval (Wilson 1927) at normal quantile z (1.96: 95%, 3.2905: 99.9%).
 * Returns [0, 1] for zero trials.
 */
export function wilson(errors: number, trials: number, z = 1.96): [number, number] {
  check(errors, trials);
  if (trials === 0) return [0, 1];
  const n = trials;
  const p = errors / n;
  const z2 = z * z;
  const den = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / den;
  const half = (z / den) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Exact (Clopper-Pearson 1934) interval at level 1 - alpha, from beta quantiles. */
export function clopperPearson(errors: number, trials: number, alpha = 0.05): [number, number] {
  check(errors, trials);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`clopperPearson: alpha ${alpha} must be in (0, 1)`);
  if (trials === 0) return [0, 1];
  const lo = errors === 0 ? 0 : betaInv(alpha / 2, errors, trials - errors + 1);
  const hi = errors === trials ? 1 : betaInv(1 - alpha / 2, errors + 1, trials - errors);
  return [lo, hi];
}

/** The two-sided normal quantile for a confidence level (0.95 -> 1.95996...). */
export function zForLevel(level: number): number {
  return normInv(0.5 + level / 2);
}
