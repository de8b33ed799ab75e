/** Backend selection: wasm with the project's kernels, cpu, and a clear error for tensorflow when absent. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { initBackend, parseBackendName } from '../../src/nn/backend.js';
import { wasmKernelConfigs } from '../../src/nn/kernels/index.js';
import { packageRoot } from '../../src/core/version.js';

test('wasm is the default and has every project kernel registered', async () => {
  await initBackend();
  assert.is(tf.getBackend(), 'wasm');
  for (const k of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter', 'UnsortedSegmentSum', 'BatchMatMul', '_FusedMatMul', 'Tile', 'Einsum']) {
    const cfg = tf.getKernel(k, 'wasm');
    assert.ok(cfg, `${k} not registered`);
    assert.ok(wasmKernelConfigs.some((c) => c.kernelFunc === cfg!.kernelFunc), `${k} is not the project's kernel`);
  }
  // Idempotent: a second call neither throws nor re-registers.
  await initBackend('wasm');
});

test('cpu and back to wasm; no tfjs greeting on the console', async () => {
  const warn = console.warn, log = console.log;
  const said: string[] = [];
  console.warn = (...a: unknown[]) => { said.push(a.join(' ')); };
  console.log = (...a: unknown[]) => { said.push(a.join(' ')); };
  try {
    await initBackend('cpu');
    assert.is(tf.getBackend(), 'cpu');
    tf.tidy(() => tf.add(tf.ones([2]), 1).dataSync());
    await initBackend('wasm');
    assert.is(tf.getBackend(), 'wasm');
  } finally {
    console.warn = warn;
    console.log = log;
  }
  assert.equal(said, []);
});

test('tensorflow without tfjs-node installed: one-line UsageError naming the package', async () => {
  const installed = ['tfjs-node', 'tfjs-node-gpu'].some((p) => existsSync(path.join(packageRoot(), 'node_modules', '@tensorflow', p)));
  if (installed) return; // a user install: nothing to refuse
  try {
    await initBackend('tensorflow');
    assert.unreachable('should refuse');
  } catch (e) {
    assert.is((e as Error).name, 'UsageError');
    assert.match((e as Error).message, /@tensorflow\/tfjs-node/);
    assert.not.match((e as Error).message, /\n/);
  }
  assert.is(tf.getBackend(), 'wasm', 'a refused switch must leave the backend as it was');
});

test('parseBackendName', () => {
  assert.is(parseBackendName('cpu'), 'cpu');
  assert.throws(() => parseBackendName('webgl'), /--backend "webgl" is not allowed: use one of wasm, cpu, tensorflow/);
});

test.run();
