/**
 * Layered (row-serial, "horizontal layered") belief-propagation decoders for any ParityCheck:
 * normalized min-sum (default), offset min-sum, and sum-product (the accuracy reference).
 *
 * Schedule: checks are processed in row order, each one reading the current posterior LLRs and
 * writing them back at once. For a matrix lifted from a QC base (ParityCheck.fromQc) the rows of a
 * base row touch disjoint variables, so this is exactly the layered schedule with one layer per base
 * row (as in AFF3CT's BP_HORIZONTAL_LAYERED). An iteration is one pass over all m checks.
 *
 * LLR convention: positive means bit 0. Inputs may be +/-Infinity: channel LLRs and check
 * messages are saturated at +/-LLR_CLAMP, while the posterior stays exactly channel + sum of
 * messages (never clamped: clamping it would break the extrinsic t = posterior - message and flip
 * decisions). So every value is finite, |posterior| <= (1 + column weight) LLR_CLAMP, and no
 * Inf - Inf can appear; min-sum being scale invariant, the saturation changes no decision.
 *
 * Kernels: min-sum runs in WebAssembly SIMD for QC matrices (kernel/minsum.wat: the Z rows of a
 * layer four at a time) and in a branch-free JS kernel otherwise; both use float32 storage and
 * arithmetic in the same order and give bit-identical posteriors (test/fec/ldpc/kernel.test.ts).
 * SPA runs in JS with the check update in double precision.
 * `kernel: 'int16'` selects the inter-frame 16-bit fixed-point WebAssembly kernel
 * (kernel/minsum16.wat, 8 frames per vector) for `decodeMany`, the batch entry point; its error
 * rate is that of the float kernel within 0.1 dB (test/fec/ldpc/kernel16.test.ts) but its numbers
 * are not the float kernel's, so it is opt-in and the float kernels stay the default.
 * `kernel: 'int8'` selects its 8-bit twin (kernel/minsum8.wat, 16 frames per vector, the same
 * schedule and rules; error rate within 0.1 dB of the float kernel's too,
 * test/fec/ldpc/kernel8.test.ts), opt-in likewise.
 */
import type { ParityCheck } from './parity-check.js';
import { UsageError } from '../../core/errors.js';
import { WasmMinSumKernel, wasmMinSumAvailable } from './kernel/minsum-kernel.js';
import { WasmMinSum16Kernel, wasmMinSum16Available, LANES16, LLR16_SCALE } from './kernel/minsum16-kernel.js';
import { WasmMinSum8Kernel, wasmMinSum8Available, LANES8 } from './kernel/minsum8-kernel.js';

export type LdpcAlgorithm = 'nms' | 'oms' | 'spa';

export const LDPC_ALGORITHMS: readonly LdpcAlgorithm[] = ['nms', 'oms', 'spa'];

export interface LdpcDecoderOptions {
  /** 'nms' normalized min-sum (default), 'oms' offset min-sum, 'spa' sum-product (log domain). */
  algorithm?: LdpcAlgorithm;
  /** Maximum iterations (full passes over H). Default 10 (as AFF3CT's reference curves). */
  maxIterations?: number;
  /** Stop as soon as the hard decisions satisfy every check. Default true. */
  earlyStop?: boolean;
  /** NMS: check messages are scaled by this factor in (0, 1]. Default 0.75; 1 = plain min-sum. */
  normalization?: number;
  /** OMS: check-message magnitudes are reduced by this offset (>= 0), floored at 0. Default 0.5. */
  offset?: number;
  /**
   * Min-sum kernel: 'wasm' (WebAssembly SIMD, QC matrices only), 'js', or 'auto' (default: wasm
   * where possible). Both compute the same numbers; SPA always runs in JS (double precision).
   * 'int16': the inter-frame int16 WebAssembly SIMD kernel (any matrix, nms/oms), 8 frames at
   * once in decodeMany (decode runs it on one frame). 'int8': the same in 8 bits, 16 frames at once.
   */
  kernel?: 'auto' | 'js' | 'wasm' | 'int16' | 'int8';
}

