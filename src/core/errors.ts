/**
 * Errors with a meaning for the command line: a UsageError is bad input (exit 2, one line naming
 * the bad value and what is allowed); anything else that escapes a command is a failed run (exit 1).
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Throw a UsageError unless `cond` holds. */
export function require_(cond: unknown, message: string): asserts cond {
  if (!cond) throw new UsageError(message);
}

/** Parse a non-negative (or positive) integer option, naming the option on failure. */
export function parseCount(name: string, value: unknown, opts: { min?: number } = {}): number {
  const min = opts.min ?? 0;
  const s = String(value).trim();
  const n = /^[0-9]+(e[0-9]+)?$/i.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${name} ${JSON.stringify(value)} is not allowed: use an integer >= ${min}`);
  }
  return n;
}

/** One of `allowed`, exactly as written; otherwise a UsageError naming the option and the choices. */
export function parseChoice<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${name} ${JSON.stringify(value)} is not allowed: use ${allowed.join(' or ')}`);
  }
  return value as T;
}
