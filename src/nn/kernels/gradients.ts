/**
 * Gradients tfjs 4.22 lacks on every backend, for ops a detection/segmentation loss uses:
 *
 * - comparisons and logical ops (Greater, Less, Equal, LogicalAnd, IsNan, ...): gradient zero.
 *   tfjs refuses to backpropagate through `where(x > 0, f(x), g(x))` because the condition's
 *   producer has no gradient, although it is zero almost everywhere.
 * - StridedSlice: dy scattered back to the positions the slice read (found by slicing an index
 *   tensor with the same attributes), so every mask and stride combination is covered.
 * - GatherNd: dy scattered (summing duplicates) into params' shape.
 *
 * Registered only where tfjs has none, so a future tfjs that adds them wins.
 */
import * as tf from '@tensorflow/tfjs';

const ZERO_GRAD_BINARY = ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'LogicalAnd', 'LogicalOr', 'LogicalXor'];
const ZERO_GRAD_UNARY = ['LogicalNot', 'IsNan', 'IsInf', 'IsFinite'];

export const gradientConfigs: tf.GradConfig[] = [
  ...ZERO_GRAD_BINARY.map((kernelName): tf.GradConfig => ({
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy, saved) => ({ a: () => tf.zerosLike(saved[0]).toFloat(), b: () => tf.zerosLike(saved[1]).toFloat() }),
  })),
  ...ZERO_GRAD_UNARY.map((kernelName): tf.GradConfig => ({
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (_dy, saved) => ({ x: () => tf.zerosLike(saved[0]).toFloat() }),
  })),
  {
    kernelName: 'StridedSlice',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({
      x: () => {
        const x = saved[0];
        const a = attrs as unknown as { begin: number[]; end: number[]; strides: number[]; beginMask: number; endMask: number; ellipsisMask: number; newAxisMask: number; shrinkAxisMask: number };
        const g = dy as tf.Tensor;
        // Positions as float32 (exact below 2^24): wasm's StridedSlice mislabels int32 data as float32.
        if (x.size > 2 ** 24) throw new Error(`StridedSlice gradient: ${x.size} elements exceed the 2^24 supported`);
        const positions = tf.reshape(tf.range(0, x.size, 1, 'float32'), x.shape);
        const read = tf.stridedSlice(positions, a.begin, a.end, a.strides, a.beginMask, a.endMask, a.ellipsisMask, a.newAxisMask, a.shrinkAxisMask);
        const flat = tf.scatterND(tf.cast(tf.reshape(read, [-1, 1]), 'int32'), tf.reshape(g, [-1]), [x.size]);
        return tf.reshape(flat, x.shape);
      },
    }),
  },
  {
    kernelName: 'GatherNd',
    inputsToSave: ['params', 'indices'],
    gradFunc: (dy, saved) => ({
      params: () => tf.scatterND(saved[1], dy as tf.Tensor, saved[0].shape),
      indices: () => tf.zerosLike(saved[1]),
    }),
  },
];

let registered = false;

/** Register the missing gradients (idempotent; skips any tfjs already has). */
export function registerProjectGradients(): void {
  if (registered) return;
  for (const g of gradientConfigs) {
    if (!tf.getGradient(g.kernelName)) tf.registerGradient(g);
  }
  registered = true;
}
