/**
 * The channel layer: noise variance N0/2 per real dimension at the set SNR (a chi-square confidence
 * interval), SNR drawn per batch from a range, noiseless mode, determinism, gradients flow.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { ChannelLayer } from '../../../src/nn/layers/channel.js';
import { registerCustomLayers } from '../../../src/nn/layers/index.js';
import { n0FromSnrDb } from '../../../src/core/types.js';

test.before(async () => {
  await initBackend('wasm');
});

/** Sample variance of (y - x) over all elements. */
function noiseVariance(layer: ChannelLayer, x: tf.Tensor): number {
  return tf.tidy(() => {
    const n = tf.sub(layer.apply(x) as tf.Tensor, x);
    return tf.mean(tf.square(n)).dataSync()[0];
  });
}

test('AWGN noise variance is N0/2 per real dimension (99.9% chi-square interval)', () => {
  const x = tf.zeros([4, 16, 16, 8]); // 8192 reals
  const n = x.size;
  for (const snrDb of [-5, 0, 10, 20]) {
    const layer = new ChannelLayer({ snrDb, seed: 3 });
    const v = noiseVariance(layer, x);
    const want = n0FromSnrDb(snrDb) / 2;
    // Sample variance of n Gaussians: relative std sqrt(2/n) ~ 1.6%; +-3.3 sigma.
    const tol = 3.3 * Math.sqrt(2 / n);
    assert.ok(Math.abs(v / want - 1) < tol, `SNR ${snrDb} dB: variance ${v}, expected ${want} (tol ${tol})`);
    assert.is(layer.lastSnrDb, snrDb);
  }
  x.dispose();
});

test('SNR range: a fresh uniform draw per batch, reproducible from the seed', () => {
  const x = tf.zeros([2, 8, 8, 4]);
  const a = new ChannelLayer({ snrRange: [0, 10], seed: 11 });
  const drawn: number[] = [];
  for (let i = 0; i < 20; i++) {
    tf.dispose(a.apply(x) as tf.Tensor);
    drawn.push(a.lastSnrDb!);
  }
  assert.ok(drawn.every((s) => s >= 0 && s <= 10));
  assert.ok(new Set(drawn).size === 20, 'draws repeat');
  assert.ok(Math.max(...drawn) - Math.min(...drawn) > 5, `draws do not spread: ${drawn}`);
  const b = new ChannelLayer({ snrRange: [0, 10], seed: 11 });
  const again: number[] = [];
  const y1 = tf.tidy(() => { a.resetDraws(); return (a.apply(x) as tf.Tensor).dataSync(); });
  const y2 = tf.tidy(() => (b.apply(x) as tf.Tensor).dataSync());
  again.push(b.lastSnrDb!);
  assert.is(again[0], drawn[0]);
  assert.equal(Array.from(y1), Array.from(y2));
  x.dispose();
});

test('setSnr switches between fixed, range and noiseless; noiseless is the identity', () => {
  const x = tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 5);
  const layer = new ChannelLayer({ snrDb: 5 });
  layer.setSnr(null);
  const y = layer.apply(x) as tf.Tensor;
  assert.equal(Array.from(y.dataSync()), Array.from(x.dataSync()));
  assert.is(layer.lastSnrDb, null);
  layer.setSnr(30);
  assert.ok(noiseVariance(layer, x) < 0.01);
  assert.throws(() => layer.setSnr([5, 1]), /lo <= hi/);
  assert.throws(() => new ChannelLayer({ snrDb: 1, noiseless: true }), /one of/);
  tf.dispose([x, y]);
});

test('gradients flow through the channel (dy/dx = I for AWGN)', () => {
  const layer = new ChannelLayer({ snrDb: 0, seed: 2 });
  const x = tf.randomNormal([2, 3, 3, 2], 0, 1, 'float32', 6);
  const w = tf.randomNormal([2, 3, 3, 2], 0, 1, 'float32', 7);
  const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(w, layer.apply(xx) as tf.Tensor)))(x);
  const diff = tf.max(tf.abs(tf.sub(g, w))).dataSync()[0];
  assert.ok(diff < 1e-6, `gradient differs from w by ${diff}`);
  tf.dispose([x, w, g]);
});

test('Rayleigh (from channels/registry) inside the layer: equalized noise, gradients still identity', () => {
  const layer = new ChannelLayer({ channel: 'rayleigh', snrDb: 10, seed: 4 });
  assert.is(layer.channelName, 'rayleigh');
  const x = tf.randomNormal([2, 8, 8, 4], 0, 1, 'float32', 8);
  const w = tf.randomNormal([2, 8, 8, 4], 0, 1, 'float32', 9);
  const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(w, layer.apply(xx) as tf.Tensor)))(x);
  assert.ok(tf.max(tf.abs(tf.sub(g, w))).dataSync()[0] < 1e-6);
  // Zero-forced noise n/h: its median magnitude is near AWGN's at the same SNR (heavy tail aside).
  const e = tf.tidy(() => Array.from(tf.abs(tf.sub(layer.apply(x) as tf.Tensor, x)).dataSync()).sort((p, q) => p - q));
  const median = e[e.length >> 1];
  const awgnMedian = 0.6745 * Math.sqrt(n0FromSnrDb(10) / 2);
  assert.ok(median > 0.5 * awgnMedian && median < 3 * awgnMedian, `median |n/h| ${median} vs AWGN ${awgnMedian}`);
  assert.throws(() => new ChannelLayer({ channel: 'rician' }), /applyTensor/);
  tf.dispose([x, w, g]);
});

test('config round-trips (className, SNR setting, seed)', () => {
  registerCustomLayers();
  assert.is(ChannelLayer.className, 'ChannelLayer');
  const cfg = new ChannelLayer({ snrRange: [-2, 8], seed: 9, name: 'ch' }).getConfig();
  assert.equal(cfg.snrRange, [-2, 8]);
  assert.is(cfg.seed, 9);
  assert.is(cfg.channel, 'awgn');
  assert.equal(cfg.channelParams, {});
  const again = new ChannelLayer(cfg as never).getConfig();
  assert.equal(again, cfg);
});

test.run();
