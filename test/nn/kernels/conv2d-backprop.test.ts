/**
 * The project's wasm Conv2DBackpropFilter / Conv2DBackpropInput against tfjs' `cpu` reference
 * kernels: random shapes (odd sizes, strides 1..4, rectangular strides, 'same' / 'valid' /
 * explicit padding, 1x1..7x7 filters), seeded data, relative error <= 1e-4 over the whole tensor.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../src/core/rng.js';
import { initBackend } from '../../../src/nn/backend.js';
import { conv2dFilterGrad, filterGradOptions, gemmOptions } from '../../../src/nn/kernels/conv2d-backprop-filter.js';
import { conv2dInputGrad, inputGradOptions } from '../../../src/nn/kernels/conv2d-backprop-input.js';
import { convGeometry, type PadAttr } from '../../../src/nn/kernels/conv-geometry.js';
import { KernelScope, type WasmBackend } from '../../../src/nn/kernels/wasm-ops.js';
import { compareBackends, onBackend, randomData, relError } from './reference.js';

const TOL = 1e-4;

interface Case { x: [number, number, number, number]; f: [number, number, number, number]; s: number | [number, number]; pad: PadAttr }

function randomCases(seed: number, count: number): Case[] {
  const rng = new Rng(seed);
  const out: Case[] = [];
  while (out.length < count) {
    const kh = 1 + rng.int(5), kw = 1 + rng.int(5);
    const sh = 1 + rng.int(3), sw = rng.uniform() < 0.7 ? sh : 1 + rng.int(3);
    const h = kh + rng.int(10), w = kw + rng.int(10);
    const padKind = rng.int(3);
    const pad: PadAttr = padKind === 0 ? 'same' : padKind === 1 ? 'valid'
      : [[0, 0], [rng.int(kh), rng.int(kh)], [rng.int(kw), rng.int(kw)], [0, 0]];
    out.push({ x: [1 + rng.int(3), h, w, 1 + rng.int(6)], f: [kh, kw, 0, 1 + rng.int(6)], s: [sh, sw], pad });
    out[out.length - 1].f[2] = out[out.length - 1].x[3];
  }
  return out;
}

const fixed: Case[] = [
  { x: [2, 9, 9, 4], f: [3, 3, 4, 6], s: 1, pad: 'same' },
  { x: [2, 9, 9, 4], f: [3, 3, 4, 6], s: 2, pad: 'same' },
  { x: [2, 10, 10, 4], f: [3, 3, 4, 6], s: 2, pad: 'valid' },
  { x: [1, 10, 7, 3], f: [1, 1, 3, 5], s: 2, pad: 'same' },
  { x: [3, 8, 8, 2], f: [5, 5, 2, 3], s: 3, pad: 'same' },
  { x: [1, 12, 12, 3], f: [7, 7, 3, 4], s: 2, pad: 'same' },
  { x: [1, 4, 4, 3], f: [3, 3, 3, 2], s: 4, pad: 'valid' },
];

/**
 * Each kernel has two methods, chosen by shape: filter gradient as one XNNPACK conv or as
 * im2col + GEMM; input gradient as polyphase convs or GEMM + col2im. Every case runs with the
 * default choice, and with each method forced (the GEMM ones in blocks of a few rows, so that the
 * block loop is exercised too).
 */
const methods: { name: string; set: () => void }[] = [
  { name: 'default', set: () => {} },
  { name: 'gemm+col2im, blocked', set: () => { gemmOptions.gemmFromOutChannels = 1; gemmOptions.maxColsFloats = 1000; inputGradOptions.col2imBelowChannels = Infinity; inputGradOptions.maxColsFloats = 1000; } },
  { name: 'conv+polyphase', set: () => { gemmOptions.gemmFromOutChannels = Infinity; inputGradOptions.col2imBelowChannels = 0; inputGradOptions.col2imStrided = false; } },
];
const defaults = { ...gemmOptions, inputs: { ...inputGradOptions } };
function restore(): void {
  Object.assign(gemmOptions, { maxColsFloats: defaults.maxColsFloats, gemmFromOutChannels: defaults.gemmFromOutChannels });
  Object.assign(inputGradOptions, defaults.inputs);
}

