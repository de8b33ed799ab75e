/** Weight comparisons shared by the training tests. */
import * as tf from '@tensorflow/tfjs';

/** Every weight of the models, in order, as typed arrays. */
export function flat(models: tf.LayersModel[]): Float32Array[] {
  return models.flatMap((m) => m.getWeights().map((w) => w.dataSync() as Float32Array));
}

/** The largest absolute difference between two flat() results. */
export function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((x, i) => { for (let j = 0; j < x.length; j++) m = Math.max(m, Math.abs(x[j] - b[i][j])); });
  return m;
}
