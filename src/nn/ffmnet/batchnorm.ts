/**
 * Batch normalization over NHWC with a hand-written gradient. tfjs-core's FusedBatchNorm gradient
 * tiles the per-channel statistics to the full activation shape (Tile was 18% of a training step
 * of the default config on wasm); the closed form below needs only per-channel sums:
 *   xhat = (x - mean) * rstd,  y = gamma * xhat + beta,
 *   dx = gamma * rstd * (dy - mean(dy) - xhat * mean(dy * xhat)),
 *   dgamma = sum(dy * xhat),  dbeta = sum(dy).
 * Training mode normalizes with the batch statistics and updates the moving ones
 * (m <- momentum m + (1 - momentum) batch, unbiased variance as Keras); inference uses the moving ones.
 * On wasm the same formulas run as fused kernels (src/nn/kernels/batch-norm.ts: 3 passes forward,
 * 2-4 backward, instead of ~12 tfjs ops with transposes); other backends use the composite below.
 */
import * as tf from '@tensorflow/tfjs';
import { BN_TRAIN, fusedBatchNormTrain } from '../kernels/batch-norm.js';

export interface BatchNormArgs {
  momentum?: number;
  epsilon?: number;
  name?: string;
  trainable?: boolean;
}

/** The training-mode op (batch statistics) with the closed-form gradient; returns y and the stats. */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  if (tf.getBackend() === 'wasm' && x.dtype === 'float32' && tf.getKernel(BN_TRAIN, 'wasm')) return fusedBatchNormTrain(x, gamma, beta, epsilon);
  return batchNormTrainComposite(x, gamma, beta, epsilon);
}

/** The same op from tfjs ops (any backend; the reference the fused kernels are tested against). */
export function batchNormTrainComposite(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  let mean!: tf.Tensor1D, variance!: tf.Tensor1D;
  const f = tf.customGrad(((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: (t: tf.Tensor[]) => void) => {
    const m = tf.moments(xi, axes);
    mean = tf.keep(m.mean as tf.Tensor1D);
    variance = tf.keep(m.variance as tf.Tensor1D);
    const rstd = tf.rsqrt(tf.add(m.variance, epsilon));
    const xhat = tf.mul(tf.sub(xi, m.mean), rstd);
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, rs, gg] = saved;
        const dbeta = tf.sum(dy, axes);
        const dgamma = tf.sum(tf.mul(dy, xh), axes);
        const n = dy.size / dy.shape[dy.shape.length - 1];
        const dx = tf.mul(tf.sub(tf.sub(dy, tf.div(dbeta, n)), tf.mul(xh, tf.div(dgamma, n))), tf.mul(gg, rs));
        return [dx, dgamma, dbeta];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = f(x, gamma, beta);
  return { y, mean, variance };
}

export class FFMNetBatchNorm extends tf.layers.Layer {
  static readonly className = 'FFMNetBatchNorm';
  readonly momentum: number;
  readonly epsilon: number;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;
  private movingMean!: tf.LayerVariable;
  private movingVariance!: tf.LayerVariable;

  constructor(args: BatchNormArgs = {}) {
    super({ name: args.name, trainable: args.trainable });
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new RangeError(`momentum ${this.momentum} must be in [0, 1)`);
    if (!(this.epsilon > 0)) throw new RangeError(`epsilon ${this.epsilon} must be > 0`);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = s[s.length - 1] as number;
    this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', [c], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [c], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: any): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const training = kwargs?.training === true;
    const gamma = this.gamma.read() as tf.Tensor1D;
    const beta = this.beta.read() as tf.Tensor1D;
    if (!training) {
      return tf.tidy(() => tf.batchNorm(x, this.movingMean.read() as tf.Tensor1D, this.movingVariance.read() as tf.Tensor1D, beta, gamma, this.epsilon));
    }
    const { y, mean, variance } = batchNormTrain(x, gamma, beta, this.epsilon);
    const n = x.size / x.shape[x.shape.length - 1];
    tf.tidy(() => {
      const d = 1 - this.momentum;
      const unbiased = tf.mul(variance, n > 1 ? n / (n - 1) : 1);
      this.movingMean.write(tf.add(tf.mul(this.movingMean.read(), this.momentum), tf.mul(mean, d)));
      this.movingVariance.write(tf.add(tf.mul(this.movingVariance.read(), this.momentum), tf.mul(unbiased, d)));
    });
    mean.dispose();
    variance.dispose();
    return y;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(FFMNetBatchNorm);
