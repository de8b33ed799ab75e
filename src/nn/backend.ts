/**
 * The tfjs compute backend (docs/architecture.md, "Compute backend").
 *
 * - `wasm` (default): XNNPACK with SIMD, ~30x the pure-JS `cpu` backend forward. tfjs 4.22 lacks
 *   several gradient kernels on wasm (and its Conv2DBackpropInput is naive), so the project's own
 *   kernels in src/nn/kernels/ are registered for it here, exactly once.
 * - `cpu`: tfjs' pure-JS reference backend (used by the kernel tests as ground truth).
 * - `tensorflow`: @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node when the user installed one
 *   (optional peers, never installed by `npm ci`).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { UsageError } from '../core/errors.js';
import { registerProjectGradients, registerWasmKernels } from './kernels/index.js';

export type BackendName = 'wasm' | 'cpu' | 'tensorflow';
export const BACKEND_NAMES: readonly BackendName[] = ['wasm', 'cpu', 'tensorflow'];

let tensorflowLoaded: string | undefined;

/** Parse a `--backend` value (UsageError naming the allowed values). */
export function parseBackendName(value: unknown): BackendName {
  const s = String(value);
  if ((BACKEND_NAMES as readonly string[]).includes(s)) return s as BackendName;
  throw new UsageError(`--backend ${JSON.stringify(value)} is not allowed: use one of ${BACKEND_NAMES.join(', ')}`);
}

/** Load the native TensorFlow binding; a UsageError (one line) when neither package is installed. */
async function loadTensorflow(): Promise<string> {
  if (tensorflowLoaded) return tensorflowLoaded;
  // Names in variables: these optional peers are absent at type-check time and on most installs.
  for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(name);
      tensorflowLoaded = name;
      return name;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') {
        throw new UsageError(`--backend tensorflow: ${name} is installed but failed to load: ${String((e as Error).message).split('\n')[0]}`);
      }
    }
  }
  throw new UsageError(
    '--backend tensorflow needs @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node 4.22 (npm install @tensorflow/tfjs-node); use --backend wasm (default) or cpu',
  );
}

/**
 * Select and initialize a backend; returns the tf namespace. Safe to call repeatedly: the wasm
 * kernels are registered once, and switching back and forth keeps each backend's state.
 */
export async function initBackend(name: BackendName = 'wasm'): Promise<typeof tf> {
  parseBackendName(name);
  registerProjectGradients();
  if (name === 'wasm') registerWasmKernels();
  let target: string = name;
  if (name === 'tensorflow') {
    await loadTensorflow();
    target = 'tensorflow';
  }
  if (tf.getBackend() !== target || !tf.engine().backendName) {
    const ok = await tf.setBackend(target);
    if (!ok) throw new Error(`tfjs backend '${target}' failed to initialize`);
  }
  await tf.ready();
  // The cpu backend greets Node users on its first write (console.warn); this toolkit picks
  // backends on purpose, so mark the greeting as done.
  if (target === 'cpu') (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return tf;
}

/** The name of the active backend ('wasm', 'cpu', 'tensorflow'). */
export function backendName(): string {
  return tf.getBackend();
}
