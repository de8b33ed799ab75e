/**
 * Training-mode batch normalization over the last axis (NHWC) for wasm, forward and gradient as
 * two fused kernels (one project kernel name each). The composite in src/nn/ffmnet/batchnorm.ts
 * costs ~12 elementwise passes per layer and step, and every reduction over axes [0, 1, 2] makes
 * tfjs-backend-wasm transpose the activation first; here:
 *
 *   forward:  pass 1 per-channel sums (float64) -> mean; pass 2 sum of (x - mean)^2 -> variance
 *             (population, as tf.moments); pass 3 y = (x - mean) * rstd * gamma + beta
 *   gradient: pass 1 dbeta = sum dy, dgamma = sum dy * xhat; pass 2
 *             dx = gamma * rstd * (dy - dbeta / n - xhat * dgamma / n),  xhat = (x - mean) * rstd
 *             (dgamma and dbeta themselves: one pass each, only when requested: the engine asks
 *             for each input's gradient separately, inside its own tidy)
 *
 * with rstd = 1 / sqrt(variance + epsilon) rounded to float32 as tf.rsqrt does.
 */
import * as tf from '@tensorflow/tfjs';
import { heapOps } from './heap-ops.js';
import type { TensorInfo, WasmBackend } from './wasm-ops.js';

/**
 * Per-channel scratch on the wasm heap for the SIMD loops (heap-ops.wat; C % 4 == 0): `vecs`
 * float32 vectors of C, then `accs` float64 accumulators of C (zeroed). Byte addresses.
 */
