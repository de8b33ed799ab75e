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

/** Every kernel this module provides for 'wasm'. */
export const wasmKernelConfigs: tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
];

let registered = false;

/** Register (or override) the project's wasm kernels; idempotent. */
export function registerWasmKernels(): void {
  if (registered) return;
  for (const cfg of wasmKernelConfigs) {
    const config = { ...cfg, backendName: 'wasm' };
    if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  registered = true;
}
