/**
 * The shapes generator as an unlimited data set: `shapes:seed=S[,size=128,objects=5,quality=95]`.
 * Sample i of split `train` (val) is image i of `jscc-sim dataset make --seed S` in that split,
 * rendered on demand: Rng(S).split(splitId, i), JPEG-coded at `quality` and decoded, so it is the
 * same sample, bit for bit, as the file that `dataset make` would write (0 = skip the JPEG round
 * trip). Training on it sees a fresh image at every position of its data order.
 */
import { UsageError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { decodeJpeg, encodeJpeg } from './image.js';
import { SHAPE_CLASSES, renderScene } from './shapes-render.js';
import type { Dataset, Sample } from './types.js';

export interface ShapesStreamOptions {
  seed: number;
  size: number;
  maxObjects: number;
  /** JPEG quality of the round trip (as `dataset make`: 95); 0 = none. */
  quality: number;
  /** Images the set exposes (default 2^31 - 1: unlimited in practice). */
  count: number;
}

const PREFIX = 'shapes:';

export function isShapesStreamSpec(spec: string): boolean {
  return spec.startsWith(PREFIX);
}

/** Parse `shapes:seed=S,size=128,objects=5,quality=95,count=N` (every key but seed optional). */
export function parseShapesStreamSpec(spec: string): ShapesStreamOptions {
  if (!isShapesStreamSpec(spec)) throw new UsageError(`data ${JSON.stringify(spec)} is not a shapes stream: use shapes:seed=S[,size=128,objects=5,quality=95]`);
  const o: ShapesStreamOptions = { seed: NaN, size: 128, maxObjects: 5, quality: 95, count: 2 ** 31 - 1 };
  const keys: Record<string, keyof ShapesStreamOptions> = { seed: 'seed', size: 'size', objects: 'maxObjects', quality: 'quality', count: 'count' };
  for (const part of spec.slice(PREFIX.length).split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, v, ...rest] = part.split('=');
    const key = keys[k];
    const x = Number(v);
    if (!key || rest.length > 0 || v === undefined || !Number.isInteger(x) || x < 0) {
      throw new UsageError(`data ${JSON.stringify(spec)}: ${JSON.stringify(part)} is not allowed: use seed=S, size=N, objects=N, quality=0..100, count=N (integers)`);
    }
    o[key] = x;
  }
  if (!Number.isInteger(o.seed)) throw new UsageError(`data ${JSON.stringify(spec)} has no seed: use shapes:seed=S`);
  if (o.size < 16 || o.size % 8 !== 0) throw new UsageError(`data ${JSON.stringify(spec)}: size ${o.size} is not allowed: use a multiple of 8, >= 16`);
  if (o.maxObjects < 1) throw new UsageError(`data ${JSON.stringify(spec)}: objects ${o.maxObjects} is not allowed: use >= 1`);
  if (o.quality > 100) throw new UsageError(`data ${JSON.stringify(spec)}: quality ${o.quality} is not allowed: use 0 (no JPEG) or 1..100`);
  if (o.count < 1) throw new UsageError(`data ${JSON.stringify(spec)}: count ${o.count} is not allowed: use >= 1`);
  return o;
}

/** Render sample `index` of split `splitId` (0 train, 1 val). */
export function shapesStreamSample(o: ShapesStreamOptions, splitId: number, index: number): Sample {
  const scene = renderScene(new Rng(o.seed).split(splitId, index), { size: o.size, maxObjects: o.maxObjects });
  const S = o.size;
  const image = o.quality > 0 ? decodeJpeg(encodeJpeg({ width: S, height: S, data: scene.image }, o.quality)).data : scene.image;
  const segMask = new Uint8Array(S * S);
  for (const inst of scene.instances) {
    const m = inst.mask;
    for (let p = 0; p < m.length; p++) if (m[p]) segMask[p] = inst.label;
  }
  return {
    // COCO image ids start at 1, as in the files `dataset make` writes.
    id: index + 1, width: S, height: S, image,
    boxes: scene.instances.map((inst) => ({ x: inst.bbox[0], y: inst.bbox[1], w: inst.bbox[2], h: inst.bbox[3] })),
    labels: scene.instances.map((inst) => inst.label),
    iscrowd: scene.instances.map(() => false),
    segMask,
  };
}

export interface ShapesStream extends Dataset {
  readonly options: ShapesStreamOptions;
  readonly splitId: number;
}

/** The stream as a Dataset (split 'train' or 'val' of the same seed). */
export function openShapesStream(spec: string | ShapesStreamOptions, split: 'train' | 'val' = 'train'): ShapesStream {
  const o = typeof spec === 'string' ? parseShapesStreamSpec(spec) : spec;
  const splitId = split === 'train' ? 0 : 1;
  const check = (i: number) => {
    if (!Number.isInteger(i) || i < 0 || i >= o.count) throw new RangeError(`sample index ${i} is out of range 0..${o.count - 1}`);
    return i;
  };
  return {
    name: `shapes:seed=${o.seed}/${split}`,
    classNames: ['background', ...SHAPE_CLASSES],
    numClasses: SHAPE_CLASSES.length,
    size: o.count,
    width: o.size,
    height: o.size,
    options: o,
    splitId,
    imageId: (i) => check(i) + 1,
    load: (i) => shapesStreamSample(o, splitId, check(i)),
  };
}
