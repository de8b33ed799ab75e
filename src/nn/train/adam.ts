/**
 * Adam (Kingma & Ba 2015) with its whole state in the checkpoint: first and second moments and
 * the step count t. The bias corrections 1 - beta^t are computed in float64 from t on every step,
 * so a resumed run applies exactly the updates of an uninterrupted one; tfjs' AdamOptimizer keeps
 * beta^t in float32 accumulators that it rebuilds with pow() on setWeights, which differ in the
 * last bits from the products it accumulates while running (one cause of inexact resume).
 * Update: w -= lr * m_hat / (sqrt(v_hat) + epsilon), the form of tfjs and Keras.
 */
import * as tf from '@tensorflow/tfjs';

type NamedTensor = { name: string; tensor: tf.Tensor };

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export class ExactAdam extends tf.Optimizer {
  static className = 'ExactAdam';
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Updates applied so far. */
  step = 0;
  private m: tf.Variable[] = [];
  private v: tf.Variable[] = [];

  constructor(o: AdamOptions) {
    super();
    this.learningRate = o.lr;
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.epsilon = o.epsilon ?? 1e-7;
    for (const [k, x] of Object.entries({ lr: o.lr, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon })) {
      if (!(Number.isFinite(x) && x >= 0) || (k.startsWith('beta') && x >= 1)) throw new RangeError(`Adam ${k} ${x} is not allowed`);
    }
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients.map((g) => ({ name: g.name, tensor: g.tensor }))
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const t = this.step + 1;
    const c1 = 1 - Math.pow(this.beta1, t);
    const c2 = 1 - Math.pow(this.beta2, t);
    // lr * m / c1 / (sqrt(v / c2) + eps) = (lr / c1) * m / (sqrt(v) / sqrt(c2) + eps)
    const stepSize = this.learningRate / c1;
    const invSqrtC2 = 1 / Math.sqrt(c2);
    list.forEach(({ name, tensor: g }, i) => {
      const w = tf.engine().registeredVariables[name];
      if (!w) throw new Error(`Adam: no variable named ${name}`);
      if (this.m[i] === undefined) {
        this.m[i] = tf.variable(tf.zerosLike(w), false);
        this.v[i] = tf.variable(tf.zerosLike(w), false);
      }
      tf.tidy(() => {
        const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        w.assign(tf.sub(w, tf.div(tf.mul(m, stepSize), tf.add(tf.mul(tf.sqrt(v), invSqrtC2), this.epsilon))));
      });
    });
    this.step = t;
    this.incrementIterations();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [
      { name: 'step', tensor: tf.scalar(this.step, 'int32') },
      ...this.m.map((x, i) => ({ name: `m/${i}`, tensor: x })),
      ...this.v.map((x, i) => ({ name: `v/${i}`, tensor: x })),
    ];
  }

  override async setWeights(weights: NamedTensor[]): Promise<void> {
    const step = weights.find((w) => w.name === 'step');
    if (!step) throw new Error('Adam state has no step');
    this.step = (await step.tensor.data())[0];
    const ms = weights.filter((w) => w.name.startsWith('m/'));
    const vs = weights.filter((w) => w.name.startsWith('v/'));
    if (ms.length !== vs.length) throw new Error(`Adam state has ${ms.length} first and ${vs.length} second moments`);
    this.dispose();
    this.m = ms.map((w) => tf.variable(w.tensor, false));
    this.v = vs.map((w) => tf.variable(w.tensor, false));
  }

  override dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
    this.m = [];
    this.v = [];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
