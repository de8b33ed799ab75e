/**
 * BatchMatMul and _FusedMatMul for wasm, routed to XNNPACK's fast path.
 *
 * tfjs-backend-wasm 4.22 reaches XNNPACK only for one plain [M, K] x [K, N] product; a transposed
 * operand or a batch > 1 falls to a scalar loop at 1-2 GFLOP/s instead of ~20 (measured on this
 * machine). Every backward pass of a dense layer or a matmul hits that loop (dW = x^T dy,
 * dx = dy W^T). Here transposes are materialized with the wasm Transpose kernel (memory-bound,
 * cheap), a batch against a shared right operand is folded into the rows, and other batches are
 * looped; the product itself is always the built-in kernel's fast case.
 */
import * as tf from '@tensorflow/tfjs';
import { withScope, type KernelScope, type TensorInfo, type WasmBackend } from './wasm-ops.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Many tiny products: the built-in loop beats per-item kernel calls. */
function preferBuiltin(batch: number, m: number, k: number, n: number): boolean {
  return batch > 16 && m * k * n < 16384;
}

/**
 * a [.., M, K] (or [.., K, M] with transposeA) times b: returns [batch, M, N] via fast products, or
 * null when the shapes need broadcasting this module does not handle (the caller falls back).
 */
function fastProduct(
  k: KernelScope, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean,
  product: (a2: TensorInfo, b2: TensorInfo) => TensorInfo,
): TensorInfo | null {
  const ar = a.shape.length, br = b.shape.length;
  const batchA = size(a.shape.slice(0, -2)), batchB = size(b.shape.slice(0, -2));
  const m = transposeA ? a.shape[ar - 1] : a.shape[ar - 2];
  const kk = transposeA ? a.shape[ar - 2] : a.shape[ar - 1];
  const n = transposeB ? b.shape[br - 2] : b.shape[br - 1];
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  if (batchA !== batchB && size(a.shape.slice(0, -2)) !== 1 && size(b.shape.slice(0, -2)) !== 1) return null;
  const batch = Math.max(batchA, batchB);
  if (preferBuiltin(batch, m, kk, n)) return null;
  let a3 = k.reshape(a, [batchA, a.shape[ar - 2], a.shape[ar - 1]]);
  let b3 = k.reshape(b, [batchB, b.shape[br - 2], b.shape[br - 1]]);
  if (transposeA) a3 = k.transpose(a3, [0, 2, 1]);
  if (transposeB) b3 = k.transpose(b3, [0, 2, 1]);
  if (batchA === 1 && batchB === 1) return product(a3, b3);
  if (batchB === 1) {
    // Shared right operand: stack the batch into rows, one product.
    return k.reshape(product(k.reshape(a3, [1, batchA * m, kk]), b3), [batchA, m, n]);
  }
  if (batchA === 1) {
    // Shared left operand: lay the batch side by side in columns, one product.
    const bWide = k.reshape(k.transpose(b3, [1, 0, 2]), [1, kk, batchB * n]);
    return k.transpose(k.reshape(product(a3, bWide), [m, batchB, n]), [1, 0, 2]);
  }
  const parts: TensorInfo[] = [];
  for (let i = 0; i < batch; i++) {
    parts.push(product(k.slice(a3, [i, 0, 0], [1, m, kk]), k.slice(b3, [i, 0, 0], [1, kk, n])));
  }
  return k.concat(parts, 0);
}

function outShape(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): number[] {
  const ar = a.shape.length, br = b.shape.length;
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return [...outer, transposeA ? a.shape[ar - 1] : a.shape[ar - 2], transposeB ? b.shape[br - 2] : b.shape[br - 1]];
}

interface MatMulAttrs { transposeA: boolean; transposeB: boolean }

export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: 'BatchMatMul',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
    return withScope(backend as WasmBackend, (k) => {
      const plain = (a2: TensorInfo, b2: TensorInfo) => k.runBuiltin('BatchMatMul', { a: a2, b: b2 }, { transposeA: false, transposeB: false });
      const r = a.dtype === 'float32' && b.dtype === 'float32' ? fastProduct(k, a, b, transposeA, transposeB, plain) : null;
      const out = r ?? k.runBuiltin('BatchMatMul', { a, b }, { transposeA, transposeB });
      return k.reshape(out, outShape(a, b, transposeA, transposeB));
    });
  },
};

interface FusedAttrs extends MatMulAttrs { activation: string; leakyreluAlpha?: number }

export const fusedMatMulConfig: tf.KernelConfig = {
  kernelName: '_FusedMatMul',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { a, b, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined>;
    const at = attrs as unknown as FusedAttrs;
    return withScope(backend as WasmBackend, (k) => {
      // Transposes done here; bias and activation stay fused in the built-in kernel.
      const a2 = at.transposeA ? k.transpose(k.reshape(a!, [size(a!.shape.slice(0, -2)), a!.shape[a!.shape.length - 2], a!.shape[a!.shape.length - 1]]), [0, 2, 1]) : a!;
      const b2 = at.transposeB ? k.transpose(k.reshape(b!, [size(b!.shape.slice(0, -2)), b!.shape[b!.shape.length - 2], b!.shape[b!.shape.length - 1]]), [0, 2, 1]) : b!;
      const fusedInputs: Record<string, TensorInfo> = { a: a2, b: b2 };
      if (bias) fusedInputs.bias = bias;
      if (preluActivationWeights) fusedInputs.preluActivationWeights = preluActivationWeights;
      const out = k.runBuiltin('_FusedMatMul', fusedInputs, { ...at, transposeA: false, transposeB: false });
      return k.reshape(out, outShape(a!, b!, at.transposeA, at.transposeB));
    });
  },
};
