/**
 * Bulk Philox4x32-10 words in WebAssembly (64-bit multiplies give the high words directly): the
 * word source of Rng.fillGaussian, several times faster than the int32 JavaScript kernel. Source:
 * src/core/philox.wat (built with wabt's wat2wasm; the bytes below are that build). Null where
 * WebAssembly is unavailable; callers then use philoxWords from rng.ts (same bits, tested).
 */

const WASM_BASE64 = 'AGFzbQEAAAABCwFgB39/f39/f38AAwIBAAUDAQABBxACA21lbQIABnBoaWxveAAACpUHAZIHAgh/An4CQANAIAcgAE8NASABIAdqIQkgAiAJIAFJaiEKIAMhCyAEIQwgBSENIAYhDiAJrULTvsSSDX4hDyALrULXmvrsDH4hECAQQiCIpyAKcyANcyEJIBCnIQogD0IgiKcgDHMgDnMhCyAPpyEMIA1BufPd8XlqIQ0gDkGF3Z7be2ohDiAJrULTvsSSDX4hDyALrULXmvrsDH4hECAQQiCIpyAKcyANcyEJIBCnIQogD0IgiKcgDHMgDnMhCyAPpyEMIA1BufPd8XlqIQ0gDkGF3Z7be2ohDiAJrULTvsSSDX4hDyALrULXmvrsDH4hECAQQiCIpyAKcyANcyEJIBCnIQogD0IgiKcgDHMgDnMhCyAPpyEMIA1BufPd8XlqIQ0gDkGF3Z7be2ohDiAJrULTvsSSDX4hDyALrULXmvrsDH4hECAQQiCIpyAKcyANcyEJIBCnIQogD0IgiKcgDHMgDnMhCyAPpyEMIA1BufPd8XlqIQ0gDkGF3Z7be2ohDiAJrULTvsSSDX4hDyALrULXmvrsDH4hECAQQiCIpyAKcyANcyEJIBCnIQogD0IgiKcgDHMgDnMhCyAPpyEMIA1BufPd8XlqIQ0gDkGF3Z7be2ohDiAJrULTvsSSDX4hDyALrULXmvrsDH4hECAQQiCIpyAKcyANcyEJIBCnIQogD0IgiKcgDHMgDnMhCyAPpyEMIA1BufPd8XlqIQ0gDkGF3Z7be2ohDiAJrULTvsSSDX4hDyALrULXmvrsDH4hECAQQiCIpyAKcyANcyEJIBCnIQogD0IgiKcgDHMgDnMhCyAPpyEMIA1BufPd8XlqIQ0gDkGF3Z7be2ohDiAJrULTvsSSDX4hDyALrULXmvrsDH4hECAQQiCIpyAKcyANcyEJIBCnIQogD0IgiKcgDHMgDnMhCyAPpyEMIA1BufPd8XlqIQ0gDkGF3Z7be2ohDiAJrULTvsSSDX4hDyALrULXmvrsDH4hECAQQiCIpyAKcyANcyEJIBCnIQogD0IgiKcgDHMgDnMhCyAPpyEMIA1BufPd8XlqIQ0gDkGF3Z7be2ohDiAJrULTvsSSDX4hDyALrULXmvrsDH4hECAQQiCIpyAKcyANcyEJIBCnIQogD0IgiKcgDHMgDnMhCyAPpyEMIAggCTYCACAIIAo2AgQgCCALNgIIIAggDDYCDCAIQRBqIQggB0EBaiEHDAALCws=';

export interface PhiloxWasm {
  /** View of the output area: block b's words at [4b, 4b + 4). Valid until memory grows (never). */
  readonly words: Int32Array;
  /** Largest nBlocks per call. */
  readonly maxBlocks: number;
  fill(nBlocks: number, ctr: number, s0: number, s1: number, key0: number, key1: number): void;
}

// The few WebAssembly API members used (lib ES2022 without DOM types does not declare them).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

function load(): PhiloxWasm | null {
  try {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) return null;
    const bytes = Uint8Array.from(Buffer.from(WASM_BASE64, 'base64'));
    const inst = new wasm.Instance(new wasm.Module(bytes), {});
    const mem = inst.exports.mem as { buffer: ArrayBuffer };
    const philox = inst.exports.philox as (n: number, c0: number, c1: number, s0: number, s1: number, k0: number, k1: number) => void;
    const words = new Int32Array(mem.buffer);
    return {
      words,
      maxBlocks: words.length >> 2,
      fill(nBlocks, ctr, s0, s1, key0, key1) {
        philox(nBlocks, ctr | 0, Math.floor(ctr / 4294967296) | 0, s0 | 0, s1 | 0, key0 | 0, key1 | 0);
      },
    };
  } catch {
    return null;
  }
}

export const philoxWasm: PhiloxWasm | null = load();
