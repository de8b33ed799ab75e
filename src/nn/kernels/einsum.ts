/**
 * Einsum forward for wasm (missing in tfjs 4.22). Same plan as tfjs' reference backends use
 * (backend_util's equation decoding and contraction path): each operand is permuted into the
 * equation's full index order and broadcast with unit axes, operands are multiplied in, and each
 * summed index is reduced as soon as no later operand needs it. Built from wasm Transpose, Reshape,
 * Multiply and Sum. (tfjs has no Einsum gradient on any backend.)
 */
import * as tf from '@tensorflow/tfjs';
import { withScope, type TensorInfo, type WasmBackend } from './wasm-ops.js';

export const einsumConfig: tf.KernelConfig = {
  kernelName: 'Einsum',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const operands = inputs as unknown as TensorInfo[];
    const equation = (attrs as unknown as { equation: string }).equation;
    const bu = tf.backend_util;
    const { allDims, summedDims, idDims } = bu.decodeEinsumEquation(equation, operands.length);
    bu.checkEinsumDimSizes(allDims.length, idDims, operands as unknown as tf.Tensor[]);
    const { path, steps } = bu.getEinsumComputePath(summedDims, idDims);
    return withScope(backend as WasmBackend, (k) => {
      let acc: TensorInfo | null = null;
      let remaining = allDims.length;
      steps.forEach((operandIds, i) => {
        for (const id of operandIds) {
          const { permutationIndices, expandDims } = bu.getEinsumPermutation(remaining, idDims[id]);
          let x = bu.isIdentityPermutation(permutationIndices) ? operands[id] : k.transpose(operands[id], permutationIndices);
          const shape = x.shape.slice();
          for (const d of expandDims) shape.splice(d, 0, 1);
          if (shape.length !== x.shape.length) x = k.reshape(x, shape);
          acc = acc === null ? x : k.run('Multiply', { a: x, b: acc });
        }
        if (i < steps.length - 1) {
          if (path[i] >= 0) acc = k.run('Sum', { x: acc! }, { axis: path[i] - (allDims.length - remaining), keepDims: false });
          remaining--;
        }
      });
      return acc!;
    });
  },
};
