/**
 * Slice and SplitV for wasm. tfjs-backend-wasm 4.22's Slice starts with backend.readSync(x), a copy
 * of the whole input to the JS heap, before copying the slice out; SplitV calls it once per piece
 * (3 pieces: 3 full copies). Here the slice is copied straight from the wasm heap, in runs of the
 * innermost contiguous extent (copyWithin on one heap view: no allocation per run).
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo, WasmBackend } from './wasm-ops.js';

type Heap = Float32Array | Int32Array | Uint8Array;

function heapView(b: WasmBackend, dtype: tf.DataType): Heap {
  const buf = (b as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer;
  return dtype === 'bool' ? new Uint8Array(buf) : dtype === 'int32' ? new Int32Array(buf) : new Float32Array(buf);
}

function offsetOf(b: WasmBackend, t: TensorInfo): number {
  const bytes = (b as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(t.dataId).memoryOffset;
  return t.dtype === 'bool' ? bytes : bytes / 4;
}

/** out = x[begin : begin + size] (any rank), allocated on the backend. */
export function sliceOnHeap(b: WasmBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = b.makeOutput(size, x.dtype);
  const total = size.reduce((p, q) => p * q, 1);
  if (total === 0) return out;
  // Merge trailing axes taken whole into one contiguous run.
  const rank = x.shape.length;
  let inner = rank - 1;
  while (inner > 0 && begin[inner] === 0 && size[inner] === x.shape[inner]) inner--;
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * x.shape[i + 1];
  const run = size.slice(inner).reduce((p, q) => p * q, 1);
  const heap = heapView(b, x.dtype);
  const xo = offsetOf(b, x), oo = offsetOf(b, out);
  const idx = new Array<number>(inner).fill(0);
  const count = total / run;
  let dst = oo;
  for (let r = 0; r < count; r++) {
    let src = xo + begin[inner] * strides[inner];
    for (let i = 0; i < inner; i++) src += (begin[i] + idx[i]) * strides[i];
    if (run >= 16) heap.copyWithin(dst, src, src + run);
    else for (let i = 0; i < run; i++) heap[dst + i] = heap[src + i];
    dst += run;
    for (let i = inner - 1; i >= 0; i--) {
      if (++idx[i] < size[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

export const sliceConfig: tf.KernelConfig = {
  kernelName: 'Slice',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const a = attrs as unknown as { begin: number | number[]; size: number | number[] };
    if (x.dtype === 'string' || x.dtype === 'complex64') throw new Error(`Slice on wasm: dtype ${x.dtype} not supported`);
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, a.begin, a.size);
    return sliceOnHeap(backend as WasmBackend, x, begin, size);
  },
};

export const splitVConfig: tf.KernelConfig = {
  kernelName: 'SplitV',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const a = attrs as unknown as { numOrSizeSplits: number | number[]; axis: number | number[] };
    if (x.dtype === 'string' || x.dtype === 'complex64') throw new Error(`SplitV on wasm: dtype ${x.dtype} not supported`);
    const axis = tf.util.parseAxisParam(a.axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, a.numOrSizeSplits, axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[axis] = s;
      const piece = sliceOnHeap(backend as WasmBackend, x, begin.slice(), size);
      begin[axis] += s;
      return piece;
    });
  },
};
