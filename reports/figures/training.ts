/** Training runs shared by the Table II and III scripts: resumable, skipped when already done. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { makeShapesDataset } from '../../src/data/shapes.js';
import { readCheckpointConfig } from '../../src/nn/checkpoint.js';

/** The shapes data set of the default model (seed 1, 5000 images, 20% held out), made once. */
export async function shapesData(outDir: string, seed: number, count: number): Promise<string> {
  const dir = path.join(outDir, `shapes-${seed}-${count}`);
  if (!existsSync(path.join(dir, 'dataset.json'))) {
    process.stderr.write(`making ${dir}\n`);
    await makeShapesDataset({ count, out: dir, seed, size: 128, val: 0.2 });
  }
  return dir;
}

/** Held-out metrics stored in a finished checkpoint, or undefined when it is absent or unfinished. */
export function finishedMetrics(dir: string): { mAP?: number; mIoU?: number; images?: number } | undefined {
  if (!existsSync(path.join(dir, 'config.json'))) return undefined;
  const meta = readCheckpointConfig(dir).meta as { metrics?: { mAP50?: number; mAP?: number; mIoU?: number; images?: number } };
  if (!meta.metrics) return undefined;
  return { mAP: meta.metrics.mAP50 ?? meta.metrics.mAP, mIoU: meta.metrics.mIoU, images: meta.metrics.images };
}

export const pct = (x: number | undefined | null): string => (x === undefined || x === null || Number.isNaN(x) ? '-' : (100 * x).toFixed(1));
