/**
 * Differentiable tfjs forms of the AWGN and Rayleigh channels, for training (docs/architecture.md).
 *
 * Layout: the last axis of x holds interleaved (re, im) pairs and must be even; x of shape
 * [..., 2] is the special case of one complex value per row. Units as everywhere: Es = 1 per
 * complex symbol, N0 = 10^(-SNR/10), N0/2 per real dimension.
 *
 * tfjs is loaded on first use with require, so commands that never train (ber) never pay its
 * start-up; '@tensorflow/tfjs' resolves to the same CommonJS module for import and require, so
 * the backend the caller selected (e.g. wasm) is the one used here.
 */
import { createRequire } from 'node:module';
import type * as TF from '@tensorflow/tfjs';
import { n0FromSnrDb } from '../src/core/types.js';
import { UsageError } from '../src/core/errors.js';

type Tf = typeof TF;
let tfCache: Tf | undefined;

/** The tfjs module (loaded on first call). */
export function tfjs(): Tf {
  if (!tfCache) tfCache = createRequire(import.meta.url)('@tensorflow/tfjs') as Tf;
  return tfCache;
}

function checkTensor(x: unknown): TF.Tensor {
  const tf = tfjs();
  if (!(x instanceof tf.Tensor)) throw new TypeError('applyTensor: x must be a tf.Tensor');
  if (x.rank < 1 || x.shape[x.rank - 1] % 2 !== 0) {
    throw new UsageError(`applyTensor: the last axis of x [${x.shape}] must be even (interleaved re, im)`);
  }
  return x;
}

/** y = x + n, n ~ CN(0, N0) (N0/2 per real value). Gradient dy/dx = identity. */
export function awgnTensor(x: unknown, snrDb: number, seed?: number): TF.Tensor {
  const tf = tfjs();
  const t = checkTensor(x);
  const sigma = Math.sqrt(n0FromSnrDb(snrDb) / 2);
  return tf.tidy(() => tf.add(t, tf.randomNormal(t.shape, 0, sigma, 'float32', seed)));
}

export interface RayleighTensorOptions {
  /** 'symbol': a new h per complex value (fast fading); 'example': one h per index of axis 0. */
  block: 'symbol' | 'example';
  /** Floor on |h|^2 in the zero-forcing division, so rare deep fades cannot blow up a loss. */
  minGain: number;
}

/**
 * Rayleigh fading h ~ CN(0, 1) with perfect-CSI zero-forcing equalization:
 * y = (h x + n) / h = x + n / h. Gradients flow to x (identity), as the channel acts additively
 * after equalization. |h|^2 is floored at minGain (default 1e-6) in the division only.
 */
export function rayleighTensor(x: unknown, snrDb: number, seed: number | undefined, opts: RayleighTensorOptions): TF.Tensor {
  const tf = tfjs();
  const t = checkTensor(x);
  const n0 = n0FromSnrDb(snrDb);
  return tf.tidy(() => {
    const rows = opts.block === 'example' && t.rank >= 2 ? t.shape[0] : 1;
    const pairs = t.size / 2 / rows;
    const x3 = t.reshape([rows, pairs, 2]);
    const hShape: [number, number, number] = opts.block === 'example' && t.rank >= 2 ? [rows, 1, 2] : [rows, pairs, 2];
    const h = tf.randomNormal(hShape, 0, Math.SQRT1_2, 'float32', seed);
    const n = tf.randomNormal([rows, pairs, 2], 0, Math.sqrt(n0 / 2), 'float32', seed === undefined ? undefined : seed + 1);
    const [hr, hi] = tf.split(h, 2, 2);
    const [nr, ni] = tf.split(n, 2, 2);
    const g = tf.maximum(tf.add(tf.square(hr), tf.square(hi)), opts.minGain);
    const er = tf.div(tf.add(tf.mul(nr, hr), tf.mul(ni, hi)), g);
    const ei = tf.div(tf.sub(tf.mul(ni, hr), tf.mul(nr, hi)), g);
    return tf.add(x3, tf.concat([er, ei], 2)).reshape(t.shape);
  });
}
