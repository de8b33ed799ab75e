/**
 * One image of the shapes set as written to disk: JPEG bytes and its annotations (visible-mask
 * RLE, tight box, area). Shared by the in-process writer and the worker threads, so both give
 * the same bytes.
 */
import { Rng } from '../core/rng.js';
import { encodeJpeg } from './image.js';
import { rleEncode } from './rle.js';
import { renderScene } from './shapes-render.js';

export interface ShapesImageOptions {
  seed: number;
  size: number;
  maxObjects: number;
  quality: number;
}

export interface ShapesAnnotation {
  label: number;
  bbox: [number, number, number, number];
  area: number;
  counts: number[];
}

export interface ShapesImage {
  jpeg: Uint8Array;
  annotations: ShapesAnnotation[];
}

/** Image `index` of split `splitId` (train 0, val 1): drawn from Rng(seed).split(splitId, index). */
export function makeShapesImage(o: ShapesImageOptions, splitId: number, index: number): ShapesImage {
  const scene = renderScene(new Rng(o.seed).split(splitId, index), { size: o.size, maxObjects: o.maxObjects });
  return {
    jpeg: encodeJpeg({ width: o.size, height: o.size, data: scene.image }, o.quality),
    annotations: scene.instances.map((inst) => ({
      label: inst.label, bbox: inst.bbox, area: inst.area, counts: rleEncode(inst.mask, o.size, o.size),
    })),
  };
}