class Scratch {
  readonly t: TensorInfo;
  private readonly base: number;
  constructor(private readonly b: WasmBackend, private readonly c: number, private readonly vecs: number, accs: number) {
    this.t = b.makeOutput([(vecs + 2 * accs) * c + 4], 'float32');
    const off = (b as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(this.t.dataId).memoryOffset;
    this.base = (off + 15) & ~15;
    new Uint8Array(this.heapBuffer(), this.base, (vecs + 2 * accs) * c * 4).fill(0);
  }
  private heapBuffer(): ArrayBuffer {
    return (this.b as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer as ArrayBuffer;
  }
  vecAddr(i: number): number { return this.base + i * this.c * 4; }
  accAddr(i: number): number { return this.base + (this.vecs + 2 * i) * this.c * 4; }
  vec(i: number): Float32Array { return new Float32Array(this.heapBuffer(), this.vecAddr(i), this.c); }
  acc(i: number): Float64Array { return new Float64Array(this.heapBuffer(), this.accAddr(i), this.c); }
  dispose(): void { this.b.disposeData(this.t.dataId); }
}

const addr = (b: WasmBackend, t: TensorInfo) => (b.typedArrayFromHeap(t) as Float32Array).byteOffset;

export const BN_TRAIN = 'JsccBatchNormTrain';
export const BN_TRAIN_GRAD = 'JsccBatchNormTrainGrad';
export const BN_PARAM_GRAD = 'JsccBatchNormParamGrad';

const f32 = Math.fround;

function rstdOf(variance: Float32Array, epsilon: number): Float32Array {
  const r = new Float32Array(variance.length);
  for (let c = 0; c < r.length; c++) r[c] = 1 / Math.sqrt(f32(variance[c] + f32(epsilon)));
  return r;
}

/** Channel sums of x [rows, C] in float64. */
function channelSums(x: Float32Array, C: number): Float64Array {
  const s = new Float64Array(C);
  for (let p = 0; p < x.length; p += C) for (let c = 0; c < C; c++) s[c] += x[p + c];
  return s;
}

export const batchNormTrainConfig: tf.KernelConfig = {
  kernelName: BN_TRAIN,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
    const epsilon = (attrs as unknown as { epsilon: number }).epsilon;
    const b = backend as WasmBackend;
    const C = x.shape[x.shape.length - 1];
    const y = b.makeOutput(x.shape, 'float32');
    const meanT = b.makeOutput([C], 'float32'), varT = b.makeOutput([C], 'float32');
    // Views after every allocation (a heap growth detaches older ones).
    const xs = b.typedArrayFromHeap(x) as Float32Array, ys = b.typedArrayFromHeap(y) as Float32Array;
    const g = b.typedArrayFromHeap(gamma) as Float32Array, be = b.typedArrayFromHeap(beta) as Float32Array;
    const mean = b.typedArrayFromHeap(meanT) as Float32Array, variance = b.typedArrayFromHeap(varT) as Float32Array;
    const n = xs.length / C;
    if (C % 4 === 0) {
      // SIMD: vectors 0 zeros, 1 mean, 2 scale, 3 shift; accumulators 0 sum, 1 squares.
      const ops = heapOps(b);
      const sc = new Scratch(b, C, 4, 2);
      ops.bnSums(addr(b, x), n, C, sc.vecAddr(0), 1, sc.accAddr(0));
      const mv = sc.vec(1), s0 = sc.acc(0);
      for (let c = 0; c < C; c++) mv[c] = s0[c] / n;
      ops.bnSums(addr(b, x), n, C, sc.vecAddr(1), 2, sc.accAddr(1));
      const mv2 = sc.vec(1), s1 = sc.acc(1), scale = sc.vec(2), shift = sc.vec(3);
      const m2 = b.typedArrayFromHeap(meanT) as Float32Array, v2 = b.typedArrayFromHeap(varT) as Float32Array;
      const g2 = b.typedArrayFromHeap(gamma) as Float32Array, be2 = b.typedArrayFromHeap(beta) as Float32Array;
      for (let c = 0; c < C; c++) v2[c] = s1[c] / n;
      const rstd = rstdOf(v2, epsilon);
      for (let c = 0; c < C; c++) { m2[c] = mv2[c]; scale[c] = rstd[c] * g2[c]; shift[c] = be2[c]; }
      ops.bnAffine(addr(b, x), addr(b, y), xs.length, C, sc.vecAddr(1), sc.vecAddr(2), sc.vecAddr(3));
      sc.dispose();
      return [y, meanT, varT];
    }
    const sum = channelSums(xs, C);
    for (let c = 0; c < C; c++) mean[c] = sum[c] / n;
    const sq = new Float64Array(C);
    for (let p = 0; p < xs.length; p += C) {
      for (let c = 0; c < C; c++) { const d = xs[p + c] - mean[c]; sq[c] += d * d; }
    }
    for (let c = 0; c < C; c++) variance[c] = sq[c] / n;
    const rstd = rstdOf(variance, epsilon);
    const scale = new Float32Array(C), shift = new Float32Array(C);
    for (let c = 0; c < C; c++) { scale[c] = rstd[c] * g[c]; shift[c] = be[c]; }
    for (let p = 0; p < xs.length; p += C) {
      for (let c = 0; c < C; c++) ys[p + c] = (xs[p + c] - mean[c]) * scale[c] + shift[c];
    }
    return [y, meanT, varT];
  },
};

export const batchNormTrainGradConfig: tf.KernelConfig = {
  kernelName: BN_TRAIN_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, x, gamma, mean, variance } = inputs as Record<string, TensorInfo>;
    const epsilon = (attrs as unknown as { epsilon: number }).epsilon;
    const b = backend as WasmBackend;
    const C = x.shape[x.shape.length - 1];
    const dxT = b.makeOutput(x.shape, 'float32');
    const xs = b.typedArrayFromHeap(x) as Float32Array, g = b.typedArrayFromHeap(dy) as Float32Array;
    const dx = b.typedArrayFromHeap(dxT) as Float32Array;
    const gam = b.typedArrayFromHeap(gamma) as Float32Array, mu = b.typedArrayFromHeap(mean) as Float32Array;
    const va = b.typedArrayFromHeap(variance) as Float32Array;
    const n = xs.length / C;
    if (C % 4 === 0) {
      // SIMD: vectors 0 mean, 1 rstd, 2 mdy, 3 mdyx, 4 k; accumulators 0 sum dy, 1 sum dy*xhat.
      const ops = heapOps(b);
      const sc = new Scratch(b, C, 5, 2);
      const rs = rstdOf(b.typedArrayFromHeap(variance) as Float32Array, epsilon);
      sc.vec(0).set(b.typedArrayFromHeap(mean) as Float32Array);
      sc.vec(1).set(rs);
      ops.bnGradSums(addr(b, dy), addr(b, x), n, C, sc.vecAddr(0), sc.vecAddr(1), sc.accAddr(0), sc.accAddr(1));
      const a0 = sc.acc(0), a1 = sc.acc(1), mdy = sc.vec(2), mdyx = sc.vec(3), kk = sc.vec(4);
      const gm = b.typedArrayFromHeap(gamma) as Float32Array;
      for (let c = 0; c < C; c++) { mdy[c] = a0[c] / n; mdyx[c] = a1[c] / n; kk[c] = gm[c] * rs[c]; }
      ops.bnDx(addr(b, dy), addr(b, x), addr(b, dxT), xs.length, C, sc.vecAddr(0), sc.vecAddr(1), sc.vecAddr(2), sc.vecAddr(3), sc.vecAddr(4));
      sc.dispose();
      return dxT;
    }
    const rstd = rstdOf(va, epsilon);
    const sdy = new Float64Array(C), sdyx = new Float64Array(C);
    for (let p = 0; p < xs.length; p += C) {
      for (let c = 0; c < C; c++) {
        const d = g[p + c];
        sdy[c] += d;
        sdyx[c] += d * ((xs[p + c] - mu[c]) * rstd[c]);
      }
    }
    const mdy = new Float32Array(C), mdyx = new Float32Array(C), k = new Float32Array(C);
    for (let c = 0; c < C; c++) {
      mdy[c] = sdy[c] / n; mdyx[c] = sdyx[c] / n; k[c] = gam[c] * rstd[c];
    }
    for (let p = 0; p < xs.length; p += C) {
      for (let c = 0; c < C; c++) {
        const xh = (xs[p + c] - mu[c]) * rstd[c];
        dx[p + c] = (g[p + c] - mdy[c] - xh * mdyx[c]) * k[c];
      }
    }
    return dxT;
  },
};

