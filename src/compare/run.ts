/**
 * A comparison sweep (paper Fig. 5): every (scheme, SNR point, repetition) work item evaluated on
 * the held-out images, appended to a JSON Lines results file as it goes (resumable), optionally on
 * worker threads and as one shard of many. Shared by `compare` and `eval`.
 */
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { UsageError, parseCount } from '../core/errors.js';
import { parseRange } from '../core/range.js';
import { versions } from '../core/version.js';
import type { ChannelParams } from '../core/types.js';
import { ResultsWriter, readResults, type ResultHeader } from '../sweep/results.js';
import { runSweep } from '../sweep/run.js';
import { parseShard, type Shard } from '../sweep/shard.js';
import { siblingModule } from '../core/worker.js';
import { summarize, type PointSummary } from '../../reports/aggregate.js';
import type { BackendName } from '../nn/backend.js';
import type { CompareContext, CompareItem } from './items.js';

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
  workers: number;
  shard?: Shard;
  batch: number;
  quiet?: boolean;
  onProgress?: (done: number, total: number, item: CompareItem) => void;
}

const SCHEME_START = /^(none|jscc:|separate:|ideal:|[a-z][a-z0-9_-]*:)/i;

/**
 * `--schemes` is a comma-separated list of specs that themselves contain commas
 * (separate:jpeg=50,code=...,mod=...): split only before a token that starts a new spec.
 */
export function splitSchemeList(list: string): string[] {
  const parts = String(list).split(',');
  const out: string[] = [];
  for (const p of parts) {
    const t = p.trim();
    if (out.length === 0 || (SCHEME_START.test(t) && !/^[a-z]+=/.test(t))) out.push(t);
    else out[out.length - 1] += `,${t}`;
  }
  return out.filter((s) => s.length > 0);
}

export function compareItems(schemes: string[], snr: number[], reps: number): CompareItem[] {
  const items: CompareItem[] = [];
  schemes.forEach((_, schemeIndex) => snr.forEach((snrDb, snrIndex) => {
    for (let rep = 0; rep < reps; rep++) {
      items.push({ key: `${schemeIndex}|${snrDb}|${rep}`, index: items.length, schemeIndex, snrIndex, snrDb, rep });
    }
  }));
  return items;
}

export function compareHeader(o: CompareOptions): ResultHeader {
  return {
    type: 'header', tool: 'jscc-sim', command: o.command,
    config: {
      schemes: o.schemes, snrDb: o.snr, reps: o.reps, images: o.images === Number.MAX_SAFE_INTEGER ? 'all' : o.images, model: o.modelDir, data: o.dataDir,
      split: o.split, channel: o.channel, backend: o.backend,
      units: 'SNR = Es/N0 per complex symbol (Es = 1); channelUses = complex symbols per image; compressionRatio = D1 elements / (2 channelUses)',
    },
    seed: o.seed, versions: versions(), createdAt: new Date().toISOString(),
    ...(o.shard ? { shard: o.shard } : {}),
  };
}

export async function runCompare(o: CompareOptions): Promise<{ points: PointSummary[]; ran: number; skipped: number }> {
  const items = compareItems(o.schemes, o.snr, o.reps);
  const writer = ResultsWriter.open(o.out, compareHeader(o), { resume: o.resume });
  const context: CompareContext = {
    modelDir: o.modelDir, dataDir: o.dataDir, split: o.split, images: o.images, seed: o.seed, schemes: o.schemes,
    channel: o.channel, backend: o.backend, batch: o.batch,
  };
  const module = siblingModule(new URL('./items.js', import.meta.url)).href;
  try {
    const s = await runSweep({
      items, writer, shard: o.shard,
      worker: { module, context, count: o.workers },
      onProgress: o.onProgress,
    });
    const { records } = readResults(o.out);
    return { points: summarize(records), ran: s.ran, skipped: s.skipped };
  } finally {
    writer.close();
  }
}

/** Shared option parsing for compare/eval. */
export function parseCommon(a: Record<string, unknown>): Pick<CompareOptions, 'snr' | 'reps' | 'seed' | 'workers' | 'shard' | 'batch' | 'images'> {
  const snr = parseRange(String(a.snr ?? '-5..20'), '--snr');
  const reps = parseCount('--reps', a.reps ?? 1, { min: 1 });
  const seed = parseCount('--seed', a.seed ?? 1);
  const workers = a.workers === undefined ? Math.max(1, Math.min(os.availableParallelism(), 4)) : parseCount('--workers', a.workers, { min: 1 });
  const shard = a.shard === undefined ? undefined : parseShard(String(a.shard));
  const batch = parseCount('--batch', a.batch ?? 16, { min: 1 });
  const images = a.images === undefined ? Number.MAX_SAFE_INTEGER : parseCount('--images', a.images, { min: 1 });
  return { snr, reps, seed, workers, shard, batch, images };
}

export function checkDir(what: string, dir: string): string {
  if (!existsSync(dir)) throw new UsageError(`${what} ${JSON.stringify(dir)} does not exist`);
  return path.resolve(dir);
}
