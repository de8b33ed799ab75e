/** The options of a comparison sweep (`compare`, `eval`) and their parsing from the command line. */
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { UsageError, parseCount } from '../core/errors.js';
import { parseRange } from '../core/range.js';
import type { ChannelParams } from '../core/types.js';
import type { BackendName } from '../nn/backend.js';
import { parseShard, type Shard } from '../sweep/shard.js';
import type { CompareItem } from './items.js';

/** Bootstrap resamples of the evaluation images per record (95 % intervals of mAP and mIoU). */
export const DEFAULT_BOOTSTRAP = 1000;
/** Per worker: D1 of every (model, image) kept up to this many bytes, then recomputed per item. */
export const DEFAULT_D1_CACHE_BYTES = 512 * 2 ** 20;

export interface CompareOptions {
  command: 'compare' | 'eval';
  snr: number[];
  schemes: string[];
  modelDir: string;
  dataDir: string;
  split: 'train' | 'val';
  images: number;
  reps: number;
  seed: number;
  channel: { name: string; params: ChannelParams };
  backend: BackendName;
  out: string;
  resume: boolean;
  /** On a resume: re-run the items of JSCC models whose fingerprint changed (else refused). */
  rerunChanged?: boolean;
  workers: number;
  shard?: Shard;
  batch: number;
  quiet?: boolean;
  /** Bootstrap resamples per record (0: no intervals). Default DEFAULT_BOOTSTRAP. */
  bootstrap?: number;
  /** D1 cache bound per worker in bytes (0: no cache). Default DEFAULT_D1_CACHE_BYTES. */
  d1CacheBytes?: number;
  /** A changed JSCC model whose `records` were dropped to be re-run (--rerun-changed). */
  onRerun?: (scheme: string, records: number) => void;
  /** Before the first item: items of this shard already in the results file, and all of them. */
  onStart?: (done: number, total: number) => void;
  /** After each item, with its record (label, metrics). */
  onProgress?: (done: number, total: number, item: CompareItem, record: Record<string, unknown>) => void;
}

/** Shared option parsing for compare/eval. */
export function parseCommon(a: Record<string, unknown>): Pick<CompareOptions, 'snr' | 'reps' | 'seed' | 'workers' | 'shard' | 'batch' | 'images' | 'bootstrap'> {
  const snr = parseRange(String(a.snr ?? '-5..20'), '--snr');
  const reps = parseCount('--reps', a.reps ?? 1, { min: 1 });
  const seed = parseCount('--seed', a.seed ?? 1);
  const workers = a.workers === undefined ? Math.max(1, Math.min(os.availableParallelism(), 4)) : parseCount('--workers', a.workers, { min: 1 });
  const shard = a.shard === undefined ? undefined : parseShard(String(a.shard));
  const batch = parseCount('--batch', a.batch ?? 16, { min: 1 });
  const images = a.images === undefined ? Number.MAX_SAFE_INTEGER : parseCount('--images', a.images, { min: 1 });
  const bootstrap = a.bootstrap === undefined ? DEFAULT_BOOTSTRAP : parseCount('--bootstrap', a.bootstrap, { min: 0 });
  if (bootstrap > 100000) throw new UsageError(`--bootstrap ${bootstrap} is not allowed: use 0..100000 resamples`);
  return { snr, reps, seed, workers, shard, batch, images, bootstrap };
}

export function checkDir(what: string, dir: string): string {
  if (!existsSync(dir)) throw new UsageError(`${what} ${JSON.stringify(dir)} does not exist`);
  return path.resolve(dir);
}
