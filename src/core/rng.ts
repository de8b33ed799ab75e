/**
 * Seeded, splittable random numbers: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy
 * as 1, 2, 3", SC'11), checked against the Random123 known-answer vectors in test/core/rng.test.ts.
 *
 * Philox is counter-based: the output for (key, counter) needs no state, so a stream for any work
 * item (scheme, SNR point, repetition) is derived from the seed and the item's ids alone. Results
 * therefore never depend on worker count or on the order in which items run.
 */

import { philoxWasm } from './philox-wasm.js';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO32 = 4294967296;
const INV32 = 1 / TWO32;

/** High 32 bits of a * b for a, b in [0, 2^32), exact in doubles (no BigInt on the hot path). */
function mulhi(a: number, b: number): number {
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const t = a * bLo; // < 2^48, exact
  const u = a * bHi; // < 2^48, exact
  const uHi = Math.floor(u / 65536);
  const uLo = u - uHi * 65536;
  return (uHi + Math.floor((uLo * 65536 + t) / TWO32)) >>> 0;
}

/**
 * One Philox4x32-10 block: counter (c0..c3) and key (k0, k1) -> four 32-bit words written to out.
 * Exported for the known-answer test.
 */
export function philox4x32(
  c0: number, c1: number, c2: number, c3: number, k0: number, k1: number,
  out: Uint32Array, offset = 0,
): void {
  let x0 = c0 >>> 0, x1 = c1 >>> 0, x2 = c2 >>> 0, x3 = c3 >>> 0;
  let key0 = k0 >>> 0, key1 = k1 >>> 0;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ key0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ key1) >>> 0;
    x3 = lo0;
    key0 = (key0 + W0) >>> 0;
    key1 = (key1 + W1) >>> 0;
  }
  out[offset] = x0;
  out[offset + 1] = x1;
  out[offset + 2] = x2;
  out[offset + 3] = x3;
}

const M0L = M0 & 0xffff;
const M0H = M0 >>> 16;
const M1L = M1 & 0xffff;
const M1H = M1 >>> 16;

/**
 * Philox4x32-10 blocks for counters ctr .. ctr+nBlocks-1 written as int32 words (same bits as
 * philox4x32). The bulk kernel behind fillGaussian: int32-only arithmetic (the 32x32 high word
 * from 16-bit partial products with Math.imul) and unrolled rounds, about 3x faster than the
 * reference form above. Exported for the test that checks it against philox4x32.
 */
