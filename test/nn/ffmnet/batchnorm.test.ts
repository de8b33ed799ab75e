/**
 * The fused wasm batch-norm kernels (src/nn/kernels/batch-norm.ts, used by batchNormTrain on wasm)
 * against the composite implementation they replace (batchNormTrainComposite, the same formulas in
 * tfjs ops), both on wasm, on seeded random inputs: y, batch mean and variance, and the gradients
 * for x, gamma and beta within 1e-5 relative (max |a - b| / max |b| over each tensor).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { batchNormTrain, batchNormTrainComposite, FFMNetBatchNorm } from '../../../src/nn/ffmnet/batchnorm.js';
import { Rng } from '../../../src/core/rng.js';
import { relError } from '../kernels/reference.js';

type Bn = typeof batchNormTrain;

function run(bn: Bn, shape: number[], seed: number): Float32Array[] {
  const rng = new Rng(seed);
  const c = shape[shape.length - 1];
  const n = shape.reduce((a, b) => a * b, 1);
  // A mean far from 0 and a spread unlike 1 (as activations are), so centring matters.
  const xd = (rng.fillGaussian(new Float32Array(n), 3) as Float32Array).map((v) => v + 2);
  const gd = new Float32Array(c).map(() => 0.5 + rng.uniform());
  const bd = rng.fillGaussian(new Float32Array(c)) as Float32Array;
  const dyd = rng.fillGaussian(new Float32Array(n)) as Float32Array;
  return tf.tidy(() => {
    const x = tf.tensor(xd, shape), gamma = tf.tensor1d(gd), beta = tf.tensor1d(bd), dy = tf.tensor(dyd, shape);
    const { y, mean, variance } = bn(x, gamma, beta, 1e-3);
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(bn(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3).y, dy)))([x, gamma, beta]);
    return [y, mean, variance, ...grads].map((t) => t.dataSync() as Float32Array).map((v) => Float32Array.from(v));
  });
}

const shapes = [[16, 8, 8, 24], [3, 5, 7, 6], [1, 1, 1, 5], [1, 9, 11, 3], [2, 4, 4, 128], [7, 10]];
const names = ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'];

for (const [i, shape] of shapes.entries()) {
  test(`fused batch norm on wasm equals the composite, forward and gradients: ${shape}`, async () => {
    await initBackend('wasm');
    const fused = run(batchNormTrain, shape, 40 + i);
    const ref = run(batchNormTrainComposite, shape, 40 + i);
    fused.forEach((v, j) => {
      const e = relError(v, ref[j]);
      assert.ok(e <= 1e-5, `${names[j]}: relative error ${e}`);
    });
  });
}

test('the layer on wasm uses the fused kernels (no tfjs reductions) and keeps the moving statistics', async () => {
  await initBackend('wasm');
  const layer = new FFMNetBatchNorm({ momentum: 0.5, epsilon: 1e-3 });
  const x = tf.tensor4d([1, 3, 5, 7], [4, 1, 1, 1]);
  const prof = await tf.profile(() => { layer.apply(x, { training: true }); });
  const names = prof.kernels.map((k) => k.name);
  assert.ok(names.includes('JsccBatchNormTrain'), `kernels: ${names}`);
  assert.not.ok(names.includes('Mean') || names.includes('Sum'), `kernels: ${names}`);
  const [, , mm, mv] = layer.getWeights().map((w) => w.dataSync()[0]);
  assert.ok(Math.abs(mm - 2) < 1e-6, `moving mean ${mm}`);
  assert.ok(Math.abs(mv - (0.5 + 0.5 * (20 / 3))) < 1e-5, `moving variance ${mv}`);
});

test.run();
