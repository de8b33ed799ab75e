/**
 * The compare sweep's cost: images per second per scheme (one work item on 32 held-out images, one
 * thread, the shipped default models), and a small sweep (the default schemes at 4 SNR points)
 * with D1 computed once per image against D1 recomputed in every item (d1CacheBytes 0, the old
 * behaviour): the ratio of the two is the cache's speed-up within one run.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bench } from './harness.js';
import { packageRoot } from '../src/core/version.js';
import { defaultSchemes, schemeLabel } from '../src/compare/schemes.js';
import { runCompare, type CompareOptions } from '../src/compare/run.js';

const root = packageRoot();
const model = path.join(root, 'models/default');
const data = path.join(root, 'models/default/evalset');
const IMAGES = 32;

function itemBench(spec: string, index: number): Bench {
  let n = 0;
  return {
    name: `compare item: ${spec.startsWith('jscc:') ? `jscc:${path.basename(spec.slice(5))}` : schemeLabel(spec)}, ${IMAGES} images at 5 dB`,
    unit: 'images/s',
    repeats: 3,
    run: async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-bench-compare-'));
      const schemes = defaultSchemes();
      const o: CompareOptions = {
        command: 'compare', snr: [5], schemes: spec.startsWith('ideal:') ? schemes : [spec], modelDir: model, dataDir: data,
        split: 'val', images: IMAGES, reps: 1, seed: 1 + n++, channel: { name: 'awgn', params: {} }, backend: 'wasm',
        out: path.join(dir, 'r.jsonl'), resume: false, workers: 1, batch: 16,
        ...(spec.startsWith('ideal:') ? { shard: { index, count: schemes.length } } : {}),
      };
      await runCompare(o);
      rmSync(dir, { recursive: true, force: true });
      return IMAGES;
    },
  };
}

function sweepBench(cached: boolean): Bench {
  const snr = [-5, 0, 5, 10];
  return {
    name: `compare sweep: default schemes x ${snr.length} SNR points, ${IMAGES} images, 1 worker, D1 ${cached ? 'cached (once per image)' : 'recomputed per item'}`,
    unit: 'item-images/s',
    repeats: 3,
    run: async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'jscc-bench-sweep-'));
      const o: CompareOptions = {
        command: 'compare', snr, schemes: defaultSchemes(), modelDir: model, dataDir: data, split: 'val', images: IMAGES,
        reps: 1, seed: 1, channel: { name: 'awgn', params: {} }, backend: 'wasm', out: path.join(dir, 'r.jsonl'),
        resume: false, workers: 1, batch: 16, ...(cached ? {} : { d1CacheBytes: 0 }),
      };
      await runCompare(o);
      rmSync(dir, { recursive: true, force: true });
      return o.schemes.length * snr.length * IMAGES;
    },
  };
}

export const benchmarks: Bench[] = existsSync(path.join(model, 'config.json'))
  ? [...defaultSchemes().map((s, i) => itemBench(s, i)), sweepBench(true), sweepBench(false)]
  : [];
