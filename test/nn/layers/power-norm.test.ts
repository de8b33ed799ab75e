/** Power normalization: Es = 1 per complex symbol per image, exactly; shape and gradient checks. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { PowerNorm } from '../../../src/nn/layers/power-norm.js';
import { randomData } from '../kernels/reference.js';

test.before(async () => {
  await initBackend('wasm');
});

test('mean |z|^2 = 1 per image (interleaved re/im over the NHWC-flattened output), any input scale', () => {
  const shape = [3, 4, 4, 6]; // 96 reals = 48 complex symbols per image
  for (const scale of [1e-3, 1, 250]) {
    const xd = randomData(7, shape, scale);
    const z = tf.tidy(() => (new PowerNorm().apply(tf.tensor(xd, shape)) as tf.Tensor).dataSync());
    for (let img = 0; img < 3; img++) {
      let e = 0;
      for (let i = 0; i < 48; i++) {
        const re = z[img * 96 + 2 * i], im = z[img * 96 + 2 * i + 1];
        e += re * re + im * im;
      }
      assert.ok(Math.abs(e / 48 - 1) < 1e-5, `image ${img}, scale ${scale}: mean |z|^2 = ${e / 48}`);
    }
  }
});

test('each image is scaled by one positive factor (direction kept, images independent)', () => {
  const a = randomData(1, [1, 2, 2, 2]), b = randomData(2, [1, 2, 2, 2], 10);
  const both = new Float32Array([...a, ...b]);
  const z = tf.tidy(() => (new PowerNorm().apply(tf.tensor(both, [2, 2, 2, 2])) as tf.Tensor).dataSync());
  const ratio = z[0] / a[0];
  assert.ok(ratio > 0);
  for (let i = 0; i < 8; i++) assert.ok(Math.abs(z[i] / a[i] - ratio) < 1e-4 * ratio, `element ${i}`);
  // Image 2's factor differs (its energy is 100x) but image 1's output does not depend on it.
  const alone = tf.tidy(() => (new PowerNorm().apply(tf.tensor(a, [1, 2, 2, 2])) as tf.Tensor).dataSync());
  for (let i = 0; i < 8; i++) assert.ok(Math.abs(alone[i] - z[i]) < 1e-6);
});

test('all-zero input gives zeros, not NaN; gradients are finite', () => {
  const z = tf.tidy(() => (new PowerNorm().apply(tf.zeros([1, 2, 2, 2])) as tf.Tensor).dataSync());
  assert.ok(Array.from(z).every((v) => v === 0));
  const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(new PowerNorm().apply(x) as tf.Tensor, tf.range(0, 8).reshape([1, 2, 2, 2]))))(tf.tensor(randomData(3, [1, 2, 2, 2]), [1, 2, 2, 2])).dataSync();
  assert.ok(Array.from(g).every(Number.isFinite) && Array.from(g).some((v) => v !== 0));
});

test('odd number of reals per image is refused at build', () => {
  assert.throws(() => new PowerNorm().apply(tf.input({ shape: [3, 3, 1] })), /even/);
});

test.run();
