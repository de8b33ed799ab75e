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
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Rng } from '../core/rng.js';
import { UsageError } from '../core/errors.js';
import { versions } from '../core/version.js';
import { encodeJpeg } from './image.js';
import { rleEncode } from './rle.js';
import { renderScene, SHAPE_CLASSES } from './shapes-render.js';

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
  return { count: o.count, out: o.out, seed: o.seed, size, val, maxObjects, quality, force: !!o.force };
}

/** Write the shapes data set; see the file comment for the layout. */
export async function makeShapesDataset(options: ShapesOptions): Promise<ShapesSummary> {
  const o = validate(options);
  const out = path.resolve(o.out);
  const nonEmpty = existsSync(out) && readdirSync(out).length > 0;
  if (nonEmpty && !o.force) throw new UsageError(`output folder ${o.out} exists and is not empty: pass --force to replace it`);
  const parent = path.dirname(out);
  if (!existsSync(parent)) throw new UsageError(`the parent folder of --out, ${parent}, does not exist`);

  const nVal = Math.round(o.count * o.val);
  const splits: [string, number, number][] = [['train', 0, o.count - nVal], ['val', 1, nVal]];
  const tmp = `${out}.tmp-${process.pid}-${Date.now().toString(36)}`;
  const root = new Rng(o.seed);
  let done = 0;
  let instances = 0;
  try {
    for (const [name, splitId, n] of splits) {
      const dir = path.join(tmp, name);
      mkdirSync(path.join(dir, 'images'), { recursive: true });
      const images: object[] = [];
      const annotations: object[] = [];
      for (let i = 0; i < n; i++) {
        const id = i + 1;
        const scene = renderScene(root.split(splitId, i), { size: o.size, maxObjects: o.maxObjects });
        const fileName = `${String(id).padStart(6, '0')}.jpg`;
        writeFileSync(path.join(dir, 'images', fileName), encodeJpeg({ width: o.size, height: o.size, data: scene.image }, o.quality));
        images.push({ id, file_name: fileName, width: o.size, height: o.size });
        for (const inst of scene.instances) {
          annotations.push({
            id: annotations.length + 1, image_id: id, category_id: inst.label, bbox: inst.bbox, area: inst.area, iscrowd: 0,
            segmentation: { size: [o.size, o.size], counts: rleEncode(inst.mask, o.size, o.size) },
          });
        }
        done++;
        if (options.onProgress) options.onProgress(done, o.count);
        if (done % 64 === 0) await new Promise((r) => setImmediate(r)); // let a progress bar draw
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
  }
  return { out, train: o.count - nVal, val: nVal, instances };
}
