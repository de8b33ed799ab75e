/**
 * The synthetic shapes data set (`jscc-sim dataset make --name shapes`): joint detection and
 * segmentation on 6 shape classes, written in COCO format so the same reader serves it and real data.
 *
 * Layout of OUT (written to OUT.tmp-* and renamed when complete):
 *   OUT/dataset.json               name, seed, counts, size, classes, generator version, versions()
 *   OUT/train/annotations.json     COCO: images, categories, annotations (bbox, area, iscrowd 0,
 *                                  segmentation = uncompressed column-major RLE of the visible mask)
 *   OUT/train/images/000001.jpg    JPEG, size x size, quality 95
 *   OUT/val/annotations.json, OUT/val/images/...   the held-out split
 * Image ids start at 1 in each split. Image i of a split is drawn from the stream
 * Rng(seed).split(splitId, i) (train 0, val 1), so a split's images do not depend on the count
 * or on the other split, and the same seed gives byte-identical files.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { UsageError } from '../core/errors.js';
import { versions } from '../core/version.js';
import { spawnWorker } from '../core/worker.js';
import { SHAPE_CLASSES } from './shapes-render.js';
import { makeShapesImage, type ShapesImage, type ShapesImageOptions } from './shapes-image.js';
import type { ShapesJob } from './shapes-worker.js';

/** Bump when the generator's output changes for a given seed. */
export const SHAPES_GENERATOR_VERSION = 1;

