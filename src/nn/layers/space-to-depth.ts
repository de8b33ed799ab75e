/**
 * Space-to-depth and depth-to-space by a block size s (NHWC, TensorFlow's channel order):
 *
 *   spaceToDepth: [N, H, W, C] -> [N, H/s, W/s, s*s*C], out[n, i, j, (dy*s + dx)*C + c] = x[n, i*s + dy, j*s + dx, c]
 *   depthToSpace: its inverse.
 *
 * The JSCC's information-preserving resampling (src/nn/jscc/model.ts): unlike average pooling,
 * space-to-depth keeps every value of D1, so the encoder's 3x3 conv can learn where inside each
 * s x s cell an object edge lies; depth-to-space (sub-pixel upsampling) lets the decoder's first
 * conv place detail inside each cell instead of blending neighbours bilinearly.
 * Built from reshape + a rank-5 transpose, so tfjs differentiates it on every backend.
 */
import * as tf from '@tensorflow/tfjs';

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];

function checkBlock(s: number, what: string): void {
  if (!Number.isInteger(s) || s < 1) throw new RangeError(`${what} block size ${s} is not allowed: use an integer >= 1`);
}

/** [N, H, W, C] -> [N, H/s, W/s, s*s*C]. */
export function spaceToDepth(x: tf.Tensor4D, s: number): tf.Tensor4D {
  checkBlock(s, 'spaceToDepth');
  const [n, h, w, c] = x.shape;
  if (h % s !== 0 || w % s !== 0) throw new RangeError(`spaceToDepth: block size ${s} does not divide ${h}x${w}`);
  if (s === 1) return x;
  return tf.tidy(() => {
    // [N, H/s, s(dy), W/s, s*C (dx, c)] -> [N, H/s, W/s, s(dy), s*C]
    const t = tf.transpose(tf.reshape(x, [n, h / s, s, w / s, s * c]), [0, 1, 3, 2, 4]);
    return tf.reshape(t, [n, h / s, w / s, s * s * c]);
  });
}

/** [N, h, w, s*s*C] -> [N, h*s, w*s, C]. */
export function depthToSpace(x: tf.Tensor4D, s: number): tf.Tensor4D {
  checkBlock(s, 'depthToSpace');
  const [n, h, w, cs] = x.shape;
  if (cs % (s * s) !== 0) throw new RangeError(`depthToSpace: ${cs} channels are not a multiple of block size ${s} squared`);
  if (s === 1) return x;
  const c = cs / (s * s);
  return tf.tidy(() => {
    const t = tf.transpose(tf.reshape(x, [n, h, w, s, s * c]), [0, 1, 3, 2, 4]);
    return tf.reshape(t, [n, h * s, w * s, c]);
  });
}

interface BlockLayerOptions {
  /** Block size s. */
  blockSize: number;
  name?: string;
}

function shapeOf(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
}

const mul = (v: number | null, k: number) => (v === null ? null : v * k);
const div = (v: number | null, k: number) => (v === null ? null : v / k);

/** The two layers: a block size, a shape rule and a function; serializable in checkpoints. */
abstract class BlockRearrange extends tf.layers.Layer {
  readonly blockSize: number;
  /** Spatial dims are multiplied by s^up, channels by s^(-2 up). */
  protected abstract readonly up: 1 | -1;
  protected abstract apply4d(x: tf.Tensor4D, s: number): tf.Tensor4D;

  constructor(args: BlockLayerOptions & { [key: string]: unknown }, what: string) {
    super(args as unknown as LayerArgs);
    checkBlock(args.blockSize, what);
    this.blockSize = args.blockSize;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = shapeOf(inputShape);
    const s = this.blockSize;
    return this.up === 1 ? [b, mul(h, s), mul(w, s), div(c, s * s)] : [b, div(h, s), div(w, s), mul(c, s * s)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return this.apply4d((Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D, this.blockSize);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), blockSize: this.blockSize };
  }
}

/** Layer around spaceToDepth. */
export class SpaceToDepth extends BlockRearrange {
  static className = 'SpaceToDepth';
  protected readonly up = -1;
  constructor(args: BlockLayerOptions & { [key: string]: unknown }) {
    super(args, 'SpaceToDepth');
  }
  protected apply4d(x: tf.Tensor4D, s: number): tf.Tensor4D {
    return spaceToDepth(x, s);
  }
}

/** Layer around depthToSpace (sub-pixel upsampling). */
export class DepthToSpace extends BlockRearrange {
  static className = 'DepthToSpace';
  protected readonly up = 1;
  constructor(args: BlockLayerOptions & { [key: string]: unknown }) {
    super(args, 'DepthToSpace');
  }
  protected apply4d(x: tf.Tensor4D, s: number): tf.Tensor4D {
    return depthToSpace(x, s);
  }
}
