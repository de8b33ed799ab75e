/**
 * Cyclic redundancy checks, non-reflected (MSB first), in the Rocksoft/"RevEng" parameter model:
 * width, poly (without the x^width term), init, xorOut. This is the form of every CRC in
 * 3GPP TS 38.212 5.1 (init 0, xorOut 0) and of CRC-16/CCITT-FALSE (init 0xFFFF).
 *
 * Two views of the same computation:
 * - bits: a Uint8Array of 0/1, the first bit the highest-order coefficient (38.212's a_0); the
 *   parity bits p_0 .. p_{L-1} follow the message, p_0 the highest order;
 * - bytes: each byte MSB first; the CRC appended big-endian (width a multiple of 8).
 * Kernel: a 256-entry table over a register aligned to bit 31, so any width 1..32 shares it.
 */
import { UsageError } from '../../core/errors.js';

export interface CrcParams {
  readonly name: string;
  /** Number of parity bits, 1..32. */
  readonly width: number;
  /** Generator polynomial without its x^width term, e.g. 0x1021. */
  readonly poly: number;
  readonly init?: number;
  readonly xorOut?: number;
}

export class Crc {
  readonly name: string;
  readonly width: number;
  readonly poly: number;
  readonly init: number;
  readonly xorOut: number;
  private readonly mask: number;
  private readonly shift: number;
  private readonly table = new Uint32Array(256);

  constructor(p: CrcParams) {
    if (!Number.isInteger(p.width) || p.width < 1 || p.width > 32) {
      throw new RangeError(`CRC width ${p.width} is not allowed: use 1..32`);
    }
    this.name = p.name;
    this.width = p.width;
    this.mask = p.width === 32 ? 0xffffffff : (2 ** p.width - 1);
    this.poly = (p.poly & this.mask) >>> 0;
    this.init = ((p.init ?? 0) & this.mask) >>> 0;
    this.xorOut = ((p.xorOut ?? 0) & this.mask) >>> 0;
    this.shift = 32 - p.width;
    const top = (this.poly << this.shift) >>> 0;
    for (let b = 0; b < 256; b++) {
      let r = (b << 24) >>> 0;
      for (let i = 0; i < 8; i++) r = (r & 0x80000000 ? ((r << 1) ^ top) : r << 1) >>> 0;
      this.table[b] = r;
    }
  }

  /** Number of parity bits (the name the block packer uses). */
  get length(): number {
    return this.width;
  }

  // ---- bytes ----

  /** CRC value of whole bytes. */
  computeBytes(bytes: Uint8Array): number {
    return this.finish(this.updateBytes(this.start(), bytes));
  }

  /** bytes followed by the CRC, big-endian in width/8 bytes. */
  attachBytes(bytes: Uint8Array): Uint8Array {
    const nb = this.crcBytes();
    const out = new Uint8Array(bytes.length + nb);
    out.set(bytes);
    const v = this.computeBytes(bytes);
    for (let i = 0; i < nb; i++) out[bytes.length + i] = (v >>> (8 * (nb - 1 - i))) & 0xff;
    return out;
  }

  /** True when the trailing width/8 bytes are the CRC of the bytes before them. */
  checkBytes(bytesWithCrc: Uint8Array): boolean {
    const nb = this.crcBytes();
    if (bytesWithCrc.length < nb) return false;
    const body = bytesWithCrc.length - nb;
    let got = 0;
    for (let i = 0; i < nb; i++) got = ((got << 8) | bytesWithCrc[body + i]) >>> 0;
    return got === this.computeBytes(bytesWithCrc.subarray(0, body));
  }

  // ---- bits ----

  /** CRC value of a bit sequence (0/1 values, first bit highest order). */
  computeBitsValue(bits: Uint8Array): number {
    return this.finish(this.updateBits(this.start(), bits));
  }

  /** The width parity bits of `bits`, p_0 (highest order) first, into out. */
  computeBits(bits: Uint8Array, out?: Uint8Array): Uint8Array {
    const o = out ?? new Uint8Array(this.width);
    if (o.length < this.width) throw new UsageError(`${this.name}: parity buffer of ${o.length} bits is not allowed: need ${this.width}`);
    const v = this.computeBitsValue(bits);
    for (let i = 0; i < this.width; i++) o[i] = (v >>> (this.width - 1 - i)) & 1;
    return o;
  }

  /** bits followed by their parity bits (length + width). */
  attachBits(bits: Uint8Array, out?: Uint8Array): Uint8Array {
    const o = out ?? new Uint8Array(bits.length + this.width);
    if (o.length !== bits.length + this.width) {
      throw new UsageError(`${this.name}: output of ${o.length} bits is not allowed: need ${bits.length} + ${this.width}`);
    }
    o.set(bits);
    this.computeBits(bits, o.subarray(bits.length));
    return o;
  }

  /** True when the last width bits are the parity of the bits before them. */
  checkBits(bitsWithCrc: Uint8Array): boolean {
    const body = bitsWithCrc.length - this.width;
    if (body < 0) return false;
    const v = this.computeBitsValue(bitsWithCrc.subarray(0, body));
    for (let i = 0; i < this.width; i++) {
      if (((v >>> (this.width - 1 - i)) & 1) !== (bitsWithCrc[body + i] & 1)) return false;
    }
    return true;
  }

  // ---- kernel ----

  private crcBytes(): number {
    if (this.width % 8 !== 0) {
      throw new UsageError(`${this.name} has ${this.width} bits: byte-level CRCs need a width that is a multiple of 8`);
    }
    return this.width / 8;
  }

  private start(): number {
    return (this.init << this.shift) >>> 0;
  }

  private finish(reg: number): number {
    return ((reg >>> this.shift) ^ this.xorOut) >>> 0;
  }

  private updateBytes(reg: number, bytes: Uint8Array): number {
    const t = this.table;
    for (let i = 0; i < bytes.length; i++) reg = ((reg << 8) ^ t[(reg >>> 24) ^ bytes[i]]) >>> 0;
    return reg;
  }

  /** Whole groups of 8 bits go through the byte table; the rest one bit at a time. */
  private updateBits(reg: number, bits: Uint8Array): number {
    const t = this.table;
    const n = bits.length;
    const full = n - (n & 7);
    for (let i = 0; i < full; i += 8) {
      const byte = ((bits[i] & 1) << 7) | ((bits[i + 1] & 1) << 6) | ((bits[i + 2] & 1) << 5) | ((bits[i + 3] & 1) << 4)
        | ((bits[i + 4] & 1) << 3) | ((bits[i + 5] & 1) << 2) | ((bits[i + 6] & 1) << 1) | (bits[i + 7] & 1);
      reg = ((reg << 8) ^ t[(reg >>> 24) ^ byte]) >>> 0;
    }
    const top = (this.poly << this.shift) >>> 0;
    for (let i = full; i < n; i++) {
      const r = (reg ^ ((bits[i] & 1) << 31)) >>> 0;
      reg = (r & 0x80000000 ? (r << 1) ^ top : r << 1) >>> 0;
    }
    return reg;
  }
}
