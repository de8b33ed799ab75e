/**
 * Loops over the tfjs wasm backend's memory (heap-ops.wat), for the conv gradient kernels: a
 * WebAssembly instance that imports the backend's own Memory, so it reads and writes tensors in
 * place (no copies in or out, no JS bounds checks). Instantiated once per backend memory.
 *
 * The loops are driven by a tap table: for output pixel m and filter tap t = (kh, kw), the byte
 * address of the input pixel the tap reads, or of a zero/sink area where it falls into padding.
 */
import type { ConvGeometry } from './conv-geometry.js';
import { HEAP_OPS_WASM_BASE64 } from './heap-ops-wasm.js';
import { KernelScope, type TensorInfo, type WasmBackend } from './wasm-ops.js';
import { WA, embeddedModule } from '../../core/wasm.js';

interface HeapOpsExports {
  /** colsT[(u * L + r) * rows + j] = run tab[j, u], float r (u < units, r < L). */
  im2colT(tab: number, rows: number, units: number, length: number, dst: number): void;
  /** Run tab[m, u], float r += cols[(m * units + u) * L + r]. */
  col2im(tab: number, rows: number, units: number, length: number, cols: number): void;
  /** acc[c] (f64) += sum over n rows of (x - sub[c])^pow, pow 1 or 2; C % 4 == 0. */
  bnSums(x: number, n: number, c: number, sub: number, pow: number, acc: number): void;
  /** accDy[c] += sum dy, accDyx[c] += sum dy * (x - mean) * rstd (f64 accumulators). */
  bnGradSums(dy: number, x: number, n: number, c: number, mean: number, rstd: number, accDy: number, accDyx: number): void;
  /** out = (a - u) * v + z, per channel. */
  bnAffine(a: number, out: number, total: number, c: number, u: number, v: number, z: number): void;
  /** dx = (dy - mdy - (x - mean) * rstd * mdyx) * k, per channel. */
  bnDx(dy: number, x: number, dx: number, total: number, c: number, mean: number, rstd: number, mdy: number, mdyx: number, k: number): void;
}

const heapOpsModule = embeddedModule(HEAP_OPS_WASM_BASE64);
const instances = new WeakMap<object, HeapOpsExports>();

/** The heap loops bound to the memory of the wasm backend (or of a scope's backend). */
export function heapOps(k: KernelScope | WasmBackend): HeapOpsExports {
  const backend = k instanceof KernelScope ? k.backend : k;
  const memory = (backend as unknown as { wasm: { asm: { memory: object } } }).wasm.asm.memory;
  let ops = instances.get(memory);
  if (!ops) {
    const mod = heapOpsModule();
    if (!mod || !WA) throw new Error('heap-ops: WebAssembly SIMD is not available (the wasm backend needs it)');
    ops = new WA.Instance(mod, { env: { memory } }).exports as HeapOpsExports;
    instances.set(memory, ops);
  }
  return ops;
}

/** How im2col splits a filter window: `units` runs of `length` contiguous floats each. */
export interface WindowRuns { units: number; length: number }

/** One run per filter row (kw * ci floats) when the window's columns are contiguous (dilation 1). */
export function windowRuns(g: ConvGeometry): WindowRuns {
  return g.dilationWidth === 1
    ? { units: g.filterHeight, length: g.filterWidth * g.inChannels }
    : { units: g.filterHeight * g.filterWidth, length: g.inChannels };
}

/**
 * The run table of rows [m0, m0 + rows) of conv geometry g as an int32 tensor [rows, units]: the
 * byte address in xp of each run, xp being x zero-padded by (padTop, padLeft) above/left and far
 * enough below/right that every window lies inside it ([n, hp, wp, ci]).
 */
export function runTable(k: KernelScope, xp: TensorInfo, g: ConvGeometry, m0: number, rows: number): TensorInfo {
  const { units } = windowRuns(g);
  const tab = k.track(k.backend.makeOutput([rows, units], 'int32'));
  const t = k.backend.typedArrayFromHeap(tab) as Int32Array;
  const [, hp, wp, C] = xp.shape;
  const { outHeight: OH, outWidth: OW, filterWidth: KW } = g;
  const sh = g.strideHeight, sw = g.strideWidth, dh = g.dilationHeight, dw = g.dilationWidth;
  const perKh = units === g.filterHeight ? 1 : KW;
  const xb = k.offsetOf(xp) * 4, rowBytes = wp * C * 4, pixBytes = C * 4;
  let ow = m0 % OW, r = (m0 - ow) / OW, oh = r % OH, n = (r - oh) / OH;
  let i = 0;
  for (let j = 0; j < rows; j++) {
    const base = xb + (n * hp + oh * sh) * rowBytes + ow * sw * pixBytes;
    for (let kh = 0; kh < g.filterHeight; kh++) {
      for (let kw = 0; kw < perKh; kw++) t[i++] = base + kh * dh * rowBytes + kw * dw * pixBytes;
    }
    if (++ow === OW) { ow = 0; if (++oh === OH) { oh = 0; n++; } }
  }
  return tab;
}

/** Zero padding of x (NHWC) that puts every window of geometry g inside: [[top, bottom], [left, right]]. */
export function windowPadding(g: ConvGeometry): [[number, number], [number, number]] {
  const rowsNeeded = (g.outHeight - 1) * g.strideHeight + (g.filterHeight - 1) * g.dilationHeight + 1;
  const colsNeeded = (g.outWidth - 1) * g.strideWidth + (g.filterWidth - 1) * g.dilationWidth + 1;
  return [[g.padTop, Math.max(0, rowsNeeded - g.padTop - g.inHeight)], [g.padLeft, Math.max(0, colsNeeded - g.padLeft - g.inWidth)]];
}
