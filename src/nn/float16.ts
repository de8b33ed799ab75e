/**
 * IEEE 754 binary16 encoding of float32 weights, for half-size checkpoint storage (tfjs' weight
 * manifests decode it natively: `quantization: { dtype: 'float16' }`). Round to nearest, ties to
 * even, subnormals kept, as numpy's astype(float16) and the hardware conversions do.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The binary16 bits of one float32 value (round to nearest even; overflow gives +-Inf). */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf, NaN (quiet)
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // beyond 65520 -> Inf
  if (e <= 0) {
    // Subnormal half (or zero): shift the mantissa with its implicit 1 into 10 bits.
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e; // 24-bit significand -> 10-bit, plus the exponent deficit
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && (half & 1)) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa rolls into the exponent, up to Inf: the right result.
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && (half & 1)) ? 1 : 0));
}

/** Encode `src` into `out` (same length). Returns the index of the first value that overflowed to Inf, or -1. */
export function encodeFloat16(src: Float32Array, out: Uint16Array): number {
  if (out.length !== src.length) throw new RangeError(`encodeFloat16: out has ${out.length} values, src ${src.length}`);
  let overflow = -1;
  for (let i = 0; i < src.length; i++) {
    const h = float16Bits(src[i]);
    out[i] = h;
    if (overflow < 0 && (h & 0x7c00) === 0x7c00 && Number.isFinite(src[i])) overflow = i;
  }
  return overflow;
}

/** True when binary16 bits encode a finite value. */
export function float16IsFinite(bits: number): boolean {
  return (bits & 0x7c00) !== 0x7c00;
}

/** The value of binary16 bits (for tests and messages; tfjs decodes the weights themselves). */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
