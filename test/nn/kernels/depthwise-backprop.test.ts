/** The wasm depthwise-conv gradient kernels against the `cpu` backend (strides, dilations, multipliers). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { compareBackends, onBackend, randomData, relError } from './reference.js';

const TOL = 1e-4;
const cases: { x: number[]; f: number[]; s: number; d: number; pad: 'same' | 'valid' }[] = [
  { x: [2, 9, 9, 4], f: [3, 3, 4, 1], s: 1, d: 1, pad: 'same' },
  { x: [2, 9, 8, 3], f: [3, 3, 3, 2], s: 2, d: 1, pad: 'same' },
  { x: [1, 11, 11, 2], f: [5, 3, 2, 1], s: 2, d: 1, pad: 'valid' },
  { x: [1, 13, 12, 3], f: [3, 3, 3, 1], s: 1, d: 2, pad: 'same' },
  { x: [2, 10, 10, 2], f: [3, 2, 2, 3], s: 1, d: 3, pad: 'valid' },
  { x: [1, 7, 7, 5], f: [1, 1, 5, 2], s: 3, d: 1, pad: 'same' },
];

function outShape(c: (typeof cases)[number]): number[] {
  return tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number], c.f as [number, number, number, number], c.s, c.d, c.pad, undefined, true).outShape;
}

/** The dilated filter as a dense one with zeros between taps ([kh, kw, ci, m] layout). */
function densify(f: Float32Array, shape: number[], d: number): { data: Float32Array; shape: number[] } {
  const [kh, kw, ci, m] = shape;
  const eh = (kh - 1) * d + 1, ew = (kw - 1) * d + 1, inner = ci * m;
  const out = new Float32Array(eh * ew * inner);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) out.set(f.subarray((i * kw + j) * inner, (i * kw + j + 1) * inner), (i * d * ew + j * d) * inner);
  return { data: out, shape: [eh, ew, ci, m] };
}

for (const [i, c] of cases.entries()) {
  test(`depthwise backprop input+filter kernels vs cpu #${i}: x ${c.x} f ${c.f} s ${c.s} d ${c.d} ${c.pad}`, async () => {
    // Kernels called directly: tfjs' depthwise gradient refuses dilations > 1 before reaching them.
    // tfjs' cpu input-gradient kernel ignores dilations, so the reference for d > 1 is the
    // undilated kernel on the equivalent dense (zero-inserted) filter.
    const dyShape = outShape(c);
    const xd = randomData(40 + i, c.x), fd = randomData(50 + i, c.f), dyd = randomData(60 + i, dyShape);
    const dense = densify(fd, c.f, c.d);
    const ref = { strides: c.s, dilations: 1, pad: c.pad };
    const [refInput] = await onBackend('cpu', () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput',
      { dy: tf.tensor(dyd, dyShape), filter: tf.tensor(dense.data, dense.shape) }, { ...ref, inputShape: c.x }) as tf.Tensor);
    const [refDense] = await onBackend('cpu', () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter',
      { x: tf.tensor(xd, c.x), dy: tf.tensor(dyd, dyShape) }, { ...ref, filterShape: dense.shape }) as tf.Tensor);
    const [kh, kw, ci, m] = c.f, inner = ci * m;
    const refFilter = new Float32Array(kh * kw * inner);
    for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) {
      const src = (a * c.d * dense.shape[1] + b * c.d) * inner;
      refFilter.set(refDense.subarray(src, src + inner), (a * kw + b) * inner);
    }
    const attrs = { strides: c.s, dilations: c.d, pad: c.pad };
    const [gotInput] = await onBackend('wasm', () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput',
      { dy: tf.tensor(dyd, dyShape), filter: tf.tensor(fd, c.f) }, { ...attrs, inputShape: c.x }) as tf.Tensor);
    const [gotFilter] = await onBackend('wasm', () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter',
      { x: tf.tensor(xd, c.x), dy: tf.tensor(dyd, dyShape) }, { ...attrs, filterShape: c.f }) as tf.Tensor);
    const ei = relError(gotInput, refInput), ef = relError(gotFilter, refFilter);
    assert.ok(ei <= TOL, `input gradient relative error ${ei}`);
    assert.ok(ef <= TOL, `filter gradient relative error ${ef}`);
  });
}

test('tf.grads through depthwiseConv2d (stride 2, multiplier 2) on wasm matches cpu', async () => {
  const c = cases[1];
  const xd = randomData(70, c.x), fd = randomData(71, c.f), wd = randomData(72, outShape(c));
  const err = await compareBackends(() => {
    const w = tf.tensor(wd, outShape(c));
    return tf.grads((xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(w, tf.depthwiseConv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.s, c.pad))))([tf.tensor(xd, c.x), tf.tensor(fd, c.f)]);
  });
  assert.ok(err <= TOL, `relative error ${err}`);
});

test.run();
