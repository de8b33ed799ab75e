/**
 * A dilated 3x3 convolution ('same' padding, stride 1) written as space-to-batch -> dense 3x3
 * 'valid' conv -> batch-to-space. Equal to conv2d(x, w, 1, 'same', dilation) but differentiable in
 * tfjs, which refuses gradients of dilated conv2d ("dilation rates greater than 1 are not yet
 * supported in gradients") on every backend; SpaceToBatchND / BatchToSpaceND have gradients and
 * wasm kernels.
 */
import * as tf from '@tensorflow/tfjs';

export interface DilatedConv2DArgs {
  filters: number;
  dilation: number;
  name?: string;
  /** Kernel size (odd). Default 3. */
  kernelSize?: number;
  useBias?: boolean;
  trainable?: boolean;
  /** Seed of the he-normal kernel initializer. */
  seed?: number;
}

/** The pure op: x [B,H,W,Cin], kernel [k,k,Cin,Cout] -> [B,H,W,Cout]. */
export function dilatedConv2d(x: tf.Tensor4D, kernel: tf.Tensor4D, dilation: number): tf.Tensor4D {
  return tf.tidy(() => {
    const d = dilation;
    const k = kernel.shape[0];
    const half = ((k - 1) / 2) * d;
    const [, h, w] = x.shape;
    // Pad by the receptive-field half width, plus up to d-1 so that each padded side is divisible by d.
    const eh = (d - (h % d)) % d;
    const ew = (d - (w % d)) % d;
    const s2b = tf.spaceToBatchND(x, [d, d], [[half, half + eh], [half, half + ew]]);
    const y = tf.conv2d(s2b as tf.Tensor4D, kernel, 1, 'valid');
    return tf.batchToSpaceND(y, [d, d], [[0, eh], [0, ew]]) as tf.Tensor4D;
  });
}

export class DilatedConv2D extends tf.layers.Layer {
  static readonly className = 'FFMNetDilatedConv2D';
  readonly filters: number;
  readonly dilation: number;
  readonly kernelSize: number;
  readonly useBias: boolean;
  readonly seed?: number;
  private kernel!: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: DilatedConv2DArgs) {
    super({ name: args.name, trainable: args.trainable });
    if (!Number.isInteger(args.filters) || args.filters < 1) throw new RangeError(`filters ${args.filters} must be a positive integer`);
    if (!Number.isInteger(args.dilation) || args.dilation < 1) throw new RangeError(`dilation ${args.dilation} must be a positive integer`);
    this.filters = args.filters;
    this.dilation = args.dilation;
    this.kernelSize = args.kernelSize ?? 3;
    if (this.kernelSize % 2 !== 1) throw new RangeError(`kernelSize ${this.kernelSize} must be odd`);
    this.useBias = args.useBias ?? false;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const cin = s[s.length - 1] as number;
    const k = this.kernelSize;
    this.kernel = this.addWeight('kernel', [k, k, cin, this.filters], 'float32', tf.initializers.heNormal({ seed: this.seed }));
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...s.slice(0, 3), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      let y: tf.Tensor = dilatedConv2d(x, this.kernel.read() as tf.Tensor4D, this.dilation);
      if (this.bias) y = tf.add(y, this.bias.read());
      return y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, dilation: this.dilation, kernelSize: this.kernelSize, useBias: this.useBias, ...(this.seed !== undefined ? { seed: this.seed } : {}) };
  }
}

tf.serialization.registerClass(DilatedConv2D);
