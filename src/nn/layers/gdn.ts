/**
 * Generalized divisive normalization (Ballé et al., ICLR 2016), classic form over channels (NHWC):
 *
 *   y_i = x_i / sqrt(beta_i + sum_j gamma_ij x_j^2)
 *
 * beta and gamma are stored non-negatively reparametrized (./nonnegative.ts, lower bound betaMin on
 * beta). At initialization beta = 1 and gamma = gammaInit * I (0.1), so y = x / sqrt(1 + 0.1 x^2).
 * IGDN (./igdn.ts) multiplies by the same root instead, its approximate inverse.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_REPARAM_OFFSET, NonNegativeParametrizer } from './nonnegative.js';

export interface GdnOptions {
  /** Lower bound on beta (CompressAI: 1e-6). */
  betaMin?: number;
  /** gamma = gammaInit * I at initialization (0.1). */
  gammaInit?: number;
  /** Pedestal = reparamOffset^2 (2^-18). */
  reparamOffset?: number;
  name?: string;
  trainable?: boolean;
  /** Other tfjs-layers arguments (inputShape, dtype, ...) pass through. */
  [key: string]: unknown;
}

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];

export class GDN extends tf.layers.Layer {
  static className = 'GDN';
  readonly betaMin: number;
  readonly gammaInit: number;
  readonly reparamOffset: number;
  /** True for IGDN: multiply by the root instead of dividing. */
  protected readonly inverse: boolean = false;
  private betaReparam: NonNegativeParametrizer;
  private gammaReparam: NonNegativeParametrizer;
  private beta?: tf.LayerVariable;
  private gamma?: tf.LayerVariable;

  constructor(options: GdnOptions = {}) {
    super(options as LayerArgs);
    this.betaMin = options.betaMin ?? 1e-6;
    this.gammaInit = options.gammaInit ?? 0.1;
    this.reparamOffset = options.reparamOffset ?? DEFAULT_REPARAM_OFFSET;
    if (!(this.betaMin > 0)) throw new RangeError(`${this.getClassName()}: betaMin ${this.betaMin} must be > 0`);
    if (!(this.gammaInit >= 0)) throw new RangeError(`${this.getClassName()}: gammaInit ${this.gammaInit} must be >= 0`);
    this.betaReparam = new NonNegativeParametrizer(this.betaMin, this.reparamOffset);
    this.gammaReparam = new NonNegativeParametrizer(0, this.reparamOffset);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = shape[shape.length - 1];
    if (c === null || c === undefined || !(c > 0)) throw new Error(`${this.getClassName()} needs a known channel count, got shape ${JSON.stringify(shape)}`);
    const betaValue = this.betaReparam.init(1);
    this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.constant({ value: betaValue }));
    this.gamma = this.addWeight('gamma', [c, c], 'float32', tf.initializers.zeros());
    const off = this.gammaReparam.init(0), diag = this.gammaReparam.init(this.gammaInit);
    const g = new Float32Array(c * c).fill(off);
    for (let i = 0; i < c; i++) g[i * c + i] = diag;
    const init = tf.tensor2d(g, [c, c]);
    this.gamma.write(init);
    init.dispose();
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const c = x.shape[x.shape.length - 1];
      const beta = this.betaReparam.forward(this.beta!.read());
      const gamma = this.gammaReparam.forward(this.gamma!.read());
      // norm_i = beta_i + sum_j gamma_ij x_j^2: a 1x1 convolution, as a matmul over flattened pixels.
      const x2 = tf.reshape(tf.square(x), [-1, c]) as tf.Tensor2D;
      const norm = tf.add(tf.matMul(x2, gamma as tf.Tensor2D, false, true), beta);
      const scale = this.inverse ? tf.sqrt(norm) : tf.rsqrt(norm);
      return tf.mul(x, tf.reshape(scale, x.shape));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), betaMin: this.betaMin, gammaInit: this.gammaInit, reparamOffset: this.reparamOffset };
  }
}