export interface ShapesOptions {
  /** Total number of images (train + val). */
  count: number;
  /** Output folder; must not exist or be empty unless `force`. */
  out: string;
  seed: number;
  /** Image side in pixels. Default 128. */
  size?: number;
  /** Fraction of `count` held out as the val split (rounded). Default 0.2. */
  val?: number;
  /** Shapes per image: 1..maxObjects before occlusion culling. Default 5. */
  maxObjects?: number;
  /** JPEG quality 1..100. Default 95. */
  quality?: number;
  /** Replace a non-empty `out`. */
  force?: boolean;
  /** Worker threads (1 = in this thread). Default: the number of cores, at most 8. Output is the same for any value. */
  workers?: number;
  /** Called after each image with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface ShapesSummary {
  out: string;
  train: number;
  val: number;
  instances: number;
}

function validate(o: ShapesOptions): Required<Omit<ShapesOptions, 'onProgress'>> {
  const workers = o.workers ?? Math.min(8, os.cpus().length);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError(`--workers ${workers} is not allowed: use an integer in 1..64`);
  const size = o.size ?? 128;
  const val = o.val ?? 0.2;
  const maxObjects = o.maxObjects ?? 5;
  const quality = o.quality ?? 95;
  if (!Number.isSafeInteger(o.count) || o.count < 1) throw new UsageError(`--count ${o.count} is not allowed: use an integer >= 1`);
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw new UsageError(`--seed ${o.seed} is not allowed: use an integer >= 0`);
  if (!Number.isInteger(size) || size < 32 || size > 1024) throw new UsageError(`--size ${size} is not allowed: use an integer in 32..1024`);
  if (!(val >= 0 && val < 1)) throw new UsageError(`--val ${val} is not allowed: use a fraction in [0, 1)`);
  if (!Number.isInteger(maxObjects) || maxObjects < 1 || maxObjects > 20) {
    throw new UsageError(`max objects ${maxObjects} is not allowed: use an integer in 1..20`);
  }
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw new UsageError(`JPEG quality ${quality} is not allowed: use 1..100`);
  if (typeof o.out !== 'string' || o.out === '') throw new UsageError('--out is required: name the folder to write');
  return { count: o.count, out: o.out, seed: o.seed, size, val, maxObjects, quality, force: !!o.force, workers };
}

/** Write the shapes data set; see the file comment for the layout. */
export async function makeShapesDataset(options: ShapesOptions): Promise<ShapesSummary> {
  const o = validate(options);
  const out = path.resolve(o.out);
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${o.out} is a file, not a folder`);
  const nonEmpty = existsSync(out) && readdirSync(out).length > 0;
  if (nonEmpty && !o.force) throw new UsageError(`output folder ${o.out} exists and is not empty: pass --force to replace it`);
  const parent = path.dirname(out);
  if (!existsSync(parent)) throw new UsageError(`the parent folder of --out, ${parent}, does not exist`);

  const nVal = Math.round(o.count * o.val);
  const splits: [string, number, number][] = [['train', 0, o.count - nVal], ['val', 1, nVal]];
  const tmp = `${out}.tmp-${process.pid}-${Date.now().toString(36)}`;
  const imageOpts: ShapesImageOptions = { seed: o.seed, size: o.size, maxObjects: o.maxObjects, quality: o.quality };
  const pool = o.workers > 1 && o.count > 32 ? new Pool(Math.min(o.workers, Math.ceil(o.count / 16)), imageOpts) : undefined;
  let done = 0;
  let instances = 0;
  try {
    for (const [name, splitId, n] of splits) {
      const dir = path.join(tmp, name);
      mkdirSync(path.join(dir, 'images'), { recursive: true });
      const perImage: ShapesImage['annotations'][] = new Array(n);
      const store = (i: number, img: ShapesImage): void => {
        writeFileSync(path.join(dir, 'images', fileName(i + 1)), img.jpeg);
        perImage[i] = img.annotations;
        done++;
        if (options.onProgress) options.onProgress(done, o.count);
      };
      if (pool) {
        await pool.run(splitId, n, store);
      } else {
        for (let i = 0; i < n; i++) {
          store(i, makeShapesImage(imageOpts, splitId, i));
          if (done % 64 === 0) await new Promise((r) => setImmediate(r)); // let a progress bar draw
        }
      }
      // Annotation ids in image order, whatever order the images were made in.
      const images: object[] = [];
      const annotations: object[] = [];
      for (let i = 0; i < n; i++) {
        const id = i + 1;
        images.push({ id, file_name: fileName(id), width: o.size, height: o.size });
        for (const a of perImage[i]) {
          annotations.push({
            id: annotations.length + 1, image_id: id, category_id: a.label, bbox: a.bbox, area: a.area, iscrowd: 0,
            segmentation: { size: [o.size, o.size], counts: a.counts },
          });
        }
      }
      instances += annotations.length;
      const coco = {
        info: { description: `jscc-sim shapes, ${name} split`, version: String(SHAPES_GENERATOR_VERSION) },
        images,
        categories: SHAPE_CLASSES.map((c, k) => ({ id: k + 1, name: c, supercategory: 'shape' })),
        annotations,
      };
      writeFileSync(path.join(dir, 'annotations.json'), JSON.stringify(coco));
    }
    const meta = {
      name: 'shapes', generatorVersion: SHAPES_GENERATOR_VERSION, seed: o.seed, count: o.count, size: o.size,
      val: o.val, maxObjects: o.maxObjects, quality: o.quality, classes: ['background', ...SHAPE_CLASSES],
      splits: { train: o.count - nVal, val: nVal }, instances, versions: versions(),
    };
    writeFileSync(path.join(tmp, 'dataset.json'), JSON.stringify(meta, null, 2) + '\n');
    // Swap in: an existing folder is moved aside first so OUT is never half-written.
    if (existsSync(out)) {
      const old = `${out}.old-${process.pid}-${Date.now().toString(36)}`;
      renameSync(out, old);
      renameSync(tmp, out);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, out);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    await pool?.close();
  }
  return { out, train: o.count - nVal, val: nVal, instances };
}

const fileName = (id: number): string => `${String(id).padStart(6, '0')}.jpg`;

/** Worker threads rendering chunks of images; results are handed to `store` as they arrive. */
class Pool {
  private readonly workers: Worker[];

  constructor(n: number, opts: ShapesImageOptions) {
    this.workers = Array.from({ length: n }, () => spawnWorker(new URL('./shapes-worker.js', import.meta.url), { workerData: opts }));
  }

  run(splitId: number, n: number, store: (i: number, img: ShapesImage) => void): Promise<void> {
    const CHUNK = 16;
    let next = 0;
    let pending = 0;
    return new Promise((resolve, reject) => {
      let failed = false;
      const cleanups: (() => void)[] = [];
      const finish = (err?: Error): void => {
        if (failed) return;
        if (err) failed = true;
        if (err || (pending === 0 && next >= n)) {
          for (const c of cleanups) c();
          if (err) reject(err); else resolve();
        }
      };
      const feed = (w: Worker): void => {
        if (failed || next >= n) return;
        const job: ShapesJob = { splitId, start: next, end: Math.min(n, next + CHUNK) };
        next = job.end;
        pending++;
        w.postMessage(job);
      };
      for (const w of this.workers) {
        const onMessage = (m: { job: ShapesJob; items?: ShapesImage[]; error?: string }): void => {
          pending--;
          if (m.error !== undefined || !m.items) return finish(new Error(`shapes worker failed: ${m.error}`));
          try {
            m.items.forEach((img, k) => store(m.job.start + k, img));
          } catch (e) {
            return finish(e as Error);
          }
          feed(w);
          finish();
        };
        const onError = (e: Error): void => finish(e);
        w.on('message', onMessage);
        w.on('error', onError);
        cleanups.push(() => { w.off('message', onMessage); w.off('error', onError); });
      }
      for (const w of this.workers) feed(w);
      finish(); // n = 0
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
