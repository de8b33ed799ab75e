/**
 * The embedded WebAssembly modules' common ground: the slice of the WebAssembly JS API the kernels
 * use (the project's lib settings, ES2022 without DOM, do not declare it) and a memoized compile
 * that answers null where the module cannot run (no WebAssembly, or no SIMD), so that each kernel
 * falls back to its JS twin.
 */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

export const WA: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** A getter of the compiled module of `base64` (compiled on the first call), or null where it cannot compile. */
export function embeddedModule(base64: string): () => object | null {
  let compiled: object | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = WA ? new WA.Module(Buffer.from(base64, 'base64')) : null;
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/** Byte offsets in a kernel's memory: 16-byte aligned for v128 loads. */
export const align16 = (x: number): number => (x + 15) & ~15;
