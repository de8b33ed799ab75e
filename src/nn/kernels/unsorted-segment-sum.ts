/**
 * UnsortedSegmentSum for wasm (missing in tfjs 4.22; the gradient of gather needs it):
 * out[s, ...] = sum over i with segmentIds[i] = s of x[i, ...]; ids outside [0, numSegments) are
 * dropped, as in TensorFlow. One pass over x on the wasm heap.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo, WasmBackend } from './wasm-ops.js';

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
    const b = backend as WasmBackend;
    const idRank = segmentIds.shape.length;
    const inner = x.shape.slice(idRank).reduce((p, q) => p * q, 1);
    const count = segmentIds.shape.reduce((p, q) => p * q, 1);
    if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`UnsortedSegmentSum on wasm: dtype ${x.dtype} not supported`);
    const out = b.makeOutput([numSegments, ...x.shape.slice(idRank)], x.dtype);
    // Views after the allocation: growing the heap detaches earlier views.
    const ids = b.typedArrayFromHeap(segmentIds);
    const xs = b.typedArrayFromHeap(x);
    const o = b.typedArrayFromHeap(out);
    o.fill(0);
    for (let i = 0; i < count; i++) {
      const s = ids[i];
      if (s < 0 || s >= numSegments) continue;
      const src = i * inner, dst = s * inner;
      for (let j = 0; j < inner; j++) o[dst + j] += xs[src + j];
    }
    return out;
  },
};
