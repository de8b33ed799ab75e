/**
 * Checkpoints (docs/architecture.md, "Models and checkpoints"): the tfjs-node file layout without
 * the native package.
 *
 *   DIR/config.json           { format, version, meta, models, optimizer?, files: { path: sha256 }, versions }
 *   DIR/<name>/model.json     { modelTopology, format, generatedBy, weightsManifest: [{ paths: ['weights.bin'], weights }] }
 *   DIR/<name>/weights.bin    the weights, little-endian, in weightsManifest order
 *   DIR/optimizer.json/.bin   optional: the optimizer's className, config and weight specs; its weights
 *
 * Written with tf.io.withSaveHandler into a temporary sibling folder that is renamed into place, so
 * a killed run leaves either the previous checkpoint or the new one, never half of one. Read back
 * with tf.io.fromMemory after every file's sha256 is checked: a corrupt, incomplete or (with
 * `expectMeta`) mismatching checkpoint is refused with a one-line UsageError, never loaded silently.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { versions } from '../core/version.js';
import { registerCustomLayers } from './layers/index.js';

export const CHECKPOINT_FORMAT = 'jscc-sim-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointParts {
  models: Record<string, tf.LayersModel>;
  optimizer?: tf.Optimizer;
  meta: Record<string, unknown>;
}

/** A named tensor as tf.Optimizer.getWeights/setWeights use it. */
export interface NamedTensor { name: string; tensor: tf.Tensor }

export interface LoadedCheckpoint {
  models: Record<string, tf.LayersModel>;
  /** The optimizer's weights (for `optimizer.setWeights`), in the order it saved them. */
  optimizerWeights?: NamedTensor[];
  /** The optimizer's className and config, when one was saved. */
  optimizer?: { className: string; config: Record<string, unknown> };
  meta: Record<string, unknown>;
}

const NAME_RE = /^[A-Za-z0-9_-]+$/;

function sha256(buf: Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}

function toBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const joined = Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : data;
  return new Uint8Array(joined);
}

/** A copy of `buf` as its own ArrayBuffer (Node's Buffers share a pool). */
function ownBuffer(buf: Uint8Array): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** JSON with object keys sorted, for comparing configs independently of key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, (x as Record<string, unknown>)[k]]))
    : x));
}

/** Save models (+ optimizer state) and meta to `dir`, atomically replacing any checkpoint there. */
export async function saveCheckpoint(dir: string, parts: CheckpointParts): Promise<void> {
  const names = Object.keys(parts.models);
  if (names.length === 0) throw new UsageError(`checkpoint ${dir}: no models to save`);
  for (const n of names) {
    if (!NAME_RE.test(n)) throw new UsageError(`checkpoint model name ${JSON.stringify(n)} is not allowed: use letters, digits, _ or -`);
  }
  const target = path.resolve(dir);
  mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  const files: Record<string, string> = {};
  const write = (rel: string, data: Uint8Array | string): void => {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    writeFileSync(path.join(tmp, rel), bytes);
    files[rel] = sha256(bytes);
  };
  try {
    for (const name of names) {
      await parts.models[name].save(tf.io.withSaveHandler(async (a) => {
        const weights = toBytes(a.weightData);
        const modelJson = {
          modelTopology: a.modelTopology,
          format: a.format ?? 'layers-model',
          generatedBy: a.generatedBy,
          convertedBy: a.convertedBy ?? null,
          ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}),
          weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
        };
        write(`${name}/model.json`, JSON.stringify(modelJson));
        write(`${name}/weights.bin`, weights);
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
      }));
    }
    let optimizer: { className: string; config: Record<string, unknown>; weights: tf.io.WeightsManifestEntry[] } | undefined;
    if (parts.optimizer) {
      const named = await parts.optimizer.getWeights();
      const { data, specs } = await tf.io.encodeWeights(named);
      const cls = (parts.optimizer.constructor as unknown as { className?: string }).className ?? parts.optimizer.getClassName();
      optimizer = { className: cls, config: parts.optimizer.getConfig() as Record<string, unknown>, weights: specs };
      write('optimizer.json', JSON.stringify(optimizer));
      write('optimizer.bin', new Uint8Array(data));
    }
    const config = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      meta: parts.meta,
      models: names,
      optimizer: optimizer ? optimizer.className : null,
      files,
      versions: versions(),
      savedAt: new Date().toISOString(),
    };
    writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    // Swap: the previous checkpoint moves aside (kept as DIR.old until the new one is in place).
    const old = `${target}.old`;
    if (existsSync(target)) {
      rmSync(old, { recursive: true, force: true });
      renameSync(target, old);
    }
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

function fail(dir: string, what: string): never {
  throw new UsageError(`checkpoint ${dir}: ${what}; refusing to load it`);
}

