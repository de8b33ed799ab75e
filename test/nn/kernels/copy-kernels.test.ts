/**
 * The project's wasm Slice, SplitV, Identity, SpaceToBatchND, BatchToSpaceND and MaxPoolGrad
 * against tfjs' `cpu` kernels on random shapes (odd sizes, batch 1, padding, strides), seeded data.
 * Copies must be exact; MaxPoolGrad sums the same values (exact up to float addition order).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../src/core/rng.js';
import { compareBackends, onBackend, randomData } from './reference.js';
import { initBackend } from '../../../src/nn/backend.js';

test('Slice of rank 1..5, float32 and int32, vs cpu: identical', async () => {
  const rng = new Rng(3);
  for (let t = 0; t < 30; t++) {
    const rank = 1 + rng.int(5);
    const shape = Array.from({ length: rank }, () => 1 + rng.int(6));
    const begin = shape.map((d) => rng.int(d));
    const size = shape.map((d, i) => (rng.uniform() < 0.3 ? -1 : 1 + rng.int(d - begin[i])));
    const data = randomData(100 + t, shape);
    const ints = Int32Array.from(data, (v) => Math.round(v * 1000));
    for (const vals of [data, ints]) {
      const f = () => tf.slice(tf.tensor(vals, shape, vals instanceof Int32Array ? 'int32' : 'float32'), begin, size);
      const [ref] = await onBackend('cpu', f);
      const [got] = await onBackend('wasm', f);
      assert.equal(Array.from(got), Array.from(ref), `shape ${shape} begin ${begin} size ${size}`);
    }
  }
});

test('SplitV along each axis, and Identity (clone), vs cpu: identical', async () => {
  const shape = [3, 5, 4, 7];
  const data = randomData(7, shape);
  for (let axis = 0; axis < 4; axis++) {
    const sizes = axis === 1 ? [2, 1, 2] : [1, shape[axis] - 1];
    const f = () => [...tf.split(tf.tensor(data, shape), sizes, axis), tf.clone(tf.tensor(data, shape))];
    const ref = await onBackend('cpu', f);
    const got = await onBackend('wasm', f);
    assert.equal(got.length, ref.length);
    got.forEach((g, i) => assert.equal(Array.from(g), Array.from(ref[i]), `axis ${axis} piece ${i}`));
  }
});

test('Identity shares data: disposing the clone keeps the source, and no bytes leak', async () => {
  await initBackend('wasm');
  const before = tf.memory().numBytes;
  const a = tf.tensor([1, 2, 3]);
  const b = tf.clone(a);
  b.dispose();
  assert.equal(Array.from(a.dataSync()), [1, 2, 3]);
  a.dispose();
  assert.equal(tf.memory().numBytes, before);
});

test('SpaceToBatchND / BatchToSpaceND (dilated-conv padding and crops) and their gradients vs cpu', async () => {
  const rng = new Rng(5);
  for (let t = 0; t < 12; t++) {
    const b0 = 1 + rng.int(3), b1 = t % 3 === 0 ? b0 : 1 + rng.int(3);
    const n = 1 + rng.int(2), c = 1 + rng.int(5);
    const pads = [[rng.int(3), 0], [rng.int(3), 0]];
    const h = 1 + rng.int(7), w = 1 + rng.int(7);
    pads[0][1] = (b0 - ((h + pads[0][0]) % b0)) % b0 + b0 * rng.int(2);
    pads[1][1] = (b1 - ((w + pads[1][0]) % b1)) % b1;
    const shape = [n, h, w, c];
    const data = randomData(200 + t, shape);
    const err = await compareBackends(() => {
      const x = tf.tensor(data, shape);
      const f = (xx: tf.Tensor) => {
        const s = tf.spaceToBatchND(xx, [b0, b1], pads);
        const back = tf.batchToSpaceND(tf.mul(s, 2), [b0, b1], pads);
        return tf.sum(tf.mul(back, back));
      };
      return [tf.spaceToBatchND(x, [b0, b1], pads), tf.grad(f)(x)];
    });
    assert.ok(err <= 1e-6, `block ${b0}x${b1} pads ${JSON.stringify(pads)} shape ${shape}: error ${err}`);
  }
});

test('MaxPoolGrad (3x3 s2 same, as the stem; 2x2 valid; odd sizes, batch 1) vs cpu', async () => {
  const cases: [number[], number, number, 'same' | 'valid'][] = [
    [[2, 16, 16, 24], 3, 2, 'same'], [[1, 9, 7, 3], 3, 2, 'same'], [[1, 8, 8, 5], 2, 2, 'valid'], [[3, 7, 9, 2], 3, 1, 'same'], [[1, 5, 5, 4], 3, 3, 'valid'],
  ];
  for (const [i, [shape, k, s, pad]] of cases.entries()) {
    const data = randomData(300 + i, shape);
    // A few ties inside windows: the first maximum must win on both backends.
    for (let j = 0; j < data.length; j += 7) data[j] = 0.5;
    const err = await compareBackends(() => tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xx as tf.Tensor4D, k, s, pad), tf.range(1, 1 + tf.maxPool(xx as tf.Tensor4D, k, s, pad).size).reshape(tf.maxPool(xx as tf.Tensor4D, k, s, pad).shape))))(tf.tensor(data, shape)));
    assert.ok(err <= 1e-6, `shape ${shape} k ${k} s ${s} ${pad}: error ${err}`);
  }
});

test.run();
