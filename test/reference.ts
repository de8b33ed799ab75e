/**
 * The peer-project reference data the cross-checks read, shipped in fixtures/reference/ (sources,
 * licences and commits in its README). Always present in a clone, so those tests never skip.
 */
import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import path from 'node:path';
import { packageRoot } from '../src/core/version.js';
import { readNpy, type NpyArray } from '../src/io/npy.js';

/** Path of a file or folder under fixtures/reference/. */
export function referencePath(...parts: string[]): string {
  return path.join(packageRoot(), 'fixtures', 'reference', ...parts);
}

/** A reference .npy; `name.npy.br` files are stored Brotli-compressed (byte-identical after decompression). */
export function readReferenceNpy(...parts: string[]): NpyArray {
  const p = referencePath(...parts);
  if (!p.endsWith('.br')) return readNpy(p);
  return readNpy(new Uint8Array(brotliDecompressSync(readFileSync(p))));
}
