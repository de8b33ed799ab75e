/**
 * im2col and col2im for NHWC convolutions, on the wasm heap.
 *
 * cols[m, k] with m = (n, oh, ow) and k = (kh, kw, ci): the input pixels the conv reads for output
 * pixel m, in the filter's [kh, kw, ci] order, zeros where the window leaves the (padded) image.
 * With dilation 1, one filter row of taps is kw*ci contiguous floats of x, so the copy runs are long
 * (copyWithin on one heap view: no allocation per run). col2im is the adjoint (scatter-add), used
 * by the input gradient.
 */
import type { ConvGeometry } from './conv-geometry.js';

/** Below this run length a plain loop beats copyWithin's call overhead. */
const SHORT_RUN = 24;

/**
 * Fill cols (heap offset `co`, floats) with rows [m0, m0 + rows) of the im2col matrix of x (heap
 * offset `xo`), geometry g. `heap` is a Float32Array over the whole wasm memory.
 */
export function im2col(heap: Float32Array, xo: number, co: number, g: ConvGeometry, m0: number, rows: number): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const KH = g.filterHeight, KW = g.filterWidth, sh = g.strideHeight, sw = g.strideWidth;
  const dh = g.dilationHeight, dw = g.dilationWidth, pt = g.padTop, pl = g.padLeft;
  const K = KH * KW * C, rowRun = KW * C;
  let dst = co;
  for (let m = m0; m < m0 + rows; m++) {
    const ow = m % OW, t = (m - ow) / OW, oh = t % OH, n = (t - oh) / OH;
    const iw0 = ow * sw - pl;
    const full = dw === 1 && iw0 >= 0 && iw0 + KW <= W;
    for (let kh = 0; kh < KH; kh++) {
      const ih = oh * sh + kh * dh - pt;
      if (ih < 0 || ih >= H) {
        heap.fill(0, dst, dst + rowRun);
        dst += rowRun;
        continue;
      }
      const rowBase = xo + ((n * H + ih) * W) * C;
      if (full) {
        const src = rowBase + iw0 * C;
        if (rowRun >= SHORT_RUN) heap.copyWithin(dst, src, src + rowRun);
        else for (let i = 0; i < rowRun; i++) heap[dst + i] = heap[src + i];
        dst += rowRun;
        continue;
      }
      for (let kw = 0; kw < KW; kw++) {
        const iw = iw0 + kw * dw;
        if (iw < 0 || iw >= W) {
          for (let i = 0; i < C; i++) heap[dst + i] = 0;
        } else {
          const src = rowBase + iw * C;
          if (C >= SHORT_RUN) heap.copyWithin(dst, src, src + C);
          else for (let i = 0; i < C; i++) heap[dst + i] = heap[src + i];
        }
        dst += C;
      }
    }
  }
  void K;
}

/**
 * The adjoint of im2col: dx[n, ih, iw, ci] += cols[m, (kh, kw, ci)] for rows [m0, m0 + rows)
 * (taps outside the image dropped). dx (heap offset `xo`) must be zeroed by the caller first.
 */
export function col2im(heap: Float32Array, co: number, xo: number, g: ConvGeometry, m0: number, rows: number): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const KH = g.filterHeight, KW = g.filterWidth, sh = g.strideHeight, sw = g.strideWidth;
  const dh = g.dilationHeight, dw = g.dilationWidth, pt = g.padTop, pl = g.padLeft;
  const rowRun = KW * C;
  let src = co;
  for (let m = m0; m < m0 + rows; m++) {
    const ow = m % OW, t = (m - ow) / OW, oh = t % OH, n = (t - oh) / OH;
    const iw0 = ow * sw - pl;
    const full = dw === 1 && iw0 >= 0 && iw0 + KW <= W;
    for (let kh = 0; kh < KH; kh++) {
      const ih = oh * sh + kh * dh - pt;
      if (ih < 0 || ih >= H) { src += rowRun; continue; }
      const rowBase = xo + ((n * H + ih) * W) * C;
      if (full) {
        const d = rowBase + iw0 * C;
        for (let i = 0; i < rowRun; i++) heap[d + i] += heap[src + i];
        src += rowRun;
        continue;
      }
      for (let kw = 0; kw < KW; kw++) {
        const iw = iw0 + kw * dw;
        if (iw >= 0 && iw < W) {
          const d = rowBase + iw * C;
          for (let i = 0; i < C; i++) heap[d + i] += heap[src + i];
        }
        src += C;
      }
    }
  }
}