export interface LdpcBatchOutput {
  /** Hard decisions, frame-major: frame f is bits[f n .. (f + 1) n). */
  bits: Uint8Array;
  /** Per frame: 1 when its syndrome is zero. */
  ok: Uint8Array;
  iterations: Int32Array;
}

export interface LdpcDecodeOutput {
  /** Hard decisions of all n code bits. */
  bits: Uint8Array;
  /** True when H bits = 0. */
  ok: boolean;
  /** Iterations run (1..maxIterations). */
  iterations: number;
}

/** Channel LLRs and check messages saturate at +/- this bound (Float32 keeps ~0.06 resolution there). */
export const LLR_CLAMP = 1e6;

/** Bit pattern of LLR_CLAMP as a float32 (the min-sum kernel works on float bits). */
const CLAMP_BITS = new Int32Array(Float32Array.of(LLR_CLAMP).buffer)[0];

/** Smallest magnitude the SPA kernel feeds phi() so phi stays finite (phi(1e-30) ~ 69.8). */
const SPA_MIN_MAG = 1e-30;

/** phi(x) = -ln tanh(x/2) = ln(1 + 2 / (e^x - 1)), its own inverse on (0, inf); computed in double. */
function phi(x: number): number {
  return Math.log1p(2 / Math.expm1(x));
}

export class LdpcDecoder {
  readonly h: ParityCheck;
  readonly n: number;
  readonly m: number;
  readonly algorithm: LdpcAlgorithm;
  readonly maxIterations: number;
  readonly earlyStop: boolean;
  readonly normalization: number;
  readonly offset: number;
  /** The kernel in use: 'wasm', 'js', 'int16' or 'int8'. */
  readonly kernel: 'wasm' | 'js' | 'int16' | 'int8';

  // Buffers reused across calls (one decoder per thread).
  private readonly post: Float32Array; // posterior LLR per variable
  private readonly msg: Float32Array; // check-to-variable message per edge (CSR order)
  private readonly msgBits: Int32Array; // the same memory as bits
  private readonly cvF = new Float32Array(2); // float <-> bits conversion
  private readonly cvI = new Int32Array(this.cvF.buffer);
  private readonly tmp: Float64Array; // SPA: variable-to-check messages of one row
  private readonly aux: Float64Array; // SPA: phi of |tmp|
  private readonly tf: Float32Array; // min-sum: variable-to-check messages of one row
  private readonly ti: Int32Array; // the same bits, for the sign
  private readonly hard: Uint8Array;
  private readonly wasm: WasmMinSumKernel | null;
  private readonly k16: WasmMinSum16Kernel | null;
  private readonly k8: WasmMinSum8Kernel | null;

