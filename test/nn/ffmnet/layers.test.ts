/**
 * The two hand-written layers against tfjs' own ops: the space-to-batch dilated conv (forward vs
 * conv2d with dilation; gradients vs a dense conv with the zero-stuffed kernel, which tfjs can
 * differentiate) and the batch norm with the closed-form gradient (vs tf.batchNorm's gradient).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { dilatedConv2d } from '../../../src/nn/ffmnet/dilated.js';
import { batchNormTrain, FFMNetBatchNorm } from '../../../src/nn/ffmnet/batchnorm.js';

test.before(async () => { await initBackend('wasm'); });

function maxRel(a: tf.Tensor, b: tf.Tensor): number {
  const d = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
  const s = tf.max(tf.abs(b)).dataSync()[0];
  return d / Math.max(s, 1e-6);
}

/** 3x3 kernel dilated by d as a dense (2d+1)x(2d+1) kernel with zeros between the taps. */
function stuffed(k: tf.Tensor4D, d: number): tf.Tensor4D {
  const [, , ci, co] = k.shape;
  const n = 2 * d + 1;
  // A 0/1 placement matrix (differentiable through matMul, unlike scatterND).
  const place = new Float32Array(n * n * 9);
  for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) place[(y * d * n + x * d) * 9 + y * 3 + x] = 1;
  const flat = tf.reshape(k, [9, ci * co]);
  return tf.reshape(tf.matMul(tf.tensor2d(place, [n * n, 9]), flat), [n, n, ci, co]) as tf.Tensor4D;
}

for (const [h, w, d] of [[8, 8, 2], [7, 5, 2], [9, 12, 3]] as const) {
  test(`dilated conv ${h}x${w}, dilation ${d}: forward and gradients`, () => {
    const x = tf.randomNormal([2, h, w, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const k = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
    const ref = tf.conv2d(x, k, 1, 'same', 'NHWC', d);
    const got = dilatedConv2d(x, k, d);
    assert.equal(got.shape, [2, h, w, 4]);
    assert.ok(maxRel(got, ref) < 1e-5, `forward differs: ${maxRel(got, ref)}`);
    const dy = tf.randomNormal([2, h, w, 4], 0, 1, 'float32', 3);
    const gMine = tf.grads((xx: tf.Tensor, kk: tf.Tensor) => tf.sum(tf.mul(dilatedConv2d(xx as tf.Tensor4D, kk as tf.Tensor4D, d), dy)))([x, k]);
    const gRef = tf.grads((xx: tf.Tensor, kk: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, stuffed(kk as tf.Tensor4D, d), 1, 'same'), dy)))([x, k]);
    assert.ok(maxRel(gMine[0], gRef[0]) < 1e-5, `dx differs: ${maxRel(gMine[0], gRef[0])}`);
    assert.ok(maxRel(gMine[1], gRef[1]) < 1e-5, `dkernel differs: ${maxRel(gMine[1], gRef[1])}`);
  });
}

test('batch norm: training forward and gradients equal tf.batchNorm with batch moments', () => {
  const x = tf.randomNormal([3, 5, 4, 6], 2, 3, 'float32', 4);
  const gamma = tf.randomUniform([6], 0.5, 1.5, 'float32', 5) as tf.Tensor1D;
  const beta = tf.randomNormal([6], 0, 1, 'float32', 6) as tf.Tensor1D;
  const dy = tf.randomNormal([3, 5, 4, 6], 0, 1, 'float32', 7);
  const ref = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const m = tf.moments(xx, [0, 1, 2]);
    return tf.batchNorm(xx, m.mean, m.variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-3);
  };
  const mine = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => batchNormTrain(xx, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3).y;
  assert.ok(maxRel(mine(x, gamma, beta), ref(x, gamma, beta)) < 1e-5);
  const gm = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(mine(a, b, c), dy)))([x, gamma, beta]);
  const gr = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(ref(a, b, c), dy)))([x, gamma, beta]);
  for (let i = 0; i < 3; i++) assert.ok(maxRel(gm[i], gr[i]) < 1e-4, `gradient ${i} differs: ${maxRel(gm[i], gr[i])}`);
});

test('batch norm layer: moving statistics follow the momentum; inference uses them', () => {
  const layer = new FFMNetBatchNorm({ momentum: 0.5, epsilon: 1e-3 });
  const x = tf.tensor4d([1, 3, 5, 7], [4, 1, 1, 1]);
  layer.apply(x, { training: true });
  const [, , mm, mv] = layer.getWeights().map((w) => w.dataSync()[0]);
  assert.ok(Math.abs(mm - 0.5 * 4) < 1e-6, `moving mean ${mm}`); // 0.5 * 0 + 0.5 * 4
  assert.ok(Math.abs(mv - (0.5 * 1 + 0.5 * (20 / 3))) < 1e-5, `moving variance ${mv}`); // unbiased variance 20/3
  const y = (layer.apply(tf.tensor4d([2], [1, 1, 1, 1])) as tf.Tensor).dataSync()[0];
  assert.ok(Math.abs(y - 0) < 1e-6, `inference output ${y}`);
  const cfg = layer.getConfig();
  assert.is(cfg.momentum, 0.5);
});

test.run();
