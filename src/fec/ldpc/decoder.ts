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
 */
import type { ParityCheck } from './parity-check.js';
import { UsageError } from '../../core/errors.js';

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

  // Buffers reused across calls (one decoder per thread).
  private readonly post: Float32Array; // posterior LLR per variable
  private readonly msg: Float32Array; // check-to-variable message per edge (CSR order)
  private readonly tmp: Float64Array; // SPA: variable-to-check messages of one row
  private readonly aux: Float64Array; // SPA: phi of |tmp|
  private readonly tf: Float32Array; // min-sum: variable-to-check messages of one row
  private readonly ti: Int32Array; // the same bits, for the sign
  private readonly hard: Uint8Array;

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
    this.tmp = new Float64Array(maxDeg);
    this.aux = new Float64Array(maxDeg);
    this.tf = new Float32Array(maxDeg);
    this.ti = new Int32Array(this.tf.buffer);
    this.hard = new Uint8Array(h.n);
  }

  /**
   * Decode n channel LLRs (positive = 0). Returns the hard decisions of all n bits (written into
   * `out` when given, else a fresh array), whether the syndrome is zero, and the iterations used.
   */
  decode(llr: Float32Array | Float64Array, out?: Uint8Array): LdpcDecodeOutput {
    const n = this.n;
    if (llr.length !== n) throw new RangeError(`LDPC decode: got ${llr.length} LLRs, the code has n = ${n}`);
    if (out && out.length < n) throw new RangeError(`LDPC decode: out has ${out.length} bits, need n = ${n}`);
    const post = this.post;
    for (let v = 0; v < n; v++) {
      const x = llr[v];
      if (x !== x) throw new RangeError(`LDPC decode: LLR ${v} is NaN`);
      post[v] = x > LLR_CLAMP ? LLR_CLAMP : x < -LLR_CLAMP ? -LLR_CLAMP : x;
    }
    this.msg.fill(0);
    const bits = out ?? new Uint8Array(n);
    let it = 0;
    let ok = false;
    while (it < this.maxIterations) {
      it++;
      if (this.algorithm === 'spa') this.iterateSpa();
      else this.iterateMinSum(this.algorithm === 'nms' ? this.normalization : 1, this.algorithm === 'oms' ? this.offset : 0);
      if (this.earlyStop && it < this.maxIterations) {
        hardDecide(post, this.hard);
        if (this.h.syndromeOk(this.hard)) {
          ok = true;
          break;
        }
      }
    }
    hardDecide(post, bits);
    if (!ok) ok = this.h.syndromeOk(bits);
    return { bits, ok, iterations: it };
  }

  /** The posterior LLRs after the last decode (a view into the decoder's buffer; copy to keep). */
  posterior(): Float32Array {
    return this.post;
  }

  /**
   * One layered min-sum pass: magnitude = max(scale * min - offset, 0) over the other edges.
   * Branch-free on the data (min/max/abs and the float sign bit through an Int32 view), since
   * data-dependent branches mispredict half the time on noisy LLRs. The edge holding the minimum
   * is found again in the second pass by |t| === min1 (a tie gives min2 === min1: same result).
   */
  private iterateMinSum(scale: number, offset: number): void {
    const { rowPtr, colIdx, m } = this.h;
    const post = this.post;
    const msg = this.msg;
    const tf = this.tf;
    const ti = this.ti;
    for (let r = 0; r < m; r++) {
      const start = rowPtr[r];
      const deg = rowPtr[r + 1] - start;
      let min1 = LLR_CLAMP;
      let min2 = LLR_CLAMP;
      let sign = 0;
      for (let j = 0; j < deg; j++) {
        const e = start + j;
        tf[j] = post[colIdx[e]] - msg[e];
        sign ^= ti[j];
        const a = Math.abs(tf[j]);
        min2 = Math.min(min2, Math.max(min1, a));
        min1 = Math.min(min1, a);
      }
      const mag1 = Math.max(scale * min1 - offset, 0);
      const mag2 = Math.max(scale * min2 - offset, 0);
      for (let j = 0; j < deg; j++) {
        const e = start + j;
        const t = tf[j];
        const mag = Math.abs(t) === min1 ? mag2 : mag1;
        // sign of the message = product of the other signs = (all signs) xor (own sign)
        const c = mag * (1 - (((sign ^ ti[j]) >>> 30) & 2));
        msg[e] = c;
        post[colIdx[e]] = t + c;
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
