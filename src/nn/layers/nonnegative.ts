/**
 * Non-negative reparametrization of GDN parameters, as in the reference libraries (Ballé et al.,
 * "Density modeling of images using a generalized normalization transformation", ICLR 2016;
 * CompressAI's `NonNegativeParametrizer`, tensorflow-compression's GDN):
 *
 *   stored v, used p = max(v, bound)^2 - pedestal,  pedestal = offset^2,  bound = sqrt(minimum + pedestal)
 *   init v = sqrt(max(p0 + pedestal, pedestal))
 *
 * The square keeps p >= minimum; the pedestal keeps the gradient alive near p = 0. The lower bound
 * passes the gradient through wherever it would move v up (gradient < 0), like CompressAI's
 * LowerBound, so a parameter stuck at the bound can leave it.
 */
import * as tf from '@tensorflow/tfjs';

export const DEFAULT_REPARAM_OFFSET = 2 ** -18;

export class NonNegativeParametrizer {
  readonly minimum: number;
  readonly pedestal: number;
  readonly bound: number;

  constructor(minimum = 0, reparamOffset = DEFAULT_REPARAM_OFFSET) {
    if (!(minimum >= 0) || !(reparamOffset > 0)) {
      throw new RangeError(`NonNegativeParametrizer: minimum ${minimum} must be >= 0 and offset ${reparamOffset} > 0`);
    }
    this.minimum = minimum;
    this.pedestal = reparamOffset * reparamOffset;
    this.bound = Math.sqrt(minimum + this.pedestal);
  }

  /** Stored value for a wanted parameter value p0 (array or number). */
  init(p0: number): number {
    return Math.sqrt(Math.max(p0 + this.pedestal, this.pedestal));
  }

  /** The parameter from its stored form: max(v, bound)^2 - pedestal (gradient per the header). */
  forward(v: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.sub(tf.square(lowerBound(v, this.bound)), this.pedestal));
  }
}

/** max(x, bound), with the gradient passed where x >= bound or where it pushes x upwards. */
export function lowerBound(x: tf.Tensor, bound: number): tf.Tensor {
  const f = tf.customGrad((...args: unknown[]) => {
    const input = args[0] as tf.Tensor;
    const save = args[1] as (t: tf.Tensor[]) => void;
    save([input]);
    return {
      value: tf.maximum(input, bound),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = dy as tf.Tensor;
        const pass = tf.logicalOr(tf.greaterEqual(saved[0], bound), tf.less(g, 0));
        return [tf.mul(g, tf.cast(pass, 'float32'))];
      },
    };
  });
  return f(x) as tf.Tensor;
}
