/**
 * Building blocks shared by the FFMNet parts: conv + batch norm + ReLU, and the ResNet bottleneck
 * (stride on the 3x3 conv, "ResNet v1.5"; a projection shortcut where shape changes).
 */
import * as tf from '@tensorflow/tfjs';
import { DilatedConv2D } from './dilated.js';
import { FFMNetBatchNorm } from './batchnorm.js';
import { Rng } from '../../core/rng.js';

let initRng: Rng | undefined;
let initCounter = 0;

/** Build under a seed: every kernel initializer draws from Rng(seed).split(layer index). */
export function withInitSeed<T>(seed: number, build: () => T): T {
  const saved = [initRng, initCounter] as const;
  initRng = new Rng(seed);
  initCounter = 0;
  try {
    return build();
  } finally {
    [initRng, initCounter] = saved;
  }
}

/** The next layer's initializer seed (undefined outside withInitSeed: tfjs draws its own). */
export function nextInitSeed(): number | undefined {
  return initRng ? initRng.split(initCounter++).uint32() : undefined;
}

/** He-normal kernel initializer with the next seed. */
export function heNormal(): ReturnType<typeof tf.initializers.heNormal> {
  return tf.initializers.heNormal({ seed: nextInitSeed() });
}

export type SymT = tf.SymbolicTensor;

export interface ConvOpts {
  kernel: number;
  stride?: number;
  relu?: boolean;
  bn?: boolean;
  bnMomentum: number;
}

/** conv (no bias: batch norm follows) -> BN -> ReLU, named `${name}` / `${name}_bn`. */
export function convBn(x: SymT, filters: number, name: string, o: ConvOpts): SymT {
  let y = tf.layers.conv2d({
    filters, kernelSize: o.kernel, strides: o.stride ?? 1, padding: 'same', useBias: !(o.bn ?? true),
    kernelInitializer: heNormal(), name,
  }).apply(x) as SymT;
  if (o.bn ?? true) y = new FFMNetBatchNorm({ momentum: o.bnMomentum, epsilon: 1e-3, name: `${name}_bn` }).apply(y) as SymT;
  if (o.relu ?? true) y = tf.layers.reLU({ name: `${name}_relu` }).apply(y) as SymT;
  return y;
}

export interface BottleneckOpts {
  out: number;
  mid: number;
  stride: number;
  /** >1: the dilated bottleneck (stride moves to the first 1x1 conv, 3x3 conv dilated). */
  dilation?: number;
  bnMomentum: number;
  /** Batch norm after each conv (default true); without it the convs carry a bias. */
  bn?: boolean;
}

/** One residual bottleneck: 1x1 (mid) -> 3x3 (mid) -> 1x1 (out), plus the shortcut, then ReLU. */
export function bottleneck(x: SymT, name: string, o: BottleneckOpts): SymT {
  const cin = x.shape[x.shape.length - 1] as number;
  const d = o.dilation ?? 1;
  const m = o.bnMomentum;
  const bn = o.bn ?? true;
  let y: SymT;
  if (d > 1) {
    // tfjs cannot combine stride and dilation in one conv, and has no dilated-conv gradient: stride
    // on the 1x1 reduction, then a space-to-batch dilated 3x3 at the reduced size.
    y = convBn(x, o.mid, `${name}_conv1`, { kernel: 1, stride: o.stride, bnMomentum: m, bn });
    y = new DilatedConv2D({ filters: o.mid, dilation: d, name: `${name}_conv2`, seed: nextInitSeed(), useBias: !bn }).apply(y) as SymT;
    if (bn) y = new FFMNetBatchNorm({ momentum: m, epsilon: 1e-3, name: `${name}_conv2_bn` }).apply(y) as SymT;
    y = tf.layers.reLU({ name: `${name}_conv2_relu` }).apply(y) as SymT;
  } else {
    y = convBn(x, o.mid, `${name}_conv1`, { kernel: 1, bnMomentum: m, bn });
    y = convBn(y, o.mid, `${name}_conv2`, { kernel: 3, stride: o.stride, bnMomentum: m, bn });
  }
  y = convBn(y, o.out, `${name}_conv3`, { kernel: 1, relu: false, bnMomentum: m, bn });
  const shortcut = o.stride !== 1 || cin !== o.out
    ? convBn(x, o.out, `${name}_proj`, { kernel: 1, stride: o.stride, relu: false, bnMomentum: m, bn })
    : x;
  const sum = tf.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as SymT;
  return tf.layers.reLU({ name: `${name}_out` }).apply(sum) as SymT;
}
