/**
 * Identity for wasm without a copy. tfjs-backend-wasm 4.22 copies the whole tensor; the engine
 * calls Identity for every clone, customGrad input and gradient pass-through (~1400 calls in one
 * FFMNet training step). Tensors are immutable, so the output shares the input's data, reference
 * counted as Reshape does (and as the cpu backend's Identity does).
 */
import type * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from './wasm-ops.js';

export const identityConfig: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { x } = inputs as { x: TensorInfo };
    (backend as unknown as { incRef(id: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};
