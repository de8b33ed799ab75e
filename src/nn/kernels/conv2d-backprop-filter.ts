/**
 * Conv2DBackpropFilter for wasm (missing in tfjs 4.22), in two ways:
 *
 *   dW[kh, kw, ci, co] = sum_{n, oh, ow} x[n, oh*s + kh*d - pt, ow*s + kw*d - pl, ci] * dy[n, oh, ow, co]
 *
 * - im2col + GEMM (gemmFilterGrad, default for co >= 24): dW [K, co] = colsT [K, M] dy [M, co], K =
 *   kh*kw*ci, M = n*oh*ow. colsT is built by wasm SIMD loops (heap-ops.wat, 4x4 register
 *   transposes) from a zero-padded x; the product is XNNPACK's (built-in BatchMatMul, dy as its
 *   weights). On 3x3 128->128 it runs at ~80% of the forward conv's GFLOP/s.
 * - one XNNPACK conv (convFilterGrad, for small co, where the im2col pass is not amortized):
 *   x^T = transpose(x) [ci, H, W, n] (input channels as the batch, the batch as channels)
 *   convolved with dy^T = transpose(dy) [oh, ow, n, co] as the filter, stride d (the forward
 *   dilation), dilation s (the forward stride), explicit padding so that exactly kh x kw outputs
 *   come out; then transposed back to [kh, kw, ci, co]. The input rows the forward conv never read
 *   (a 'valid' conv whose stride does not tile H) are cropped, not padded. XNNPACK builds an
 *   indirection buffer of (batch * outputs * kernel taps) pointers, here ci * kh*kw * oh*ow:
 *   large layers are split over ci so that it stays under ~16 MB.
 * - 1x1 filters: one matmul (pointwiseFilterGrad).
 */
import * as tf from '@tensorflow/tfjs';
import { convGeometry, type ConvGeometry, type PadAttr } from './conv-geometry.js';
import { heapOps, runTable, windowPadding, windowRuns } from './heap-ops.js';
import { withScope, type KernelScope, type TensorInfo, type WasmBackend } from './wasm-ops.js';

/** Tuning: the most indirection pointers one conv may need before ci is split (memory bound). */
export const filterGradOptions = { maxIndirectionPointers: 1 << 22 };

/** The filter gradient [kh, kw, ci, co] of conv2d with geometry g, from x and dy (NHWC). */
export function conv2dFilterGrad(k: KernelScope, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  if (g.filterHeight === 1 && g.filterWidth === 1) return pointwiseFilterGrad(k, x, dy, g);
  if (g.outChannels >= gemmOptions.gemmFromOutChannels) return gemmFilterGrad(k, x, dy, g);
  return convFilterGrad(k, x, dy, g);
}

/** The filter gradient as one XNNPACK conv of x^T with dy^T as its filter (see the file comment). */
export function convFilterGrad(k: KernelScope, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const rowsNeeded = (g.outHeight - 1) * g.strideHeight + (g.filterHeight - 1) * g.dilationHeight + 1;
  const colsNeeded = (g.outWidth - 1) * g.strideWidth + (g.filterWidth - 1) * g.dilationWidth + 1;
  // Padded extent [-pt, rowsNeeded - pt): pad above by pt, pad or crop below to fit.
  const xt = k.transpose(x, [3, 1, 2, 0]); // [ci, H, W, n]
  const xPadded = k.padOrCrop(xt, [[0, 0], [0, Math.min(0, rowsNeeded - g.padTop - g.inHeight)], [0, Math.min(0, colsNeeded - g.padLeft - g.inWidth)], [0, 0]]);
  const padBottom = Math.max(0, rowsNeeded - g.padTop - g.inHeight);
  const padRight = Math.max(0, colsNeeded - g.padLeft - g.inWidth);
  const filter = k.transpose(dy, [1, 2, 0, 3]); // [oh, ow, n, co]
  const perChannel = g.filterHeight * g.filterWidth * g.outHeight * g.outWidth;
  const chunk = Math.max(1, Math.min(g.inChannels, Math.floor(filterGradOptions.maxIndirectionPointers / perChannel)));
  const parts: TensorInfo[] = [];
  for (let c0 = 0; c0 < g.inChannels; c0 += chunk) {
    const c = Math.min(chunk, g.inChannels - c0);
    const xs = chunk >= g.inChannels ? xPadded : k.slice(xPadded, [c0, 0, 0, 0], [c, ...xPadded.shape.slice(1)]);
    parts.push(k.conv2d(xs, filter, [g.dilationHeight, g.dilationWidth], [g.strideHeight, g.strideWidth],
      [[g.padTop, padBottom], [g.padLeft, padRight]])); // [c, kh, kw, co]
  }
  return k.transpose(k.concat(parts, 0), [1, 2, 0, 3]);
}

