/**
 * 5G NR LDPC as a `Code` (TS 38.212 5.3.2 encoding + 5.4.2 rate matching, one code block):
 * k info bits in, n = E rate-matched bits out, with E = round(k / R) for the requested rate R
 * (or an explicit `e`). The effective rate used in Eb/N0 is k / E.
 *
 * Rules implemented (and only these):
 * - base graph: 'bg1' / 'bg2' as asked, or 'auto' = TS 38.212 7.2.2 with A = k and R the target rate;
 * - lifting: Zc = smallest lifting size with Kb Zc >= k (5.2.2, C = 1, no code-block segmentation);
 *   filler bits k .. K-1 are zeros, never sent, known (+Infinity) at the decoder;
 * - the first 2Z systematic bits are punctured; circular buffer with Ncb = N (or a limited `ncb`), rv 0..3;
 *   E > N - F repeats bits from the start of the buffer (repeats combined by LLR addition);
 * - the 5.4.2.2 bit interleaver only when `bitsPerSymbol` is given (default off, like Sionna's
 *   LDPC5GEncoder without num_bits_per_symbol).
 * Decoding: LdpcDecoder (layered NMS by default) on H truncated to the extension rows whose parity
 * bits are sent (unsent degree-1 parity carries nothing, so this decodes the same, faster).
 */
import type { Code, DecodeResult } from '../../../core/types.js';
import { UsageError } from '../../../core/errors.js';
import { ParityCheck } from '../parity-check.js';
import { LdpcDecoder, type LdpcDecoderOptions } from '../decoder.js';
import { BASE_GRAPHS, CORE_ROWS, selectBaseGraph, selectLifting, type BaseGraphId } from './base-graph.js';
import { Ldpc5gEncoder } from './encoder.js';
import { RateMatcher, type RedundancyVersion } from './rate-matching.js';

/** Smallest K': Kb Zc with the smallest Kb (6) and Zc (2); Sionna uses the same bound. */
export const K_MIN = 12;
/** Largest effective rate: TS 38.214 5.1.3.1 (a UE skips decoding above 0.95); Sionna's bound. */
export const RATE_MAX = 0.95;
/**
 * Smallest rate per graph. BG2's mother rate is 1/5. BG1's is 1/3, but the TS 38.212 7.2.2 rule
 * itself picks BG1 down to R > 1/4 (A > 3824), reaching it by circular-buffer repetition.
 */
export const RATE_MIN: Readonly<Record<BaseGraphId, number>> = { bg1: 1 / 4, bg2: 1 / 5 };

export type BaseGraphChoice = BaseGraphId | 'auto';

export interface Ldpc5gnrOptions extends LdpcDecoderOptions {
  /** Rate-matched length E; default round(k / R). */
  e?: number;
  /** Redundancy version 0..3 (Table 5.4.2.1-2); default 0. */
  rv?: RedundancyVersion;
  /** Qm for the 5.4.2.2 bit interleaver; default none. E must be a multiple of it. */
  bitsPerSymbol?: number;
  /** Limited circular buffer Ncb (TS 38.212 5.4.2.1, I_LBRM = 1); default N (full buffer). */
  ncb?: number;
}

export interface Ldpc5gnrConfig extends Ldpc5gnrOptions {
  bg: BaseGraphChoice;
  k: number;
  /** Target rate: picks E (unless `e` is given) and the 'auto' base graph. Default k / e. */
  rate?: number;
  /** How the rate was written, for the name (e.g. '1/3'). */
  rateLabel?: string;
}

/** '1/3', '0.5', '948/1024' -> number; UsageError otherwise. */
export function parseRate(rate: string | number): number {
  const s = String(rate).trim();
  const frac = /^([0-9]+)\s*\/\s*([0-9]+)$/.exec(s);
  const r = frac ? Number(frac[1]) / Number(frac[2]) : /^[0-9]*\.?[0-9]+(e-?[0-9]+)?$/i.test(s) ? Number(s) : NaN;
  if (!(r > 0 && r < 1)) throw new UsageError(`5G NR LDPC rate ${JSON.stringify(rate)} is not allowed: use a fraction like 1/3 or a decimal like 0.5, between 0 and 1`);
  return r;
}

function fmt(x: number): string {
  return String(Math.round(x * 1e4) / 1e4);
}