  constructor(h: ParityCheck, options: LdpcDecoderOptions = {}) {
    const algorithm = options.algorithm ?? 'nms';
    if (!LDPC_ALGORITHMS.includes(algorithm)) {
      throw new UsageError(`LDPC algorithm ${JSON.stringify(algorithm)} is not allowed: use ${LDPC_ALGORITHMS.join(', ')}`);
    }
    const maxIterations = options.maxIterations ?? 10;
    if (!Number.isInteger(maxIterations) || maxIterations < 1) {
      throw new UsageError(`LDPC maxIterations ${maxIterations} is not allowed: use an integer >= 1`);
    }
    const normalization = options.normalization ?? 0.75;
    if (!(normalization > 0 && normalization <= 1)) {
      throw new UsageError(`LDPC normalization ${normalization} is not allowed: use a factor in (0, 1]`);
    }
    const offset = options.offset ?? 0.5;
    if (!(offset >= 0 && Number.isFinite(offset))) {
      throw new UsageError(`LDPC offset ${offset} is not allowed: use a finite value >= 0`);
    }
    this.h = h;
    this.n = h.n;
    this.m = h.m;
    this.algorithm = algorithm;
    this.maxIterations = maxIterations;
    this.earlyStop = options.earlyStop ?? true;
    this.normalization = normalization;
    this.offset = offset;
    let maxDeg = 0;
    for (let r = 0; r < h.m; r++) maxDeg = Math.max(maxDeg, h.rowPtr[r + 1] - h.rowPtr[r]);
    this.post = new Float32Array(h.n);
    this.msg = new Float32Array(h.edges);
    this.msgBits = new Int32Array(this.msg.buffer);
    this.tmp = new Float64Array(maxDeg);
    this.aux = new Float64Array(maxDeg);
    this.tf = new Float32Array(maxDeg);
    this.ti = new Int32Array(this.tf.buffer);
    this.hard = new Uint8Array(h.n);
    const kernel = options.kernel ?? 'auto';
    if (kernel !== 'auto' && kernel !== 'js' && kernel !== 'wasm' && kernel !== 'int16' && kernel !== 'int8') {
      throw new UsageError(`LDPC kernel ${JSON.stringify(kernel)} is not allowed: use auto, js, wasm, int16, int8`);
    }
    if (kernel === 'int16' && (algorithm === 'spa' || !wasmMinSum16Available())) {
      throw new UsageError('LDPC kernel "int16" needs min-sum (nms/oms) and WebAssembly SIMD');
    }
    if (kernel === 'int8' && (algorithm === 'spa' || !wasmMinSum8Available())) {
      throw new UsageError('LDPC kernel "int8" needs min-sum (nms/oms) and WebAssembly SIMD');
    }
    this.k16 = kernel === 'int16' ? new WasmMinSum16Kernel(h) : null;
    this.k8 = kernel === 'int8' ? new WasmMinSum8Kernel(h) : null;
    const wasmOk = algorithm !== 'spa' && h.qc !== undefined && wasmMinSumAvailable();
    if (kernel === 'wasm' && !wasmOk) {
      throw new UsageError('LDPC kernel "wasm" needs min-sum (nms/oms), a QC matrix and WebAssembly SIMD');
    }
    this.wasm = (kernel === 'auto' || kernel === 'wasm') && wasmOk ? new WasmMinSumKernel(h) : null;
    this.kernel = this.k16 ? 'int16' : this.k8 ? 'int8' : this.wasm ? 'wasm' : 'js';
  }

  /**
   * Decode n channel LLRs (positive = 0). Returns the hard decisions of all n bits (written into
   * `out` when given, else a fresh array), whether the syndrome is zero, and the iterations used.
   */
  decode(llr: Float32Array | Float64Array, out?: Uint8Array): LdpcDecodeOutput {
    const n = this.n;
    if (llr.length !== n) throw new RangeError(`LDPC decode: got ${llr.length} LLRs, the code has n = ${n}`);
    if (out && out.length < n) throw new RangeError(`LDPC decode: out has ${out.length} bits, need n = ${n}`);
    const fixed = this.fixedKernel();
    if (fixed) {
      const r = this.decodeMany(llr instanceof Float32Array ? llr : Float32Array.from(llr), 1);
      const bits = out ?? new Uint8Array(n);
      bits.set(r.bits.subarray(0, n));
      for (let v = 0; v < n; v++) this.post[v] = fixed.k.post[fixed.lanes * v] / fixed.scale;
      return { bits, ok: r.ok[0] === 1, iterations: r.iterations[0] };
    }
    const wasm = this.wasm;
    const post = this.post;
    if (wasm) {
      wasm.load(llr, LLR_CLAMP);
    } else {
      for (let v = 0; v < n; v++) {
        const x = llr[v];
        if (x !== x) throw new RangeError(`LDPC decode: LLR ${v} is NaN`);
        post[v] = x > LLR_CLAMP ? LLR_CLAMP : x < -LLR_CLAMP ? -LLR_CLAMP : x;
      }
      this.msg.fill(0);
    }
    // float32 parameters, so that the JS and WASM kernels compute the same numbers
    const scale = Math.fround(this.algorithm === 'nms' ? this.normalization : 1);
    const offset = Math.fround(this.algorithm === 'oms' ? this.offset : 0);
    const bits = out ?? new Uint8Array(n);
    let it = 0;
    let ok = false;
    let checked = false; // ok holds the syndrome of the current posterior
    while (it < this.maxIterations) {
      it++;
      if (wasm) wasm.iterate(scale, offset);
      else if (this.algorithm === 'spa') this.iterateSpa();
      else this.iterateMinSum(scale, offset);
      checked = false;
      if (this.earlyStop && it < this.maxIterations) {
        if (wasm) {
          ok = wasm.syndromeOk();
        } else {
          hardDecide(post, this.hard);
          ok = this.h.syndromeOk(this.hard);
        }
        checked = true;
        if (ok) break;
      }
    }
    if (wasm) {
      wasm.readPosterior(post, bits);
      if (!checked) ok = wasm.syndromeOk();
    } else {
      hardDecide(post, bits);
      if (!checked) ok = this.h.syndromeOk(bits);
    }
    return { bits, ok, iterations: it };
  }

