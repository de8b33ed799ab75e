/**
 * The 12 LDPC codes of IEEE 802.11n (802.11-2020 clause 19.3.11.7, Annex F) as a `Code`:
 * systematic dual-diagonal encoding and layered BP decoding (src/fec/ldpc/decoder.ts).
 * Spec string: `ldpc:80211n:N:R`, N in 648, 1296, 1944 and R in 1/2, 2/3, 3/4, 5/6.
 */
import type { Code, DecodeResult } from '../../../core/types.js';
import { UsageError } from '../../../core/errors.js';
import { ParityCheck } from '../parity-check.js';
import { LdpcDecoder, type LdpcDecoderOptions } from '../decoder.js';
import { DualDiagonalEncoder } from '../dual-diagonal-encoder.js';
import { prototype80211n } from './prototypes.js';

export const LDPC_80211N_LENGTHS = [648, 1296, 1944] as const;
export const LDPC_80211N_RATES = ['1/2', '2/3', '3/4', '5/6'] as const;

export type Ldpc80211nLength = (typeof LDPC_80211N_LENGTHS)[number];
export type Ldpc80211nRate = (typeof LDPC_80211N_RATES)[number];

const ALLOWED = `N in ${LDPC_80211N_LENGTHS.join(', ')} and R in ${LDPC_80211N_RATES.join(', ')}`;

const hCache = new Map<string, ParityCheck>();

/** The lifted parity-check matrix of code (n, rate) (shared, immutable). */
export function parityCheck80211n(n: number, rate: string): ParityCheck {
  const key = `${n}:${rate}`;
  let h = hCache.get(key);
  if (!h) {
    const p = prototype80211n(n, rate);
    if (!p) throw new UsageError(`802.11n LDPC (N=${n}, R=${rate}) is not allowed: use ${ALLOWED}`);
    h = ParityCheck.fromQc({ rows: p.rows, cols: p.cols, z: p.z, shifts: p.shifts });
    hCache.set(key, h);
  }
  return h;
}

export class Ldpc80211nCode implements Code {
  readonly name: string;
  readonly k: number;
  readonly n: number;
  readonly rate: number;
  /** The rate as written in the standard, e.g. '5/6'. */
  readonly rateLabel: Ldpc80211nRate;
  readonly z: number;
  readonly h: ParityCheck;
  readonly decoder: LdpcDecoder;
  private readonly encoder: DualDiagonalEncoder;
  private readonly cw: Uint8Array;

  constructor(n: number, rate: string, options: LdpcDecoderOptions = {}) {
    if (!(LDPC_80211N_LENGTHS as readonly number[]).includes(n) || !(LDPC_80211N_RATES as readonly string[]).includes(rate)) {
      throw new UsageError(`802.11n LDPC (N=${n}, R=${rate}) is not allowed: use ${ALLOWED}`);
    }
    this.h = parityCheck80211n(n, rate);
    this.encoder = new DualDiagonalEncoder(this.h);
    this.decoder = new LdpcDecoder(this.h, options);
    this.n = n;
    this.k = this.encoder.k;
    this.rate = this.k / n;
    this.rateLabel = rate as Ldpc80211nRate;
    this.z = this.encoder.z;
    this.name = `ldpc:80211n:${n}:${rate}`;
    this.cw = new Uint8Array(n);
  }

  /** Systematic codeword [bits | parity] of n bits. */
  encode(bits: Uint8Array, out?: Uint8Array): Uint8Array {
    if (bits.length !== this.k) {
      throw new UsageError(`${this.name}: message of ${bits.length} bits is not allowed: use k = ${this.k} bits`);
    }
    if (out && out.length !== this.n) {
      throw new UsageError(`${this.name}: output buffer of ${out.length} bits is not allowed: use n = ${this.n} bits`);
    }
    return this.encoder.encode(bits, out ?? new Uint8Array(this.n));
  }

  /** Decode n LLRs (positive = 0): the k information bits, ok = syndrome zero, iterations used. */
  decode(llr: Float32Array): DecodeResult {
    if (llr.length !== this.n) {
      throw new UsageError(`${this.name}: ${llr.length} LLRs are not allowed: use n = ${this.n} LLRs`);
    }
    const r = this.decoder.decode(llr, this.cw);
    return { bits: this.cw.slice(0, this.k), ok: r.ok, iterations: r.iterations };
  }

  /** Decode `count` blocks of n LLRs (block-major); the int16 kernel takes 8 at a time. */
  decodeMany(llr: Float32Array, count: number): DecodeResult[] {
    if (llr.length !== count * this.n) throw new UsageError(`${this.name}: ${llr.length} LLRs are not allowed for ${count} blocks: use ${count} x n = ${count * this.n}`);
    const r = this.decoder.decodeMany(llr, count);
    const out: DecodeResult[] = [];
    for (let f = 0; f < count; f++) out.push({ bits: r.bits.slice(f * this.n, f * this.n + this.k), ok: r.ok[f] === 1, iterations: r.iterations[f] });
    return out;
  }
}

/** Factory used by the Code SPEC registry (`ldpc:80211n:N:R`). */
export function createLdpc80211n(n: number, rate: string, options?: LdpcDecoderOptions): Ldpc80211nCode {
  return new Ldpc80211nCode(n, rate, options);
}
