/**
 * Checkpoints (docs/architecture.md, "Models and checkpoints"): the tfjs-node file layout without
 * the native package.
 *
 *   DIR/config.json           { format, version, meta, models, optimizer?, files: { path: sha256 }, versions }
 *   DIR/<name>/model.json     { modelTopology, format, generatedBy, weightsManifest: [{ paths: ['weights.bin'], weights }] }
 *   DIR/<name>/weights.bin    the weights, little-endian, in weightsManifest order
 *   DIR/optimizer.json/.bin   optional: the optimizer's className, config and weight specs; its weights
 *
 * Written with tf.io.withSaveHandler into a temporary sibling folder `DIR.tmp-<pid>-<ms>` that is
 * renamed into place, so a killed run leaves either the previous checkpoint or the new one, never
 * half of one; the next save removes such folders once their process is gone. Read back
 * with tf.io.fromMemory after every file's sha256, every manifest's size and every weight's value
 * (finite) is checked: a corrupt, incomplete or (with `expectMeta`) mismatching checkpoint is
 * refused with a one-line UsageError, never loaded silently.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { versions } from '../core/version.js';
import { encodeFloat16, float16IsFinite } from './float16.js';
import { registerCustomLayers } from './layers/index.js';

export const CHECKPOINT_FORMAT = 'jscc-sim-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** How a checkpoint stores its models' float32 weights: as they are, or as IEEE binary16 (half the size). */
export type WeightStorage = 'float32' | 'float16';

