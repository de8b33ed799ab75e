/**
 * Conv2DBackpropInput for wasm (tfjs 4.22 has a naive loop: ~70% of a training step). The input
 * gradient of y = conv2d(x, W) is a transposed convolution, done here as wasm conv2d calls:
 *
 *   dx[h] = sum_{oh, kh : h = oh*s + kh*d - pt} dy[oh] W[kh]        (per axis; channels: W^T)
 *
 * - stride 1 (any dilation d): one conv of dy with the rotated, transposed filter
 *   W'[kh', kw', co, ci] = W[K-1-kh', K-1-kw', ci, co], dilation d, padding (K-1)d - pt above
 *   (negative padding = crop), so that exactly H x W outputs come out.
 * - stride s > 1 (dilation 1): polyphase. With u = h + pt = q*s + r, only taps kh = r + s*j reach
 *   phase r, and dx_r[q] = sum_j dy[q - j] W[r + s*j] is a stride-1 conv with the sub-filter
 *   W[r::s] rotated. The s*s phase outputs are interleaved (concat + reshape) and cropped to H x W.
 *   Unlike zero-stuffing dy, no multiply-add is spent on inserted zeros (s^2 less work).
 * - GEMM + col2im (col2imInputGrad): cols = dy W^T in one XNNPACK product, scattered back into the
 *   windows (heap-ops.wat). Used by default for strides > 1 and for ci < 8 (the image stem, whose
 *   dx tfjs' fused-conv gradient always computes); the polyphase path stays for the tests and the
 *   benchmark's "before".
 */
import * as tf from '@tensorflow/tfjs';
import { convGeometry, type ConvGeometry, type PadAttr } from './conv-geometry.js';
import { heapOps, runTable, windowPadding, windowRuns } from './heap-ops.js';
import { sliceOnHeap } from './slice.js';
import { withScope, type KernelScope, type TensorInfo, type WasmBackend } from './wasm-ops.js';

/** Taps of a K-tap filter that reach phase r of stride s: ceil((K - r) / s), 0 when r >= K. */
function phaseTaps(k: number, s: number, r: number): number {
  return r >= k ? 0 : Math.ceil((k - r) / s);
}

/**
 * W[r0::sh, c0::sw] reversed on both spatial axes and transposed to [kh', kw', co, ci], in one pass
 * over the (small) filter on the wasm heap: the wasm StridedSlice and Reverse kernels are JS loops
 * slower than this.
 */
function rotatedSubFilter(k: KernelScope, w: TensorInfo, r0: number, c0: number, sh: number, sw: number): TensorInfo {
  const [kh, kw, ci, co] = w.shape;
  const th = phaseTaps(kh, sh, r0), tw = phaseTaps(kw, sw, c0);
  const out = k.track(k.backend.makeOutput([th, tw, co, ci], 'float32'));
  // Heap views only after the allocation (growing the heap detaches older views).
  const src = k.backend.typedArrayFromHeap(w) as Float32Array;
  const dst = k.backend.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < th; i++) {
    for (let j = 0; j < tw; j++) {
      const from = ((r0 + (th - 1 - i) * sh) * kw + (c0 + (tw - 1 - j) * sw)) * ci * co;
      const to = (i * tw + j) * co * ci;
      for (let c = 0; c < ci; c++) {
        const row = from + c * co;
        for (let o = 0; o < co; o++) dst[to + o * ci + c] = src[row + o];
      }
    }
  }
  return out;
}

/** Stride-1 transposed conv of dy with an already rotated filter: `taps` rows/cols, output `len`. */
function phaseConv(
  k: KernelScope, dy: TensorInfo, wRot: TensorInfo, dil: [number, number],
  first: [number, number], len: [number, number],
): TensorInfo {
  // Output i reads dy[first + i - (taps-1)*d + t*d]: pad above by (taps-1)*d - first.
  const [th, tw] = [wRot.shape[0], wRot.shape[1]];
  const top = (th - 1) * dil[0] - first[0], left = (tw - 1) * dil[1] - first[1];
  const bottom = len[0] + (th - 1) * dil[0] - dy.shape[1] - top;
  const right = len[1] + (tw - 1) * dil[1] - dy.shape[2] - left;
  const src = k.padOrCrop(dy, [[0, 0], [Math.min(0, top), Math.min(0, bottom)], [Math.min(0, left), Math.min(0, right)], [0, 0]]);
  return k.conv2d(src, wRot, [1, 1], dil, [[Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)]]);
}

/**
 * Method choice (measured on the FFMNet shapes, bench/nn-kernels.bench.ts): strided convs and
 * convs with fewer than `col2imBelowChannels` input channels go through GEMM + col2im, stride-1
 * ones through the single rotated-filter conv. `maxColsFloats` bounds the cols block (32 MB).
 */
export const inputGradOptions = { col2imBelowChannels: 8, col2imStrided: true, maxColsFloats: 1 << 23 };

/**
 * The input gradient as GEMM + col2im: for few input channels (the 3-channel stem), where the
 * polyphase convs would have ci = 3 output channels, a poor shape for XNNPACK, and for strides > 1,
 * where the s^2 small phase convs cost more than one GEMM plus the scatter:
 * cols [M, K] = dy [M, co] W^T [co, K] (XNNPACK), then every row of cols is scatter-added into the
 * window it came from (heap-ops.wat) in a zero-padded dx, which is cropped at the end.
 */
