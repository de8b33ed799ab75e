/**
 * UnsortedSegmentSum on wasm, and the gradients the project registers (comparisons, StridedSlice,
 * GatherNd), against hand-computed values and the `cpu` backend.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { compareBackends, onBackend, randomData } from './reference.js';

test('UnsortedSegmentSum on wasm: hand-computed sums, out-of-range ids dropped', async () => {
  const [got] = await onBackend('wasm', () => tf.unsortedSegmentSum(
    tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]), tf.tensor1d([2, 0, 2, -1, 5], 'int32'), 3));
  assert.equal(Array.from(got), [3, 4, 0, 0, 6, 8]);
});

test('gather gradient (UnsortedSegmentSum) with repeated indices matches cpu', async () => {
  const pd = randomData(1, [6, 3]);
  const err = await compareBackends(() => tf.grad((p: tf.Tensor) => tf.sum(tf.square(tf.gather(p, tf.tensor1d([0, 5, 5, 2, 0, 0], 'int32')))))(tf.tensor(pd, [6, 3])));
  assert.ok(err <= 1e-5, `relative error ${err}`);
});

test('where(x > 0, ...) differentiates (zero gradient through the comparison): smooth L1 by hand', async () => {
  // smoothL1(d) = 0.5 d^2 if |d| < 1 else |d| - 0.5; gradient d or sign(d).
  for (const backend of ['cpu', 'wasm'] as const) {
    const [g] = await onBackend(backend, () => tf.grad((d: tf.Tensor) => {
      const a = tf.abs(d);
      return tf.sum(tf.where(tf.less(a, 1), tf.mul(0.5, tf.square(d)), tf.sub(a, 0.5)));
    })(tf.tensor1d([-3, -0.5, 0.25, 2])));
    assert.equal(Array.from(g), [-1, -0.5, 0.25, 1], backend);
  }
});

test('logicalAnd / isNaN masks differentiate with zero gradient on the mask path', async () => {
  const [g] = await onBackend('wasm', () => tf.grad((x: tf.Tensor) =>
    tf.sum(tf.mul(x, tf.cast(tf.logicalAnd(tf.greater(x, 0), tf.logicalNot(tf.isNaN(x))), 'float32'))))(tf.tensor1d([-1, 2, 3])));
  assert.equal(Array.from(g), [0, 1, 1]);
});

test('StridedSlice gradient: strides, negative stride, masks; matches cpu and a hand case', async () => {
  const [g] = await onBackend('wasm', () => tf.grad((x: tf.Tensor) => tf.sum(tf.stridedSlice(x, [1], [6], [2])))(tf.tensor1d([0, 0, 0, 0, 0, 0, 0])));
  assert.equal(Array.from(g), [0, 1, 0, 1, 0, 1, 0]);
  const xd = randomData(2, [3, 7, 5]);
  const err = await compareBackends(() => tf.grad((x: tf.Tensor) => tf.sum(tf.square(
    tf.stridedSlice(x, [0, 6, 1], [3, 0, 5], [1, -2, 3], 1, 0, 0, 0, 0))))(tf.tensor(xd, [3, 7, 5])));
  assert.ok(err <= 1e-6, `relative error ${err}`);
});

test('GatherNd gradient sums duplicate indices', async () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    const [g] = await onBackend(backend, () => tf.grad((p: tf.Tensor) => tf.sum(tf.gatherND(p, tf.tensor2d([[0, 1], [2, 0], [0, 1]], [3, 2], 'int32'))))(tf.zeros([3, 2])));
    assert.equal(Array.from(g), [0, 2, 0, 0, 1, 0], backend);
  }
});

test('Tile on wasm (block copies) matches cpu: float32, int32, bool; batch-norm style broadcast', async () => {
  const cases: [number[], number[]][] = [[[1, 1, 1, 5], [2, 3, 4, 1]], [[2, 3], [3, 2]], [[3, 1, 2], [1, 4, 1]], [[4], [5]], [[2, 1, 17], [2, 3, 1]]];
  for (const [shape, reps] of cases) {
    const d = randomData(5, shape);
    const err = await compareBackends(() => tf.tile(tf.tensor(d, shape), reps));
    assert.is(err, 0, `float32 ${shape} x ${reps}`);
  }
  const [ints] = await onBackend('wasm', () => tf.cast(tf.tile(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), [2, 2]), 'float32'));
  assert.equal(Array.from(ints), [1, 2, 1, 2, 3, 4, 3, 4, 1, 2, 1, 2, 3, 4, 3, 4]);
  const [bools] = await onBackend('wasm', () => tf.cast(tf.tile(tf.tensor1d([true, false], 'bool'), [3]), 'float32'));
  assert.equal(Array.from(bools), [1, 0, 1, 0, 1, 0]);
});

test('initBackend: unknown name is a UsageError naming the allowed values', async () => {
  try {
    await initBackend('gpu' as 'wasm');
    assert.unreachable('should throw');
  } catch (e) {
    assert.is((e as Error).name, 'UsageError');
    assert.match((e as Error).message, /wasm, cpu, tensorflow/);
  }
});

test.run();