export interface CheckpointParts {
  models: Record<string, tf.LayersModel>;
  optimizer?: tf.Optimizer;
  meta: Record<string, unknown>;
  /**
   * 'float16' stores every float32 model weight as binary16 (tfjs' float16 quantization, decoded
   * on load): for shipped models only. Optimizer state always stays float32, so a training run's
   * resume is exact. Default 'float32'.
   */
  weightStorage?: WeightStorage;
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

/** The temporary sibling a save writes into: `<dir>.tmp-<pid>-<ms>`. */
function tempName(target: string): string {
  return `${target}.tmp-${process.pid}-${Date.now()}`;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Remove the temporary folders of earlier saves to `target` that were killed mid-write: only
 * folders named exactly as tempName makes them, whose writing process is gone. A live writer's
 * folder (another run, this one) and anything else beside the checkpoint are left alone.
 * Returns the folders removed.
 */
export function removeStaleTemps(target: string): string[] {
  const parent = path.dirname(target);
  const re = new RegExp(`^${path.basename(target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.tmp-(\\d{1,10})-(\\d{10,16})$`);
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const e of entries) {
    const m = re.exec(e);
    if (!m) continue;
    const p = path.join(parent, e);
    try {
      if (!lstatSync(p).isDirectory() || isAlive(Number(m[1]))) continue;
      rmSync(p, { recursive: true, force: true });
      removed.push(p);
    } catch {
      // vanished or not ours to remove: leave it
    }
  }
  return removed;
}

/**
 * The top-level names a checkpoint folder's own config.json accounts for (config.json, model
 * folders, optimizer files); undefined when `dir` holds no readable jscc-sim config.json.
 */
function ownedEntries(dir: string): Set<string> | undefined {
  try {
    const cfg = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as { format?: unknown; files?: Record<string, string> };
    if (cfg.format !== CHECKPOINT_FORMAT || !cfg.files || typeof cfg.files !== 'object') return undefined;
    return new Set(['config.json', ...Object.keys(cfg.files).map((rel) => rel.split('/')[0])]);
  } catch {
    return undefined;
  }
}

/**
 * Check that a checkpoint may be written at `dir`: absent, a folder, or a jscc-sim checkpoint.
 * Returns the names a save may replace there: the old checkpoint's own files (everything else in
 * the folder is kept and moves into the new checkpoint), none for a folder that holds no
 * checkpoint, undefined when nothing is there yet.
 */
export function checkCheckpointTarget(dir: string): Set<string> | undefined {
  const target = path.resolve(dir);
  if (!existsSync(target)) return undefined;
  if (!statSync(target).isDirectory()) throw new UsageError(`checkpoint folder ${dir} is a file: refusing to replace it (use another --out)`);
  return ownedEntries(target) ?? new Set();
}

/** Move the entries of `from` that a checkpoint does not own into `to` (never over a name there). */
function carryForeign(from: string, to: string, owned: Set<string>): void {
  if (!existsSync(from)) return;
  for (const e of readdirSync(from)) {
    if (!owned.has(e) && !existsSync(path.join(to, e))) renameSync(path.join(from, e), path.join(to, e));
  }
}

/**
 * Delete DIR.old without ever leaving a half-deleted DIR.old behind: it is first renamed (atomic)
 * to a temporary name of this process, which removeStaleTemps sweeps if a kill interrupts the
 * recursive delete.
 */
function discardOld(target: string, old: string): void {
  if (!existsSync(old)) return;
  let doomed = tempName(target);
  while (existsSync(doomed)) doomed = `${target}.tmp-${process.pid}-${Date.now() + 1}`;
  renameSync(old, doomed);
  rmSync(doomed, { recursive: true, force: true });
}

/**
 * Finish a save that was killed between its renames: DIR missing and DIR.old present -> DIR.old is
 * the previous checkpoint, put it back; both present -> DIR is new, DIR.old's foreign entries move
 * across and the rest of DIR.old (our files) goes. A DIR.old that is not a checkpoint is refused.
 */
function recoverInterruptedSwap(dir: string): void {
  const target = path.resolve(dir);
  const old = `${target}.old`;
  if (!existsSync(old)) return;
  const owned = ownedEntries(old);
  if (!owned) throw new UsageError(`${old} exists and is not a jscc-sim checkpoint: refusing to replace it (move it away first)`);
  if (!existsSync(target)) {
    renameSync(old, target);
    return;
  }
  carryForeign(old, target, owned);
  discardOld(target, old);
}

/** A model's weight bytes and specs with every float32 weight re-encoded as binary16. */
function toFloat16(dir: string, model: string, bytes: Uint8Array, specs: tf.io.WeightsManifestEntry[]): { weights: Uint8Array; specs: tf.io.WeightsManifestEntry[] } {
  const aligned = new Uint8Array(bytes); // an aligned copy: Float32Array views need offsets of 4
  const halve = (w: tf.io.WeightsManifestEntry) => w.dtype === 'float32' && !w.quantization;
  const count = (w: tf.io.WeightsManifestEntry) => w.shape.reduce((a, b) => a * b, 1);
  const out = specs.map((w) => (halve(w) ? { ...w, quantization: { dtype: 'float16' as const } } : w));
  const joined = new Uint8Array(out.reduce((t, w) => t + storedBytes(w) * count(w), 0));
  let src = 0, dst = 0;
  for (const w of specs) {
    const size = DTYPE_BYTES[w.dtype] * count(w);
    if (halve(w)) {
      const values = new Float32Array(aligned.buffer, src, count(w));
      const half = new Uint16Array(count(w)); // its own buffer: dst may be odd after a bool weight
      const bad = encodeFloat16(values, half);
      if (bad >= 0) throw new UsageError(`checkpoint ${dir}: the ${model} weight ${w.name} holds ${values[bad]} at index ${bad}, beyond float16's range (65504): save it as float32`);
      joined.set(new Uint8Array(half.buffer), dst);
      dst += half.byteLength;
    } else {
      joined.set(aligned.subarray(src, src + size), dst);
      dst += size;
    }
    src += size;
  }
  return { weights: joined, specs: out };
}

/** Save models (+ optimizer state) and meta to `dir`, atomically replacing any checkpoint there. */
export async function saveCheckpoint(dir: string, parts: CheckpointParts): Promise<void> {
  const names = Object.keys(parts.models);
  if (names.length === 0) throw new UsageError(`checkpoint ${dir}: no models to save`);
  for (const n of names) {
    if (!NAME_RE.test(n)) throw new UsageError(`checkpoint model name ${JSON.stringify(n)} is not allowed: use letters, digits, _ or -`);
  }
  const storage = parts.weightStorage ?? 'float32';
  if (storage !== 'float32' && storage !== 'float16') throw new UsageError(`checkpoint ${dir}: weight storage ${JSON.stringify(storage)} is not allowed: use float32 or float16`);
  const target = path.resolve(dir);
  const old = `${target}.old`;
  recoverInterruptedSwap(dir);
  const owned = checkCheckpointTarget(dir);
  if (owned) {
    // Never over the user's own file of the same name as one of ours.
    const ours = new Set(['config.json', 'optimizer.json', 'optimizer.bin', ...names]);
    const clash = readdirSync(target).find((e) => ours.has(e) && !owned.has(e));
    if (clash) throw new UsageError(`checkpoint folder ${dir} holds ${clash}, which is not part of a jscc-sim checkpoint: refusing to replace it (use another --out)`);
  }
  mkdirSync(path.dirname(target), { recursive: true });
  removeStaleTemps(target);
  const tmp = tempName(target);
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
        let weights = toBytes(a.weightData);
        let specs = a.weightSpecs ?? [];
        if (storage === 'float16') ({ weights, specs } = toFloat16(dir, name, weights, specs));
        const modelJson = {
          modelTopology: a.modelTopology,
          format: a.format ?? 'layers-model',
          generatedBy: a.generatedBy,
          convertedBy: a.convertedBy ?? null,
          ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}),
          weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
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
      weightStorage: storage,
      files,
      versions: versions(),
      savedAt: new Date().toISOString(),
    };
    writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    // Swap: the previous checkpoint moves aside (kept as DIR.old until the new one is in place),
    // then what the user keeps beside our files in DIR (notes, other folders) moves across.
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
    if (owned) carryForeign(old, target, owned);
    discardOld(target, old);
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

