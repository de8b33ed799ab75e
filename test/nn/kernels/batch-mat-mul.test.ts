/**
 * The project's wasm BatchMatMul / _FusedMatMul (transposes materialized, batches folded) against
 * the `cpu` backend, including the gradients of a dense layer that use transposed products.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { compareBackends, randomData } from './reference.js';

const TOL = 1e-5;
const cases: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
  { a: [5, 3], b: [3, 4], ta: false, tb: false },
  { a: [3, 5], b: [3, 4], ta: true, tb: false },
  { a: [5, 3], b: [4, 3], ta: false, tb: true },
  { a: [3, 5], b: [4, 3], ta: true, tb: true },
  { a: [2, 6, 3], b: [3, 4], ta: false, tb: false },   // shared right operand
  { a: [6, 3], b: [2, 3, 4], ta: false, tb: false },   // shared left operand
  { a: [2, 3, 6], b: [2, 4, 3], ta: true, tb: true },  // both batched
  { a: [2, 2, 6, 3], b: [2, 2, 3, 5], ta: false, tb: false },
  { a: [40, 2, 3], b: [40, 3, 2], ta: false, tb: false }, // many tiny products: built-in loop
];

for (const [i, c] of cases.entries()) {
  test(`BatchMatMul vs cpu #${i}: a ${c.a}${c.ta ? 'ᵀ' : ''} b ${c.b}${c.tb ? 'ᵀ' : ''}`, async () => {
    const ad = randomData(80 + i, c.a), bd = randomData(90 + i, c.b);
    const err = await compareBackends(() => tf.matMul(tf.tensor(ad, c.a), tf.tensor(bd, c.b), c.ta, c.tb));
    assert.ok(err <= TOL, `relative error ${err}`);
  });
}

test('fused matmul with bias + relu and transposes vs cpu', async () => {
  const ad = randomData(1, [4, 7]), bd = randomData(2, [5, 4]), biasd = randomData(3, [5]);
  const err = await compareBackends(() => tf.fused.matMul({
    a: tf.tensor(ad, [4, 7]) as tf.Tensor2D, b: tf.tensor(bd, [5, 4]) as tf.Tensor2D, transposeA: true, transposeB: true,
    bias: tf.tensor(biasd, [5]), activation: 'relu',
  }));
  // a^T [7,4] x b^T [4,5] = [7,5]; bias [5].
  assert.ok(err <= TOL, `relative error ${err}`);
});

test('dense layer gradients (x^T dy and dy W^T) vs cpu', async () => {
  const xd = randomData(4, [6, 5]), wd = randomData(5, [5, 3]), bd = randomData(6, [3]);
  const err = await compareBackends(() => {
    const x = tf.tensor(xd, [6, 5]), w = tf.tensor(wd, [5, 3]), b = tf.tensor(bd, [3]);
    return tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.square(tf.fused.matMul({ a: xx as tf.Tensor2D, b: ww as tf.Tensor2D, bias: b, activation: 'relu' }))))([x, w]);
  });
  assert.ok(err <= TOL, `relative error ${err}`);
});

test('Einsum on wasm (no tfjs kernel there) matches cpu: matmul, batched, trace-like, outer product', async () => {
  const cases: [string, number[][]][] = [
    ['ij,jk->ik', [[3, 4], [4, 5]]],
    ['bij,bjk->bik', [[2, 3, 4], [2, 4, 2]]],
    ['ij,ij->i', [[4, 5], [4, 5]]],
    ['i,j->ij', [[3], [4]]],
    ['ij->ji', [[3, 5]]],
    ['ij->', [[3, 5]]],
  ];
  for (const [i, [eq, shapes]] of cases.entries()) {
    const data = shapes.map((s, j) => randomData(100 + 10 * i + j, s));
    const err = await compareBackends(() => tf.einsum(eq, ...data.map((d, j) => tf.tensor(d, shapes[j]))));
    assert.ok(err <= TOL, `${eq}: relative error ${err}`);
  }
});

test.run();