for (const [i, c] of [...fixed, ...randomCases(7, 24)].entries()) {
  test(`conv2d backprop filter+input vs cpu #${i}: x ${c.x} f ${c.f} s ${c.s} pad ${JSON.stringify(c.pad)}`, async () => {
    const outShape = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad as 'same').outShape;
    const xd = randomData(10 + i, c.x), fd = randomData(20 + i, c.f), dyd = randomData(30 + i, outShape);
    const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC' };
    const filterGrad = () => tf.engine().runKernel('Conv2DBackpropFilter',
      { x: tf.tensor(xd, c.x), dy: tf.tensor(dyd, outShape) }, { ...attrs, filterShape: c.f }) as tf.Tensor;
    const inputGrad = () => tf.engine().runKernel('Conv2DBackpropInput',
      { dy: tf.tensor(dyd, outShape), filter: tf.tensor(fd, c.f) }, { ...attrs, inputShape: c.x }) as tf.Tensor;
    const [rf] = await onBackend('cpu', filterGrad);
    const [ri] = await onBackend('cpu', inputGrad);
    for (const m of methods) {
      m.set();
      try {
        const [gf] = await onBackend('wasm', filterGrad);
        const [gi] = await onBackend('wasm', inputGrad);
        assert.ok(relError(gf, rf) <= TOL, `${m.name}: filter gradient relative error ${relError(gf, rf)}`);
        assert.ok(relError(gi, ri) <= TOL, `${m.name}: input gradient relative error ${relError(gi, ri)}`);
      } finally {
        restore();
      }
    }
  });
}

test('model-sized shapes (stem 5x5 s2 3->24, 3x3 48->96 s2, 3x3 24->24): both methods of each kernel match cpu', async () => {
  const cases: Case[] = [
    { x: [2, 32, 32, 3], f: [5, 5, 3, 24], s: 2, pad: 'same' },
    { x: [2, 16, 16, 48], f: [3, 3, 48, 96], s: 2, pad: 'same' },
    { x: [1, 17, 15, 24], f: [3, 3, 24, 24], s: 1, pad: 'same' },
  ];
  for (const [i, c] of cases.entries()) {
    const outShape = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad as 'same').outShape;
    const xd = randomData(40 + i, c.x), fd = randomData(50 + i, c.f), dyd = randomData(60 + i, outShape);
    const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC' };
    for (const m of methods) {
      m.set();
      try {
        const ef = await compareBackends(() => tf.engine().runKernel('Conv2DBackpropFilter',
          { x: tf.tensor(xd, c.x), dy: tf.tensor(dyd, outShape) }, { ...attrs, filterShape: c.f }) as tf.Tensor);
        const ei = await compareBackends(() => tf.engine().runKernel('Conv2DBackpropInput',
          { dy: tf.tensor(dyd, outShape), filter: tf.tensor(fd, c.f) }, { ...attrs, inputShape: c.x }) as tf.Tensor);
        assert.ok(ef <= TOL, `${m.name} x ${c.x} f ${c.f}: filter gradient relative error ${ef}`);
        assert.ok(ei <= TOL, `${m.name} x ${c.x} f ${c.f}: input gradient relative error ${ei}`);
      } finally {
        restore();
      }
    }
  }
});

test('gradients of a fused conv (bias + ReLU, as tfjs-layers uses) match cpu', async () => {
  const xs = [2, 11, 11, 5], fs = [3, 3, 5, 7];
  const xd = randomData(1, xs), fd = randomData(2, fs), bd = randomData(3, [7]);
  const err = await compareBackends(() => {
    const x = tf.tensor(xd, xs), f = tf.tensor(fd, fs), b = tf.tensor(bd, [7]);
    const loss = (xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.square(tf.fused.conv2d({
      x: xx as tf.Tensor4D, filter: ff as tf.Tensor4D, strides: 2, pad: 'same', bias: b, activation: 'relu',
    })));
    return tf.grads(loss)([x, f]);
  });
  assert.ok(err <= TOL, `relative error ${err}`);
});

