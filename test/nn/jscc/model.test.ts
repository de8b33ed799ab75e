/**
 * The JSCC autoencoder: Table III rows (ratio, channel uses), shapes, Es = 1 at the encoder output,
 * ReLU range at the decoder output, bad configs refused, gradients reach every weight through the
 * channel, and a few noisy training steps reduce the L1 reconstruction loss.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { trainableVariables } from '../../../src/nn/variables.js';
import { buildJscc, jsccConfigForRatio, JSCC_RATIOS, parseJsccRatio, TABLE_III } from '../../../src/nn/jscc/model.js';
import { ChannelLayer } from '../../../src/nn/layers/channel.js';
import { randomData } from '../kernels/reference.js';

test.before(async () => {
  await initBackend('wasm');
});

test('Table III for the paper D1 (64, 64, 512): ratio = H*W*C / (2 * channelUses), the paper\'s numbers', () => {
  const want: Record<number, [number, number, number]> = { 128: [2, 16, 8192], 256: [2, 8, 4096], 512: [4, 16, 2048], 1024: [4, 8, 1024] };
  for (const ratio of JSCC_RATIOS) {
    const cfg = jsccConfigForRatio([64, 64, 512], ratio);
    assert.is(cfg.stride, want[ratio][0]);
    assert.is(cfg.cPrime, want[ratio][1]);
    const m = buildJscc({ ...cfg, hidden: 8 }); // small hidden: only the bandwidth matters here
    assert.is(m.channelUses, want[ratio][2], `ratio ${ratio}`);
    assert.is(m.compressionRatio, ratio);
    assert.is((64 * 64 * 512) / (2 * m.channelUses), ratio);
    m.encoder.dispose();
    m.decoder.dispose();
  }
  // The paper's example: 64*64*512 / (16*16*16) = 512 real values.
  assert.is(TABLE_III.find((r) => r.ratio === 512)?.label, '(H/4, W/4, C/32)');
});

test('default D1 (16, 16, 128): shapes, Es = 1 per image, non-negative output', () => {
  const m = buildJscc(jsccConfigForRatio([16, 16, 128], 512));
  assert.equal(m.encoder.outputs[0].shape, [null, 4, 4, 4]);
  assert.equal(m.decoder.outputs[0].shape, [null, 16, 16, 128]);
  assert.is(m.channelUses, 32);
  const x = tf.relu(tf.tensor(randomData(1, [3, 16, 16, 128], 2), [3, 16, 16, 128]));
  const z = m.encoder.predict(x) as tf.Tensor;
  const es = tf.div(tf.sum(tf.square(z.reshape([3, -1])), 1), m.channelUses).dataSync();
  for (const e of es) assert.ok(Math.abs(e - 1) < 1e-5, `Es = ${e}`);
  const y = (m.decoder.predict(z) as tf.Tensor).dataSync();
  assert.ok(Array.from(y).every((v) => v >= 0 && Number.isFinite(v)));
  tf.dispose([x, z]);
});

test('bad configs are UsageErrors naming the value', () => {
  const bad: [() => unknown, RegExp][] = [
    [() => jsccConfigForRatio([16, 16, 100], 512), /C = 100/],
    [() => jsccConfigForRatio([16, 16, 128], 300 as 512), /ratio 300/],
    [() => buildJscc({ d1: [18, 16, 128], stride: 4, cPrime: 4 }), /stride 4 does not divide/],
    [() => buildJscc({ d1: [2, 2, 8], stride: 2, cPrime: 1 }), /odd number of reals/],
    [() => buildJscc({ d1: [16, 16, 128], stride: 3 as 2, cPrime: 4 }), /stride 3/],
    [() => parseJsccRatio('64'), /--ratio "64" is not allowed/],
  ];
  for (const [f, re] of bad) {
    try {
      f();
      assert.unreachable(`no error for ${re}`);
    } catch (e) {
      assert.is((e as Error).name, 'UsageError', String(e));
      assert.match((e as Error).message, re);
    }
  }
  assert.is(parseJsccRatio('1024'), 1024);
});

test('resampling: new configs use space-to-depth + depth-to-space; a config without the fields builds the 0.2 avgpool + bilinear pair', () => {
  const cfg = jsccConfigForRatio([16, 16, 64], 512);
  assert.is(cfg.downsample, 'space-to-depth');
  assert.is(cfg.upsample, 'depth-to-space');
  const names = (m: tf.LayersModel) => m.layers.map((l) => l.getClassName());
  const s2d = buildJscc(cfg);
  assert.ok(names(s2d.encoder).includes('SpaceToDepth') && names(s2d.decoder).includes('DepthToSpace'));
  assert.equal(s2d.encoder.outputs[0].shape, [null, 4, 4, 2]);
  assert.equal(s2d.decoder.outputs[0].shape, [null, 16, 16, 64]);
  const old = buildJscc({ d1: [16, 16, 64], stride: 4, cPrime: 2 });
  assert.ok(names(old.encoder).includes('AveragePooling2D') && names(old.decoder).includes('BilinearUpsample'));
  assert.is(old.channelUses, s2d.channelUses);
  // Invariant: average pooling cannot see where inside a 4x4 cell a value lies; space-to-depth can.
  const at = (y: number, x: number) => tf.tidy(() => tf.mul(tf.oneHot(tf.tensor1d([y * 16 + x], 'int32'), 256).reshape([1, 16, 16, 1]), tf.ones([1, 1, 1, 64])));
  const diff = (m: tf.LayersModel) => tf.tidy(() => tf.max(tf.abs(tf.sub(m.predict(at(1, 1)) as tf.Tensor, m.predict(at(2, 3)) as tf.Tensor))).dataSync()[0]);
  assert.ok(diff(old.encoder) < 1e-6, 'avgpool: same cell, same output');
  assert.ok(diff(s2d.encoder) > 1e-3, 'space-to-depth: position inside the cell changes the output');
  for (const m of [s2d.encoder, s2d.decoder, old.encoder, old.decoder]) m.dispose();
  assert.throws(() => buildJscc({ ...cfg, downsample: 'maxpool' as 'avgpool' }), /downsample "maxpool" is not allowed: use avgpool or space-to-depth/);
  assert.throws(() => buildJscc({ ...cfg, upsample: 'nearest' as 'bilinear' }), /upsample "nearest" is not allowed/);
});

test('gradients reach every encoder and decoder weight through a noisy channel', () => {
  for (const resampling of [{}, { downsample: 'space-to-depth', upsample: 'depth-to-space' }] as const) {
    const m = buildJscc({ d1: [8, 8, 32], stride: 2, cPrime: 2, seed: 3, ...resampling });
    const channel = new ChannelLayer({ snrDb: 5, seed: 1 });
    const x = tf.relu(tf.tensor(randomData(2, [2, 8, 8, 32]), [2, 8, 8, 32]));
    const vars = trainableVariables(m.encoder, m.decoder);
    const { grads } = tf.variableGrads(() => tf.losses.absoluteDifference(x, m.decoder.apply(channel.apply(m.encoder.apply(x))) as tf.Tensor) as tf.Scalar, vars);
    assert.is(Object.keys(grads).length, vars.length);
    for (const [name, g] of Object.entries(grads)) {
      const v = g.dataSync();
      assert.ok(Array.from(v).every(Number.isFinite), `${name}: non-finite gradient`);
      assert.ok(Array.from(v).some((e) => e !== 0), `${name}: zero gradient`);
    }
    tf.dispose([x, ...Object.values(grads)]);
  }
});

/** Compressible features: 2 latent values per 2x2 block, spread over 32 channels, then ReLU. */
function structuredFeatures(n: number): tf.Tensor4D {
  return tf.tidy(() => {
    const z = tf.tensor(randomData(3, [n, 4, 4, 2]), [n, 4, 4, 2]);
    const mix = tf.tensor(randomData(4, [2, 32]), [2, 32]);
    const x = tf.relu(tf.matMul(z.reshape([-1, 2]), mix)).reshape([n, 4, 4, 32]);
    return tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [8, 8]);
  });
}

test('a few Adam steps at SNR 10 dB reduce the L1 loss on a fixed batch', () => {
  const m = buildJscc({ d1: [8, 8, 32], stride: 2, cPrime: 2, seed: 4 });
  const channel = new ChannelLayer({ snrDb: 10, seed: 2 });
  const x = structuredFeatures(4);
  const opt = tf.train.adam(1e-2);
  const losses: number[] = [];
  for (let i = 0; i < 25; i++) {
    const l = opt.minimize(() => tf.losses.absoluteDifference(x, m.decoder.apply(channel.apply(m.encoder.apply(x))) as tf.Tensor) as tf.Scalar, true)!;
    losses.push(l.dataSync()[0]);
    l.dispose();
  }
  const first = (losses[0] + losses[1]) / 2, last = (losses[23] + losses[24]) / 2;
  assert.ok(last < 0.8 * first, `L1 ${first} -> ${last}`);
  x.dispose();
});

test.run();
