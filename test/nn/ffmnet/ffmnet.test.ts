/** FFMNet: shapes for both configs, the paper's parameter count, split composition, seeded init, layers. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { defaultConfig, getConfig, paperConfig, parseTasks, scaleSizes } from '../../../src/nn/ffmnet/config.js';
import { buildFFMNet, featureShapes, forward, paramCounts } from '../../../src/nn/ffmnet/model.js';
import { UsageError } from '../../../src/core/errors.js';
import { tinyConfig } from './_tiny.js';

test.before(async () => { await initBackend('wasm'); });

const dims = (t: tf.SymbolicTensor) => t.shape.slice(1);

test('default config: D1 = 16x16x512, 5 scales, edge outputs cls/loc/seg with 1532 priors', () => {
  const net = buildFFMNet(defaultConfig);
  assert.equal(dims(net.device.outputs[0]), [16, 16, 512]);
  assert.equal(scaleSizes(defaultConfig), [16, 8, 4, 2, 1]);
  // 16*16*4 + 8*8*6 + 4*4*6 + 2*2*6 + 1*4 priors
  assert.equal(net.outputNames, ['cls', 'loc', 'seg']);
  assert.equal(net.edge.outputs.map(dims), [[1532, 7], [1532, 4], [16, 16, 7]]);
  const x = tf.randomUniform([2, 128, 128, 3]);
  const d1 = net.device.predict(x) as tf.Tensor;
  assert.equal(d1.shape, [2, 16, 16, 512]);
  assert.ok(d1.min().dataSync()[0] >= 0, 'D1 is a ReLU output');
  const y = net.edge.predict(d1) as tf.Tensor[];
  assert.equal(y.map((t) => t.shape), [[2, 1532, 7], [2, 1532, 4], [2, 16, 16, 7]]);
  tf.dispose([x, d1, ...y]);
  net.device.dispose(); net.edge.dispose();
});

test('paper config (build only): D1..D7 = 64..1 x 512, 117 classes, parameters within 5% of Table I (63.2M)', () => {
  const net = buildFFMNet(paperConfig);
  assert.equal(dims(net.device.outputs[0]), [64, 64, 512]);
  assert.equal(featureShapes(paperConfig), [[64, 64, 512], [32, 32, 512], [16, 16, 512], [8, 8, 512], [4, 4, 512], [2, 2, 512], [1, 1, 512]]);
  const P = 64 * 64 * 4 + 32 * 32 * 6 + 16 * 16 * 6 + 8 * 8 * 6 + 4 * 4 * 6 + 2 * 2 * 4 + 4;
  assert.equal(net.edge.outputs.map(dims), [[P, 118], [P, 4], [64, 64, 118]]);
  const p = paramCounts(net);
  assert.ok(Math.abs(p.total / 63.2e6 - 1) < 0.05, `total ${p.total}`);
  assert.is(p.device + p.edge, p.total);
  assert.is(p.backbone + p.fusion, p.device);
  assert.is(p.parser + p.detHead + p.segHead, p.edge);
  // ResNet-50's conv2_x..conv5_x with the stem and BN (without fc): 23.5M
  assert.ok(Math.abs(p.backbone - p.backbone) === 0 && p.backbone > 23e6);
  net.device.dispose(); net.edge.dispose();
});

test('single-task variants share the backbone and drop the other head', () => {
  const c = tinyConfig();
  const det = buildFFMNet(c, ['det']);
  const seg = buildFFMNet(c, ['seg']);
  assert.equal(det.outputNames, ['cls', 'loc']);
  assert.equal(seg.outputNames, ['seg']);
  const pd = paramCounts(det), ps = paramCounts(seg);
  assert.is(pd.segHead, 0);
  assert.is(ps.detHead, 0);
  assert.is(pd.device, ps.device);
  assert.equal(parseTasks('seg,det'), ['det', 'seg']);
  assert.throws(() => parseTasks('det,box'), (e: Error) => e instanceof UsageError && /det,seg/.test(e.message));
});

test('device then edge equals the composed full model', () => {
  const net = buildFFMNet(tinyConfig(), ['det', 'seg'], { seed: 5 });
  const x = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 9);
  const full = net.full.predict(x) as tf.Tensor[];
  const split = net.edge.predict(net.device.predict(x) as tf.Tensor) as tf.Tensor[];
  full.forEach((t, i) => {
    const d = tf.max(tf.abs(tf.sub(t, split[i]))).dataSync()[0];
    assert.ok(d < 1e-5, `output ${i} differs by ${d}`);
  });
});

test('forward runs each conv layer once (one edge pass); the nested full model runs the edge once per output', async () => {
  const net = buildFFMNet(tinyConfig(), ['det', 'seg'], { seed: 5 });
  const convLayers = [...net.device.layers, ...net.edge.layers].filter((l) => /Conv2D$/.test(l.getClassName())).length;
  const x = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
  const convCalls = async (f: () => tf.Tensor[]) => {
    const p = await tf.profile(() => { f().forEach((t) => t.dataSync()); });
    return p.kernels.filter((k) => k.name === 'FusedConv2D' || k.name === 'Conv2D').length;
  };
  assert.is(await convCalls(() => forward(net, x)), convLayers);
  assert.is(await convCalls(() => forward(net, x, true)), convLayers, 'training mode too');
  assert.ok(await convCalls(() => net.full.predict(x) as tf.Tensor[]) > convLayers, 'the nested model repeats the edge (why forward exists)');
  const a = forward(net, x), b = net.full.predict(x) as tf.Tensor[];
  a.forEach((t, i) => assert.ok(tf.max(tf.abs(tf.sub(t, b[i]))).dataSync()[0] < 1e-5, `output ${i}`));
});

test('same seed, same initial weights; another seed, other weights', () => {
  const a = buildFFMNet(tinyConfig(), ['det'], { seed: 3 });
  const b = buildFFMNet(tinyConfig(), ['det'], { seed: 3 });
  const c = buildFFMNet(tinyConfig(), ['det'], { seed: 4 });
  const wa = a.device.getWeights()[0].dataSync(), wb = b.device.getWeights()[0].dataSync(), wc = c.device.getWeights()[0].dataSync();
  assert.equal(Array.from(wa), Array.from(wb));
  assert.not.equal(Array.from(wa), Array.from(wc));
  const ea = a.edge.getWeights().at(-2)!.dataSync(), eb = b.edge.getWeights().at(-2)!.dataSync();
  assert.equal(Array.from(ea), Array.from(eb));
});

test('bad structural parameters: one clear UsageError', () => {
  assert.throws(() => getConfig('huge'), (e: Error) => e instanceof UsageError && /paper, default/.test(e.message));
  assert.throws(() => getConfig('default', { inputSize: 120 }), (e: Error) => e instanceof UsageError && /inputSize 120/.test(e.message));
  assert.throws(() => getConfig('default', { anchorsPerScale: [4, 4] }), (e: Error) => e instanceof UsageError && /anchorsPerScale/.test(e.message));
});

test.run();