export class Ldpc5gnrCode implements Code {
  readonly name: string;
  /** Information bits (K'). */
  readonly k: number;
  /** Rate-matched bits E. */
  readonly n: number;
  readonly rate: number;
  readonly bg: BaseGraphId;
  readonly z: number;
  readonly iLS: number;
  /** Systematic bits of the lifted graph (22Z or 10Z); kFull - k are filler bits. */
  readonly kFull: number;
  readonly rv: RedundancyVersion;
  readonly encoder: Ldpc5gEncoder;
  readonly rateMatcher: RateMatcher;
  /** The (truncated) parity-check matrix the decoder runs on; the encoder's codeword satisfies it. */
  readonly h: ParityCheck;
  readonly decoder: LdpcDecoder;
  private readonly cw: Uint8Array;
  private readonly llrFull: Float32Array;
  private readonly hard: Uint8Array;

  constructor(config: Ldpc5gnrConfig) {
    const { k } = config;
    const choice = config.bg;
    if (choice !== 'bg1' && choice !== 'bg2' && choice !== 'auto') {
      throw new UsageError(`5G NR LDPC base graph ${JSON.stringify(choice)} is not allowed: use bg1, bg2 or auto`);
    }
    const kMax = choice === 'auto' ? BASE_GRAPHS.bg1.kMax : BASE_GRAPHS[choice].kMax;
    if (!(Number.isInteger(k) && k >= K_MIN && k <= kMax)) {
      throw new UsageError(`5G NR LDPC K=${k} is not allowed for ${choice}: use an integer ${K_MIN}..${kMax} (bg1 up to 8448, bg2 up to 3840)`);
    }
    let e = config.e;
    const target = config.rate ?? (e ? k / e : NaN);
    if (e === undefined) {
      if (!(target > 0 && target < 1)) throw new UsageError(`5G NR LDPC: give a rate in (0, 1) or the length e`);
      e = Math.round(k / target);
    }
    if (!(Number.isInteger(e) && e > 0)) throw new UsageError(`5G NR LDPC length E=${e} is not allowed: use a positive integer`);
    const bg = choice === 'auto' ? selectBaseGraph(k, target) : choice;
    const g = BASE_GRAPHS[bg];
    if (k > g.kMax) {
      throw new UsageError(`5G NR LDPC K=${k} at R=${fmt(target)}: the TS 38.212 7.2.2 rule picks bg2, whose code blocks stop at K=${g.kMax}; use K <= ${g.kMax}, a rate above 0.25, or bg1`);
    }
    const rate = k / e;
    if (!(rate >= RATE_MIN[bg] - 1e-12 && rate <= RATE_MAX)) {
      throw new UsageError(`5G NR LDPC rate ${config.rateLabel ?? fmt(rate)} (K=${k}, E=${e}, k/E=${fmt(rate)}) is not allowed for ${bg}: use ${bg === 'bg1' ? '1/4' : '1/5'} <= R <= ${RATE_MAX} (bg1 mother rate 1/3, bg2 1/5; lower rates repeat bits)`);
    }
    const rv = config.rv ?? 0;
    if (![0, 1, 2, 3].includes(rv)) throw new UsageError(`5G NR LDPC rv ${rv} is not allowed: use 0, 1, 2 or 3`);
    const qm = config.bitsPerSymbol ?? 0;
    if (qm && !(Number.isInteger(qm) && qm >= 1 && e % qm === 0)) {
      throw new UsageError(`5G NR LDPC bitsPerSymbol ${qm} is not allowed with E=${e}: use a positive integer dividing E (or none)`);
    }

    const lift = selectLifting(bg, k);
    const nFull = (g.cols - 2) * lift.z;
    const ncb = config.ncb ?? nFull;
    if (!(Number.isInteger(ncb) && ncb >= lift.kFull + 2 * lift.z && ncb <= nFull)) {
      throw new UsageError(`5G NR LDPC ncb ${ncb} is not allowed for ${bg} K=${k} (Z=${lift.z}): use an integer ${lift.kFull + 2 * lift.z}..${nFull} (K + 2Z .. N)`);
    }
    this.rateMatcher = new RateMatcher(bg, lift.z, k, e, { rv, bitsPerSymbol: qm || undefined, ncb });
    // Encode/decode only the base rows whose columns the circular buffer reaches.
    const colsUsed = Math.max(g.kbFull + CORE_ROWS, Math.ceil(this.rateMatcher.span / lift.z));
    this.encoder = new Ldpc5gEncoder(bg, k, { rows: colsUsed - g.kbFull });
    this.h = ParityCheck.fromQc(this.encoder.base);
    this.bg = bg;
    this.k = k;
    this.n = e;
    this.rate = rate;
    this.z = lift.z;
    this.iLS = lift.iLS;
    this.kFull = lift.kFull;
    this.rv = rv;
    this.name = `ldpc:5gnr:${bg}:${k}:${config.rateLabel ?? fmt(rate)}`;
    // Everything that is not a 5G option goes to the decoder. Built now so bad decoder options are
    // a UsageError at construction, not at the first decode.
    const { bg: _bg, k: _k, rate: _r, rateLabel: _l, e: _e, rv: _rv, bitsPerSymbol: _q, ncb: _n, ...decoderOptions } = config;
    this.decoder = new LdpcDecoder(this.h, decoderOptions);
    this.cw = new Uint8Array(this.encoder.n);
    this.llrFull = new Float32Array(this.encoder.n);
    this.hard = new Uint8Array(this.encoder.n);
  }

