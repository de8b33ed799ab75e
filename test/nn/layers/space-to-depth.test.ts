/**
 * Space-to-depth / depth-to-space: a hand-computed case in TensorFlow's channel order, the inverse
 * pair, equality with tf.depthToSpace, the gradient (a permutation: its adjoint), the layers'
 * shapes and serialization, and bad block sizes refused.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { DepthToSpace, SpaceToDepth, depthToSpace, spaceToDepth } from '../../../src/nn/layers/space-to-depth.js';
import { registerCustomLayers } from '../../../src/nn/layers/index.js';

test.before(async () => { await initBackend('wasm'); });

test('hand-computed: a 2x2 block of 2 channels becomes one pixel of 8, ordered (dy, dx, c)', () => {
  // x[0, y, x, c] = 10*y + 2*x + c over 2x4 pixels: two 2x2 blocks.
  const v: number[] = [];
  for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) for (let c = 0; c < 2; c++) v.push(10 * y + 2 * x + c);
  const out = spaceToDepth(tf.tensor4d(v, [1, 2, 4, 2]), 2);
  assert.equal(out.shape, [1, 1, 2, 8]);
  // block 0: (0,0) c0 c1, (0,1) c0 c1, (1,0) ..., (1,1) ...; block 1 the same shifted by x = 2.
  assert.equal(Array.from(out.dataSync()), [0, 1, 2, 3, 10, 11, 12, 13, 4, 5, 6, 7, 14, 15, 16, 17]);
});

test('depthToSpace inverts spaceToDepth and equals tf.depthToSpace; block 1 is the identity', () => {
  for (const [h, w, c, s] of [[8, 12, 3, 4], [4, 4, 5, 2], [16, 16, 8, 4]]) {
    const x = tf.randomNormal([2, h, w, c], 0, 1, 'float32', 3) as tf.Tensor4D;
    const y = spaceToDepth(x, s);
    assert.equal(y.shape, [2, h / s, w / s, s * s * c]);
    assert.equal(Array.from(depthToSpace(y, s).dataSync()), Array.from(x.dataSync()), `${h}x${w}x${c} s=${s}`);
    assert.equal(Array.from(tf.depthToSpace(y, s).dataSync()), Array.from(x.dataSync()), `tf.depthToSpace ${h}x${w}x${c}`);
  }
  const x = tf.ones([1, 2, 2, 1]) as tf.Tensor4D;
  assert.is(spaceToDepth(x, 1), x);
});

test('the gradient is the inverse permutation of the upstream gradient', () => {
  const x = tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
  const dy = tf.randomNormal([1, 2, 2, 8], 0, 1, 'float32', 5) as tf.Tensor4D;
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(spaceToDepth(t as tf.Tensor4D, 2), dy)))(x);
  assert.equal(Array.from(g.dataSync()), Array.from(depthToSpace(dy, 2).dataSync()));
  const g2 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(depthToSpace(t as tf.Tensor4D, 2), x)))(dy);
  assert.equal(Array.from(g2.dataSync()), Array.from(spaceToDepth(x, 2).dataSync()));
});

test('layers: symbolic shapes, and a model with both survives serialization', async () => {
  registerCustomLayers();
  const inp = tf.input({ shape: [8, 8, 3] });
  const a = new SpaceToDepth({ blockSize: 4 }).apply(inp) as tf.SymbolicTensor;
  assert.equal(a.shape, [null, 2, 2, 48]);
  const b = new DepthToSpace({ blockSize: 2 }).apply(a) as tf.SymbolicTensor;
  assert.equal(b.shape, [null, 4, 4, 12]);
  const m = tf.model({ inputs: inp, outputs: b });
  let saved: tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (art) => { saved = art; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  const back = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  const x = tf.randomNormal([1, 8, 8, 3], 0, 1, 'float32', 6);
  assert.equal(Array.from((back.predict(x) as tf.Tensor).dataSync()), Array.from((m.predict(x) as tf.Tensor).dataSync()));
  assert.is((back.layers[1] as SpaceToDepth).blockSize, 4);
});

test('bad block sizes and shapes are refused, naming the value', () => {
  const bad: [() => unknown, RegExp][] = [
    [() => new SpaceToDepth({ blockSize: 0 }), /block size 0/],
    [() => new DepthToSpace({ blockSize: 2.5 }), /block size 2.5/],
    [() => spaceToDepth(tf.zeros([1, 6, 4, 1]) as tf.Tensor4D, 4), /does not divide 6x4/],
    [() => depthToSpace(tf.zeros([1, 2, 2, 6]) as tf.Tensor4D, 2), /6 channels/],
  ];
  for (const [f, re] of bad) assert.throws(f, re);
});

test.run();
