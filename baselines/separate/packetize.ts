/**
 * Bytes <-> CRC-protected code blocks. The payload byte stream is read as bits (MSB first), cut
 * into chunks of p = k - crcBits bits, each chunk followed by its CRC to fill one k-bit code block;
 * the last chunk is padded with zero bits (counted as `padBits`). Bit-level packing, so k - crcBits
 * need not be a multiple of 8 (e.g. 802.11n N=648 R=1/2: k = 324, 308 payload bits + CRC-16).
 */

/** A bit-level CRC: parity bits of a bit sequence (0/1 bytes). */
export interface BitCrc {
  readonly name: string;
  /** CRC length in bits. */
  readonly length: number;
  /** The `length` parity bits of bits[0..bits.length), written to out. */
  computeBits(bits: Uint8Array, out?: Uint8Array): Uint8Array;
}

export interface BlockLayout {
  /** Information bits per code block (payload + CRC). */
  readonly k: number;
  readonly crcBits: number;
  /** Payload bits per block: k - crcBits. */
  readonly payloadBitsPerBlock: number;
  readonly payloadBytes: number;
  readonly blocks: number;
  /** Zero bits appended to the last chunk. */
  readonly padBits: number;
}

export function blockLayout(payloadBytes: number, k: number, crcBits: number): BlockLayout {
  const p = k - crcBits;
  if (!(p > 0)) throw new RangeError(`block of k=${k} bits cannot carry a ${crcBits}-bit CRC and a payload`);
  const bits = payloadBytes * 8;
  const blocks = Math.max(1, Math.ceil(bits / p));
  return { k, crcBits, payloadBitsPerBlock: p, payloadBytes, blocks, padBits: blocks * p - bits };
}

/** The blocks' information bits, blocks * k of them (0/1 bytes). */
export function packBlocks(bytes: Uint8Array, L: BlockLayout, crc: BitCrc | null, out = new Uint8Array(L.blocks * L.k)): Uint8Array {
  if (bytes.length !== L.payloadBytes) throw new RangeError(`payload has ${bytes.length} bytes, layout expects ${L.payloadBytes}`);
  const p = L.payloadBitsPerBlock;
  const total = bytes.length * 8;
  const parity = new Uint8Array(L.crcBits);
  for (let b = 0, bit = 0; b < L.blocks; b++) {
    const base = b * L.k;
    for (let j = 0; j < p; j++, bit++) {
      out[base + j] = bit < total ? (bytes[bit >> 3] >> (7 - (bit & 7))) & 1 : 0;
    }
    if (crc) {
      crc.computeBits(out.subarray(base, base + p), parity);
      out.set(parity, base + p);
    }
  }
  return out;
}

export interface Unpacked {
  bytes: Uint8Array;
  /** Per block: 1 when its CRC matched (always 1 without a CRC). */
  blockOk: Uint8Array;
  failedBlocks: number;
}

/** Check each block's CRC and reassemble the payload bytes (bits of failed blocks included as received; info holds 0/1 values). */
export function unpackBlocks(info: Uint8Array, L: BlockLayout, crc: BitCrc | null): Unpacked {
  if (info.length !== L.blocks * L.k) throw new RangeError(`got ${info.length} information bits, layout expects ${L.blocks * L.k}`);
  const p = L.payloadBitsPerBlock;
  const bytes = new Uint8Array(L.payloadBytes);
  const total = L.payloadBytes * 8;
  const blockOk = new Uint8Array(L.blocks);
  const parity = new Uint8Array(L.crcBits);
  let failedBlocks = 0;
  for (let b = 0, bit = 0; b < L.blocks; b++) {
    const base = b * L.k;
    let ok = 1;
    if (crc) {
      crc.computeBits(info.subarray(base, base + p), parity);
      for (let j = 0; j < L.crcBits; j++) if (parity[j] !== info[base + p + j]) { ok = 0; break; }
    }
    blockOk[b] = ok;
    if (!ok) failedBlocks++;
    // Branch-free: after channel errors the bits are random and a branch per bit mispredicts.
    for (let j = 0; j < p && bit < total; j++, bit++) bytes[bit >> 3] |= (info[base + j] & 1) << (7 - (bit & 7));
  }
  return { bytes, blockOk, failedBlocks };
}
