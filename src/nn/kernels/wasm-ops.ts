/**
 * Calling the wasm backend's own kernels from inside a kernel, with every intermediate freed.
 *
 * A project kernel composes wasm kernels (Conv2D, Transpose, PadV2, Slice, ...) directly through
 * their kernelFunc, bypassing the engine (no tape, no tensor bookkeeping). Each result is tracked by
 * the scope and released with backend.disposeData when the scope ends, except the ones kept as the
 * kernel's output.
 */
import * as tf from '@tensorflow/tfjs';

export type TensorInfo = tf.TensorInfo;
/** The wasm backend object as kernels receive it (typed loosely: its class is not exported). */
export type WasmBackend = tf.KernelBackend & {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
};

const cache = new Map<string, tf.KernelFunc>();
/** tfjs-backend-wasm's own kernels that the project replaced, by name (filled at registration). */
export const builtinKernels = new Map<string, tf.KernelConfig>();

/** The wasm backend's kernelFunc for `name` (looked up once). */
function wasmKernel(name: string): tf.KernelFunc {
  let f = cache.get(name);
  if (!f) {
    const cfg = tf.getKernel(name, 'wasm');
    if (!cfg) throw new Error(`wasm kernel ${name} is not registered`);
    f = cfg.kernelFunc;
    cache.set(name, f);
  }
  return f;
}

/** The backend's private bookkeeping that aliasing views need (tfjs-backend-wasm 4.22). */
interface WasmInternals {
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined; set(id: object, v: unknown): void; delete(id: object): boolean };
  wasm: { tfjs: { disposeData(id: number): void } };
}

export class KernelScope {
  private readonly made: TensorInfo[] = [];
  private readonly views: TensorInfo[] = [];

  constructor(readonly backend: WasmBackend) {}

  /** Run wasm kernel `name`; the result is freed at dispose() unless kept. */
  run(name: string, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown> = {}): TensorInfo {
    const out = wasmKernel(name)({ inputs, backend: this.backend, attrs: attrs as tf.NamedAttrMap }) as TensorInfo;
    this.made.push(out);
    return out;
  }

  /** Run tfjs-backend-wasm's own kernel `name` where the project replaced it (else the current one). */
  runBuiltin(name: string, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown> = {}): TensorInfo {
    const b = builtinKernels.get(name);
    if (!b) return this.run(name, inputs, attrs);
    const out = b.kernelFunc({ inputs, backend: this.backend, attrs: attrs as tf.NamedAttrMap }) as TensorInfo;
    this.made.push(out);
    return out;
  }

  /**
   * A tensor aliasing `shape` elements of float32 `t` from element `offset` on (no copy), e.g. a
   * block of rows. Valid while `t` lives; released at dispose() without freeing `t`'s memory.
   * Never the kernel's output.
   */
  view(t: TensorInfo, offset: number, shape: number[]): TensorInfo {
    const size = shape.reduce((a, b) => a * b, 1);
    const total = t.shape.reduce((a, b) => a * b, 1);
    if (t.dtype !== 'float32' || offset < 0 || offset + size > total) throw new Error(`view: ${size} elements at ${offset} exceed a ${JSON.stringify(t.shape)} tensor`);
    const base = (this.backend as unknown as WasmInternals).dataIdMap.get(t.dataId)!.memoryOffset;
    const v = this.backend.makeOutput(shape, 'float32', base + 4 * offset);
    this.views.push(v);
    return v;
  }

  /** Heap offset (in floats) of float32 tensor `t`. */
  offsetOf(t: TensorInfo): number {
    return (this.backend as unknown as WasmInternals).dataIdMap.get(t.dataId)!.memoryOffset / 4;
  }

  /** A Float32Array over the whole wasm memory; take it after the last allocation (growth detaches it). */
  heap(): Float32Array {
    return new Float32Array((this.backend as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer);
  }

  /** Track a tensor info made elsewhere (e.g. backend.makeOutput) for disposal. */
  track(t: TensorInfo): TensorInfo {
    this.made.push(t);
    return t;
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    if (perm.every((p, i) => p === i)) return x;
    return this.run('Transpose', { x }, { perm });
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /** Zero padding; `paddings` per axis [before, after], all >= 0. */
  pad(x: TensorInfo, paddings: [number, number][]): TensorInfo {
    if (paddings.every(([a, b]) => a === 0 && b === 0)) return x;
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    if (begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i])) return x;
    return this.run('Slice', { x }, { begin, size });
  }

