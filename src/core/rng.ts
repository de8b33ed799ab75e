/**
 * Seeded, splittable random numbers: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy
 * as 1, 2, 3", SC'11), checked against the Random123 known-answer vectors in test/core/rng.test.ts.
 *
 * Philox is counter-based: the output for (key, counter) needs no state, so a stream for any work
 * item (scheme, SNR point, repetition) is derived from the seed and the item's ids alone. Results
 * therefore never depend on worker count or on the order in which items run.
 */

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

  /** Fill `out` with N(mean, std^2) draws. Kernel: Box-Muller on Philox blocks, two draws per pair. */
  fillGaussian(out: RealArray, std = 1, mean = 0): RealArray {
    const n = out.length;
    let i = 0;
    if (!Number.isNaN(this.spare) && n > 0) {
      out[i++] = mean + std * this.spare;
      this.spare = NaN;
    }
    const buf = this.buf;
    const twoPi = 2 * Math.PI;
    for (; i + 1 < n; i += 2) {
      if (this.pos > 2) this.refill();
      const u1 = (buf[this.pos] + 0.5) * INV32;
      const u2 = (buf[this.pos + 1] + 0.5) * INV32;
      this.pos += 2;
      const r = std * Math.sqrt(-2 * Math.log(u1));
      const t = twoPi * u2;
      out[i] = mean + r * Math.cos(t);
      out[i + 1] = mean + r * Math.sin(t);
    }
    if (i < n) out[i] = mean + std * this.gaussian();
    return out;
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
