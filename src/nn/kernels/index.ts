/**
 * The project's kernels for the tfjs wasm backend: gradient kernels wasm lacks in tfjs 4.22, and
 * replacements for ones it has in a slow form. Each is built from wasm-backed kernels (the
 * backend's own Conv2D, Transpose, PadV2, Slice, ...), so they run at XNNPACK speed.
 *
 * Kernels are overridden (unregister, then register), not gradients: tfjs-layers uses fused
 * convolutions whose gradient functions call these kernels directly.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseConv2dNativeBackpropFilterConfig, depthwiseConv2dNativeBackpropInputConfig } from './depthwise-backprop.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';
import { batchMatMulConfig, fusedMatMulConfig } from './batch-mat-mul.js';
import { tileConfig } from './tile.js';
import { einsumConfig } from './einsum.js';
import { sliceConfig, splitVConfig } from './slice.js';
import { identityConfig } from './identity.js';
import { batchToSpaceNDConfig, spaceToBatchNDConfig } from './space-to-batch.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { batchNormParamGradConfig, batchNormTrainConfig, batchNormTrainGradConfig, batchNormTrainGradient } from './batch-norm.js';
import { builtinKernels } from './wasm-ops.js';

export { registerProjectGradients } from './gradients.js';
export { fusedBatchNormTrain, BN_TRAIN } from './batch-norm.js';

/** Every kernel this module provides for 'wasm'. */
export const wasmKernelConfigs: tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  unsortedSegmentSumConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  tileConfig,
  einsumConfig,
  sliceConfig,
  splitVConfig,
  identityConfig,
  spaceToBatchNDConfig,
  batchToSpaceNDConfig,
  maxPoolGradConfig,
  batchNormTrainConfig,
  batchNormTrainGradConfig,
  batchNormParamGradConfig,
];

let registered = false;

/** The kernel tfjs-backend-wasm shipped under `name`, if this module replaced it. */
export function builtinWasmKernel(name: string): tf.KernelConfig | undefined {
  return builtinKernels.get(name);
}

/** Register (or override) the project's wasm kernels; idempotent. */
export function registerWasmKernels(): void {
  if (registered) return;
  for (const cfg of wasmKernelConfigs) {
    const config: tf.KernelConfig = { ...cfg, backendName: 'wasm' };
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (existing) {
      builtinKernels.set(config.kernelName, existing);
      tf.unregisterKernel(config.kernelName, 'wasm');
      // The replaced kernel may still be called (as a fast path, or by benchmarks): keep its
      // setup (cwrap of the wasm function) running when the backend initializes.
      const own = cfg.setupFunc;
      config.setupFunc = (backend) => {
        existing.setupFunc?.(backend);
        own?.(backend);
      };
    }
    tf.registerKernel(config);
  }
  // The fused batch norm's gradient (its kernels exist on wasm only; see batchnorm.ts).
  if (!tf.getGradient(batchNormTrainGradient.kernelName)) tf.registerGradient(batchNormTrainGradient);
  registered = true;
}