/** A dilated filter as the equivalent dense filter with zeros between the taps. */
function dilate(f: Float32Array, shape: number[], d: number): { data: Float32Array; shape: [number, number, number, number] } {
  const [kh, kw, ci, co] = shape;
  const eh = (kh - 1) * d + 1, ew = (kw - 1) * d + 1;
  const out = new Float32Array(eh * ew * ci * co);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    out.set(f.subarray((i * kw + j) * ci * co, (i * kw + j + 1) * ci * co), ((i * d) * ew + j * d) * ci * co);
  }
  return { data: out, shape: [eh, ew, ci, co] };
}

test('dilated geometry (used by the gradient functions): equal to the zero-inserted dense filter on cpu', async () => {
  for (const [xs, fs, d, pad] of [[[2, 13, 12, 3], [3, 3, 3, 4], 2, 'same'], [[1, 15, 15, 2], [3, 2, 2, 3], 3, 'valid']] as const) {
    const g = convGeometry([...xs], [...fs], 1, d, pad, undefined, 'NHWC');
    const dyShape = [g.batch, g.outHeight, g.outWidth, g.outChannels];
    const xd = randomData(5, [...xs]), fd = randomData(6, [...fs]), dyd = randomData(7, dyShape);
    const dense = dilate(fd, [...fs], d);
    const attrs = { strides: 1, pad, dataFormat: 'NHWC' };
    // Reference: the dense (zero-inserted) filter's gradients, then its taps at multiples of d.
    const [refDense] = await onBackend('cpu', () => tf.engine().runKernel('Conv2DBackpropFilter',
      { x: tf.tensor(xd, [...xs]), dy: tf.tensor(dyd, dyShape) }, { ...attrs, filterShape: dense.shape }) as tf.Tensor);
    const [refInput] = await onBackend('cpu', () => tf.engine().runKernel('Conv2DBackpropInput',
      { dy: tf.tensor(dyd, dyShape), filter: tf.tensor(dense.data, dense.shape) }, { ...attrs, inputShape: [...xs] }) as tf.Tensor);
    const [kh, kw, ci, co] = fs;
    const refFilter = new Float32Array(kh * kw * ci * co);
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
      refFilter.set(refDense.subarray(((i * d) * dense.shape[1] + j * d) * ci * co, ((i * d) * dense.shape[1] + j * d + 1) * ci * co), (i * kw + j) * ci * co);
    }
    await initBackend('wasm');
    const k = new KernelScope(tf.backend() as unknown as WasmBackend);
    const x = tf.tensor(xd, [...xs]), f = tf.tensor(fd, [...fs]), dy = tf.tensor(dyd, dyShape);
    const gf = conv2dFilterGrad(k, x, dy, g), gi = conv2dInputGrad(k, dy, f, g);
    const backend = tf.backend();
    const gotFilter = backend.readSync(gf.dataId) as Float32Array, gotInput = backend.readSync(gi.dataId) as Float32Array;
    k.dispose();
    tf.dispose([x, f, dy]);
    assert.ok(relError(gotFilter, refFilter) <= TOL, `dilation ${d}: filter gradient error ${relError(gotFilter, refFilter)}`);
    assert.ok(relError(gotInput, refInput) <= TOL, `dilation ${d}: input gradient error ${relError(gotInput, refInput)}`);
  }
});

test('channel-chunked filter gradient (indirection-buffer bound) matches cpu', async () => {
  // 9 taps x 8x8 outputs = 576 pointers per channel; a bound of 2000 splits 7 channels as 3+3+1.
  const saved = filterGradOptions.maxIndirectionPointers;
  filterGradOptions.maxIndirectionPointers = 2000;
  try {
    const xs = [2, 8, 8, 7], fs = [3, 3, 7, 4];
    const xd = randomData(8, xs), dyd = randomData(9, [2, 8, 8, 4]);
    const err = await compareBackends(() => tf.engine().runKernel('Conv2DBackpropFilter',
      { x: tf.tensor(xd, xs), dy: tf.tensor(dyd, [2, 8, 8, 4]) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: fs }) as tf.Tensor);
    assert.ok(err <= TOL, `relative error ${err}`);
  } finally {
    filterGradOptions.maxIndirectionPointers = saved;
  }
});

test.run();