/** Columns per block of the transposed im2col: one 64-byte cache line of each output row. */
const BLOCK = 16;

/**
 * The transposed im2col block: colsT[k, j] = cols[m0 + j, k] for j < rows, written at heap offset
 * `co` ([K, rows], row-major). Blocked by 16 columns so that each output row receives whole cache
 * lines; window taps outside the image read `zero` (heap offset of >= C zeros), branch-free.
 */
export function im2colT(heap: Float32Array, xo: number, co: number, zero: number, g: ConvGeometry, m0: number, rows: number): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const KH = g.filterHeight, KW = g.filterWidth, sh = g.strideHeight, sw = g.strideWidth;
  const dh = g.dilationHeight, dw = g.dilationWidth, pt = g.padTop, pl = g.padLeft;
  const src = new Int32Array(BLOCK * KH * KW);
  for (let j0 = 0; j0 < rows; j0 += BLOCK) {
    const nb = Math.min(BLOCK, rows - j0);
    // Source pixel offsets of this block's columns for every tap.
    let ow = (m0 + j0) % OW, t = (m0 + j0 - ow) / OW, oh = t % OH, n = (t - oh) / OH;
    for (let jj = 0; jj < nb; jj++) {
      for (let kh = 0; kh < KH; kh++) {
        const ih = oh * sh + kh * dh - pt;
        for (let kw = 0; kw < KW; kw++) {
          const iw = ow * sw + kw * dw - pl;
          src[(kh * KW + kw) * BLOCK + jj] = ih < 0 || ih >= H || iw < 0 || iw >= W ? zero : xo + ((n * H + ih) * W + iw) * C;
        }
      }
      if (++ow === OW) { ow = 0; if (++oh === OH) { oh = 0; n++; } }
    }
    for (let tap = 0; tap < KH * KW; tap++) {
      const s0 = tap * BLOCK;
      let d = co + tap * C * rows + j0;
      if (nb === BLOCK) {
        const a0 = src[s0], a1 = src[s0 + 1], a2 = src[s0 + 2], a3 = src[s0 + 3], a4 = src[s0 + 4], a5 = src[s0 + 5], a6 = src[s0 + 6], a7 = src[s0 + 7];
        const a8 = src[s0 + 8], a9 = src[s0 + 9], a10 = src[s0 + 10], a11 = src[s0 + 11], a12 = src[s0 + 12], a13 = src[s0 + 13], a14 = src[s0 + 14], a15 = src[s0 + 15];
        for (let c = 0; c < C; c++, d += rows) {
          heap[d] = heap[a0 + c]; heap[d + 1] = heap[a1 + c]; heap[d + 2] = heap[a2 + c]; heap[d + 3] = heap[a3 + c];
          heap[d + 4] = heap[a4 + c]; heap[d + 5] = heap[a5 + c]; heap[d + 6] = heap[a6 + c]; heap[d + 7] = heap[a7 + c];
          heap[d + 8] = heap[a8 + c]; heap[d + 9] = heap[a9 + c]; heap[d + 10] = heap[a10 + c]; heap[d + 11] = heap[a11 + c];
          heap[d + 12] = heap[a12 + c]; heap[d + 13] = heap[a13 + c]; heap[d + 14] = heap[a14 + c]; heap[d + 15] = heap[a15 + c];
        }
      } else {
        for (let c = 0; c < C; c++, d += rows) {
          for (let jj = 0; jj < nb; jj++) heap[d + jj] = heap[src[s0 + jj] + c];
        }
      }
    }
  }
}
