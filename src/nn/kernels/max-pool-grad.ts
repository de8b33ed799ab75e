/**
 * MaxPoolGrad for wasm (NHWC): dy goes to the first maximum of each pooling window, as tfjs' cpu
 * kernel picks it (strictly greater wins, row-major over the window; padding never wins).
 * tfjs-backend-wasm 4.22's kernel took ~4% of an FFMNet training step for the one stem pool; this
 * is one pass over the windows with per-channel running maxima, on the wasm heap.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo, WasmBackend } from './wasm-ops.js';

interface Attrs { filterSize: number | [number, number]; strides: number | [number, number]; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' }

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    const a = attrs as unknown as Attrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const b = backend as WasmBackend;
    const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
    const fh = info.effectiveFilterHeight, fw = info.effectiveFilterWidth, dh = info.dilationHeight, dw = info.dilationWidth;
    const out = b.makeOutput(input.shape, 'float32');
    const dx = b.typedArrayFromHeap(out) as Float32Array;
    const x = b.typedArrayFromHeap(input) as Float32Array;
    const g = b.typedArrayFromHeap(dy) as Float32Array;
    dx.fill(0);
    const best = new Float32Array(C), at = new Int32Array(C);
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < OH; oh++) {
        const h0 = oh * info.strideHeight - info.padInfo.top;
        for (let ow = 0; ow < OW; ow++) {
          const w0 = ow * info.strideWidth - info.padInfo.left;
          best.fill(-Infinity);
          at.fill(-1);
          for (let r = 0; r < fh; r += dh) {
            const y = h0 + r;
            if (y < 0 || y >= H) continue;
            for (let s = 0; s < fw; s += dw) {
              const xx = w0 + s;
              if (xx < 0 || xx >= W) continue;
              const p = ((n * H + y) * W + xx) * C;
              for (let c = 0; c < C; c++) {
                const v = x[p + c];
                if (v > best[c] || at[c] < 0) { best[c] = v; at[c] = p; }
              }
            }
          }
          const q = ((n * OH + oh) * OW + ow) * C;
          for (let c = 0; c < C; c++) if (at[c] >= 0) dx[at[c] + c] += g[q + c];
        }
      }
    }
    return out;
  },
};
