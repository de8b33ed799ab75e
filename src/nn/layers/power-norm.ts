/**
 * Power normalization at the end of the JSCC encoder: average energy Es = 1 per complex symbol, per
 * image, exactly (docs/architecture.md, "Units").
 *
 * Channel-use mapping: each image's encoder output [h, w, c'] is flattened in NHWC order to
 * D = h*w*c' reals; symbol i is (re, im) = (v[2i], v[2i+1]), so channelUses = D / 2 (D must be
 * even). Then z = v * sqrt((D/2) / sum v^2), which makes (1/channelUses) * sum |z_i|^2 = 1.
 */
import * as tf from '@tensorflow/tfjs';

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];

/** Energy floor so an all-zero input maps to zeros rather than NaN. */
const MIN_MEAN_ENERGY = 1e-20;

export class PowerNorm extends tf.layers.Layer {
  static className = 'PowerNorm';

  constructor(args: { name?: string; [key: string]: unknown } = {}) {
    super(args as LayerArgs);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const d = shape.slice(1).reduce<number>((a, b) => a * (b ?? NaN), 1);
    if (Number.isFinite(d) && d % 2 !== 0) {
      throw new Error(`PowerNorm: ${d} reals per image (shape ${JSON.stringify(shape)}) cannot form complex symbols: need an even count`);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const n = x.shape[0];
      const flat = tf.reshape(x, [n, -1]);
      const channelUses = (flat.shape[1] as number) / 2;
      const meanEnergy = tf.div(tf.sum(tf.square(flat), 1, true), channelUses);
      const z = tf.mul(flat, tf.rsqrt(tf.maximum(meanEnergy, MIN_MEAN_ENERGY)));
      return tf.reshape(z, x.shape);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig() };
  }
}
