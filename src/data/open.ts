/**
 * Open a data folder the way the commands take it (`--data DIR`). Three layouts:
 *
 * 1. Split folders, as `jscc-sim dataset make` writes: DIR/train and DIR/val, each a COCO folder
 *    (DIR/dataset.json marks it). `split` picks one.
 * 2. COCO 2017 style: DIR/annotations/instances_<split>*.json (several JSON files) with the images
 *    in DIR/<split>2017/, DIR/images/<split>/, DIR/<split>/ or DIR/images/. `split` picks the
 *    annotation file whose name contains it (instances_* preferred).
 * 3. A single COCO folder (DIR/annotations.json or one JSON in DIR/annotations/): the folder is the
 *    data whatever `split` says, so `eval --data my-val-set` works. It has no held-out part of its
 *    own: training code should use `openTrainVal`, which says so instead of handing the training
 *    images back as "val".
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { openCocoDataset, type CocoDataset, type CocoOptions } from './coco.js';

export type SplitName = 'train' | 'val';

export interface OpenOptions extends CocoOptions {
  /** Which split, for layouts with splits. Default 'train'. */
  split?: SplitName;
}

export type DataLayout = 'splits' | 'coco2017' | 'single';

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function annotationJsons(dir: string): string[] {
  const sub = path.join(dir, 'annotations');
  return isDir(sub) ? readdirSync(sub).filter((f) => f.endsWith('.json')).sort() : [];
}

/** Which of the three layouts DIR has (see the file comment). */
export function dataLayout(dir: string): DataLayout {
  if (!isDir(dir)) throw new UsageError(`data folder ${dir} does not exist or is not a folder`);
  const single = existsSync(path.join(dir, 'annotations.json')) || annotationJsons(dir).length === 1;
  if (existsSync(path.join(dir, 'dataset.json'))) return 'splits';
  if (!single && annotationJsons(dir).length > 1) return 'coco2017';
  if (!single && (isDir(path.join(dir, 'train')) || isDir(path.join(dir, 'val')))) return 'splits';
  return 'single';
}

function checkSplit(split: unknown): SplitName {
  if (split !== 'train' && split !== 'val') throw new UsageError(`split ${JSON.stringify(split)} is not allowed: use train or val`);
  return split;
}

/** Does DIR hold a separate `split` (false for a single COCO folder)? */
export function hasSplit(dir: string, split: SplitName): boolean {
  const layout = dataLayout(dir);
  if (layout === 'splits') return isDir(path.join(dir, split));
  if (layout === 'coco2017') return pickAnnotation(dir, split) !== undefined;
  return false;
}

function pickAnnotation(dir: string, split: SplitName): string | undefined {
  const all = annotationJsons(dir).filter((f) => f.toLowerCase().includes(split));
  const inst = all.filter((f) => f.toLowerCase().startsWith('instances'));
  const pick = inst.length === 1 ? inst : all;
  return pick.length === 1 ? path.join(dir, 'annotations', pick[0]) : undefined;
}

/** Open one split of DIR (or DIR itself for a single COCO folder). */
export function openDataset(dir: string, options: OpenOptions = {}): CocoDataset {
  const split = checkSplit(options.split ?? 'train');
  if (options.annotations) return openCocoDataset(dir, options);
  const base = path.basename(path.resolve(dir));
  switch (dataLayout(dir)) {
    case 'splits': {
      const sub = path.join(dir, split);
      if (!isDir(sub)) throw new UsageError(`data folder ${dir} has no ${split} split (expected ${sub})`);
      return openCocoDataset(sub, { ...options, name: options.name ?? `${base}/${split}` });
    }
    case 'coco2017': {
      const ann = pickAnnotation(dir, split);
      if (!ann) {
        throw new UsageError(`${path.join(dir, 'annotations')} has no single annotation file for the ${split} split: name one with --annotations`);
      }
      const images = options.images ?? [path.join(dir, `${split}2017`), path.join(dir, 'images', split), path.join(dir, split), path.join(dir, 'images')]
        .find(isDir) ?? dir;
      return openCocoDataset(dir, { ...options, annotations: ann, images, name: options.name ?? `${base}/${split}` });
    }
    default:
      return openCocoDataset(dir, options);
  }
}

/**
 * Training data and its held-out split. `val` is undefined when DIR has no separate val split (a
 * single COCO folder), so nothing reports training images as held-out.
 */
export function openTrainVal(dir: string, options: Omit<OpenOptions, 'split'> = {}): { train: CocoDataset; val?: CocoDataset } {
  const train = openDataset(dir, { ...options, split: 'train' });
  const val = hasSplit(dir, 'val') ? openDataset(dir, { ...options, split: 'val' }) : undefined;
  return { train, val };
}
