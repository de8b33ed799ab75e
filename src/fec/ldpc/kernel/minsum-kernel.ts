/**
 * The WebAssembly SIMD layered min-sum kernel (minsum.wat) for a QC parity-check matrix: one
 * instance per decoder, owning its memory (posterior, messages, index tables). It computes exactly
 * what the JS kernel of LdpcDecoder computes (same layer order, same float32 arithmetic), four
 * rows of a layer per SIMD operation.
 */
import { WA, align16, embeddedModule } from '../../../core/wasm.js';
import type { ParityCheck } from '../parity-check.js';
import { MINSUM_WASM_BASE64 } from './minsum-wasm.js';

interface MinSumExports {
  init(z: number, zp: number, layers: number, post: number, msg: number, tmp: number, strideb: number, acc: number,
    mask: number, lptr: number, bcol: number, bshift: number, boff: number): void;
  initIo(cols: number, io: number, bits: number): void;
  load(clamp: number): number;
  readOut(): void;
  iterate(scale: number, offset: number): void;
  syndromeOk(): number;
}

const wasmModule = embeddedModule(MINSUM_WASM_BASE64);

export function wasmMinSumAvailable(): boolean {
  return wasmModule() !== null;
}

/** Floats before each block column of the doubled posterior (room for a chunk written below 0). */
const GUARD = 4;

export class WasmMinSumKernel {
  readonly n: number;
  /** n floats in the kernel's memory: LLRs in, posterior out. */
  private readonly io: Float32Array;
  /** n hard decisions out. */
  private readonly bits: Uint8Array;
  private readonly exports: MinSumExports;

  /** Throws when `h` is not quasi-cyclic or WebAssembly SIMD is unavailable. */
  constructor(h: ParityCheck) {
    const mod = wasmModule();
    if (!mod || !WA) throw new Error('WebAssembly SIMD is not available');
    const qc = h.qc;
    if (!qc) throw new Error('the WASM min-sum kernel needs a QC parity-check matrix (ParityCheck.fromQc)');
    const { rows, cols, z, shifts } = qc;
    const zp = (z + 3) & ~3;
    // Base entries per layer, in column order (the order of the CSR rows of fromQc).
    const bcol: number[] = [];
    const bshift: number[] = [];
    const lptr = [0];
    let maxDeg = 0;
    for (let R = 0; R < rows; R++) {
      for (let C = 0; C < cols; C++) {
        const s = shifts[R * cols + C];
        if (s < 0) continue;
        bcol.push(C);
        bshift.push(s % z);
      }
      lptr.push(bcol.length);
      maxDeg = Math.max(maxDeg, lptr[R + 1] - lptr[R]);
    }
    const entries = bcol.length;
    let off = 0;
    const take = (bytes: number): number => {
      const at = off;
      off = align16(off + bytes);
      return at;
    };
    // doubled posterior after a 4-float guard: reads reach position 2Z-2 + 3 (last SIMD lane), the
    // restore writes stay below 3 zp and above -4
    const stride = 3 * zp + GUARD;
    const postOff = take(4 * cols * stride);
    const msgOff = take(4 * entries * zp);
    const tmpOff = take(4 * (maxDeg + 1) * zp); // + 1: the scatter reads up to 3 lanes past a block
    const accOff = take(4 * zp);
    const maskOff = take(4 * zp);
    const lptrOff = take(4 * (rows + 1));
    const bcolOff = take(4 * entries);
    const bshiftOff = take(4 * entries);
    const boffOff = take(4 * entries);
    const ioOff = take(4 * (cols * z + 4)); // LLRs in / posterior out, + slack for the last chunk
    const bitsOff = take(cols * z + 16);
    const memory = new WA.Memory({ initial: Math.max(1, Math.ceil(off / 65536)) });
    const buf = memory.buffer;
    new Int32Array(buf, lptrOff, rows + 1).set(lptr);
    new Int32Array(buf, bcolOff, entries).set(bcol);
    new Int32Array(buf, bshiftOff, entries).set(bshift);
    new Int32Array(buf, maskOff, zp).fill(-1, 0, z);
    new Int32Array(buf, boffOff, entries).set(bcol.map((c, i) => postOff + 4 * (c * stride + GUARD + bshift[i])));
    const instance = new WA.Instance(mod, { env: { memory } });
    this.exports = instance.exports as unknown as MinSumExports;
    this.exports.init(z, zp, rows, postOff + 4 * GUARD, msgOff, tmpOff, 4 * stride, accOff, maskOff, lptrOff, bcolOff, bshiftOff, boffOff);
    this.exports.initIo(cols, ioOff, bitsOff);
    this.n = cols * z;
    this.io = new Float32Array(buf, ioOff, this.n);
    this.bits = new Uint8Array(buf, bitsOff, this.n);
  }

  /**
   * Start a decode: posterior = llr saturated at +/-clamp, all check messages zero.
   * Throws a RangeError naming the first NaN LLR.
   */
  load(llr: Float32Array | Float64Array, clamp: number): void {
    this.io.set(llr);
    if (this.exports.load(clamp) !== 0) {
      const at = llr.findIndex((x) => Number.isNaN(x));
      throw new RangeError(`LDPC decode: LLR ${at} is NaN`);
    }
  }

  /** Copy the posterior (n values) into `post` and its hard decisions (< 0 -> 1) into `bits`. */
  readPosterior(post: Float32Array, bits: Uint8Array): void {
    this.exports.readOut();
    post.set(this.io);
    bits.set(this.bits);
  }

  /** One layered iteration: magnitude = max(scale * min - offset, 0). */
  iterate(scale: number, offset: number): void {
    this.exports.iterate(scale, offset);
  }

  /** True when the hard decisions of the posterior (< 0 -> 1) satisfy every check. */
  syndromeOk(): boolean {
    return this.exports.syndromeOk() === 1;
  }
}