export function col2imInputGrad(k: KernelScope, dy: TensorInfo, w: TensorInfo, g: ConvGeometry): TensorInfo {
  const M = g.batch * g.outHeight * g.outWidth, C = g.inChannels, CO = g.outChannels;
  const K = g.filterHeight * g.filterWidth * C;
  const { units, length } = windowRuns(g);
  const [ph, pw] = windowPadding(g);
  const hp = g.inHeight + ph[0] + ph[1], wp = g.inWidth + pw[0] + pw[1];
  // W^T [co, K] from W [K, co] (small: a JS transpose).
  const wt = k.track(k.backend.makeOutput([1, CO, K], 'float32'));
  {
    const src = k.backend.typedArrayFromHeap(w) as Float32Array, dst = k.backend.typedArrayFromHeap(wt) as Float32Array;
    for (let i = 0; i < K; i++) for (let o = 0; o < CO; o++) dst[o * K + i] = src[i * CO + o];
  }
  const dxp = k.track(k.backend.makeOutput([g.batch, hp, wp, C], 'float32'));
  (k.backend.typedArrayFromHeap(dxp) as Float32Array).fill(0);
  const ops = heapOps(k);
  const mc = Math.max(1, Math.min(M, Math.floor(inputGradOptions.maxColsFloats / K)));
  for (let m0 = 0; m0 < M; m0 += mc) {
    const rows = Math.min(mc, M - m0);
    const cols = k.runBuiltin('BatchMatMul', { a: k.view(dy, m0 * CO, [1, rows, CO]), b: wt }, { transposeA: false, transposeB: false });
    const tab = runTable(k, dxp, g, m0, rows);
    ops.col2im(k.offsetOf(tab) * 4, rows, units, length, k.offsetOf(cols) * 4);
    k.backend.disposeData(cols.dataId, true);
    k.backend.disposeData(tab.dataId, true);
  }
  return k.track(sliceOnHeap(k.backend, dxp, [0, ph[0], pw[0], 0], [g.batch, g.inHeight, g.inWidth, C]));
}

/** The input gradient [n, H, W, ci] of conv2d with geometry g, from dy and the filter (NHWC). */
export function conv2dInputGrad(k: KernelScope, dy: TensorInfo, w: TensorInfo, g: ConvGeometry): TensorInfo {
  const strided = g.strideHeight > 1 || g.strideWidth > 1;
  if (g.inChannels < inputGradOptions.col2imBelowChannels || (strided && inputGradOptions.col2imStrided)) return col2imInputGrad(k, dy, w, g);
  const sh = g.strideHeight, sw = g.strideWidth;
  if (sh === 1 && sw === 1) {
    return phaseConv(k, dy, rotatedSubFilter(k, w, 0, 0, 1, 1), [g.dilationHeight, g.dilationWidth],
      [g.padTop, g.padLeft], [g.inHeight, g.inWidth]);
  }
  if (g.dilationHeight !== 1 || g.dilationWidth !== 1) throw new Error('conv2d input gradient: strides and dilations cannot both exceed 1');
  const qh0 = Math.floor(g.padTop / sh), qw0 = Math.floor(g.padLeft / sw);
  const qh = Math.floor((g.inHeight - 1 + g.padTop) / sh) - qh0 + 1;
  const qw = Math.floor((g.inWidth - 1 + g.padLeft) / sw) - qw0 + 1;
  const rows: TensorInfo[] = [];
  for (let rh = 0; rh < sh; rh++) {
    const cols: TensorInfo[] = [];
    for (let rw = 0; rw < sw; rw++) {
      const th = phaseTaps(g.filterHeight, sh, rh), tw = phaseTaps(g.filterWidth, sw, rw);
      let part: TensorInfo;
      if (th === 0 || tw === 0) {
        part = k.run('Fill', {}, { shape: [g.batch, qh, qw, g.inChannels], value: 0, dtype: 'float32' });
      } else {
        // Phase output q corresponds to dy row q - j for tap j: first output row q = qh0.
        part = phaseConv(k, dy, rotatedSubFilter(k, w, rh, rw, sh, sw), [1, 1], [qh0, qw0], [qh, qw]);
      }
      cols.push(k.reshape(part, [g.batch * qh * qw, 1, g.inChannels]));
    }
    // Interleave columns: [n*qh*qw, sw, ci] is [n, qh, qw*sw, ci] (rank <= 4: fast wasm paths).
    rows.push(k.reshape(k.concat(cols, 1), [g.batch * qh, 1, qw * sw * g.inChannels]));
  }
  const full = k.reshape(k.concat(rows, 1), [g.batch, qh * sh, qw * sw, g.inChannels]);
  return k.slice(full, [0, g.padTop - qh0 * sh, g.padLeft - qw0 * sw, 0], [g.batch, g.inHeight, g.inWidth, g.inChannels]);
}

interface Attrs {
  strides: number | [number, number];
  pad: PadAttr;
  dataFormat?: string;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as Attrs;
    const g = convGeometry(a.inputShape, filter.shape, a.strides, 1, a.pad, a.dimRoundingMode, a.dataFormat);
    return withScope(backend as WasmBackend, (k) => conv2dInputGrad(k, dy, filter, g));
  },
};
