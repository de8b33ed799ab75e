/**
 * Training steps on wasm with the project's kernels leak nothing: tfjs tensor count and bytes are
 * stable across steps, and the wasm heap stops growing once the first steps have sized it (the
 * XNNPACK operators made for temporary filters are released with their data).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { GDN } from '../../../src/nn/layers/gdn.js';
import { randomData } from './reference.js';

function net(): tf.LayersModel {
  const x = tf.input({ shape: [24, 24, 3] });
  let h = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: tf.initializers.heNormal({ seed: 1 }) }).apply(x) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
  const skip = tf.layers.conv2d({ filters: 8, kernelSize: 1, kernelInitializer: tf.initializers.heNormal({ seed: 2 }) }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.heNormal({ seed: 3 }) }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.add().apply([h, skip]) as tf.SymbolicTensor;
  h = new GDN().apply(h) as tf.SymbolicTensor;
  h = tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.heNormal({ seed: 4 }) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: h });
}

test('training steps on wasm: numTensors, numBytes and the wasm heap are stable', async () => {
  await initBackend('wasm');
  const model = net();
  const opt = tf.train.adam(1e-3);
  const xs = tf.tensor(randomData(1, [4, 24, 24, 3]), [4, 24, 24, 3]);
  const ys = tf.tensor(randomData(2, [4, 24, 24, 4]), [4, 24, 24, 4]);
  const losses: number[] = [];
  const step = () => {
    const loss = opt.minimize(() => tf.losses.meanSquaredError(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    losses.push(loss.dataSync()[0]);
    loss.dispose();
  };
  const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
  for (let i = 0; i < 3; i++) step(); // optimizer slots and heap sized
  const before = tf.memory(), heapBefore = heap();
  for (let i = 0; i < 10; i++) step();
  const after = tf.memory();
  assert.is(after.numTensors, before.numTensors, 'tensor count changed');
  assert.is(after.numBytes, before.numBytes, 'tensor bytes changed');
  assert.ok(heap() <= heapBefore, `wasm heap grew from ${heapBefore} to ${heap()} bytes`);
  assert.ok(losses.every(Number.isFinite), 'non-finite loss');
  assert.ok(losses[losses.length - 1] < losses[0], `loss did not fall: ${losses[0]} -> ${losses[losses.length - 1]}`);
  tf.dispose([xs, ys]);
  model.dispose();
  opt.dispose();
});

test.run();
