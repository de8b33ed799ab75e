/**
 * Tile for wasm. tfjs-backend-wasm 4.22's Tile walks every output element (~100 ns each here), and
 * the batch-norm gradient tiles per-channel statistics to the full activation shape on every
 * training step: it took ~30% of a small conv net's step. This version expands one axis at a time,
 * innermost first, copying whole contiguous blocks (TypedArray.set), then writes the heap once.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo, WasmBackend } from './wasm-ops.js';

type Vals = Float32Array | Int32Array | Uint8Array;

/** Tile `src` (shape) by `reps`; returns a new array. */
export function tileValues(src: Vals, shape: number[], reps: number[]): Vals {
  let cur: Vals = src;
  const curShape = shape.slice();
  const make = (n: number): Vals => new (src.constructor as { new(n: number): Vals })(n);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const r = reps[axis];
    if (r === 1) continue;
    const outer = curShape.slice(0, axis).reduce((a, b) => a * b, 1);
    const block = curShape.slice(axis).reduce((a, b) => a * b, 1);
    const next = make(outer * block * r);
    if (block >= 16) {
      for (let o = 0; o < outer; o++) {
        const piece = cur.subarray(o * block, (o + 1) * block);
        for (let k = 0; k < r; k++) next.set(piece, (o * r + k) * block);
      }
    } else {
      let w = 0;
      for (let o = 0; o < outer; o++) {
        for (let k = 0; k < r; k++) {
          for (let i = 0; i < block; i++) next[w++] = cur[o * block + i];
        }
      }
    }
    curShape[axis] *= r;
    cur = next;
  }
  return cur;
}

export const tileConfig: tf.KernelConfig = {
  kernelName: 'Tile',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const reps = (attrs as unknown as { reps: number[] }).reps;
    const b = backend as WasmBackend;
    if (x.dtype === 'string' || x.dtype === 'complex64') throw new Error(`Tile on wasm: dtype ${x.dtype} not supported`);
    const outShape = x.shape.map((d, i) => d * reps[i]);
    const values = tileValues(b.typedArrayFromHeap(x).slice() as Vals, x.shape, reps);
    const out = b.makeOutput(outShape, x.dtype);
    (b.typedArrayFromHeap(out) as Vals).set(values);
    return out;
  },
};
