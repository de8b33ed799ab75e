/**
 * The WebAssembly SIMD add-compare-select (acs.wat): one instance per Viterbi decoder, owning its
 * memory (metric banks, quantized LLRs, packed decisions). It computes exactly what the JS kernel
 * acs() in ../viterbi.ts computes, four butterflies per SIMD operation.
 */
import { WA, embeddedModule } from '../../../core/wasm.js';
import { ACS_WASM_BASE64 } from './acs-wasm.js';

interface AcsExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  acs(steps: number, llrPtr: number, decPtr: number): void;
}

const acsModule = embeddedModule(ACS_WASM_BASE64);

export function wasmAcsAvailable(): boolean {
  return acsModule() !== null;
}

const SWIZZLE = 0;
const BANK = 128;
const LLR = 1024;
const PAGE = 65536;

export class WasmAcs {
  readonly maxSteps: number;
  /** Quantized mother-code LLRs, 2 per step, in the kernel's memory. */
  readonly llr: Int32Array;
  /** Packed decisions, 2 words per step, in the kernel's memory. */
  readonly decisions: Uint32Array;
  private readonly bank: Int32Array;
  private readonly exports: AcsExports;
  private readonly decPtr: number;
  private readonly unreachable: number;

  /**
   * butterflyAb[j] = outputs (A << 1) | B of the branch 2j -> j (j < 32); throws where
   * WebAssembly SIMD is unavailable.
   */
  constructor(maxSteps: number, butterflyAb: Uint8Array, unreachable: number) {
    const mod = acsModule();
    if (!mod || !WA) throw new Error('WebAssembly SIMD is not available');
    this.maxSteps = maxSteps;
    this.exports = new WA.Instance(mod, {}).exports as AcsExports;
    this.decPtr = LLR + 8 * maxSteps;
    const bytes = this.decPtr + 8 * maxSteps;
    const have = this.exports.memory.buffer.byteLength;
    if (bytes > have) this.exports.memory.grow(Math.ceil((bytes - have) / PAGE));
    const buf = this.exports.memory.buffer;
    const sw = new Uint8Array(buf, SWIZZLE, 128);
    for (let j = 0; j < 32; j++) {
      for (let b = 0; b < 4; b++) sw[4 * j + b] = 4 * butterflyAb[j] + b;
    }
    this.bank = new Int32Array(buf, BANK, 64);
    this.llr = new Int32Array(buf, LLR, 2 * maxSteps);
    this.decisions = new Uint32Array(buf, this.decPtr, 2 * maxSteps);
    this.unreachable = unreachable;
  }

  /** Forward pass over `steps` steps of `llr` from state 0; decisions land in `decisions`. */
  run(steps: number): void {
    this.bank.fill(this.unreachable);
    this.bank[0] = 0;
    this.exports.acs(steps, LLR, this.decPtr);
  }
}
