/**
 * A 5G NR transport block as a `Code` (TS 38.212 7.2 DL-SCH without HARQ): A information bits ->
 * TB CRC (gCRC24A, or gCRC16 for A <= 3824) -> code-block segmentation with a gCRC24B per block
 * when C > 1 (5.2.2) -> per-block LDPC (5.3.2) and rate matching to E_r bits (5.4.2, with the
 * 5.4.2.2 bit interleaver for Qm) -> code-block concatenation (5.5): G = sum E_r bits out.
 * The decoder decodes every block (several at once through LdpcDecoder.decodeMany), checks the
 * block CRCs and the TB CRC; `ok` is the TB CRC.
 *
 * G: a multiple of Qm near A / R (Qm round(A / (R Qm))), or an explicit `g`. Base graph: 'auto' =
 * TS 38.212 7.2.2 with A and R. Spec: `ldpc:5gnr:tb:A:R[:qm=Q]` (src/fec/registry.ts).
 */
import type { Code, DecodeResult } from '../../../core/types.js';
import { UsageError } from '../../../core/errors.js';
import { crcByName } from '../../crc/catalog.js';
import type { Crc } from '../../crc/crc.js';
import type { LdpcDecoderOptions } from '../decoder.js';
import type { BaseGraphId } from './base-graph.js';
import { Ldpc5gnrCode, parseRate, RATE_MAX } from './code.js';
import { rateMatchLengths, segment, tbBaseGraph, transportBlockSize, type Segmentation } from './segmentation.js';

export interface TransportBlockOptions extends LdpcDecoderOptions {
  /** Modulation order Qm: E_r are multiples of it and the bit interleaver uses it. Default 1. */
  bitsPerSymbol?: number;
  /** Rate-matched bits G; default Qm round(A / (R Qm)). */
  g?: number;
}

export interface TransportBlockDecode extends DecodeResult {
  /** Per code block: 1 when its CRC24B matched (C = 1: the TB CRC). */
  blockOk: Uint8Array;
}

export class Ldpc5gnrTransportBlock implements Code {
  readonly name: string;
  /** TB size A. */
  readonly k: number;
  /** G, all rate-matched bits. */
  readonly n: number;
  readonly rate: number;
  readonly seg: Segmentation;
  readonly bitsPerSymbol: number;
  /** E_r per code block. */
  readonly e: readonly number[];
  /** One Ldpc5gnrCode per distinct E_r (at most two), by block. */
  private readonly blockCodes: Ldpc5gnrCode[];
  private readonly tbCrc: Crc;
  private readonly cbCrc: Crc;
  private readonly b: Uint8Array;
  private readonly cb: Uint8Array;

  constructor(a: number, rate: number | string, choice: BaseGraphId | 'auto' = 'auto', options: TransportBlockOptions = {}) {
    const r = parseRate(rate);
    if (!(Number.isInteger(a) && a >= 8 && a <= 1_000_000)) throw new UsageError(`5G NR transport block size A=${a} is not allowed: use an integer 8..1000000`);
    const qm = options.bitsPerSymbol ?? 1;
    if (!(Number.isInteger(qm) && qm >= 1 && qm <= 10)) throw new UsageError(`5G NR transport block qm=${qm} is not allowed: use an integer 1..10`);
    const bg = tbBaseGraph(a, r, choice);
    const seg = segment(a, bg);
    if (!seg) {
      const lo = largestValidBelow(a, r, choice);
      const hi = transportBlockSize(a, r, choice);
      throw new UsageError(`5G NR transport block size A=${a} is not allowed on ${bg}: (A + CRC + 24 C) / C is not an integer; use e.g. ${lo ? `${lo} or ` : ''}${hi}`);
    }
    const g = options.g ?? qm * Math.max(1, Math.round(a / (r * qm)));
    if (!(Number.isInteger(g) && g % qm === 0 && g >= seg.c * qm)) throw new UsageError(`5G NR transport block G=${g} is not allowed: use a multiple of Qm=${qm} of at least ${seg.c * qm}`);
    if (a / g > RATE_MAX) throw new UsageError(`5G NR transport block rate A/G=${(a / g).toFixed(4)} is not allowed: use R <= ${RATE_MAX}`);
    this.seg = seg;
    this.k = a;
    this.n = g;
    this.rate = a / g;
    this.bitsPerSymbol = qm;
    this.e = rateMatchLengths(g, seg.c, qm);
    const { bitsPerSymbol: _q, g: _g, ...dec } = options;
    const byE = new Map<number, Ldpc5gnrCode>();
    this.blockCodes = this.e.map((e) => {
      let c = byE.get(e);
      if (!c) {
        c = new Ldpc5gnrCode({ ...dec, bg, k: seg.kPrime, e, bitsPerSymbol: qm > 1 ? qm : undefined });
        if (c.z !== seg.z) throw new Error(`lifting ${c.z} != ${seg.z}`); // 5.2.2 picks Z from B; the block code from K'
        byE.set(e, c);
      }
      return c;
    });
    this.tbCrc = crcByName(seg.tbCrc === 24 ? 'crc24a' : 'crc16');
    this.cbCrc = crcByName('crc24b');
    this.b = new Uint8Array(seg.b);
    this.cb = new Uint8Array(seg.kPrime);
    const rl = typeof rate === 'string' ? rate.trim() : String(rate);
    this.name = `ldpc:5gnr:tb:${a}:${rl}${qm > 1 ? `:qm=${qm}` : ''}`;
  }

