/**
 * The WebAssembly SIMD layered min-sum kernel (minsum.wat) for a QC parity-check matrix: one
 * instance per decoder, owning its memory (posterior, messages, index tables). It computes exactly
 * what the JS kernel of LdpcDecoder computes (same layer order, same float32 arithmetic), four
 * rows of a layer per SIMD operation.
 */
import type { ParityCheck } from '../parity-check.js';
import { MINSUM_WASM_BASE64 } from './minsum-wasm.js';

interface MinSumExports {
  init(z: number, zp: number, layers: number, post: number, msg: number, tmp: number, rot: number, acc: number,
    lptr: number, bcol: number, bshift: number): void;
  iterate(scale: number, offset: number): void;
  syndromeOk(): number;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is unavailable (then the JS kernel is used). */
function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(MINSUM_WASM_BASE64, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export function wasmMinSumAvailable(): boolean {
  return wasmModule() !== null;
}

const align16 = (x: number): number => (x + 15) & ~15;

export class WasmMinSumKernel {
  readonly n: number;
  /** The posterior LLRs (a view into the kernel's memory, length n). */
  readonly post: Float32Array;
  private readonly msg: Float32Array;
  private readonly exports: MinSumExports;

  /** Throws when `h` is not quasi-cyclic or WebAssembly SIMD is unavailable. */
  constructor(h: ParityCheck) {
    const mod = wasmModule();
    if (!mod) throw new Error('WebAssembly SIMD is not available');
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
    const postOff = take(4 * cols * z);
    const msgOff = take(4 * entries * zp);
    const tmpOff = take(4 * maxDeg * zp);
    const rotOff = take(4 * zp);
    const accOff = take(4 * zp);
    const lptrOff = take(4 * (rows + 1));
    const bcolOff = take(4 * entries);
    const bshiftOff = take(4 * entries);
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(off / 65536)) });
    const buf = memory.buffer;
    new Int32Array(buf, lptrOff, rows + 1).set(lptr);
    new Int32Array(buf, bcolOff, entries).set(bcol);
    new Int32Array(buf, bshiftOff, entries).set(bshift);
    const instance = new WebAssembly.Instance(mod, { env: { memory } });
    this.exports = instance.exports as unknown as MinSumExports;
    this.exports.init(z, zp, rows, postOff, msgOff, tmpOff, rotOff, accOff, lptrOff, bcolOff, bshiftOff);
    this.n = cols * z;
    this.post = new Float32Array(buf, postOff, this.n);
    this.msg = new Float32Array(buf, msgOff, entries * zp);
  }

  /** Zero all check messages (start of a decode). */
  reset(): void {
    this.msg.fill(0);
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