function readChecked(root: string, dir: string, rel: string, files: Record<string, string>): Buffer {
  const want = files[rel];
  if (!want) fail(dir, `${rel} is not listed in config.json`);
  const p = path.join(root, rel);
  if (!existsSync(p)) fail(dir, `${rel} is missing`);
  const buf = readFileSync(p);
  if (sha256(buf) !== want) fail(dir, `${rel} is corrupt (sha256 differs from config.json)`);
  return buf;
}

/** Read and verify config.json only (no models): for `info` and for resume decisions. */
export function readCheckpointConfig(dir: string): { meta: Record<string, unknown>; models: string[]; files: Record<string, string>; optimizer: string | null } {
  let root = path.resolve(dir);
  // A run killed between the two renames of saveCheckpoint leaves only DIR.old: use it.
  if (!existsSync(root) && existsSync(`${root}.old`)) root = `${root}.old`;
  const cfgPath = path.join(root, 'config.json');
  if (!existsSync(cfgPath)) {
    throw new UsageError(`checkpoint ${dir}: ${existsSync(root) ? 'config.json is missing (not a jscc-sim checkpoint)' : 'no such folder'}`);
  }
  let cfg: Record<string, unknown>;
  try {
    cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
  } catch {
    fail(dir, 'config.json is not valid JSON');
  }
  if (cfg.format !== CHECKPOINT_FORMAT) fail(dir, `config.json format is ${JSON.stringify(cfg.format)}, expected ${CHECKPOINT_FORMAT}`);
  if (cfg.version !== CHECKPOINT_VERSION) fail(dir, `checkpoint version ${JSON.stringify(cfg.version)} is not supported (expected ${CHECKPOINT_VERSION})`);
  const models = cfg.models, files = cfg.files, meta = cfg.meta;
  if (!Array.isArray(models) || !models.every((m) => typeof m === 'string' && NAME_RE.test(m))) fail(dir, 'config.json has no valid models list');
  if (!files || typeof files !== 'object') fail(dir, 'config.json has no files table');
  if (!meta || typeof meta !== 'object') fail(dir, 'config.json has no meta');
  return { meta: meta as Record<string, unknown>, models: models as string[], files: files as Record<string, string>, optimizer: (cfg.optimizer as string | null) ?? null };
}

/** Verify and load a checkpoint written by saveCheckpoint. */
export async function loadCheckpoint(dir: string, options: { expectMeta?: Record<string, unknown> } = {}): Promise<LoadedCheckpoint> {
  registerCustomLayers();
  const cfg = readCheckpointConfig(dir);
  let root = path.resolve(dir);
  if (!existsSync(root) && existsSync(`${root}.old`)) root = `${root}.old`;
  for (const [key, want] of Object.entries(options.expectMeta ?? {})) {
    const got = cfg.meta[key];
    if (canonical(got) !== canonical(want)) {
      throw new UsageError(`checkpoint ${dir} has ${key} = ${canonical(got)}, expected ${canonical(want)} (a checkpoint from another config)`);
    }
  }
  // Verify every file before building anything.
  const raw: Record<string, Buffer> = {};
  for (const rel of Object.keys(cfg.files)) raw[rel] = readChecked(root, dir, rel, cfg.files);
  const models: Record<string, tf.LayersModel> = {};
  for (const name of cfg.models) {
    const mj = `${name}/model.json`, wb = `${name}/weights.bin`;
    if (!raw[mj] || !raw[wb]) fail(dir, `model ${name} lacks model.json or weights.bin in config.json`);
    let json: { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[]; trainingConfig?: tf.io.TrainingConfig };
    try {
      json = JSON.parse(raw[mj].toString('utf8'));
    } catch {
      fail(dir, `${mj} is not valid JSON`);
    }
    const specs = (json.weightsManifest ?? []).flatMap((g) => g.weights);
    const expected = specs.reduce((s, w) => s + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    if (expected !== raw[wb].byteLength) fail(dir, `${wb} holds ${raw[wb].byteLength} bytes, the manifest needs ${expected}`);
    try {
      models[name] = await tf.loadLayersModel(tf.io.fromMemory({
        modelTopology: json.modelTopology, weightSpecs: specs, weightData: ownBuffer(raw[wb]), trainingConfig: json.trainingConfig,
      }));
    } catch (e) {
      fail(dir, `model ${name} cannot be built (${String((e as Error).message).split('\n')[0]})`);
    }
  }
  const out: LoadedCheckpoint = { models, meta: cfg.meta };
  if (cfg.optimizer !== null) {
    if (!raw['optimizer.json'] || !raw['optimizer.bin']) fail(dir, 'optimizer.json or optimizer.bin is not listed');
    const oj = JSON.parse(raw['optimizer.json'].toString('utf8')) as { className: string; config: Record<string, unknown>; weights: tf.io.WeightsManifestEntry[] };
    const map = tf.io.decodeWeights(ownBuffer(raw['optimizer.bin']), oj.weights);
    out.optimizerWeights = oj.weights.map((s) => ({ name: s.name, tensor: map[s.name] }));
    out.optimizer = { className: oj.className, config: oj.config };
  }
  return out;
}