export function philoxWords(
  out: Int32Array, nBlocks: number, ctr: number, s0: number, s1: number, key0: number, key1: number,
): void {
  let aL: number, aH: number, p1: number, p2: number, mid: number, hi0: number, lo0: number, hi1: number;
  for (let b = 0, o = 0; b < nBlocks; b++, o += 4) {
    const c = ctr + b;
    let x0 = c | 0, x1 = Math.floor(c / TWO32) | 0, x2 = s0 | 0, x3 = s1 | 0;
    let k0 = key0 | 0, k1 = key1 | 0;
    aL = x0 & 0xffff; aH = x0 >>> 16;
    p1 = Math.imul(aH, M0L); p2 = Math.imul(aL, M0H);
    mid = (Math.imul(aL, M0L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi0 = (Math.imul(aH, M0H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    lo0 = Math.imul(M0, x0);
    aL = x2 & 0xffff; aH = x2 >>> 16;
    p1 = Math.imul(aH, M1L); p2 = Math.imul(aL, M1H);
    mid = (Math.imul(aL, M1L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi1 = (Math.imul(aH, M1H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    x0 = hi1 ^ x1 ^ k0; x1 = Math.imul(M1, x2); x2 = hi0 ^ x3 ^ k1; x3 = lo0;
    k0 = (k0 + W0) | 0; k1 = (k1 + W1) | 0;
    aL = x0 & 0xffff; aH = x0 >>> 16;
    p1 = Math.imul(aH, M0L); p2 = Math.imul(aL, M0H);
    mid = (Math.imul(aL, M0L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi0 = (Math.imul(aH, M0H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    lo0 = Math.imul(M0, x0);
    aL = x2 & 0xffff; aH = x2 >>> 16;
    p1 = Math.imul(aH, M1L); p2 = Math.imul(aL, M1H);
    mid = (Math.imul(aL, M1L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi1 = (Math.imul(aH, M1H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    x0 = hi1 ^ x1 ^ k0; x1 = Math.imul(M1, x2); x2 = hi0 ^ x3 ^ k1; x3 = lo0;
    k0 = (k0 + W0) | 0; k1 = (k1 + W1) | 0;
    aL = x0 & 0xffff; aH = x0 >>> 16;
    p1 = Math.imul(aH, M0L); p2 = Math.imul(aL, M0H);
    mid = (Math.imul(aL, M0L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi0 = (Math.imul(aH, M0H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    lo0 = Math.imul(M0, x0);
    aL = x2 & 0xffff; aH = x2 >>> 16;
    p1 = Math.imul(aH, M1L); p2 = Math.imul(aL, M1H);
    mid = (Math.imul(aL, M1L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi1 = (Math.imul(aH, M1H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    x0 = hi1 ^ x1 ^ k0; x1 = Math.imul(M1, x2); x2 = hi0 ^ x3 ^ k1; x3 = lo0;
    k0 = (k0 + W0) | 0; k1 = (k1 + W1) | 0;
    aL = x0 & 0xffff; aH = x0 >>> 16;
    p1 = Math.imul(aH, M0L); p2 = Math.imul(aL, M0H);
    mid = (Math.imul(aL, M0L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi0 = (Math.imul(aH, M0H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    lo0 = Math.imul(M0, x0);
    aL = x2 & 0xffff; aH = x2 >>> 16;
    p1 = Math.imul(aH, M1L); p2 = Math.imul(aL, M1H);
    mid = (Math.imul(aL, M1L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi1 = (Math.imul(aH, M1H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    x0 = hi1 ^ x1 ^ k0; x1 = Math.imul(M1, x2); x2 = hi0 ^ x3 ^ k1; x3 = lo0;
    k0 = (k0 + W0) | 0; k1 = (k1 + W1) | 0;
    aL = x0 & 0xffff; aH = x0 >>> 16;
    p1 = Math.imul(aH, M0L); p2 = Math.imul(aL, M0H);
    mid = (Math.imul(aL, M0L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi0 = (Math.imul(aH, M0H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    lo0 = Math.imul(M0, x0);
    aL = x2 & 0xffff; aH = x2 >>> 16;
    p1 = Math.imul(aH, M1L); p2 = Math.imul(aL, M1H);
    mid = (Math.imul(aL, M1L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi1 = (Math.imul(aH, M1H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    x0 = hi1 ^ x1 ^ k0; x1 = Math.imul(M1, x2); x2 = hi0 ^ x3 ^ k1; x3 = lo0;
    k0 = (k0 + W0) | 0; k1 = (k1 + W1) | 0;
    aL = x0 & 0xffff; aH = x0 >>> 16;
    p1 = Math.imul(aH, M0L); p2 = Math.imul(aL, M0H);
    mid = (Math.imul(aL, M0L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi0 = (Math.imul(aH, M0H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    lo0 = Math.imul(M0, x0);
    aL = x2 & 0xffff; aH = x2 >>> 16;
    p1 = Math.imul(aH, M1L); p2 = Math.imul(aL, M1H);
    mid = (Math.imul(aL, M1L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi1 = (Math.imul(aH, M1H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    x0 = hi1 ^ x1 ^ k0; x1 = Math.imul(M1, x2); x2 = hi0 ^ x3 ^ k1; x3 = lo0;
    k0 = (k0 + W0) | 0; k1 = (k1 + W1) | 0;
    aL = x0 & 0xffff; aH = x0 >>> 16;
    p1 = Math.imul(aH, M0L); p2 = Math.imul(aL, M0H);
    mid = (Math.imul(aL, M0L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi0 = (Math.imul(aH, M0H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    lo0 = Math.imul(M0, x0);
    aL = x2 & 0xffff; aH = x2 >>> 16;
    p1 = Math.imul(aH, M1L); p2 = Math.imul(aL, M1H);
    mid = (Math.imul(aL, M1L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi1 = (Math.imul(aH, M1H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    x0 = hi1 ^ x1 ^ k0; x1 = Math.imul(M1, x2); x2 = hi0 ^ x3 ^ k1; x3 = lo0;
    k0 = (k0 + W0) | 0; k1 = (k1 + W1) | 0;
    aL = x0 & 0xffff; aH = x0 >>> 16;
    p1 = Math.imul(aH, M0L); p2 = Math.imul(aL, M0H);
    mid = (Math.imul(aL, M0L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi0 = (Math.imul(aH, M0H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    lo0 = Math.imul(M0, x0);
    aL = x2 & 0xffff; aH = x2 >>> 16;
    p1 = Math.imul(aH, M1L); p2 = Math.imul(aL, M1H);
    mid = (Math.imul(aL, M1L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi1 = (Math.imul(aH, M1H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    x0 = hi1 ^ x1 ^ k0; x1 = Math.imul(M1, x2); x2 = hi0 ^ x3 ^ k1; x3 = lo0;
    k0 = (k0 + W0) | 0; k1 = (k1 + W1) | 0;
    aL = x0 & 0xffff; aH = x0 >>> 16;
    p1 = Math.imul(aH, M0L); p2 = Math.imul(aL, M0H);
    mid = (Math.imul(aL, M0L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi0 = (Math.imul(aH, M0H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    lo0 = Math.imul(M0, x0);
    aL = x2 & 0xffff; aH = x2 >>> 16;
    p1 = Math.imul(aH, M1L); p2 = Math.imul(aL, M1H);
    mid = (Math.imul(aL, M1L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi1 = (Math.imul(aH, M1H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    x0 = hi1 ^ x1 ^ k0; x1 = Math.imul(M1, x2); x2 = hi0 ^ x3 ^ k1; x3 = lo0;
    k0 = (k0 + W0) | 0; k1 = (k1 + W1) | 0;
    aL = x0 & 0xffff; aH = x0 >>> 16;
    p1 = Math.imul(aH, M0L); p2 = Math.imul(aL, M0H);
    mid = (Math.imul(aL, M0L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi0 = (Math.imul(aH, M0H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    lo0 = Math.imul(M0, x0);
    aL = x2 & 0xffff; aH = x2 >>> 16;
    p1 = Math.imul(aH, M1L); p2 = Math.imul(aL, M1H);
    mid = (Math.imul(aL, M1L) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
    hi1 = (Math.imul(aH, M1H) + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) | 0;
    x0 = hi1 ^ x1 ^ k0; x1 = Math.imul(M1, x2); x2 = hi0 ^ x3 ^ k1; x3 = lo0;
    out[o] = x0; out[o + 1] = x1; out[o + 2] = x2; out[o + 3] = x3;
  }
}

/*
 * Ziggurat tables (Marsaglia & Tsang, "The ziggurat method for generating random variables",
 * J. Stat. Softw. 5(8), 2000) with 256 layers. Following Doornik (2005), the layer index (low 8
 * bits) and the abscissa (high 24 bits, signed) come from disjoint bits of one 32-bit word.
 */
const ZN = 256;
const ZR = 3.6541528853610088; // start of the tail
const ZV = 4.92867323399e-3; // area of each layer
const ZM = 8388608; // 2^23: scale of the signed 24-bit abscissa
const zk = new Float64Array(ZN);
const zw = new Float64Array(ZN);
const zf = new Float64Array(ZN);
{
  let dn = ZR;
  let tn = dn;
  const q = ZV / Math.exp(-0.5 * dn * dn);
  zk[0] = (dn / q) * ZM;
  zk[1] = 0;
  zw[0] = q / ZM;
  zw[ZN - 1] = dn / ZM;
  zf[0] = 1;
  zf[ZN - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = ZN - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(ZV / dn + Math.exp(-0.5 * dn * dn)));
    zk[i + 1] = (dn / tn) * ZM;
    tn = dn;
    zf[i] = Math.exp(-0.5 * dn * dn);
    zw[i] = dn / ZM;
  }
}
const ZBATCH = 1024; // Philox blocks per bulk refill
// Words come from the WebAssembly kernel when available (same bits as philoxWords).
const zwasm = philoxWasm && philoxWasm.maxBlocks >= ZBATCH ? philoxWasm : null;
const zwords = zwasm ? zwasm.words : new Int32Array(4 * ZBATCH);
const zstd = zwasm ? zwasm.zstd : new Float64Array(ZN); // zw scaled by the last std used
if (zwasm) zwasm.zk.set(zk);
let zstdFor = NaN;
let zp = 0; // read position in zwords (module-level: fills never nest)
let zavail = 0;

export type RealArray = Float32Array | Float64Array;

/**
 * A stream of random numbers. `new Rng(seed)` is the root stream; `rng.split(a, b, ...)` gives an
 * independent child stream for a work item, identical whatever else has been drawn before.
 */
export class Rng {
  readonly seed: number;
  /** The ids that led from the root to this stream (for result headers). */
  readonly path: readonly number[];
  private readonly k0: number;
  private readonly k1: number;
  private readonly s0: number;
  private readonly s1: number;
  private ctr = 0; // block counter (low 53 bits used: c0 + 2^32 c1)
  private readonly buf = new Uint32Array(4);
  private pos = 4;
  private spare = NaN; // second Box-Muller output

  constructor(seed: number, path: readonly number[] = []) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed ${seed} is not allowed: use an integer in 0..${Number.MAX_SAFE_INTEGER}`);
    }
    this.seed = seed;
    this.path = [...path];
    let k0 = seed >>> 0;
    let k1 = Math.floor(seed / TWO32) >>> 0;
    let s0 = 0;
    let s1 = 0;
    // Each id moves key and stream words through one Philox block: a keyed bijective mix.
    const tmp = new Uint32Array(4);
    for (let depth = 0; depth < path.length; depth++) {
      const id = path[depth];
      if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`stream id ${id} is not a non-negative integer`);
      philox4x32(id >>> 0, Math.floor(id / TWO32) >>> 0, s0 ^ 0x5bd1e995, (s1 ^ (depth + 1)) >>> 0, k0, k1, tmp);
      k0 = tmp[0]; k1 = tmp[1]; s0 = tmp[2]; s1 = tmp[3];
    }
    this.k0 = k0; this.k1 = k1; this.s0 = s0; this.s1 = s1;
  }

  /** An independent stream for a work item; the same ids always give the same stream. */
  split(...ids: number[]): Rng {
    return new Rng(this.seed, [...this.path, ...ids]);
  }

  private refill(): void {
    const c = this.ctr++;
    philox4x32(c >>> 0, Math.floor(c / TWO32) >>> 0, this.s0, this.s1, this.k0, this.k1, this.buf);
    this.pos = 0;
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    if (this.pos === 4) this.refill();
    return this.buf[this.pos++];
  }

  /** Uniform in (0, 1), never 0 or 1 (safe under log). 32 bits of resolution. */
  uniform(): number {
    return (this.uint32() + 0.5) * INV32;
  }

  /** Uniform in [0, 1) with 53 bits of resolution. */
  uniform53(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A uniform integer in [0, n) without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO32) throw new RangeError(`int(n): n=${n} must be an integer in 1..2^32`);
    const limit = TWO32 - (TWO32 % n);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % n;
    }
  }

  /** A standard normal draw (Box-Muller; pairs are cached). */
  gaussian(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const t = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }

  /** Fill `out` with uniforms in (0, 1). */
  fillUniform(out: RealArray): RealArray {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform();
    return out;
  }

  /**
   * Fill `out` with N(mean, std^2) draws. Kernel: 256-layer ziggurat on Philox4x32-10 words made
   * in bulk (about one 32-bit word per draw, vs. one word plus log/sqrt/cos/sin per draw for
   * Box-Muller). Consumes whole Philox blocks: words left in the last block are discarded.
   */
  fillGaussian(out: RealArray, std = 1, mean = 0): RealArray {
    const n = out.length;
    let i = 0;
    if (!Number.isNaN(this.spare) && n > 0) {
      out[i++] = mean + std * this.spare;
      this.spare = NaN;
    }
    if (i === n) return out;
    this.pos = 4; // start on a fresh block
    const words = zwords, k = zk, wt = zstd;
    if (zstdFor !== std) {
      for (let j = 0; j < ZN; j++) zstd[j] = std * zw[j];
      zstdFor = std;
    }
    zp = 0;
    zavail = 0;
    if (zwasm) {
      // Same arithmetic as the loop below, the fast path run in WebAssembly into its output
      // area (q values pending), which is copied to `out` when full and at the end.
      const res = zwasm.out;
      const cap = res.length;
      let q = 0;
      let i0 = i;
      while (i < n) {
        if (zp === zavail) this.zigRefill((n - i) * 1.02 + 8);
        if (q === cap) {
          out.set(res, i0);
          i0 = i;
          q = 0;
        }
        const cnt = Math.min(zavail - zp, n - i, cap - q);
        const done = zwasm.zfast(zp, cnt, mean, q);
        i += done;
        zp += done;
        q += done;
        if (done < cnt) {
          const w = words[zp++];
          res[q++] = mean + std * this.zigSlow(w >> 8, w & 255); // may refill zwords
          i++;
        }
      }
      out.set(q === cap ? res : res.subarray(0, q), i0);
      return out;
    }
    while (i < n) {
      if (zp === zavail) this.zigRefill((n - i) * 1.02 + 8);
      // Fast path over the words at hand; the rare slow path re-syncs zp.
      let p = zp;
      const end = Math.min(zavail, p + (n - i));
      for (; p < end; p++, i++) {
        const w = words[p];
        const iz = w & 255;
        const u = w >> 8;
        if ((u < 0 ? -u : u) < k[iz]) {
          out[i] = mean + u * wt[iz];
        } else {
          zp = p + 1;
          out[i++] = mean + std * this.zigSlow(u, iz); // may refill zwords
          p = -1;
          break;
        }
      }
      if (p >= 0) zp = p;
    }
    return out;
  }

  /** Bulk Philox words for the ziggurat: enough blocks for `want` words (at most ZBATCH). */
  private zigRefill(want: number): void {
    const blocks = Math.min(ZBATCH, Math.max(1, Math.ceil(want / 4)));
    if (zwasm) zwasm.fill(blocks, this.ctr, this.s0, this.s1, this.k0, this.k1);
    else philoxWords(zwords, blocks, this.ctr, this.s0, this.s1, this.k0, this.k1);
    this.ctr += blocks;
    zavail = 4 * blocks;
    zp = 0;
  }

  private zigWord(): number {
    if (zp === zavail) this.zigRefill(64);
    return zwords[zp++];
  }

  /** Ziggurat rejection path: edge of a layer, or the tail beyond ZR (Marsaglia's tail method). */
  private zigSlow(u: number, iz: number): number {
    for (;;) {
      const x = u * zw[iz];
      if (iz === 0) {
        let tx: number, ty: number;
        do {
          tx = -Math.log(((this.zigWord() >>> 0) + 0.5) * INV32) / ZR;
          ty = -Math.log(((this.zigWord() >>> 0) + 0.5) * INV32);
        } while (ty + ty < tx * tx);
        return u > 0 ? ZR + tx : -ZR - tx;
      }
      if (zf[iz] + ((this.zigWord() >>> 0) + 0.5) * INV32 * (zf[iz - 1] - zf[iz]) < Math.exp(-0.5 * x * x)) return x;
      const w = this.zigWord();
      iz = w & 255;
      u = w >> 8;
      if ((u < 0 ? -u : u) < zk[iz]) return u * zw[iz];
    }
  }

  /** Fill `out` with independent fair bits (0 or 1). */
  fillBits(out: Uint8Array): Uint8Array {
    const n = out.length;
    let i = 0;
    while (i < n) {
      let w = this.uint32();
      const m = Math.min(32, n - i);
      for (let j = 0; j < m; j++) {
        out[i++] = w & 1;
        w >>>= 1;
      }
    }
    return out;
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }
}

