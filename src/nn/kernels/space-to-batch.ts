/**
 * SpaceToBatchND and BatchToSpaceND for wasm, NHWC with a 2-D block (the dilated 3x3 convs of
 * FFMNet, src/nn/ffmnet/dilated.ts; each is the other's gradient). tfjs-backend-wasm 4.22 builds
 * them from PadV2 + a rank-6 Transpose that runs as a JS loop per element; here each is one pass
 * copying whole pixels (ci contiguous floats) on the wasm heap. Other ranks use the built-in kernel.
 *
 *   s2b: out[(i*b1 + j)*n + m, h, w, c] = xpad[m, h*b0 + i, w*b1 + j, c]
 *   b2s: out[m, h*b0 + i - crop0, w*b1 + j - crop1, c] = x[(i*b1 + j)*n + m, h, w, c]
 */
import * as tf from '@tensorflow/tfjs';
import { builtinKernels, type TensorInfo, type WasmBackend } from './wasm-ops.js';

function heapF32(b: WasmBackend): Float32Array {
  return new Float32Array((b as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer);
}
function offsetOf(b: WasmBackend, t: TensorInfo): number {
  return (b as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(t.dataId).memoryOffset / 4;
}

/** Copy c floats (short runs: a loop beats copyWithin's call). */
function copy(heap: Float32Array, dst: number, src: number, c: number): void {
  if (c >= 16) heap.copyWithin(dst, src, src + c);
  else for (let i = 0; i < c; i++) heap[dst + i] = heap[src + i];
}

function fallback(name: string, args: Parameters<tf.KernelFunc>[0]): TensorInfo {
  const k = builtinKernels.get(name);
  if (!k) throw new Error(`${name} on wasm: this rank/dtype needs the built-in kernel, which was not captured`);
  return k.kernelFunc(args) as TensorInfo;
}

export const spaceToBatchNDConfig: tf.KernelConfig = {
  kernelName: 'SpaceToBatchND',
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: TensorInfo };
    const { blockShape, paddings } = attrs as unknown as { blockShape: number[]; paddings: number[][] };
    if (x.shape.length !== 4 || blockShape.length !== 2 || x.dtype !== 'float32') return fallback('SpaceToBatchND', args);
    const b = backend as WasmBackend;
    const [n, h, w, c] = x.shape, [b0, b1] = blockShape;
    const [[pt, pb], [pl, pr]] = paddings;
    const oh = (h + pt + pb) / b0, ow = (w + pl + pr) / b1;
    if (!Number.isInteger(oh) || !Number.isInteger(ow)) throw new Error(`SpaceToBatchND: padded size ${h + pt + pb}x${w + pl + pr} not divisible by block ${blockShape}`);
    const out = b.makeOutput([n * b0 * b1, oh, ow, c], 'float32');
    const heap = heapF32(b);
    const xo = offsetOf(b, x), oo = offsetOf(b, out);
    let dst = oo;
    for (let i = 0; i < b0; i++) {
      for (let j = 0; j < b1; j++) {
        for (let m = 0; m < n; m++) {
          for (let r = 0; r < oh; r++) {
            const y = r * b0 + i - pt;
            if (y < 0 || y >= h) { heap.fill(0, dst, dst + ow * c); dst += ow * c; continue; }
            const row = xo + (m * h + y) * w * c;
            for (let q = 0; q < ow; q++, dst += c) {
              const xx = q * b1 + j - pl;
              if (xx < 0 || xx >= w) heap.fill(0, dst, dst + c);
              else copy(heap, dst, row + xx * c, c);
            }
          }
        }
      }
    }
    return out;
  },
};

export const batchToSpaceNDConfig: tf.KernelConfig = {
  kernelName: 'BatchToSpaceND',
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: TensorInfo };
    const { blockShape, crops } = attrs as unknown as { blockShape: number[]; crops: number[][] };
    if (x.shape.length !== 4 || blockShape.length !== 2 || x.dtype !== 'float32') return fallback('BatchToSpaceND', args);
    const b = backend as WasmBackend;
    const [nb, h, w, c] = x.shape, [b0, b1] = blockShape;
    const [[ct, cb], [cl, cr]] = crops;
    const n = nb / (b0 * b1);
    const oh = h * b0 - ct - cb, ow = w * b1 - cl - cr;
    const out = b.makeOutput([n, oh, ow, c], 'float32');
    const heap = heapF32(b);
    const xo = offsetOf(b, x), oo = offsetOf(b, out);
    let src = xo;
    for (let i = 0; i < b0; i++) {
      for (let j = 0; j < b1; j++) {
        for (let m = 0; m < n; m++) {
          for (let r = 0; r < h; r++) {
            const y = r * b0 + i - ct;
            if (y < 0 || y >= oh) { src += w * c; continue; }
            const row = oo + (m * oh + y) * ow * c;
            for (let q = 0; q < w; q++, src += c) {
              const xx = q * b1 + j - cl;
              if (xx >= 0 && xx < ow) copy(heap, row + xx * c, src, c);
            }
          }
        }
      }
    }
    return out;
  },
};