  /** The inter-frame fixed-point kernel in use (int16 or int8: the same interface), its lanes and LLR scale. */
  private fixedKernel(): { k: WasmMinSum16Kernel | WasmMinSum8Kernel; lanes: number; scale: number } | null {
    if (this.k16) return { k: this.k16, lanes: LANES16, scale: LLR16_SCALE };
    if (this.k8) return { k: this.k8, lanes: LANES8, scale: this.k8.format.scale };
    return null;
  }

  /**
   * Decode `count` frames of n LLRs each (frame-major in `llr`). With the int16 kernel, 8 frames
   * per pass, with the int8 kernel 16; otherwise frame by frame with `decode` (the same numbers as
   * single decodes).
   */
  decodeMany(llr: Float32Array, count: number, out?: Uint8Array): LdpcBatchOutput {
    const n = this.n;
    if (!(Number.isInteger(count) && count >= 0) || llr.length !== count * n) {
      throw new RangeError(`LDPC decodeMany: got ${llr.length} LLRs for ${count} frames of n = ${n}`);
    }
    const bits = out ?? new Uint8Array(count * n);
    if (bits.length < count * n) throw new RangeError(`LDPC decodeMany: out has ${bits.length} bits, need ${count * n}`);
    const ok = new Uint8Array(count);
    const iterations = new Int32Array(count);
    const fixed = this.fixedKernel();
    if (!fixed) {
      for (let f = 0; f < count; f++) {
        const r = this.decode(llr.subarray(f * n, (f + 1) * n), bits.subarray(f * n, (f + 1) * n));
        ok[f] = r.ok ? 1 : 0;
        iterations[f] = r.iterations;
      }
      return { bits, ok, iterations };
    }
    const alpha = this.algorithm === 'nms' ? Math.min(32767, Math.round(this.normalization * 32768)) : 32767;
    const { k, lanes, scale } = fixed;
    const offset = this.algorithm === 'oms' ? Math.round(this.offset * scale) : 0;
    for (let b = 0; b < count; b += lanes) {
      const frames = Math.min(lanes, count - b);
      const active = (1 << frames) - 1;
      k.llr.set(llr.subarray(b * n, (b + frames) * n));
      k.load(frames);
      let done = 0;
      let it = 0;
      while (it < this.maxIterations) {
        it++;
        k.iterate(alpha, offset);
        if (this.earlyStop && it < this.maxIterations) {
          const newly = k.syndrome() & active & ~done;
          if (newly) {
            k.latch(newly);
            done |= newly;
            for (let f = 0; f < frames; f++) {
              if ((newly >> f) & 1) {
                ok[b + f] = 1;
                iterations[b + f] = it;
              }
            }
          }
          if (done === active) break;
        }
      }
      const rest = active & ~done;
      if (rest) {
        const s = k.syndrome();
        k.latch(rest);
        for (let f = 0; f < frames; f++) {
          if ((rest >> f) & 1) {
            ok[b + f] = (s >> f) & 1;
            iterations[b + f] = it;
          }
        }
      }
      k.readBits(frames);
      bits.set(k.bits.subarray(0, frames * n), b * n);
    }
    return { bits, ok, iterations };
  }

  /** The posterior LLRs after the last decode (a view into the decoder's buffer; copy to keep). */
  posterior(): Float32Array {
    return this.post;
  }

