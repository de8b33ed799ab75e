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
 */
import type { ParityCheck } from './parity-check.js';
import { UsageError } from '../../core/errors.js';
import { WasmMinSumKernel, wasmMinSumAvailable } from './kernel/minsum-kernel.js';

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
   */
  kernel?: 'auto' | 'js' | 'wasm';
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
  /** The kernel in use: 'wasm' or 'js'. */
  readonly kernel: 'wasm' | 'js';

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
    if (kernel !== 'auto' && kernel !== 'js' && kernel !== 'wasm') {
      throw new UsageError(`LDPC kernel ${JSON.stringify(kernel)} is not allowed: use auto, js, wasm`);
    }
    const wasmOk = algorithm !== 'spa' && h.qc !== undefined && wasmMinSumAvailable();
    if (kernel === 'wasm' && !wasmOk) {
      throw new UsageError('LDPC kernel "wasm" needs min-sum (nms/oms), a QC matrix and WebAssembly SIMD');
    }
    this.wasm = kernel !== 'js' && wasmOk ? new WasmMinSumKernel(h) : null;
    this.kernel = this.wasm ? 'wasm' : 'js';
  }

  /**
   * Decode n channel LLRs (positive = 0). Returns the hard decisions of all n bits (written into
   * `out` when given, else a fresh array), whether the syndrome is zero, and the iterations used.
   */
  decode(llr: Float32Array | Float64Array, out?: Uint8Array): LdpcDecodeOutput {
    const n = this.n;
    if (llr.length !== n) throw new RangeError(`LDPC decode: got ${llr.length} LLRs, the code has n = ${n}`);
    if (out && out.length < n) throw new RangeError(`LDPC decode: out has ${out.length} bits, need n = ${n}`);
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