/** A model's manifest and weight bytes, checked against config.json. */
export interface VerifiedModel {
  json: { modelTopology: object; weightsManifest: { paths?: string[]; weights: tf.io.WeightsManifestEntry[] }[]; trainingConfig?: tf.io.TrainingConfig };
  specs: tf.io.WeightsManifestEntry[];
  weights: Buffer;
}

/** Everything a checkpoint holds, every file verified (sha256, sizes, finite values); nothing built. */
export interface VerifiedCheckpoint {
  root: string;
  meta: Record<string, unknown>;
  models: Record<string, VerifiedModel>;
  optimizer?: { className: string; config: Record<string, unknown>; specs: tf.io.WeightsManifestEntry[]; weights: Buffer };
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** The weight specs of a manifest, each one checked (name, shape, dtype); refuses anything else. */
function checkSpecs(dir: string, where: string, list: unknown): tf.io.WeightsManifestEntry[] {
  if (!Array.isArray(list)) fail(dir, `${where} has no weights list`);
  for (const w of list as tf.io.WeightsManifestEntry[]) {
    const ok = w && typeof w === 'object' && typeof w.name === 'string' && Array.isArray(w.shape)
      && w.shape.every((d) => Number.isSafeInteger(d) && d >= 0);
    if (!ok) fail(dir, `${where} has a malformed weight entry ${JSON.stringify(w)?.slice(0, 80)}`);
    if (!(w.dtype in DTYPE_BYTES)) fail(dir, `${where}: weight ${w.name} has dtype ${JSON.stringify(w.dtype)}, expected float32, int32 or bool`);
    const q = (w as { quantization?: { dtype?: unknown } }).quantization;
    if (q !== undefined && !(w.dtype === 'float32' && isFloat16(w) && Object.keys(q).length === 1)) {
      fail(dir, `${where}: weight ${w.name} is quantized as ${JSON.stringify(q)?.slice(0, 60)} (jscc-sim writes only float16 storage of float32 weights)`);
    }
  }
  return list as tf.io.WeightsManifestEntry[];
}

function isFloat16(w: tf.io.WeightsManifestEntry): boolean {
  return w.quantization?.dtype === 'float16';
}

/** Bytes one value of `w` takes in weights.bin. */
function storedBytes(w: tf.io.WeightsManifestEntry): number {
  return isFloat16(w) ? 2 : DTYPE_BYTES[w.dtype];
}

/** Bytes that `specs` need, and every float32 weight finite (names the first that is not). */
function checkWeightBytes(dir: string, file: string, specs: tf.io.WeightsManifestEntry[], buf: Buffer): void {
  const need = specs.reduce((s, w) => s + storedBytes(w) * w.shape.reduce((a, b) => a * b, 1), 0);
  if (need !== buf.byteLength) fail(dir, `${file} holds ${buf.byteLength} bytes, the manifest needs ${need}`);
  // Copy into an aligned buffer once; Node's Buffers may start at any byte offset.
  const bytes = new Uint8Array(buf.byteLength);
  bytes.set(buf);
  let off = 0;
  for (const w of specs) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    if (isFloat16(w)) {
      const v = new Uint16Array(bytes.buffer, off, count);
      for (let i = 0; i < count; i++) {
        if (!float16IsFinite(v[i])) fail(dir, `${file}: float16 weight ${w.name} holds ${v[i] & 0x3ff ? 'NaN' : 'Infinity'} at index ${i} (every weight must be finite)`);
      }
    } else if (w.dtype === 'float32') {
      const v = new Float32Array(bytes.buffer, off, count);
      for (let i = 0; i < count; i++) {
        if (!Number.isFinite(v[i])) fail(dir, `${file}: weight ${w.name} holds ${v[i]} at index ${i} (every weight must be finite)`);
      }
    }
    off += storedBytes(w) * count;
  }
}

/**
 * Verify a checkpoint without building it: config.json, every listed file's sha256, each model's
 * manifest (shapes, dtypes) against its weights.bin size, every weight finite, optimizer state
 * likewise. `info` and every loader run this, so a corrupt checkpoint is refused the same way.
 */