  /**
   * One layered min-sum pass: magnitude = max(scale * min - offset, 0) over the other edges.
   * Branch-free on the data: data-dependent branches mispredict half the time on noisy LLRs, and
   * V8's Math.min/max branch too. So min1/min2/sign run on the float32 bit patterns (for |t| the
   * IEEE order is the integer order): min/max by mask arithmetic, sign by xor; the message is
   * written as bits (magnitude | sign) through an Int32 view. The edge holding the minimum is found
   * again in the second pass by |t| === min1 (a tie gives min2 === min1: the same result).
   */
  private iterateMinSum(scale: number, offset: number): void {
    const rowPtr = this.h.rowPtr;
    const colIdx = this.h.colIdx;
    const m = this.m;
    const post = this.post;
    const msg = this.msg;
    const msgBits = this.msgBits;
    const tf = this.tf;
    const ti = this.ti;
    const cvF = this.cvF;
    const cvI = this.cvI;
    const clampBits = CLAMP_BITS;
    for (let r = 0; r < m; r++) {
      const start = rowPtr[r];
      const deg = rowPtr[r + 1] - start;
      let min1 = clampBits;
      let min2 = clampBits;
      let sign = 0;
      for (let j = 0; j < deg; j++) {
        const e = start + j;
        tf[j] = post[colIdx[e]] - msg[e];
        const b = ti[j];
        sign ^= b;
        const a = b & 0x7fffffff;
        const d = a - min1; // |d| < 2^31: no overflow
        const lt = d & (d >> 31); // a < min1 ? a - min1 : 0
        const hi = a - lt; // max(a, min1)
        min1 += lt; // min(a, min1)
        const d2 = hi - min2;
        min2 += d2 & (d2 >> 31); // min(min2, max(a, old min1))
      }
      cvI[0] = min1;
      cvI[1] = min2;
      cvF[0] = scale * cvF[0]; // rounded to float32 here, then the offset: as f32x4 does
      cvF[1] = scale * cvF[1];
      cvF[0] = Math.max(cvF[0] - offset, 0);
      cvF[1] = Math.max(cvF[1] - offset, 0);
      const mag1 = cvI[0];
      const mag2 = cvI[1];
      for (let j = 0; j < deg; j++) {
        const e = start + j;
        const b = ti[j];
        // sign of the message = product of the other signs = (all signs) xor (own sign)
        msgBits[e] = ((b & 0x7fffffff) === min1 ? mag2 : mag1) | ((sign ^ b) & 0x80000000);
        post[colIdx[e]] = tf[j] + msg[e];
      }
    }
  }

  /**
   * One layered sum-product pass in the phi domain (double precision): the extrinsic magnitude on
   * edge j is phi(sum_k phi|t_k| - phi|t_j|), phi(x) = -ln tanh(x/2); magnitudes are clamped to
   * [1e-30, LLR_CLAMP] so phi and its inverse stay finite.
   */
  private iterateSpa(): void {
    const { rowPtr, colIdx, m } = this.h;
    const post = this.post;
    const msg = this.msg;
    const tmp = this.tmp;
    const aux = this.aux;
    for (let r = 0; r < m; r++) {
      const start = rowPtr[r];
      const end = rowPtr[r + 1];
      let sum = 0;
      let sign = 0;
      for (let e = start; e < end; e++) {
        const t = post[colIdx[e]] - msg[e];
        tmp[e - start] = t;
        let a = t;
        if (t < 0) {
          a = -t;
          sign ^= 1;
        }
        const p = phi(a < SPA_MIN_MAG ? SPA_MIN_MAG : a);
        aux[e - start] = p;
        sum += p;
      }
      for (let e = start; e < end; e++) {
        const t = tmp[e - start];
        let rest = sum - aux[e - start];
        if (rest < 0) rest = 0; // rounding
        let mag = rest > 0 ? phi(rest) : LLR_CLAMP;
        if (mag > LLR_CLAMP) mag = LLR_CLAMP;
        const c = (t < 0 ? sign ^ 1 : sign) ? -mag : mag;
        msg[e] = c;
        post[colIdx[e]] = t + c;
      }
    }
  }
}

/** bits[v] = 1 where llr[v] < 0 (an LLR of exactly 0 decides 0). */
export function hardDecide(llr: Float32Array | Float64Array, bits: Uint8Array): Uint8Array {
  for (let v = 0; v < llr.length; v++) bits[v] = llr[v] < 0 ? 1 : 0;
  return bits;
}
