/**
 * The inter-frame int16 WebAssembly SIMD min-sum kernel (minsum16.wat): 8 frames per vector, one
 * instance per decoder owning its memory. Works on any ParityCheck (CSR), QC or not.
 *
 * Fixed point: channel LLRs are quantized to round(llr * LLR16_SCALE), saturated at +-LLR16_QMAX
 * (3 fractional bits, |llr| <= 127.9); messages and posteriors are int16 with saturating
 * arithmetic (posteriors of converged frames grow each iteration and may saturate at +-32767,
 * which keeps their signs); min-sum being scale invariant, the quantization step only matters for
 * LLRs below 1/8. NMS scales by round(alpha 2^15) / 2^15
 * with rounding (i16x8.q15mulr_sat_s), OMS subtracts round(offset * LLR16_SCALE).
 */
import { WA, align16, embeddedModule } from '../../../core/wasm.js';
import type { ParityCheck } from '../parity-check.js';
import { MINSUM16_WASM_BASE64 } from './minsum16-wasm.js';

export const LLR16_SCALE = 8;
export const LLR16_QMAX = 1023;
/** Frames per SIMD vector (i16x8). */
export const LANES16 = 8;

interface MinSum16Exports {
  init(n: number, m: number, post: number, msg: number, rowPtr: number, out: number,
    llr: number, bits: number, edges: number): void;
  load(frames: number, scale: number, qmax: number): number;
  iterate(alpha: number, offset: number): void;
  syndrome(): number;
  latch(mask: number): void;
  readBits(frames: number): void;
}

const wasmModule = embeddedModule(MINSUM16_WASM_BASE64);

/** Whether the int16 inter-frame kernel can run here (WebAssembly SIMD). */
export function wasmMinSum16Available(): boolean {
  return wasmModule() !== null;
}

export class WasmMinSum16Kernel {
  readonly n: number;
  /** LANES16 * n float32 LLRs in, frame-major. */
  readonly llr: Float32Array;
  /** LANES16 * n hard decisions out, frame-major. */
  readonly bits: Uint8Array;
  private readonly ex: MinSum16Exports;
  /** The kernel's posterior as int16 lanes (n * 8), for tests. */
  readonly post: Int16Array;

  constructor(h: ParityCheck) {
    const mod = wasmModule();
    if (!mod || !WA) throw new Error('WebAssembly SIMD is not available');
    const n = h.n;
    const E = h.edges;
    let off = 16;
    const take = (bytes: number): number => {
      const at = off;
      off = align16(off + bytes);
      return at;
    };
    const post = take(16 * n);
    const msg = take(48 * E); // 48-byte edge records: message, row value, its posterior's address
    const rowPtr = take(4 * (h.m + 1));
    const out = take(16 * n);
    const llr = take(4 * LANES16 * n);
    const bits = take(LANES16 * n);
    const memory = new WA.Memory({ initial: Math.max(1, Math.ceil(off / 65536)) });
    const buf = memory.buffer;
    new Int32Array(buf, rowPtr, h.m + 1).set(h.rowPtr);
    const rec = new Int32Array(buf, msg, 12 * E);
    for (let e = 0; e < E; e++) rec[12 * e + 8] = post + 16 * h.colIdx[e];
    for (let r = 0; r < h.m; r++) if (h.rowPtr[r + 1] === h.rowPtr[r]) throw new Error(`int16 min-sum: row ${r} of H has no edge`);
    const instance = new WA.Instance(mod, { env: { memory } });
    this.ex = instance.exports as unknown as MinSum16Exports;
    this.ex.init(n, h.m, post, msg, rowPtr, out, llr, bits, E);
    this.n = n;
    this.llr = new Float32Array(buf, llr, LANES16 * n);
    this.bits = new Uint8Array(buf, bits, LANES16 * n);
    this.post = new Int16Array(buf, post, LANES16 * n);
  }

  /** Quantize the `frames` frames already written to `llr`; throws on a NaN. */
  load(frames: number): void {
    if (this.ex.load(frames, LLR16_SCALE, LLR16_QMAX) !== 0) throw new RangeError('LDPC decode: an LLR is NaN');
  }

  iterate(alphaQ15: number, offsetQ: number): void {
    this.ex.iterate(alphaQ15, offsetQ);
  }

  /** Bit f set: frame f satisfies every check. */
  syndrome(): number {
    return this.ex.syndrome();
  }

  /** Keep the current posterior of the frames in `mask` as their result. */
  latch(mask: number): void {
    this.ex.latch(mask);
  }

  /** Hard decisions of the latched results of the first `frames` frames into `bits`. */
  readBits(frames: number): void {
    this.ex.readBits(frames);
  }
}