  /**
   * Pad (positive) or crop (negative) each axis: `amounts[i] = [before, after]`. Crops first, so
   * a negative amount just drops rows the computation never reads.
   */
  padOrCrop(x: TensorInfo, amounts: [number, number][]): TensorInfo {
    const begin = amounts.map(([a]) => Math.max(0, -a));
    const size = amounts.map(([a, b], i) => x.shape[i] - Math.max(0, -a) - Math.max(0, -b));
    if (size.some((s) => s <= 0)) throw new Error(`padOrCrop: crops ${JSON.stringify(amounts)} empty a ${JSON.stringify(x.shape)} tensor`);
    const cropped = this.slice(x, begin, size);
    return this.pad(cropped, amounts.map(([a, b]) => [Math.max(0, a), Math.max(0, b)] as [number, number]));
  }

  /**
   * x[:, r0 + i*sh, c0 + j*sw, :] for i < oh, j < ow (NHWC). Reshapes and rank-3 slices only:
   * tfjs-backend-wasm's StridedSlice and rank > 4 Slice/Transpose are slow JS loops.
   */
  subsample(x: TensorInfo, begin: [number, number], strides: [number, number], out: [number, number]): TensorInfo {
    const [n, h, w, c] = x.shape;
    const [r0, c0] = begin, [sh, sw] = strides, [oh, ow] = out;
    let r = this.padOrCrop(x, [[0, 0], [-r0, r0 + oh * sh - h], [-c0, c0 + ow * sw - w], [0, 0]]);
    if (sh > 1) r = this.slice(this.reshape(r, [n * oh, sh, ow * sw * c]), [0, 0, 0], [n * oh, 1, ow * sw * c]);
    if (sw > 1) r = this.slice(this.reshape(r, [n * oh * ow, sw, c]), [0, 0, 0], [n * oh * ow, 1, c]);
    return this.reshape(r, [n, oh, ow, c]);
  }

  /** dy with (s - 1) zeros after every row / column: [n, oh*sh, ow*sw, c] (rank <= 4 ops only). */
  zeroStuff(dy: TensorInfo, sh: number, sw: number): TensorInfo {
    const [n, oh, ow, c] = dy.shape;
    let r = dy;
    if (sh > 1) r = this.reshape(this.pad(this.reshape(r, [n * oh, 1, ow * c]), [[0, 0], [0, sh - 1], [0, 0]]), [n, oh * sh, ow, c]);
    if (sw > 1) r = this.reshape(this.pad(this.reshape(r, [n * oh * sh * ow, 1, c]), [[0, 0], [0, sw - 1], [0, 0]]), [n, oh * sh, ow * sw, c]);
    return r;
  }

  /** NHWC conv2d with explicit non-negative padding [[top, bottom], [left, right]]. */
  conv2d(x: TensorInfo, filter: TensorInfo, strides: [number, number], dilations: [number, number], pads: [[number, number], [number, number]]): TensorInfo {
    return this.run('Conv2D', { x, filter }, {
      strides, dilations, dataFormat: 'NHWC', dimRoundingMode: undefined,
      pad: [[0, 0], pads[0], pads[1], [0, 0]],
    });
  }

  concat(xs: TensorInfo[], axis: number): TensorInfo {
    if (xs.length === 1) return xs[0];
    // The engine passes Concat's inputs as an array.
    return this.run('Concat', xs as unknown as Record<string, TensorInfo>, { axis });
  }

  /** True when `t` is one of this scope's results (not an input passed through). */
  owns(t: TensorInfo): boolean {
    return this.made.includes(t);
  }

  /**
   * Free every tracked result except the object `keep`. Views (Reshape) share a refcounted dataId,
   * so each tracked reference is released once, and `keep`'s one reference survives.
   */
  dispose(keep?: TensorInfo): void {
    for (const t of this.made) {
      if (t !== keep) this.backend.disposeData(t.dataId);
    }
    this.made.length = 0;
    // Views: forget the tensor (and any XNNPACK operator cached for it), keep the memory.
    const internals = this.backend as unknown as WasmInternals;
    for (const v of this.views) {
      internals.dataIdMap.delete(v.dataId);
      internals.wasm.tfjs.disposeData((v.dataId as { id: number }).id);
    }
    this.views.length = 0;
  }
}

/**
 * Run `body` in a scope and return its result as the kernel output; all other intermediates are
 * freed. A result that is an input passed through unchanged gets its own reference (Identity).
 */
export function withScope(backend: WasmBackend, body: (k: KernelScope) => TensorInfo): TensorInfo {
  const k = new KernelScope(backend);
  try {
    let out = body(k);
    if (!k.owns(out)) out = k.run('Identity', { x: out });
    k.dispose(out);
    return out;
  } catch (e) {
    k.dispose();
    throw e;
  }
}
