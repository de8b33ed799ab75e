/**
 * Open a data folder the way the commands take it (`--data DIR`): a folder written by
 * `jscc-sim dataset make` (DIR/dataset.json with DIR/train and DIR/val), or any COCO folder.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { openCocoDataset, type CocoDataset, type CocoOptions } from './coco.js';

export type SplitName = 'train' | 'val';

export interface OpenOptions extends CocoOptions {
  /** For a split folder (DIR/train, DIR/val): which split. Default 'train'. */
  split?: SplitName;
}

/** DIR/<split> when DIR holds splits (as `dataset make` writes), else DIR itself as one COCO folder. */
export function openDataset(dir: string, options: OpenOptions = {}): CocoDataset {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'val') throw new UsageError(`split ${JSON.stringify(split)} is not allowed: use train or val`);
  if (!existsSync(dir)) throw new UsageError(`data folder ${dir} does not exist`);
  const sub = path.join(dir, split);
  const isCoco = existsSync(path.join(dir, 'annotations.json')) || existsSync(path.join(dir, 'annotations'));
  const hasSplits = existsSync(path.join(dir, 'dataset.json'))
    || (!isCoco && (existsSync(path.join(dir, 'train')) || existsSync(path.join(dir, 'val'))));
  if (hasSplits && !options.annotations) {
    if (!existsSync(sub)) throw new UsageError(`data folder ${dir} has no ${split} split (expected ${sub})`);
    return openCocoDataset(sub, { ...options, name: options.name ?? `${path.basename(path.resolve(dir))}/${split}` });
  }
  return openCocoDataset(dir, options);
}
