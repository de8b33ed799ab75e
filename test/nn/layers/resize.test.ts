/**
 * Half-pixel bilinear upsampling: a hand-computed case, the legacy rule beside it, equality with
 * tf.image.resizeBilinear(halfPixelCenters) forward, and the gradient against the adjoint of the
 * explicit interpolation matrix on cpu and wasm (tfjs' own ResizeBilinearGrad ignores the flag).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/nn/backend.js';
import { BilinearUpsample, phaseWeights, upsampleBilinear } from '../../../src/nn/layers/resize.js';
import { Rng } from '../../../src/core/rng.js';

test.before(async () => { await initBackend('wasm'); });

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  assert.is(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

test('hand-computed: [1, 2] upsampled x2 is [1, 1.25, 1.75, 2] (legacy: [1, 1.5, 2, 2]); x4 of [0, 4]', () => {
  const x = tf.tensor4d([1, 2], [1, 1, 2, 1]);
  close(upsampleBilinear(x, 1, 2).dataSync(), [1, 1.25, 1.75, 2], 1e-6, 'half-pixel x2');
  close((new BilinearUpsample({ factor: 2, mode: 'legacy' }).apply(tf.tensor4d([1, 2, 1, 2], [1, 2, 2, 1])) as tf.Tensor).dataSync(), [1, 1.5, 2, 2, 1, 1.5, 2, 2, 1, 1.5, 2, 2, 1, 1.5, 2, 2], 1e-6, 'legacy x2');
  // x4: sources at -0.375, -0.125, 0.125, 0.375, 0.625, ... -> 0, 0, 0.5, 1.5, 2.5, 3.5, 4, 4
  close(upsampleBilinear(tf.tensor4d([0, 4], [1, 1, 2, 1]), 1, 4).dataSync(), [0, 0, 0.5, 1.5, 2.5, 3.5, 4, 4], 1e-6, 'x4');
  assert.equal(phaseWeights(2), [[0.25, 0.75, 0], [0, 0.75, 0.25]]);
});

test('forward equals tf.image.resizeBilinear with half-pixel centres; constant images stay constant', () => {
  for (const [h, w, k] of [[4, 4, 4], [3, 5, 2], [16, 16, 8], [1, 2, 3]]) {
    const x = tf.randomNormal([2, h, w, 3], 0, 1, 'float32', 5);
    close(upsampleBilinear(x as tf.Tensor4D, k).dataSync(), tf.image.resizeBilinear(x as tf.Tensor4D, [h * k, w * k], false, true).dataSync(), 1e-5, `${h}x${w} k=${k}`);
  }
  const c = upsampleBilinear(tf.fill([1, 3, 3, 2], 0.7) as tf.Tensor4D, 4).dataSync();
  close(c, new Float32Array(c.length).fill(0.7), 1e-6, 'constant');
});

/** dx = sum over outputs of dy * A_h[oy, y] * A_w[ox, x], with A built from phaseWeights. */
function adjoint(dy: Float32Array, B: number, H: number, W: number, C: number, k: number): Float64Array {
  const mat = (n: number) => {
    const a = Array.from({ length: n * k }, () => new Float64Array(n));
    const w = phaseWeights(k);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < k; p++) {
        const [prev, self, next] = w[p];
        a[i * k + p][Math.max(0, i - 1)] += prev;
        a[i * k + p][i] += self;
        a[i * k + p][Math.min(n - 1, i + 1)] += next;
      }
    }
    return a;
  };
  const ah = mat(H), aw = mat(W);
  const out = new Float64Array(B * H * W * C);
  for (let b = 0; b < B; b++) for (let oy = 0; oy < H * k; oy++) for (let ox = 0; ox < W * k; ox++) for (let c = 0; c < C; c++) {
    const g = dy[((b * H * k + oy) * W * k + ox) * C + c];
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[((b * H + y) * W + x) * C + c] += g * ah[oy][y] * aw[ox][x];
  }
  return out;
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`gradient is the adjoint of half-pixel interpolation on ${backend} (random shapes)`, async () => {
    await initBackend(backend);
    const rng = new Rng(17);
    try {
      for (let t = 0; t < 5; t++) {
        const H = 1 + rng.int(5), W = 1 + rng.int(5), C = 1 + rng.int(4), k = 2 + rng.int(4), B = 1 + rng.int(2);
        const x = tf.randomNormal([B, H, W, C], 0, 1, 'float32', t) as tf.Tensor4D;
        const dy = tf.randomNormal([B, H * k, W * k, C], 0, 1, 'float32', 100 + t);
        const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(upsampleBilinear(v as tf.Tensor4D, k), dy)))(x).dataSync();
        close(g, adjoint(dy.dataSync() as Float32Array, B, H, W, C, k), 1e-4, `${backend} ${B}x${H}x${W}x${C} k=${k}`);
      }
      // The legacy rule keeps tfjs' own gradient: it is not the half-pixel adjoint.
      const x = tf.randomNormal([1, 4, 4, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
      const dy = tf.randomNormal([1, 8, 8, 1], 0, 1, 'float32', 10);
      const legacy = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeBilinear(v as tf.Tensor4D, [8, 8]), dy)))(x).dataSync();
      const half = adjoint(dy.dataSync() as Float32Array, 1, 4, 4, 1, 2);
      assert.ok(Array.from(legacy).some((v, i) => Math.abs(v - half[i]) > 1e-3), 'legacy and half-pixel gradients differ');
    } finally {
      await initBackend('wasm');
    }
  });
}

test('BilinearUpsample: output shape, config round trip, bad factor refused', () => {
  const layer = new BilinearUpsample({ factor: 4, name: 'up' });
  assert.equal(layer.computeOutputShape([null, 4, 4, 8]), [null, 16, 16, 8]);
  assert.equal({ factor: layer.getConfig().factor, mode: layer.getConfig().mode }, { factor: 4, mode: 'half-pixel' });
  assert.throws(() => new BilinearUpsample({ factor: 1.5 }), /factor 1.5/);
  assert.throws(() => new BilinearUpsample({ factor: 2, mode: 'nearest' as never }), /mode "nearest"/);
});

test('pooling a mask to 1/8 and upsampling back: half-pixel recovers it better than the legacy rule', () => {
  // A 64x64 two-class mask (a disc), average-pooled to 8x8 then upsampled x8: pixel agreement.
  const S = 64;
  const m = new Float32Array(S * S);
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) m[y * S + x] = (x - 30) ** 2 + (y - 34) ** 2 < 18 ** 2 ? 1 : 0;
  const small = tf.avgPool(tf.tensor4d(m, [1, S, S, 1]), 8, 8, 'valid') as tf.Tensor4D;
  const agree = (up: ArrayLike<number>) => { let n = 0; for (let i = 0; i < m.length; i++) if ((up[i] > 0.5 ? 1 : 0) === m[i]) n++; return n / m.length; };
  const half = agree(upsampleBilinear(small, 8).dataSync());
  const legacy = agree(tf.image.resizeBilinear(small, [S, S]).dataSync());
  assert.ok(half > legacy, `half-pixel ${half} vs legacy ${legacy}`);
  assert.ok(half > 0.97, `half-pixel agreement ${half}`);
});

test.run();
