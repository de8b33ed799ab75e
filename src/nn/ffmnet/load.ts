/**
 * FFMNet checkpoints: the device and edge halves as models `device` and `edge`, meta.kind =
 * 'ffmnet' and meta.config (the full FFMNetConfig) + meta.tasks. Loading rebuilds the network from
 * meta.config and copies the weights in, so variables keep a fresh build's order (which Adam's
 * restored state relies on).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { checkModelShapes, loadCheckpoint, readCheckpointConfig, verifyCheckpoint, type LoadedCheckpoint, type VerifiedCheckpoint } from '../checkpoint.js';
import { validateConfig, type FFMNetConfig, type Task } from './config.js';
import { buildFFMNet, type FFMNet } from './model.js';
import './dilated.js';

export interface FFMNetMeta {
  kind: 'ffmnet';
  config: FFMNetConfig;
  tasks: Task[];
  classNames?: string[];
  [k: string]: unknown;
}

export function isCheckpointDir(dir: string): boolean {
  return existsSync(path.join(dir, 'config.json')) || existsSync(path.join(`${path.resolve(dir)}.old`, 'config.json'));
}

/** Read and check an FFMNet checkpoint's meta without loading weights. */
export function readFFMNetMeta(dir: string): FFMNetMeta {
  const { meta, models } = readCheckpointConfig(dir);
  if (meta.kind !== 'ffmnet' && !(meta.config && (meta as { ffmnet?: unknown }).ffmnet === undefined && models.includes('device'))) {
    throw new UsageError(`checkpoint ${dir} is not an FFMNet checkpoint (meta.kind = ${JSON.stringify(meta.kind)})`);
  }
  if (!models.includes('device') || !models.includes('edge')) throw new UsageError(`checkpoint ${dir} lacks the device or edge model`);
  const config = validateConfig(meta.config as FFMNetConfig);
  const tasks = meta.tasks as Task[];
  if (!Array.isArray(tasks) || tasks.length === 0) throw new UsageError(`checkpoint ${dir} has no tasks in its meta`);
  return { ...meta, kind: 'ffmnet', config, tasks } as FFMNetMeta;
}

/**
 * Verify an FFMNet checkpoint without loading it into a model (for `info`): every file and weight
 * (verifyCheckpoint), and the device and edge weights' shapes against `net`, a fresh build of the
 * checkpoint's own config.
 */
export function verifyFFMNetCheckpoint(dir: string, net: Pick<FFMNet, 'device' | 'edge'>, expectMeta?: Record<string, unknown>): VerifiedCheckpoint {
  const meta = readFFMNetMeta(dir);
  const v = verifyCheckpoint(dir, { expectMeta });
  for (const half of ['device', 'edge'] as const) {
    checkModelShapes(dir, half, v.models[half].specs, net[half].weights.map((w) => ({ shape: w.shape as number[] })), `config '${meta.config.name}'`);
  }
  return v;
}

/** Build FFMNet from a checkpoint and load its weights; `expect` refuses another config. */
export async function loadFFMNet(dir: string, expect?: { config?: FFMNetConfig; tasks?: Task[] }): Promise<{ net: FFMNet; meta: FFMNetMeta; checkpoint: LoadedCheckpoint }> {
  const meta = readFFMNetMeta(dir);
  if (expect?.config && meta.config.name !== expect.config.name) {
    throw new UsageError(`checkpoint ${dir} holds config '${meta.config.name}', not '${expect.config.name}': use --config ${meta.config.name} or another --out`);
  }
  if (expect?.tasks && meta.tasks.join(',') !== expect.tasks.join(',')) {
    throw new UsageError(`checkpoint ${dir} was trained for tasks ${meta.tasks.join(',')}, not ${expect.tasks.join(',')}: use --tasks ${meta.tasks.join(',')} or another --out`);
  }
  const net = buildFFMNet(meta.config, meta.tasks);
  let checkpoint: LoadedCheckpoint;
  try {
    // Every file, size, value and shape is checked before anything is built from the checkpoint.
    const verified = verifyFFMNetCheckpoint(dir, net, expect?.config ? { config: expect.config } : undefined);
    checkpoint = await loadCheckpoint(dir, { verified });
  } catch (e) {
    net.device.dispose();
    net.edge.dispose();
    throw e;
  }
  for (const half of ['device', 'edge'] as const) {
    const src = checkpoint.models[half];
    net[half].setWeights(src.getWeights());
    src.dispose();
  }
  return { net, meta, checkpoint };
}
