/**
 * ResizeBilinearGrad with half-pixel centres, for the cpu and wasm backends. tfjs 4.22's kernels
 * on both read only `alignCorners` and compute the adjoint of the legacy rule (src = o * in / out)
 * even when the forward resize used `halfPixelCenters`: the gradient of another function. This is
 * the adjoint of TensorFlow's half-pixel ResizeBilinear (resize_bilinear_op.cc, HalfPixelScaler):
 * in = (o + 0.5) * scale - 0.5, taps floor(in) and ceil(in) clamped to the image, weight
 * in - floor(in). Calls without halfPixelCenters go to the backend's own kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo, WasmBackend } from './wasm-ops.js';

/** dx (shape of the images) from dy: the adjoint of half-pixel bilinear resizing. */
export function resizeBilinearHalfPixelGrad(dy: Float32Array, dyShape: number[], xShape: number[], out: Float32Array): void {
  const [B, H, W, C] = xShape;
  const [, OH, OW] = dyShape;
  out.fill(0);
  const hs = H / OH, ws = W / OW;
  // Column taps once per row of dy.
  const left = new Int32Array(OW), right = new Int32Array(OW), xl = new Float32Array(OW);
  for (let ox = 0; ox < OW; ox++) {
    const ix = (ox + 0.5) * ws - 0.5;
    const f = Math.floor(ix);
    left[ox] = Math.max(f, 0);
    right[ox] = Math.min(Math.ceil(ix), W - 1);
    xl[ox] = ix - f;
  }
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const iy = (oy + 0.5) * hs - 0.5;
      const f = Math.floor(iy);
      const top = Math.max(f, 0), bottom = Math.min(Math.ceil(iy), H - 1);
      const yl = iy - f;
      const rowT = (b * H + top) * W, rowB = (b * H + bottom) * W;
      for (let ox = 0; ox < OW; ox++) {
        const wx = xl[ox];
        const wTL = (1 - yl) * (1 - wx), wTR = (1 - yl) * wx, wBL = yl * (1 - wx), wBR = yl * wx;
        const src = ((b * OH + oy) * OW + ox) * C;
        const tl = (rowT + left[ox]) * C, tr = (rowT + right[ox]) * C, bl = (rowB + left[ox]) * C, br = (rowB + right[ox]) * C;
        for (let c = 0; c < C; c++) {
          const g = dy[src + c];
          out[tl + c] += g * wTL;
          out[tr + c] += g * wTR;
          out[bl + c] += g * wBL;
          out[br + c] += g * wBR;
        }
      }
    }
  }
}

type Attrs = { alignCorners: boolean; halfPixelCenters: boolean };

function readValues(backend: tf.KernelBackend, t: TensorInfo, name: string): Float32Array {
  if (name === 'wasm') return (backend as WasmBackend).typedArrayFromHeap(t) as Float32Array;
  return (backend as unknown as { data: { get(id: object): { values: Float32Array } } }).data.get(t.dataId).values;
}

function makeConfig(name: 'cpu' | 'wasm', builtin: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: 'ResizeBilinearGrad',
    backendName: name,
    setupFunc: builtin.setupFunc,
    kernelFunc: (args) => {
      const attrs = args.attrs as unknown as Attrs;
      if (!attrs.halfPixelCenters || attrs.alignCorners) return builtin.kernelFunc(args);
      const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
      const b = args.backend as tf.KernelBackend;
      const values = new Float32Array(images.shape.reduce((a, d) => a * d, 1));
      resizeBilinearHalfPixelGrad(readValues(b, dy, name), dy.shape, images.shape, values);
      if (name === 'wasm') {
        const out = (b as WasmBackend).makeOutput(images.shape, 'float32');
        ((b as WasmBackend).typedArrayFromHeap(out) as Float32Array).set(values);
        return out;
      }
      return (b as unknown as { makeTensorInfo(s: number[], d: string, v: Float32Array): TensorInfo }).makeTensorInfo(images.shape, 'float32', values);
    },
  };
}

const done = new Set<string>();

/** Override ResizeBilinearGrad on every loaded backend among cpu and wasm; idempotent. */
export function registerResizeBilinearGrad(): void {
  for (const name of ['cpu', 'wasm'] as const) {
    if (done.has(name)) continue;
    const builtin = tf.getKernel('ResizeBilinearGrad', name);
    if (!builtin) continue;
    tf.unregisterKernel('ResizeBilinearGrad', name);
    tf.registerKernel(makeConfig(name, builtin));
    done.add(name);
  }
}
