/**
 * Test helpers: run the same computation on the `cpu` backend (tfjs' reference kernels) and on
 * `wasm` (with the project's kernels), from the same seeded data, and compare.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { Rng } from '../../../src/core/rng.js';

export function randomData(seed: number, shape: number[], std = 1): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Rng(seed).fillGaussian(new Float32Array(n), std) as Float32Array;
}

/** Run `f` on a backend and return its outputs' values; every tensor made inside is freed. */
export async function onBackend(name: 'cpu' | 'wasm', f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await initBackend(name);
  const outs = tf.tidy(() => {
    const r = f();
    return Array.isArray(r) ? r : [r];
  });
  const vals = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return vals.map((v) => Float32Array.from(v));
}

/** max |a - b| / max(max |b|, 1e-6): one relative error over the whole tensor. */
export function relError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0, scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) return Infinity;
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/** Compare `f` on wasm against cpu; returns the worst relative error over its outputs. */
export async function compareBackends(f: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const ref = await onBackend('cpu', f);
  const got = await onBackend('wasm', f);
  if (ref.length !== got.length) return Infinity;
  return Math.max(...ref.map((r, i) => relError(got[i], r)));
}
