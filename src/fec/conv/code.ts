/**
 * The K=7 [133, 171] convolutional code as a block `Code`: k information bits, a zero tail of
 * MEMORY = 6 bits, the 802.11 puncturing pattern of the rate (puncture.ts) run over the whole
 * block including the tail, and soft-input Viterbi decoding.
 *
 * n = number of sent bits of the 2 (k + 6) mother bits, so `rate` = k / n is slightly below the
 * nominal rate (k = 1024 at 1/2: n = 2060, rate 0.4971); Eb/N0 uses this effective rate.
 */
import type { Code, DecodeResult } from '../../core/types.js';
import { UsageError } from '../../core/errors.js';
import { MEMORY } from './trellis.js';
import { encodeMother } from './encoder.js';
import { keptPositions, puncturePattern, type ConvRate, type PuncturePattern } from './puncture.js';
import { ViterbiDecoder, type AcsKernel } from './viterbi.js';
import { distanceSpectrum, unionBoundBer, type DistanceSpectrum } from './spectrum.js';

/** Information bits per block unless `k` is given. */
export const DEFAULT_CONV_K = 1024;
/** Largest block (decoder memory is ~24 bytes per trellis step). */
export const MAX_CONV_K = 1 << 20;

export interface ConvCodeOptions {
  /** Information bits per block (1..MAX_CONV_K). Default DEFAULT_CONV_K. */
  k?: number;
  /** Viterbi add-compare-select: 'auto' (WebAssembly SIMD where available, default), 'js', 'wasm'. */
  kernel?: AcsKernel;
}

export class ConvCode implements Code {
  readonly name: string;
  readonly k: number;
  readonly n: number;
  readonly rate: number;
  /** The nominal (mother + puncturing) rate, e.g. '3/4'. */
  readonly nominalRate: ConvRate;
  readonly pattern: PuncturePattern;
  /** Trellis steps per block: k + MEMORY. */
  readonly steps: number;
  /** Mother-code position of each sent bit, in order (index table built once). */
  readonly kept: Int32Array;
  private readonly mother: Uint8Array;
  /** The soft Viterbi decoder (its `kernel` says which add-compare-select runs). */
  readonly decoder: ViterbiDecoder;

  constructor(rate: ConvRate | string, options: ConvCodeOptions = {}) {
    this.pattern = puncturePattern(rate);
    this.nominalRate = this.pattern.rate;
    const k = options.k ?? DEFAULT_CONV_K;
    if (!Number.isSafeInteger(k) || k < 1 || k > MAX_CONV_K) {
      throw new UsageError(`convolutional block size K=${k} is not allowed: use an integer in 1..${MAX_CONV_K}`);
    }
    this.k = k;
    this.steps = k + MEMORY;
    this.kept = keptPositions(this.pattern, this.steps);
    this.n = this.kept.length;
    this.rate = k / this.n;
    this.name = `conv:${this.nominalRate}:K=${k}`;
    this.mother = new Uint8Array(2 * this.steps);
    this.decoder = new ViterbiDecoder(this.steps, options.kernel ?? 'auto');
  }

  /** k information bits (0/1) -> n code bits. */
  encode(bits: Uint8Array, out?: Uint8Array): Uint8Array {
    if (bits.length !== this.k) {
      throw new UsageError(`message of ${bits.length} bits is not allowed: ${this.name} encodes exactly k=${this.k} bits`);
    }
    for (let i = 0; i < bits.length; i++) {
      if (bits[i] > 1) throw new UsageError(`bit ${i} = ${bits[i]} is not allowed: bits are 0 or 1`);
    }
    const o = out ?? new Uint8Array(this.n);
    if (o.length !== this.n) throw new UsageError(`output buffer of ${o.length} is not allowed: ${this.name} needs n=${this.n}`);
    encodeMother(bits, this.k, this.steps, this.mother);
    const kept = this.kept;
    const mother = this.mother;
    for (let i = 0; i < kept.length; i++) o[i] = mother[kept[i]];
    return o;
  }

  /** n channel LLRs (positive = 0) -> k bits by soft Viterbi; `ok` is always true (no check). */
  decode(llr: Float32Array | Float64Array, out?: Uint8Array): DecodeResult {
    if (llr.length !== this.n) {
      throw new UsageError(`LLR block of ${llr.length} is not allowed: ${this.name} decodes exactly n=${this.n} values`);
    }
    const bits = out ?? new Uint8Array(this.k);
    if (bits.length !== this.k) throw new UsageError(`output buffer of ${bits.length} is not allowed: ${this.name} needs k=${this.k}`);
    // Punctured positions are never loaded, so they stay 0 (an erasure) in every call.
    this.decoder.load(llr, this.kept);
    this.decoder.decode(this.steps, this.k, bits);
    return { bits, ok: true, iterations: 1 };
  }
}

const spectra = new Map<ConvRate, DistanceSpectrum>();

/**
 * Theory for BER plots: the union bound on this code's BER with BPSK on AWGN and soft ML decoding
 * at Eb/N0 (dB), with Eb counted at the block's effective rate k / n (tail included).
 */
export function convUnionBound(code: ConvCode, ebn0Db: number): number {
  let s = spectra.get(code.nominalRate);
  if (!s) {
    s = distanceSpectrum(code.nominalRate, code.nominalRate === '1/2' ? 30 : 16);
    spectra.set(code.nominalRate, s);
  }
  return unionBoundBer(s, ebn0Db, code.rate);
}

/** The registry's builder: `conv:R` / `conv:R:K=k`. */
export function createConv(rate: ConvRate | string, options: ConvCodeOptions = {}): ConvCode {
  return new ConvCode(rate, options);
}
