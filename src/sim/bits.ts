/**
 * Fast fair source bits for the BER engine: the same bits as Rng.fillBits (one uint32 per 32
 * bits, least significant bit first) written four at a time through a 32-bit view with a 16-entry
 * table, instead of one byte store per bit. Falls back to Rng.fillBits on big-endian machines or
 * unaligned buffers. test/sim/bits.test.ts checks equality with Rng.fillBits.
 */
import os from 'node:os';
import type { Rng } from '../core/rng.js';

const LE = os.endianness() === 'LE';
/** NIB[v]: the 4 bits of v as 4 bytes 0/1, little-endian (byte b = bit b). */
const NIB = new Uint32Array(16);
for (let v = 0; v < 16; v++) NIB[v] = (v & 1) | (((v >> 1) & 1) << 8) | (((v >> 2) & 1) << 16) | (((v >> 3) & 1) << 24);

export function fillBitsFast(rng: Rng, out: Uint8Array): Uint8Array {
  const n = out.length;
  if (!LE || out.byteOffset % 4 !== 0) return rng.fillBits(out);
  const full = n >>> 5; // whole 32-bit words
  const out32 = new Uint32Array(out.buffer, out.byteOffset, full * 8);
  for (let w = 0, o = 0; w < full; w++, o += 8) {
    let x = rng.uint32();
    out32[o] = NIB[x & 15]; x >>>= 4;
    out32[o + 1] = NIB[x & 15]; x >>>= 4;
    out32[o + 2] = NIB[x & 15]; x >>>= 4;
    out32[o + 3] = NIB[x & 15]; x >>>= 4;
    out32[o + 4] = NIB[x & 15]; x >>>= 4;
    out32[o + 5] = NIB[x & 15]; x >>>= 4;
    out32[o + 6] = NIB[x & 15]; x >>>= 4;
    out32[o + 7] = NIB[x & 15];
  }
  let i = full * 32;
  if (i < n) {
    let x = rng.uint32();
    for (; i < n; i++) {
      out[i] = x & 1;
      x >>>= 1;
    }
  }
  return out;
}
