/**
 * The tf.Variables behind layer weights, for gradients and optimizers (tf.variableGrads,
 * Optimizer.minimize/applyGradients need Variables; Layer.trainableWeights holds LayerVariables).
 * LayerVariable.read() is the public accessor and returns the backing Variable itself (tfjs-layers
 * 4.x); it is checked here, so a tfjs change fails loudly instead of training a copy.
 */
import * as tf from '@tensorflow/tfjs';

/** The tf.Variable that stores `weight`. */
export function variableOf(weight: tf.LayerVariable): tf.Variable {
  const v = weight.read();
  if (!(v instanceof tf.Variable)) throw new Error(`layer weight ${weight.name}: read() did not return its tf.Variable (tfjs API change?)`);
  return v;
}

/** The trainable Variables of layers or models, in order (the optimizer's `varList`). */
export function trainableVariables(...owners: { readonly trainableWeights: tf.LayerVariable[] }[]): tf.Variable[] {
  return owners.flatMap((o) => o.trainableWeights).map(variableOf);
}