  encode(bits: Uint8Array, out?: Uint8Array): Uint8Array {
    if (bits.length !== this.k) throw new UsageError(`${this.name}: message of ${bits.length} bits is not allowed: use exactly k=${this.k} bits`);
    if (out && out.length !== this.n) throw new UsageError(`${this.name}: output of ${out.length} bits is not allowed: use n=${this.n}`);
    this.encoder.encode(bits, this.cw);
    return this.rateMatcher.select(this.cw, out);
  }

  /** The full codeword before rate matching (first 2Z and filler bits included), for tests and HARQ. */
  encodeCodeword(bits: Uint8Array, out?: Uint8Array): Uint8Array {
    if (bits.length !== this.k) throw new UsageError(`${this.name}: message of ${bits.length} bits is not allowed: use exactly k=${this.k} bits`);
    return this.encoder.encode(bits, out);
  }

  decode(llr: Float32Array): DecodeResult {
    if (llr.length !== this.n) throw new UsageError(`${this.name}: ${llr.length} LLRs is not allowed: use exactly n=${this.n}`);
    this.rateMatcher.recover(llr, this.llrFull.length, this.llrFull);
    const r = this.decoder.decode(this.llrFull, this.hard);
    return { bits: r.bits.slice(0, this.k), ok: r.ok, iterations: r.iterations };
  }

  /** Decode `count` blocks of E LLRs (block-major); the int16 kernel takes 8 at a time. */
  decodeMany(llr: Float32Array, count: number): DecodeResult[] {
    if (llr.length !== count * this.n) throw new UsageError(`${this.name}: ${llr.length} LLRs is not allowed for ${count} blocks: use ${count} x n = ${count * this.n}`);
    const nc = this.encoder.n;
    const full = new Float32Array(count * nc);
    for (let f = 0; f < count; f++) this.rateMatcher.recover(llr.subarray(f * this.n, (f + 1) * this.n), nc, full.subarray(f * nc, (f + 1) * nc));
    const r = this.decoder.decodeMany(full, count);
    const out: DecodeResult[] = [];
    for (let f = 0; f < count; f++) out.push({ bits: r.bits.slice(f * nc, f * nc + this.k), ok: r.ok[f] === 1, iterations: r.iterations[f] });
    return out;
  }
}

/**
 * The factory the Code SPEC registry calls for `ldpc:5gnr:bg1|bg2|auto:K:R`. `rate` is a string
 * like '1/3' or '0.5' (or a number); E = round(k / R) unless options.e is given.
 */
export function createLdpc5gnr(bg: BaseGraphChoice, k: number, rate: string | number, options: Ldpc5gnrOptions = {}): Ldpc5gnrCode {
  const r = parseRate(rate);
  // With an explicit E the name shows K/E, the rate actually sent.
  const rateLabel = options.e === undefined ? String(rate).trim() : `${k}/${options.e}`;
  return new Ldpc5gnrCode({ ...options, bg, k, rate: r, rateLabel });
}
