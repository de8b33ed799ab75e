/**
 * The inter-frame int8 WebAssembly SIMD min-sum kernel (minsum8.wat): 16 frames per vector, one
 * instance per decoder owning its memory. Works on any ParityCheck (CSR), QC or not.
 *
 * Fixed point (as AFF3CT's 8-bit mode): channel LLRs are quantized to round(llr * scale),
 * saturated at +-qmax (default LLR8_FORMAT: 2 fractional bits, 6-bit channel LLRs); messages and
 * posteriors are int8 with saturating arithmetic (+-127, -128 reachable by a saturated
 * subtraction). What costs accuracy is the posterior's range, 127 / scale: on 802.11n (1944, 1/2)
 * NMS 10 it, scale 8 saturates converging posteriors (+0.1 dB at 1e-2 with qmax 31, an error
 * floor near 1e-2 with qmax 63), scale 2..4 matches the float kernel; at scale 4, qmax 15
 * (|llr| <= 3.75) loses 0.1 dB, qmax 31..127 nothing. Min-sum being scale invariant, the step
 * only matters for LLRs below 1/scale. NMS scales a row's two minima by round(alpha 2^15) / 2^15
 * with rounding (i16x8.q15mulr_sat_s on widened lanes), OMS subtracts round(offset * scale)
 * (at most 127).
 */
import { WA, align16, embeddedModule } from '../../../core/wasm.js';
import type { ParityCheck } from '../parity-check.js';
import { MINSUM8_WASM_BASE64 } from './minsum8-wasm.js';

/** Channel LLR quantization: round(llr * scale) saturated at +-qmax (qmax <= 127). */
export interface Llr8Format {
  scale: number;
  qmax: number;
}

export const LLR8_FORMAT: Readonly<Llr8Format> = { scale: 4, qmax: 31 };
/** Frames per SIMD vector (i8x16). */
export const LANES8 = 16;

interface MinSum8Exports {
  init(n: number, m: number, post: number, msg: number, rowPtr: number, out: number,
    llr: number, bits: number, edges: number, q8: number): void;
  load(frames: number, scale: number, qmax: number): number;
  iterate(alpha: number, offset: number): void;
  syndrome(): number;
  latch(mask: number): void;
  readBits(frames: number): void;
}

const wasmModule = embeddedModule(MINSUM8_WASM_BASE64);

/** Whether the int8 inter-frame kernel can run here (WebAssembly SIMD). */
export function wasmMinSum8Available(): boolean {
  return wasmModule() !== null;
}

export class WasmMinSum8Kernel {
  readonly n: number;
  readonly format: Readonly<Llr8Format>;
  /** LANES8 * n float32 LLRs in, frame-major. */
  readonly llr: Float32Array;
  /** LANES8 * n hard decisions out, frame-major. */
  readonly bits: Uint8Array;
  private readonly ex: MinSum8Exports;
  /** The kernel's posterior as int8 lanes (n * 16), for tests. */
  readonly post: Int8Array;

  constructor(h: ParityCheck, format: Readonly<Llr8Format> = LLR8_FORMAT) {
    const mod = wasmModule();
    if (!mod || !WA) throw new Error('WebAssembly SIMD is not available');
    if (!(format.scale > 0 && Number.isInteger(format.qmax) && format.qmax >= 1 && format.qmax <= 127)) {
      throw new RangeError(`int8 min-sum: format ${JSON.stringify(format)} needs scale > 0 and an integer qmax in 1..127`);
    }
    const n = h.n;
    const E = h.edges;
    let off = 16;
    const take = (bytes: number): number => {
      const at = off;
      off = align16(off + bytes);
      return at;
    };
    // the 16 x 16 transposes move whole blocks: vectors up to 16 variables, 16 bytes past 16 n
    const post = take(16 * Math.max(n, 16));
    const msg = take(48 * E); // 48-byte edge records: message, row value, its posterior's address
    const rowPtr = take(4 * (h.m + 1));
    const out = take(16 * Math.max(n, 16));
    const llr = take(4 * LANES8 * n);
    const bits = take(LANES8 * n + 16);
    const q8 = take(LANES8 * n + 16);
    const memory = new WA.Memory({ initial: Math.max(1, Math.ceil(off / 65536)) });
    const buf = memory.buffer;
    new Int32Array(buf, rowPtr, h.m + 1).set(h.rowPtr);
    const rec = new Int32Array(buf, msg, 12 * E);
    for (let e = 0; e < E; e++) rec[12 * e + 8] = post + 16 * h.colIdx[e];
    for (let r = 0; r < h.m; r++) if (h.rowPtr[r + 1] === h.rowPtr[r]) throw new Error(`int8 min-sum: row ${r} of H has no edge`);
    const instance = new WA.Instance(mod, { env: { memory } });
    this.ex = instance.exports as unknown as MinSum8Exports;
    this.ex.init(n, h.m, post, msg, rowPtr, out, llr, bits, E, q8);
    this.n = n;
    this.format = format;
    this.llr = new Float32Array(buf, llr, LANES8 * n);
    this.bits = new Uint8Array(buf, bits, LANES8 * n);
    this.post = new Int8Array(buf, post, LANES8 * n);
  }

  /** Quantize the `frames` frames already written to `llr`; throws on a NaN. */
  load(frames: number): void {
    if (this.ex.load(frames, this.format.scale, this.format.qmax) !== 0) throw new RangeError('LDPC decode: an LLR is NaN');
  }

  /** One layered pass; offsetQ is clamped to 127 (a larger offset zeroes every int8 magnitude alike). */
  iterate(alphaQ15: number, offsetQ: number): void {
    this.ex.iterate(alphaQ15, Math.min(127, offsetQ));
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