  /** Number of code blocks C. */
  get blocks(): number {
    return this.seg.c;
  }

  encode(bits: Uint8Array, out?: Uint8Array): Uint8Array {
    if (bits.length !== this.k) throw new UsageError(`${this.name}: message of ${bits.length} bits is not allowed: use exactly k=${this.k} bits`);
    const o = out ?? new Uint8Array(this.n);
    if (o.length !== this.n) throw new UsageError(`${this.name}: output of ${o.length} bits is not allowed: use n=${this.n}`);
    const { c, l, kPrime } = this.seg;
    this.tbCrc.attachBits(bits, this.b);
    const per = kPrime - l;
    for (let r = 0, at = 0; r < c; r++) {
      const cb = this.cb;
      cb.set(this.b.subarray(r * per, (r + 1) * per));
      if (l) this.cbCrc.computeBits(cb.subarray(0, per), cb.subarray(per));
      const e = this.e[r];
      this.blockCodes[r].encode(cb, o.subarray(at, at + e));
      at += e;
    }
    return o;
  }

  decode(llr: Float32Array): TransportBlockDecode {
    if (llr.length !== this.n) throw new UsageError(`${this.name}: ${llr.length} LLRs is not allowed: use exactly n=${this.n}`);
    const { c, l, kPrime } = this.seg;
    const per = kPrime - l;
    const blockOk = new Uint8Array(c);
    let iterations = 0;
    // E_r takes at most two values, the shorter blocks first: decode each run together
    for (let r0 = 0, at = 0; r0 < c;) {
      const code = this.blockCodes[r0];
      let r1 = r0;
      while (r1 < c && this.blockCodes[r1] === code) r1++;
      const e = this.e[r0];
      const ds = code.decodeMany(llr.subarray(at, at + (r1 - r0) * e), r1 - r0);
      at += (r1 - r0) * e;
      ds.forEach((d, i) => {
        const r = r0 + i;
        iterations = Math.max(iterations, d.iterations);
        this.b.set(d.bits.subarray(0, per), r * per);
        blockOk[r] = l ? (this.cbCrc.checkBits(d.bits) ? 1 : 0) : 1;
      });
      r0 = r1;
    }
    const ok = this.tbCrc.checkBits(this.b);
    if (!l) blockOk[0] = ok ? 1 : 0;
    return { bits: this.b.slice(0, this.k), ok, iterations, blockOk };
  }
}

function largestValidBelow(a: number, rate: number, choice: BaseGraphId | 'auto'): number | null {
  for (let x = Math.floor((a - 1) / 8) * 8; x >= 8; x -= 8) if (segment(x, tbBaseGraph(x, rate, choice))) return x;
  return null;
}

/**
 * A transport-block code family for a payload of any size (the separate scheme): the TB size is
 * the smallest valid A that holds the payload (transportBlockSize), at rate R.
 */
export class TransportBlockFamily {
  readonly rate: number;
  readonly rateLabel: string;
  readonly choice: BaseGraphId | 'auto';
  readonly options: TransportBlockOptions;
  private readonly cache = new Map<string, Ldpc5gnrTransportBlock>();

  constructor(rate: number | string, choice: BaseGraphId | 'auto' = 'auto', options: TransportBlockOptions = {}) {
    this.rate = parseRate(rate);
    this.rateLabel = String(rate).trim();
    this.choice = choice;
    this.options = options;
  }

  /** TB size A for a payload of `bits` bits. */
  sizeFor(bits: number): number {
    return transportBlockSize(bits, this.rate, this.choice);
  }

  /** The TB code of size A with modulation order qm (cached; the last few are kept). */
  create(a: number, qm = this.options.bitsPerSymbol ?? 1): Ldpc5gnrTransportBlock {
    const key = `${a}|${qm}`;
    let c = this.cache.get(key);
    if (!c) {
      c = new Ldpc5gnrTransportBlock(a, this.rateLabel, this.choice, { ...this.options, bitsPerSymbol: qm });
      if (this.cache.size >= 8) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, c);
    }
    return c;
  }
}
