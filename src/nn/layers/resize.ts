/**
 * Bilinear upsampling by an integer factor with half-pixel centres (PyTorch / TF2 / PIL /
 * OpenCV alignment): output pixel o samples source coordinate (o + 0.5) / k - 0.5, edges clamped.
 * tfjs' UpSampling2D and image.resizeBilinear default to the legacy rule src = o * in / out,
 * which shifts the image by (k - 1) / 2k pixels; and the cpu and wasm ResizeBilinearGrad kernels
 * ignore `halfPixelCenters`, so a model trained through tf.image.resizeBilinear(..., true)
 * would get the gradient of another function.
 *
 * Here the forward is tf.image.resizeBilinear(..., halfPixelCenters = true) and its gradient the
 * project's ResizeBilinearGrad (src/nn/kernels/resize-bilinear-grad.ts, registered on first use
 * for cpu and wasm; tfjs-node's TensorFlow kernel already honours the flag). For output phase
 * p = o mod k of a k-fold upsampling the source offset t_p = (p + 0.5) / k - 0.5 lies in
 * (-0.5, 0.5): a two-tap blend of x[i] with its clamped neighbour (phaseWeights, for tests).
 */
import * as tf from '@tensorflow/tfjs';
import { registerResizeBilinearGrad } from '../kernels/resize-bilinear-grad.js';

export type ResizeMode = 'half-pixel' | 'legacy';

/** Blend weights per phase: [w(x[i-1]), w(x[i]), w(x[i+1])]. */
export function phaseWeights(k: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let p = 0; p < k; p++) {
    const t = (p + 0.5) / k - 0.5;
    out.push(t < 0 ? [-t, 1 + t, 0] : [0, 1 - t, t]);
  }
  return out;
}

/** Bilinear upsampling of NHWC `x` by integer factors (kh, kw) with half-pixel centres. */
export function upsampleBilinear(x: tf.Tensor4D, kh: number, kw = kh): tf.Tensor4D {
  for (const k of [kh, kw]) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`upsampling factor ${k} is not allowed: use an integer >= 1`);
  }
  registerResizeBilinearGrad();
  const [, h, w] = x.shape;
  return tf.image.resizeBilinear(x, [h * kh, w * kw], false, true);
}

/**
 * Resize NHWC `x` to (height, width) with half-pixel centres (any sizes; differentiable).
 */
export function resizeBilinearHalfPixel(x: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (h === height && w === width) return x;
  registerResizeBilinearGrad();
  return tf.image.resizeBilinear(x, [height, width], false, true);
}

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];

export interface BilinearUpsampleOptions {
  /** Integer factor per axis. */
  factor: number;
  /**
   * 'half-pixel' (default) or 'legacy', the alignment of tfjs' UpSampling2D, kept so that
   * checkpoints trained with it (jscc-sim 0.1) load and compute what they were trained with.
   */
  mode?: ResizeMode;
  name?: string;
}

/** A layer around upsampleBilinear (or the legacy tfjs rule), serializable in checkpoints. */
export class BilinearUpsample extends tf.layers.Layer {
  static className = 'BilinearUpsample';
  readonly factor: number;
  readonly mode: ResizeMode;

  constructor(args: BilinearUpsampleOptions & { [key: string]: unknown }) {
    super(args as unknown as LayerArgs);
    if (!Number.isInteger(args.factor) || args.factor < 1) throw new RangeError(`BilinearUpsample factor ${args.factor} is not allowed: use an integer >= 1`);
    const mode = args.mode ?? 'half-pixel';
    if (mode !== 'half-pixel' && mode !== 'legacy') throw new RangeError(`BilinearUpsample mode ${JSON.stringify(mode)} is not allowed: use half-pixel or legacy`);
    this.factor = args.factor;
    this.mode = mode;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [s[0], s[1] === null ? null : (s[1] as number) * this.factor, s[2] === null ? null : (s[2] as number) * this.factor, s[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    if (this.mode === 'legacy') {
      return tf.image.resizeBilinear(x, [x.shape[1] * this.factor, x.shape[2] * this.factor]);
    }
    return upsampleBilinear(x, this.factor);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor, mode: this.mode };
  }
}
