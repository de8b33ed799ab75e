import { UsageError } from '../core/errors.js';

/** `--shard i/n`: this process runs the work items whose index is i modulo n (i in 0..n-1). */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(String(spec).trim());
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || !(n >= 1) || !(i >= 0 && i < n)) {
    throw new UsageError(`--shard ${JSON.stringify(spec)} is not allowed: use i/n with n >= 1 and 0 <= i < n (e.g. $SLURM_ARRAY_TASK_ID/4)`);
  }
  return { index: i, count: n };
}

export function inShard(itemIndex: number, shard: Shard | undefined): boolean {
  return !shard || itemIndex % shard.count === shard.index;
}
