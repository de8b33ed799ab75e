/** GDN / IGDN: the closed form at initialization, the inverse pair, gradients, serialization. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { trainableVariables } from '../../../src/nn/variables.js';
import { GDN } from '../../../src/nn/layers/gdn.js';
import { IGDN } from '../../../src/nn/layers/igdn.js';
import { registerCustomLayers } from '../../../src/nn/layers/index.js';
import { NonNegativeParametrizer } from '../../../src/nn/layers/nonnegative.js';
import { randomData } from '../kernels/reference.js';

test.before(async () => {
  await initBackend('wasm');
});

test('GDN at initialization equals x / sqrt(1 + 0.1 x^2) elementwise', () => {
  const xd = randomData(1, [2, 5, 4, 6], 3);
  const y = tf.tidy(() => (new GDN().apply(tf.tensor(xd, [2, 5, 4, 6])) as tf.Tensor).dataSync());
  let worst = 0;
  for (let i = 0; i < xd.length; i++) worst = Math.max(worst, Math.abs(y[i] - xd[i] / Math.sqrt(1 + 0.1 * xd[i] * xd[i])));
  // beta and gamma pass through the reparametrization (pedestal 2^-36): float32 rounding only.
  assert.ok(worst < 1e-5, `max |GDN(x) - closed form| = ${worst}`);
});

test('IGDN at initialization equals x * sqrt(1 + 0.1 x^2), and IGDN(GDN(x)) is close to x', () => {
  const xd = randomData(2, [1, 4, 4, 5], 1);
  const [inv, round] = tf.tidy(() => {
    const x = tf.tensor(xd, [1, 4, 4, 5]);
    const g = new GDN(), ig = new IGDN();
    return [(ig.apply(x) as tf.Tensor).dataSync(), (ig.apply(g.apply(x)) as tf.Tensor).dataSync()];
  });
  let worstInv = 0, worstRound = 0;
  for (let i = 0; i < xd.length; i++) {
    worstInv = Math.max(worstInv, Math.abs(inv[i] - xd[i] * Math.sqrt(1 + 0.1 * xd[i] * xd[i])));
    worstRound = Math.max(worstRound, Math.abs(round[i] - xd[i]));
  }
  assert.ok(worstInv < 1e-5, `max |IGDN(x) - closed form| = ${worstInv}`);
  // Not an exact inverse: y = x/sqrt(1+0.1x^2), y*sqrt(1+0.1y^2) differs from x by O(0.1 x^3) terms;
  // for |x| <= ~3 that stays below 0.5, for the typical |x| ~ 1 below 0.05.
  assert.ok(worstRound < 0.5, `max |IGDN(GDN(x)) - x| = ${worstRound}`);
  const small = tf.tidy(() => {
    const x = tf.mul(tf.tensor(xd, [1, 4, 4, 5]), 0.1);
    return tf.max(tf.abs(tf.sub(new IGDN().apply(new GDN().apply(x)) as tf.Tensor, x))).dataSync()[0];
  });
  assert.ok(small < 1e-4, `for |x| <= 0.3: max |IGDN(GDN(x)) - x| = ${small}`);
});

test('GDN mixes channels through gamma: a hand-set gamma gives the closed form', () => {
  const layer = new GDN();
  const x = tf.tensor([[[[1, 2]]]]);
  layer.apply(x);
  const reparam = new NonNegativeParametrizer(0);
  // gamma = [[0.5, 0.25], [0, 1]], beta = [2, 3] (stored reparametrized).
  const g = [0.5, 0.25, 0, 1].map((v) => reparam.init(v));
  const b = [2, 3].map((v) => new NonNegativeParametrizer(1e-6).init(v));
  layer.setWeights([tf.tensor1d(b), tf.tensor2d(g, [2, 2])]);
  const y = (layer.apply(x) as tf.Tensor).dataSync();
  // y0 = 1 / sqrt(2 + 0.5*1 + 0.25*4) = 1/sqrt(3.5); y1 = 2 / sqrt(3 + 0*1 + 1*4) = 2/sqrt(7).
  assert.ok(Math.abs(y[0] - 1 / Math.sqrt(3.5)) < 1e-5, `y0 = ${y[0]}`);
  assert.ok(Math.abs(y[1] - 2 / Math.sqrt(7)) < 1e-5, `y1 = ${y[1]}`);
});

test('beta stays >= betaMin and gamma >= 0 however the stored values move', () => {
  const p = new NonNegativeParametrizer(1e-6);
  const v = p.forward(tf.tensor1d([-5, 0, 1e-9, 2])).dataSync();
  assert.ok(Array.from(v).every((b) => b >= 1e-6 - 1e-12), `beta ${Array.from(v)}`);
  const q = new NonNegativeParametrizer(0).forward(tf.tensor1d([-1, 0.5])).dataSync();
  assert.ok(q[0] >= 0 && Math.abs(q[1] - 0.25 + 2 ** -36) < 1e-7, `gamma ${Array.from(q)}`);
});

test('lower bound passes the gradient where it would raise the value (CompressAI LowerBound)', () => {
  const p = new NonNegativeParametrizer(0.25); // bound = sqrt(0.25 + pedestal) ~ 0.5
  // v = 0.1 is below the bound. d(p)/dv with upstream gradient +1 (pushes v down): blocked;
  // upstream -1 (gradient descent raises v): passed.
  const gDown = tf.grad((v: tf.Tensor) => tf.sum(p.forward(v)))(tf.tensor1d([0.1])).dataSync()[0];
  const gUp = tf.grad((v: tf.Tensor) => tf.neg(tf.sum(p.forward(v))))(tf.tensor1d([0.1])).dataSync()[0];
  assert.is(gDown, 0);
  assert.ok(gUp < 0, `gradient ${gUp} should pass (negative)`);
});

test('GDN gradients flow to x, beta and gamma, and match the cpu backend', async () => {
  const xd = randomData(3, [2, 3, 3, 4]);
  const run = async (name: 'cpu' | 'wasm') => {
    await initBackend(name);
    const layer = new GDN();
    const x = tf.tensor(xd, [2, 3, 3, 4]);
    layer.apply(x);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, trainableVariables(layer));
    const out = Object.values(grads).map((g) => Array.from(g.dataSync()));
    tf.dispose(Object.values(grads));
    return out;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  assert.is(wasm.length, 2);
  for (let i = 0; i < 2; i++) {
    assert.ok(wasm[i].some((v) => v !== 0), `gradient ${i} is all zero`);
    for (let j = 0; j < wasm[i].length; j++) assert.ok(Math.abs(wasm[i][j] - cpu[i][j]) <= 1e-4 * (1 + Math.abs(cpu[i][j])), `grad ${i}[${j}] ${wasm[i][j]} vs ${cpu[i][j]}`);
  }
});

test('GDN/IGDN config round-trips through tfjs serialization (literal className, full config)', () => {
  registerCustomLayers();
  assert.is(GDN.className, 'GDN');
  assert.is(IGDN.className, 'IGDN');
  const layer = new IGDN({ betaMin: 1e-5, gammaInit: 0.2, name: 'ig' });
  const cfg = layer.getConfig();
  assert.is(cfg.betaMin, 1e-5);
  assert.is(cfg.gammaInit, 0.2);
  const copy = tf.serialization.SerializationMap.getMap().classNameMap.IGDN;
  assert.ok(copy, 'IGDN not registered');
  const rebuilt = new IGDN(cfg as never);
  assert.equal(rebuilt.getConfig(), cfg);
});

test.run();