export function verifyCheckpoint(dir: string, options: { expectMeta?: Record<string, unknown> } = {}): VerifiedCheckpoint {
  const cfg = readCheckpointConfig(dir);
  let root = path.resolve(dir);
  if (!existsSync(root) && existsSync(`${root}.old`)) root = `${root}.old`;
  for (const [key, want] of Object.entries(options.expectMeta ?? {})) {
    const got = cfg.meta[key];
    if (canonical(got) !== canonical(want)) {
      throw new UsageError(`checkpoint ${dir} has ${key} = ${canonical(got)}, expected ${canonical(want)} (a checkpoint from another config)`);
    }
  }
  const raw: Record<string, Buffer> = {};
  for (const rel of Object.keys(cfg.files)) raw[rel] = readChecked(root, dir, rel, cfg.files);
  const models: Record<string, VerifiedModel> = {};
  for (const name of cfg.models) {
    const mj = `${name}/model.json`, wb = `${name}/weights.bin`;
    if (!raw[mj] || !raw[wb]) fail(dir, `model ${name} lacks model.json or weights.bin in config.json`);
    let json: VerifiedModel['json'];
    try {
      json = JSON.parse(raw[mj].toString('utf8'));
    } catch {
      fail(dir, `${mj} is not valid JSON`);
    }
    if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) fail(dir, `${mj} has no modelTopology or weightsManifest`);
    const specs = checkSpecs(dir, mj, json.weightsManifest.flatMap((g) => (g && Array.isArray(g.weights) ? g.weights : [null])));
    checkWeightBytes(dir, wb, specs, raw[wb]);
    models[name] = { json, specs, weights: raw[wb] };
  }
  const out: VerifiedCheckpoint = { root, meta: cfg.meta, models };
  if (cfg.optimizer !== null) {
    if (!raw['optimizer.json'] || !raw['optimizer.bin']) fail(dir, 'optimizer.json or optimizer.bin is not listed');
    let oj: { className: string; config: Record<string, unknown>; weights: tf.io.WeightsManifestEntry[] };
    try {
      oj = JSON.parse(raw['optimizer.json'].toString('utf8'));
    } catch {
      fail(dir, 'optimizer.json is not valid JSON');
    }
    const specs = checkSpecs(dir, 'optimizer.json', oj?.weights);
    checkWeightBytes(dir, 'optimizer.bin', specs, raw['optimizer.bin']);
    out.optimizer = { className: oj.className, config: oj.config, specs, weights: raw['optimizer.bin'] };
  }
  return out;
}

/**
 * Refuse a model whose weights do not have the shapes `want` (a fresh build's, in the same order):
 * the manifest decides before any weights are copied.
 */
export function checkModelShapes(dir: string, name: string, got: readonly tf.io.WeightsManifestEntry[] | readonly { shape: readonly number[] }[], want: readonly { shape: readonly number[] }[], what: string): void {
  if (got.length !== want.length) fail(dir, `the ${name} model has ${got.length} weights, ${what} needs ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    if (got[i].shape.join('x') !== want[i].shape.join('x')) {
      const n = (got[i] as { name?: string }).name ?? `#${i}`;
      fail(dir, `the ${name} weight ${n} has shape [${got[i].shape.join(',')}], ${what} needs [${want[i].shape.join(',')}]`);
    }
  }
}

/** Verify and load a checkpoint written by saveCheckpoint (`verified`: already verified, by verifyCheckpoint). */
export async function loadCheckpoint(dir: string, options: { expectMeta?: Record<string, unknown>; verified?: VerifiedCheckpoint } = {}): Promise<LoadedCheckpoint> {
  registerCustomLayers();
  const v = options.verified ?? verifyCheckpoint(dir, options);
  const models: Record<string, tf.LayersModel> = {};
  for (const [name, m] of Object.entries(v.models)) {
    try {
      models[name] = await tf.loadLayersModel(tf.io.fromMemory({
        modelTopology: m.json.modelTopology, weightSpecs: m.specs, weightData: ownBuffer(m.weights), trainingConfig: m.json.trainingConfig,
      }));
    } catch (e) {
      for (const built of Object.values(models)) built.dispose();
      fail(dir, `model ${name} cannot be built (${String((e as Error).message).split('\n')[0]})`);
    }
  }
  const out: LoadedCheckpoint = { models, meta: v.meta };
  if (v.optimizer) {
    const map = tf.io.decodeWeights(ownBuffer(v.optimizer.weights), v.optimizer.specs);
    out.optimizerWeights = v.optimizer.specs.map((s) => ({ name: s.name, tensor: map[s.name] }));
    out.optimizer = { className: v.optimizer.className, config: v.optimizer.config };
  }
  return out;
}