/** Tuning: the most floats one im2col block may hold (32 MB) before the rows are split. */
export const gemmOptions = { maxColsFloats: 1 << 23, gemmFromOutChannels: 24 };

/**
 * The filter gradient as one GEMM: dW [K, co] = colsT [K, M] dy [M, co], with K = kh*kw*ci and
 * M = n*oh*ow, colsT the transposed im2col of x (heap-ops.wat), the product XNNPACK's (the
 * built-in BatchMatMul: colsT is its input, dy its weights). Rows of M beyond maxColsFloats / K go
 * in further blocks whose products are summed.
 */
export function gemmFilterGrad(k: KernelScope, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const M = g.batch * g.outHeight * g.outWidth, C = g.inChannels, CO = g.outChannels;
  const K = g.filterHeight * g.filterWidth * C;
  const { units, length } = windowRuns(g);
  const mc = Math.max(1, Math.min(M, Math.floor(gemmOptions.maxColsFloats / K)));
  const [ph, pw] = windowPadding(g);
  const xp = k.pad(x, [[0, 0], ph, pw, [0, 0]]);
  const ops = heapOps(k);
  let acc: TensorInfo | undefined;
  for (let m0 = 0; m0 < M; m0 += mc) {
    const rows = Math.min(mc, M - m0);
    const cols = k.track(k.backend.makeOutput([1, K, rows], 'float32'));
    const tab = runTable(k, xp, g, m0, rows);
    ops.im2colT(k.offsetOf(tab) * 4, rows, units, length, k.offsetOf(cols) * 4);
    const p = k.runBuiltin('BatchMatMul', { a: cols, b: k.view(dy, m0 * CO, [1, rows, CO]) }, { transposeA: false, transposeB: false });
    acc = acc ? k.run('Add', { a: acc, b: p }) : p;
  }
  return k.reshape(acc!, [g.filterHeight, g.filterWidth, C, CO]);
}

/**
 * 1x1 filters: dW = X^T dy, with X the [n*oh*ow, ci] pixels the conv read (a strided slice when
 * stride > 1). One matmul (fast path of the project's BatchMatMul) instead of a conv whose
 * "filter" spans the whole feature map.
 */
function pointwiseFilterGrad(k: KernelScope, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const read = k.subsample(x, [-g.padTop, -g.padLeft], [g.strideHeight, g.strideWidth], [g.outHeight, g.outWidth]);
  const m = g.batch * g.outHeight * g.outWidth;
  const dw = k.run('BatchMatMul', { a: k.reshape(read, [m, g.inChannels]), b: k.reshape(dy, [m, g.outChannels]) }, { transposeA: true, transposeB: false });
  return k.reshape(dw, [1, 1, g.inChannels, g.outChannels]);
}

interface Attrs {
  strides: number | [number, number];
  pad: PadAttr;
  dataFormat?: string;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as Attrs;
    const g = convGeometry(x.shape, a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, a.dataFormat);
    return withScope(backend as WasmBackend, (k) => conv2dFilterGrad(k, x, dy, g));
  },
};
