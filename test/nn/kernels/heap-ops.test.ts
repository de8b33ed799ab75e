/**
 * heap-ops.wat (the wasm SIMD loops over the tfjs heap): the embedded binary matches the committed
 * .wat, and im2colT / col2im agree with a plain JS reference on a padded, strided geometry with a
 * run length that is not a multiple of 4 (scalar tails) and one that is (4x4 transposes).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { packageRoot } from '../../../src/core/version.js';
import { HEAP_OPS_WAT_SHA256 } from '../../../src/nn/kernels/heap-ops-wasm.js';
import { heapOps, runTable, windowPadding, windowRuns } from '../../../src/nn/kernels/heap-ops.js';
import { convGeometry } from '../../../src/nn/kernels/conv-geometry.js';
import { KernelScope, type WasmBackend } from '../../../src/nn/kernels/wasm-ops.js';
import { initBackend } from '../../../src/nn/backend.js';
import { randomData } from './reference.js';

test('the embedded heap-ops WebAssembly was built from the committed heap-ops.wat (rebuild with wat2wasm after editing it)', () => {
  const wat = readFileSync(path.join(packageRoot(), 'src', 'nn', 'kernels', 'heap-ops.wat'));
  assert.is(createHash('sha256').update(wat).digest('hex'), HEAP_OPS_WAT_SHA256);
});

for (const [xs, fs, s] of [[[2, 7, 9, 3], [3, 3, 3, 2], 2], [[1, 6, 5, 8], [3, 2, 8, 2], 1]] as [number[], number[], number][]) {
  test(`im2colT and col2im equal the JS reference: x ${xs}, filter ${fs}, stride ${s}, 'same'`, async () => {
    await initBackend('wasm');
    const g = convGeometry(xs, fs, s, 1, 'same', undefined, 'NHWC');
    const [kh, kw, c] = fs;
    const M = g.batch * g.outHeight * g.outWidth, K = kh * kw * c;
    const xd = randomData(1, xs), cd = randomData(2, [M, K]);
    // Reference im2col: cols[m, (i, j, ch)] = x at the window tap, 0 in the padding.
    const ref = new Float32Array(M * K), back = new Float32Array(xd.length);
    for (let m = 0; m < M; m++) {
      const ow = m % g.outWidth, oh = Math.floor(m / g.outWidth) % g.outHeight, n = Math.floor(m / (g.outWidth * g.outHeight));
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let ch = 0; ch < c; ch++) {
        const y = oh * s + i - g.padTop, x = ow * s + j - g.padLeft;
        if (y < 0 || y >= xs[1] || x < 0 || x >= xs[2]) continue;
        const xi = ((n * xs[1] + y) * xs[2] + x) * c + ch, k = (i * kw + j) * c + ch;
        ref[m * K + k] = xd[xi];
        back[xi] += cd[m * K + k];
      }
    }
    const b = tf.backend() as unknown as WasmBackend;
    const k = new KernelScope(b);
    try {
      const [ph, pw] = windowPadding(g);
      const xp = k.pad(k.track(b.makeOutput(xs, 'float32', undefined, xd)), [[0, 0], ph, pw, [0, 0]]);
      const { units, length } = windowRuns(g);
      const colsT = k.track(b.makeOutput([K, M], 'float32'));
      const tab = runTable(k, xp, g, 0, M);
      heapOps(k).im2colT(k.offsetOf(tab) * 4, M, units, length, k.offsetOf(colsT) * 4);
      const got = b.typedArrayFromHeap(colsT) as Float32Array;
      for (let m = 0; m < M; m++) for (let kk = 0; kk < K; kk++) assert.is(got[kk * M + m], ref[m * K + kk], `cols[${m}, ${kk}]`);
      // col2im into a zeroed padded buffer, then compare the interior with the reference scatter.
      const dxp = k.track(b.makeOutput(xp.shape, 'float32'));
      (b.typedArrayFromHeap(dxp) as Float32Array).fill(0);
      const cols = k.track(b.makeOutput([M, K], 'float32', undefined, cd));
      const tab2 = runTable(k, dxp, g, 0, M);
      heapOps(k).col2im(k.offsetOf(tab2) * 4, M, units, length, k.offsetOf(cols) * 4);
      const full = b.typedArrayFromHeap(dxp) as Float32Array;
      const [, hp, wp] = xp.shape;
      let worst = 0;
      for (let n = 0; n < xs[0]; n++) for (let y = 0; y < xs[1]; y++) for (let x = 0; x < xs[2]; x++) for (let ch = 0; ch < c; ch++) {
        const v = full[((n * hp + y + ph[0]) * wp + x + pw[0]) * c + ch];
        worst = Math.max(worst, Math.abs(v - back[((n * xs[1] + y) * xs[2] + x) * c + ch]));
      }
      assert.ok(worst <= 1e-5, `col2im differs by ${worst}`);
    } finally {
      k.dispose();
    }
  });
}

test.run();
