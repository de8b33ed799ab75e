/**
 * Depthwise-conv gradients for wasm (both missing in tfjs 4.22), from wasm kernels.
 * Filter W [kh, kw, ci, m] (channel multiplier m), y[..., c*m + q] = sum_taps x[..., c] W[kh, kw, c, q].
 *
 * - input gradient: per multiplier q, a depthwise conv of dy[..., q::m] with W[:, :, :, q] rotated is
 *   the transposed depthwise conv of that slice; their sum is dx. Strides > 1 zero-stuff dy first
 *   (depthwise layers are cheap; polyphase is not worth its bookkeeping here).
 * All reshapes, slices and transposes stay at rank <= 4, where the wasm kernels are fast.
 * - filter gradient: per tap (kh, kw), the strided window of x that tap reads, times dy, summed over
 *   batch and positions: kh*kw multiply-and-reduce passes.
 */
import * as tf from '@tensorflow/tfjs';
import { convGeometry, type ConvGeometry, type PadAttr } from './conv-geometry.js';
import { withScope, type KernelScope, type TensorInfo, type WasmBackend } from './wasm-ops.js';

export function depthwiseInputGrad(k: KernelScope, dy: TensorInfo, w: TensorInfo, g: ConvGeometry): TensorInfo {
  const [kh, kw, ci, m] = w.shape;
  const dh = g.dilationHeight, dw = g.dilationWidth;
  const stuffed = k.zeroStuff(dy, g.strideHeight, g.strideWidth);
  const top = (kh - 1) * dh - g.padTop, left = (kw - 1) * dw - g.padLeft;
  const bottom = g.inHeight + (kh - 1) * dh - stuffed.shape[1] - top;
  const right = g.inWidth + (kw - 1) * dw - stuffed.shape[2] - left;
  const amounts: [number, number][] = [[0, 0], [top, bottom], [left, right], [0, 0]];
  const src = k.padOrCrop(stuffed, amounts);
  const wRev = k.run('Reverse', { x: w }, { dims: [0, 1] });
  let sum: TensorInfo | undefined;
  for (let q = 0; q < m; q++) {
    const pixels = src.shape[0] * src.shape[1] * src.shape[2];
    const dyq = m === 1 ? src : k.reshape(k.slice(k.reshape(src, [pixels, ci, m]), [0, 0, q], [pixels, ci, 1]), [...src.shape.slice(0, 3), ci]);
    const wq = m === 1 ? wRev : k.slice(wRev, [0, 0, 0, q], [kh, kw, ci, 1]);
    const part = k.run('DepthwiseConv2dNative', { x: dyq, filter: wq }, {
      strides: [1, 1], dilations: [dh, dw], pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined,
    });
    sum = sum ? k.run('Add', { a: sum, b: part }) : part;
  }
  return sum!;
}

export function depthwiseFilterGrad(k: KernelScope, x: TensorInfo, dy: TensorInfo, g: ConvGeometry, filterShape: number[]): TensorInfo {
  const [kh, kw, ci, m] = filterShape;
  const [n, oh, ow] = [g.batch, g.outHeight, g.outWidth];
  const px = n * oh * ow;
  const dy3 = k.reshape(dy, [px, ci, m]);
  const taps: TensorInfo[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const win = k.subsample(x, [i * g.dilationHeight - g.padTop, j * g.dilationWidth - g.padLeft], [g.strideHeight, g.strideWidth], [oh, ow]);
      const prod = k.run('Multiply', { a: dy3, b: k.reshape(win, [px, ci, 1]) });
      taps.push(k.reshape(k.run('Sum', { x: prod }, { axis: [0], keepDims: false }), [1, ci, m]));
    }
  }
  return k.reshape(k.concat(taps, 0), [kh, kw, ci, m]);
}

interface Attrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: PadAttr;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape?: [number, number, number, number];
  filterShape?: [number, number, number, number];
}

export const depthwiseConv2dNativeBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as Attrs;
    const g = convGeometry(a.inputShape!, filter.shape, a.strides, a.dilations, a.pad, a.dimRoundingMode, 'NHWC', true);
    return withScope(backend as WasmBackend, (k) => depthwiseInputGrad(k, dy, filter, g));
  },
};

export const depthwiseConv2dNativeBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as Attrs;
    const g = convGeometry(x.shape, a.filterShape!, a.strides, a.dilations, a.pad, a.dimRoundingMode, 'NHWC', true);
    return withScope(backend as WasmBackend, (k) => depthwiseFilterGrad(k, x, dy, g, a.filterShape!));
  },
};
