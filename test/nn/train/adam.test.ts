/**
 * ExactAdam: the updates of Adam computed by hand in float64 on a small problem, and a state
 * saved and restored mid-run that continues bit for bit like the uninterrupted optimizer.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { ExactAdam } from '../../../src/nn/train/adam.js';
import { learningRate } from '../../../src/nn/train/schedule.js';

test.before(async () => { await initBackend('wasm'); });

test('updates equal hand-computed Adam on f(w) = sum (w - c)^2', () => {
  const c = [1, -2, 0.5];
  const w = tf.variable(tf.tensor1d([0, 0, 0]));
  const opt = new ExactAdam({ lr: 0.1 });
  const ref = [0, 0, 0], m = [0, 0, 0], v = [0, 0, 0];
  for (let t = 1; t <= 5; t++) {
    opt.minimize(() => tf.sum(tf.square(tf.sub(w, tf.tensor1d(c)))) as tf.Scalar, false, [w]);
    for (let i = 0; i < 3; i++) {
      const g = 2 * (ref[i] - c[i]);
      m[i] = 0.9 * m[i] + 0.1 * g;
      v[i] = 0.999 * v[i] + 0.001 * g * g;
      ref[i] -= (0.1 * m[i] / (1 - 0.9 ** t)) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-7);
    }
  }
  const got = w.dataSync();
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(got[i] - ref[i]) < 1e-5, `w[${i}] ${got[i]} vs ${ref[i]}`);
  assert.is(opt.step, 5);
});

test('state saved after 3 steps and restored into a new optimizer continues bit for bit', async () => {
  const run = async (split: boolean) => {
    const w = tf.variable(tf.tensor1d([0.3, -0.7, 2]), true, `w_${split}`);
    let opt = new ExactAdam({ lr: 0.05 });
    const f = () => tf.sum(tf.mul(tf.square(w), tf.tensor1d([1, 3, 0.5]))) as tf.Scalar;
    for (let s = 0; s < 8; s++) {
      if (split && s === 3) {
        const saved = (await opt.getWeights()).map((x) => ({ name: x.name, tensor: tf.clone(x.tensor) }));
        opt.dispose();
        opt = new ExactAdam({ lr: 0.05 });
        await opt.setWeights(saved);
      }
      opt.learningRate = learningRate({ lr: 0.05, kind: 'cosine', drops: [], warmupSteps: 2 }, s, 8);
      opt.minimize(f, false, [w]);
    }
    return Array.from(w.dataSync());
  };
  assert.equal(await run(true), await run(false));
});

test('cosine schedule: warm-up, then from lr to lr/100; step drops as before', () => {
  const s = { lr: 1e-2, kind: 'cosine' as const, drops: [], warmupSteps: 10 };
  assert.ok(Math.abs(learningRate(s, 0, 110) - 1e-3) < 1e-12);
  assert.ok(Math.abs(learningRate(s, 10, 110) - 1e-2) < 1e-12);
  assert.ok(Math.abs(learningRate(s, 60, 110) - (1e-4 + 0.5 * (1e-2 - 1e-4))) < 1e-12);
  assert.ok(Math.abs(learningRate(s, 110, 110) - 1e-4) < 1e-12);
  assert.ok(Math.abs(learningRate({ lr: 1, drops: [0.5] }, 50, 100) - 0.1) < 1e-12);
});

test.run();
