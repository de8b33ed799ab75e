/**
 * Bulk Philox4x32-10 words in WebAssembly (64-bit multiplies give the high words directly): the
 * word source of Rng.fillGaussian, several times faster than the int32 JavaScript kernel. Source:
 * src/core/philox.wat (built with wabt's wat2wasm; the bytes below are that build). Null where
 * WebAssembly is unavailable; callers then use philoxWords from rng.ts (same bits, tested).
 */

import { WA, embeddedModule } from './wasm.js';

/** sha256 of src/core/philox.wat when WASM_BASE64 was built (a test checks they still match). */
export const WAT_SHA256 = '068eaca4484ed7be7c8278ed8da5a717291755be816a7435ede35cd67a05376e';

const WASM_BASE64 = 'AGFzbQEAAAABEwJgB39/f39/f38AYAR/f3x/AX8DAwIAAQUDAQABBxgDA21lbQIABnBoaWxveAAABXpmYXN0AAEKiQgCkgcCCH8CfgJAA0AgByAATw0BIAEgB2ohCSACIAkgAUlqIQogAyELIAQhDCAFIQ0gBiEOIAmtQtO+xJINfiEPIAutQtea+uwMfiEQIBBCIIinIApzIA1zIQkgEKchCiAPQiCIpyAMcyAOcyELIA+nIQwgDUG5893xeWohDSAOQYXdntt7aiEOIAmtQtO+xJINfiEPIAutQtea+uwMfiEQIBBCIIinIApzIA1zIQkgEKchCiAPQiCIpyAMcyAOcyELIA+nIQwgDUG5893xeWohDSAOQYXdntt7aiEOIAmtQtO+xJINfiEPIAutQtea+uwMfiEQIBBCIIinIApzIA1zIQkgEKchCiAPQiCIpyAMcyAOcyELIA+nIQwgDUG5893xeWohDSAOQYXdntt7aiEOIAmtQtO+xJINfiEPIAutQtea+uwMfiEQIBBCIIinIApzIA1zIQkgEKchCiAPQiCIpyAMcyAOcyELIA+nIQwgDUG5893xeWohDSAOQYXdntt7aiEOIAmtQtO+xJINfiEPIAutQtea+uwMfiEQIBBCIIinIApzIA1zIQkgEKchCiAPQiCIpyAMcyAOcyELIA+nIQwgDUG5893xeWohDSAOQYXdntt7aiEOIAmtQtO+xJINfiEPIAutQtea+uwMfiEQIBBCIIinIApzIA1zIQkgEKchCiAPQiCIpyAMcyAOcyELIA+nIQwgDUG5893xeWohDSAOQYXdntt7aiEOIAmtQtO+xJINfiEPIAutQtea+uwMfiEQIBBCIIinIApzIA1zIQkgEKchCiAPQiCIpyAMcyAOcyELIA+nIQwgDUG5893xeWohDSAOQYXdntt7aiEOIAmtQtO+xJINfiEPIAutQtea+uwMfiEQIBBCIIinIApzIA1zIQkgEKchCiAPQiCIpyAMcyAOcyELIA+nIQwgDUG5893xeWohDSAOQYXdntt7aiEOIAmtQtO+xJINfiEPIAutQtea+uwMfiEQIBBCIIinIApzIA1zIQkgEKchCiAPQiCIpyAMcyAOcyELIA+nIQwgDUG5893xeWohDSAOQYXdntt7aiEOIAmtQtO+xJINfiEPIAutQtea+uwMfiEQIBBCIIinIApzIA1zIQkgEKchCiAPQiCIpyAMcyAOcyELIA+nIQwgCCAJNgIAIAggCjYCBCAIIAs2AgggCCAMNgIMIAhBEGohCCAHQQFqIQcMAAsLC3MBBX8CQANAIAQgAU8NASAAIARqQQJ0KAIAIQUgBUH/AXFBA3QhBiAFQQh1IQdBACAHayAHIAdBAEgbIQggCLcgBisDgIABY0UNASADIARqQQN0IAIgB7cgBisDgJABoqA5A4CgASAEQQFqIQQMAAsLIAQL';

export interface PhiloxWasm {
  /** View of the output area: block b's words at [4b, 4b + 4). Valid until memory grows (never). */
  readonly words: Int32Array;
  /** Largest nBlocks per call. */
  readonly maxBlocks: number;
  fill(nBlocks: number, ctr: number, s0: number, s1: number, key0: number, key1: number): void;
  /** Ziggurat tables in wasm memory: zk (fixed) and zw scaled by std (rng.ts writes both). */
  readonly zk: Float64Array;
  readonly zstd: Float64Array;
  /** Fast-path outputs of zfast. */
  readonly out: Float64Array;
  /** Ziggurat fast path over words p .. p+cnt-1 into out[q ..]; returns how many were done. */
  zfast(p: number, cnt: number, mean: number, q: number): number;
}

function load(): PhiloxWasm | null {
  try {
    const mod = embeddedModule(WASM_BASE64)();
    if (!mod || !WA) return null;
    const exports = new WA.Instance(mod, {}).exports as Record<string, unknown>;
    const mem = exports.mem as { buffer: ArrayBuffer };
    const philox = exports.philox as (n: number, c0: number, c1: number, s0: number, s1: number, k0: number, k1: number) => void;
    const zfast = exports.zfast as (p: number, cnt: number, mean: number, q: number) => number;
    const words = new Int32Array(mem.buffer, 0, 4096);
    return {
      words,
      maxBlocks: words.length >> 2,
      zk: new Float64Array(mem.buffer, 16384, 256),
      zstd: new Float64Array(mem.buffer, 18432, 256),
      out: new Float64Array(mem.buffer, 20480, 4096),
      zfast,
      fill(nBlocks, ctr, s0, s1, key0, key1) {
        philox(nBlocks, ctr | 0, Math.floor(ctr / 4294967296) | 0, s0 | 0, s1 | 0, key0 | 0, key1 | 0);
      },
    };
  } catch {
    return null;
  }
}

export const philoxWasm: PhiloxWasm | null = load();