/** dgamma = sum dy * xhat (attr param 'gamma') or dbeta = sum dy ('beta'), per channel. */
export const batchNormParamGradConfig: tf.KernelConfig = {
  kernelName: BN_PARAM_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, x, mean, variance } = inputs as Record<string, TensorInfo>;
    const { epsilon, param } = attrs as unknown as { epsilon: number; param: 'gamma' | 'beta' };
    const b = backend as WasmBackend;
    const C = x.shape[x.shape.length - 1];
    const out = b.makeOutput([C], 'float32');
    if (C % 4 === 0) {
      // SIMD: vectors 0 mean (zeros for beta), 1 rstd; accumulators 0 sum dy, 1 sum dy*xhat.
      const ops = heapOps(b);
      const sc = new Scratch(b, C, 2, 2);
      const n = (b.typedArrayFromHeap(dy) as Float32Array).length / C;
      if (param === 'beta') {
        ops.bnSums(addr(b, dy), n, C, sc.vecAddr(0), 1, sc.accAddr(0));
      } else {
        sc.vec(0).set(b.typedArrayFromHeap(mean) as Float32Array);
        sc.vec(1).set(rstdOf(b.typedArrayFromHeap(variance) as Float32Array, epsilon));
        ops.bnGradSums(addr(b, dy), addr(b, x), n, C, sc.vecAddr(0), sc.vecAddr(1), sc.accAddr(0), sc.accAddr(1));
      }
      (b.typedArrayFromHeap(out) as Float32Array).set(sc.acc(param === 'beta' ? 0 : 1));
      sc.dispose();
      return out;
    }
    const o = b.typedArrayFromHeap(out) as Float32Array, g = b.typedArrayFromHeap(dy) as Float32Array;
    if (param === 'beta') {
      o.set(channelSums(g, C));
      return out;
    }
    const xs = b.typedArrayFromHeap(x) as Float32Array, mu = b.typedArrayFromHeap(mean) as Float32Array;
    const rstd = rstdOf(b.typedArrayFromHeap(variance) as Float32Array, epsilon);
    const s = new Float64Array(C);
    for (let p = 0; p < xs.length; p += C) {
      for (let c = 0; c < C; c++) s[c] += g[p + c] * ((xs[p + c] - mu[c]) * rstd[c]);
    }
    o.set(s);
    return out;
  },
};

/** The gradient of BN_TRAIN: one BN_TRAIN_GRAD call for all three inputs. */
export const batchNormTrainGradient: tf.GradConfig = {
  kernelName: BN_TRAIN,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    // Only y's gradient matters: the batch statistics feed the moving averages, not the loss.
    const [dy] = dys as tf.Tensor[];
    const [x, gamma, mean, variance] = saved;
    const epsilon = (attrs as { epsilon: number }).epsilon;
    return {
      x: () => tf.engine().runKernel(BN_TRAIN_GRAD, { dy, x, gamma, mean, variance }, { epsilon }) as tf.Tensor,
      gamma: () => tf.engine().runKernel(BN_PARAM_GRAD, { dy, x, mean, variance }, { epsilon, param: 'gamma' }) as tf.Tensor,
      beta: () => tf.engine().runKernel(BN_PARAM_GRAD, { dy, x, mean, variance }, { epsilon, param: 'beta' }) as tf.Tensor,
    };
  },
};

/** y, batch mean and (population) variance of x [.., C]: the fused wasm kernel. */
export function fusedBatchNormTrain(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const [y, mean, variance] = tf.engine().runKernel(BN_TRAIN, { x, gamma, beta }, { epsilon }) as tf.Tensor[];
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}
