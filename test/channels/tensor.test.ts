/**
 * Differentiable channel forms (tfjs, cpu backend here): noise statistics, Rayleigh equalized
 * noise, per-example block fading, seeds, and gradients that reach the input.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { createChannel } from '../../channels/registry.js';
import { tfjs } from '../../channels/tensor.js';

// All test files share one process: pin the cpu backend here and give back whatever was active.
let previous: string | null = null;
test.before(async () => {
  previous = tf.engine().backendName;
  await tf.setBackend('cpu');
  await tf.ready();
});
test.after(async () => {
  if (previous && previous !== 'cpu') await tf.setBackend(previous);
});

test('the lazily required tfjs is the same module instance as an import', () => {
  assert.ok(tfjs().Tensor === tf.Tensor);
});

test('AWGN applyTensor: N0/2 per real value, seeded, gradient = 1', async () => {
  const ch = await createChannel('awgn');
  const x = tf.zeros([4000, 16, 2]);
  const snr = 3, n0 = 10 ** (-snr / 10);
  const y = ch.applyTensor!(x, snr, 42) as tf.Tensor;
  assert.equal(y.shape, [4000, 16, 2]);
  const v = (await tf.moments(y).variance.data())[0];
  assert.ok(Math.abs(v - n0 / 2) < 5 * (n0 / 2) * Math.sqrt(2 / y.size), `variance ${v}`);
  const y2 = ch.applyTensor!(x, snr, 42) as tf.Tensor;
  assert.ok((await tf.max(tf.abs(tf.sub(y, y2))).data())[0] === 0, 'same seed, same noise');
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(ch.applyTensor!(t, snr, 1) as tf.Tensor, 3)))(tf.ones([5, 4]));
  assert.equal(Array.from(await g.data()), new Array(20).fill(3));
  assert.throws(() => ch.applyTensor!(tf.zeros([3, 5]), snr), /even/);
});

test('Rayleigh applyTensor: equalized noise, one h per example for block fading, gradients flow', async () => {
  const fast = await createChannel('rayleigh');
  const block = await createChannel('rayleigh-block');
  const x = tf.randomNormal([64, 512]);
  const snr = 40;
  for (const ch of [fast, block]) {
    const y = ch.applyTensor!(x, snr, 7) as tf.Tensor;
    assert.equal(y.shape, x.shape);
    // at 40 dB the equalized noise is small except in deep fades: the median error is tiny
    const err = Array.from(await tf.abs(tf.sub(y, x)).data()).sort((a, b) => a - b);
    assert.ok(err[err.length >> 1] < 0.05, `${ch.name} median |y - x| ${err[err.length >> 1]}`);
    const g = tf.grad((t: tf.Tensor) => tf.sum(ch.applyTensor!(t, 0, 3) as tf.Tensor))(x);
    assert.ok((await tf.max(tf.abs(tf.sub(g, 1))).data())[0] < 1e-6, `${ch.name} gradient`);
  }
  // Per-example fading: within one example e = n / h with a single h, so its 2000 real values are
  // Gaussian (kurtosis 3); with fast fading they are a heavy-tailed scale mixture (kurtosis >> 3).
  const zeros = tf.zeros([8, 2000]);
  const kurtosis = async (ch: typeof fast) => {
    const e = ch.applyTensor!(zeros, 0, 11) as tf.Tensor;
    const { mean, variance } = tf.moments(e, 1, true);
    const k4 = tf.div(tf.mean(tf.pow(tf.sub(e, mean), 4), 1), tf.square(variance.squeeze()));
    return Array.from(await k4.data());
  };
  const kb = await kurtosis(block), kf = await kurtosis(fast);
  assert.ok(kb.every((k) => Math.abs(k - 3) < 0.5), `block-fading kurtosis ${kb}`);
  assert.ok(kf.every((k) => k > 6), `fast-fading kurtosis ${kf}`);
});

test.run();
