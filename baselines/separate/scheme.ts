/**
 * The separate source-channel scheme (docs/architecture.md, "Data flow"):
 * quantize8 -> mosaic -> JPEG(q) -> bytes -> CRC'd blocks -> FEC -> modem -> Channel -> soft demap
 * -> FEC decode -> CRC check -> JPEG decode (hardened) -> dequantize.
 *
 * Byte stream sent: side information [min, max] float32 little-endian per range, then the JPEG
 * byte count (uint32 LE), then the JPEG bytes; it goes through the same CRC, code and modulation as
 * the JPEG, so it can be lost too and its channel uses are counted. Loss: any block whose CRC fails,
 * side information that is not a valid range, or a JPEG that cannot be decoded (or decodes to the
 * wrong size). On a loss the receiver uses the fallback (zeros, or the per-channel mean given to
 * the scheme) and `failed` is true.
 *
 * channelUses = ceil(blocks * n / bitsPerSymbol): payload, side info, CRC, block padding and the
 * modulation padding (zero bits up to a whole symbol) are all in it. With quality 'auto' (bandwidth
 * matched) the largest quality whose channelUses fit the budget is sent and its own channelUses are
 * reported (<= budget); if none fits, nothing is sent, the feature is lost, and the budget is reported.
 *
 * 5G NR transport-block mode (`code=ldpc:5gnr:tb:auto:R`): the whole payload is one transport block
 * of the smallest valid size A that holds it (zero padded), sent as a 5G link sends it (TB CRC,
 * code-block segmentation with CRC24B, per-block LDPC and rate matching with Qm = bitsPerSymbol);
 * the TB CRC decides, so the scheme adds no block CRC of its own.
 */
import type { Channel, Code, DecodeResult, DemapMethod, Feature, Modem, Scheme, TransmitResult, TransmitStats } from '../../src/core/types.js';
import { n0FromSnrDb } from '../../src/core/types.js';
import type { Rng } from '../../src/core/rng.js';
import { UsageError } from '../../src/core/errors.js';
import { ByteLru } from '../../src/core/byte-lru.js';
import { blockLayout, packBlocks, unpackBlocks, type BitCrc, type BlockLayout } from './packetize.js';
import { sourceEncode, sourceDecode, sourceDecodeQuantized, sideInfoBits, largestFittingQuality, featureFingerprint, type HeaderMode, type SourceOptions, type SourceEncoded, type SourceDecodedQuantized } from './source.js';
import { mosaicLayout } from './mosaic.js';
import { dequantize8, type QuantRange, type RangeRule } from './quantize.js';
import type { HuffmanMode } from './jpeg-encoder.js';
import { fallbackFeature, type FallbackOptions } from '../fallback.js';
import type { TransportBlockFamily } from '../../src/fec/ldpc/5gnr/transport-block.js';

export interface SeparateOptions extends SourceOptions, FallbackOptions {
  /** JPEG quality 1..100, or 'auto' to pick the largest that fits `budgetChannelUses`. */
  quality: number | 'auto';
  /** Channel-use budget per feature for quality 'auto'. */
  budgetChannelUses?: number;
  /** null: uncoded (blocks of `blockBits` bits, hard decisions), or `tb` when given. */
  code: Code | null;
  /** 5G NR transport blocks sized to each payload (then `code` and `crc` must be null). */
  tb?: TransportBlockFamily;
  modem: Modem;
  /** null: no CRC (errors are not detected and reach the JPEG decoder). */
  crc: BitCrc | null;
  /** Information bits per block when uncoded (default 1024). */
  blockBits?: number;
  demap?: DemapMethod;
  /** The spec string this scheme was built from (for results). */
  spec?: string;
  /**
   * Bytes of encoded features kept between calls (default DEFAULT_TX_CACHE_BYTES; 0: encode on
   * every call). A sweep sends each feature at every SNR point and repetition: the source coding,
   * the code blocks and the error-free decode are done once per feature while they fit.
   */
  txCacheBytes?: number;
}

/** Default bound of a scheme's transmitter cache: a few hundred D1 features of the default model. */
export const DEFAULT_TX_CACHE_BYTES = 64 * 2 ** 20;

/** Channel-use accounting for one feature, everything in bits unless named otherwise. */
export interface LinkBudget {
  payloadBytes: number;
  jpegBits: number;
  sideInfoBits: number;
  blocks: number;
  crcBits: number;
  padBits: number;
  codeBits: number;
  modPadBits: number;
  channelUses: number;
}

/** Exact accounting for `jpegBytes` of JPEG with the given block size, CRC, code and modem. */
export function linkBudget(jpegBytes: number, opts: { range: RangeRule; channels: number; k: number; n: number; crcBits: number; bitsPerSymbol: number }): LinkBudget {
  const side = sideInfoBits(opts.range, opts.channels, true);
  const payloadBytes = side / 8 + jpegBytes;
  const L = blockLayout(payloadBytes, opts.k, opts.crcBits);
  const codeBits = L.blocks * opts.n;
  const channelUses = Math.ceil(codeBits / opts.bitsPerSymbol);
  return {
    payloadBytes, jpegBits: jpegBytes * 8, sideInfoBits: side, blocks: L.blocks, crcBits: L.blocks * opts.crcBits,
    padBits: L.padBits, codeBits, modPadBits: channelUses * opts.bitsPerSymbol - codeBits, channelUses,
  };
}

export class SeparateScheme implements Scheme {
  readonly name = 'separate';
  readonly spec: string;
  /** Information / code bits per block; 0 in transport-block mode (sized per payload). */
  readonly k: number;
  readonly n: number;
  /** Bound of the transmitter cache in bytes. */
  readonly txCacheBytes: number;
  private readonly o: SeparateOptions;
  /** Encoded features by content and quality. */
  private readonly txCache: ByteLru<TxEntry>;
  /** The codeword bits of the current call, unpacked from the cache (reused between calls). */
  private frameBuf = new Uint8Array(0);
  private xBuf = new Float32Array(0);
  private llrBuf = new Float32Array(0);

  constructor(o: SeparateOptions) {
    if (o.quality !== 'auto' && !(Number.isInteger(o.quality) && o.quality >= 1 && o.quality <= 100)) {
      throw new UsageError(`JPEG quality ${JSON.stringify(o.quality)} is not allowed: use an integer in 1..100 or auto`);
    }
    if (o.quality === 'auto' && !(Number.isInteger(o.budgetChannelUses) && o.budgetChannelUses! > 0)) {
      throw new UsageError('jpeg=auto needs uses=N (a positive channel-use budget per feature)');
    }
    const cacheBytes = o.txCacheBytes ?? DEFAULT_TX_CACHE_BYTES;
    if (!(Number.isSafeInteger(cacheBytes) && cacheBytes >= 0)) throw new UsageError(`transmitter cache bound ${JSON.stringify(o.txCacheBytes)} is not allowed: use an integer number of bytes >= 0`);
    this.txCacheBytes = cacheBytes;
    this.txCache = new ByteLru(cacheBytes);
    if (o.tb && (o.code || o.crc)) throw new UsageError('transport-block mode carries its own CRCs and codes: use code=null and crc=null with tb');
    this.k = o.tb ? 0 : o.code ? o.code.k : o.blockBits ?? 1024;
    this.n = o.tb ? 0 : o.code ? o.code.n : this.k;
    const crcBits = o.crc?.length ?? 0;
    if (!o.tb && this.k - crcBits < 8) throw new UsageError(`block of ${this.k} bits is too small for a ${crcBits}-bit CRC: use a larger block or code`);
    this.o = o;
    this.spec = o.spec ?? 'separate';
  }

  /** Features held by the transmitter cache and their bytes (<= txCacheBytes). */
  get txCacheUsage(): { entries: number; bytes: number } {
    return { entries: this.txCache.size, bytes: this.txCache.bytes };
  }

  /** Code rate k / n (1 when uncoded), for Eb/N0. */
  get codeRate(): number {
    return this.o.tb ? this.o.tb.rate : this.o.code ? this.o.code.rate : 1;
  }

  get bitsPerSymbol(): number {
    return this.o.modem.bitsPerSymbol;
  }

  /** The channel code of every block (null: uncoded or transport-block mode). */
  get code(): Code | null {
    return this.o.code;
  }

  /** The JPEG's Huffman tables. */
  get huffman(): HuffmanMode {
    return this.o.huffman ?? 'typical';
  }

  /** The accounting for a feature of `shape` whose JPEG has `jpegBytes` bytes. */
  budget(jpegBytes: number, channels: number): LinkBudget {
    if (this.o.tb) return this.tbBudget(jpegBytes, channels).b;
    return linkBudget(jpegBytes, {
      range: this.o.range ?? 'feature', channels, k: this.k, n: this.n,
      crcBits: this.o.crc?.length ?? 0, bitsPerSymbol: this.o.modem.bitsPerSymbol,
    });
  }

  /** Transport-block mode: the TB code for this payload and its accounting (one block). */
  private tbBudget(jpegBytes: number, channels: number): { b: LinkBudget; code: Code } {
    const range = this.o.range ?? 'feature';
    const side = sideInfoBits(range, channels, true);
    const payloadBits = side + jpegBytes * 8;
    const tb = this.o.tb!;
    const code = tb.create(tb.sizeFor(payloadBits), this.o.modem.bitsPerSymbol);
    const m = this.o.modem.bitsPerSymbol;
    const channelUses = Math.ceil(code.n / m);
    return {
      code,
      b: {
        payloadBytes: payloadBits / 8, jpegBits: jpegBytes * 8, sideInfoBits: side, blocks: 1,
        crcBits: code.seg.tbCrc + code.seg.c * code.seg.l, padBits: code.k - payloadBits, codeBits: code.n,
        modPadBits: channelUses * m - code.n, channelUses,
      },
    };
  }

  /** Quality used for this feature: the fixed one, or the largest fitting the budget (null: none fits). */
  qualityFor(feature: Feature, fingerprint?: string): number | null {
    if (this.o.quality !== 'auto') return this.o.quality;
    const C = feature.shape[2];
    const budget = this.o.budgetChannelUses!;
    return largestFittingQuality(feature, (bytes) => this.budget(bytes, C).channelUses <= budget, this.srcOpts(), fingerprint);
  }

  /** Channel uses this feature would take (the budget when nothing fits in 'auto' mode). */
  channelUsesFor(feature: Feature): number {
    const fp = featureFingerprint(feature);
    const q = this.qualityFor(feature, fp);
    return q === null ? this.o.budgetChannelUses! : this.transmitter(feature, q, fp).b.channelUses;
  }

  /** The block size, CRC and modem this scheme uses (for bandwidth matching). */
  get link(): { k: number; n: number; crcBits: number; bitsPerSymbol: number; range: RangeRule; header: HeaderMode } {
    return { k: this.k, n: this.n, crcBits: this.o.crc?.length ?? 0, bitsPerSymbol: this.o.modem.bitsPerSymbol, ...this.srcOpts() };
  }

  private srcOpts() {
    return { range: this.o.range ?? 'feature', header: this.o.header ?? 'full', huffman: this.o.huffman ?? 'typical' } as const;
  }

  transmit(feature: Feature, channel: Channel, snrDb: number, rng: Rng): TransmitResult {
    const [H, W, C] = feature.shape;
    if (feature.data.length !== H * W * C) throw new UsageError(`feature has ${feature.data.length} values, shape ${H}x${W}x${C} needs ${H * W * C}`);
    const fp = featureFingerprint(feature); // once: the quality scan and the transmitter cache key on it
    const quality = this.qualityFor(feature, fp);
    if (quality === null) {
      return {
        feature: this.fallback(feature), channelUses: this.o.budgetChannelUses!, bits: 0, failed: true,
        stats: { lossReason: 'no JPEG quality fits the channel-use budget', quality: 0, budgetChannelUses: this.o.budgetChannelUses! },
      };
    }
    const tx = this.transmitter(feature, quality, fp);
    const { src, b, payload, L, code } = tx;
    const frame = this.frameOf(tx);
    const { modem } = this.o;
    const k = L.k;
    const n = code ? code.n : k;
    // Symbols and LLRs go to buffers reused between calls (nothing returned keeps them).
    const nSym = frame.length / modem.bitsPerSymbol;
    if (this.xBuf.length < 2 * nSym) this.xBuf = new Float32Array(2 * nSym);
    if (this.llrBuf.length < frame.length) this.llrBuf = new Float32Array(frame.length);
    const x = modem.modulate(frame, this.xBuf.subarray(0, 2 * nSym));
    const { y, csi } = channel.apply(x, snrDb, rng);
    const llr = modem.demodulate(y, n0FromSnrDb(snrDb), csi, this.llrBuf.subarray(0, frame.length), this.o.demap ?? 'exact');

    // Decode each block; the CRC decides.
    const rx = new Uint8Array(L.blocks * k);
    let codeNotOk = 0;
    let iterations = 0;
    let rawBitErrors = 0;
    // Codes that decode several blocks at once (LDPC: the int16 kernel takes 8 per pass) get them all.
    const batch = code ? (code as BatchDecoder).decodeMany?.bind(code) : undefined;
    const many = batch ? batch(llr.subarray(0, L.blocks * n), L.blocks) : null;
    for (let i = 0; i < L.blocks; i++) {
      const l = llr.subarray(i * n, (i + 1) * n);
      if (code) {
        const d = many ? many[i] : code.decode(l);
        rx.set(d.bits.subarray(0, k), i * k);
        if (!d.ok) codeNotOk++;
        iterations += d.iterations;
      } else {
        for (let j = 0; j < k; j++) rx[i * k + j] = l[j] < 0 ? 1 : 0;
      }
    }
    for (let i = 0, end = L.blocks * n; i < end; i++) rawBitErrors += (llr[i] < 0 ? 1 : 0) ^ frame[i];
    const un = unpackBlocks(rx, L, this.o.crc);
    // transport-block mode: the TB CRC (the decoder's ok) decides
    if (this.o.tb && codeNotOk > 0) un.failedBlocks = codeNotOk;

    const stats: TransmitStats = {
      quality, jpegBytes: src.jpeg.length, sideInfoBits: b.sideInfoBits, blocks: L.blocks, failedBlocks: un.failedBlocks,
      crcBits: b.crcBits, padBits: b.padBits, codeBits: b.codeBits, modPadBits: b.modPadBits, rawBitErrors,
      codeNotOk, iterations,
    };
    const result = (data: Float32Array, failed: boolean, reason?: string): TransmitResult => {
      if (reason) stats.lossReason = reason;
      return { feature: data, channelUses: b.channelUses, bits: payload.length * 8, failed, stats };
    };
    if (un.failedBlocks > 0) return result(this.fallback(feature), true, `${un.failedBlocks} of ${L.blocks} blocks failed the CRC`);
    const parsed = deserialize(un.bytes, src.range.rule, src.range.min.length);
    if (!parsed.ok) return result(this.fallback(feature), true, parsed.reason);
    // Identical bytes decode identically: reuse the transmitter's own decode (the common case).
    if (bytesEqual(un.bytes, payload)) {
      if (!tx.decoded) {
        tx.decoded = sourceDecodeQuantized(src.jpeg, src.layout, quality, this.srcOpts());
        if (tx.decoded.ok && this.txCache.holds(tx.key, tx)) this.txCache.grow(tx.key, tx.decoded.q.byteLength);
      }
      const d = tx.decoded;
      if (!d.ok) return result(this.fallback(feature), true, d.reason);
      return result(dequantize8(d.q, src.layout.channels, src.range), false);
    }
    const dec = sourceDecode(parsed.jpeg, parsed.range, mosaicLayout(feature.shape), quality, this.srcOpts());
    if (!dec.ok) return result(this.fallback(feature), true, dec.reason);
    return result(dec.data, false);
  }

  /**
   * Everything before the modem for (feature content, quality): source coding, payload, blocks,
   * codeword bits. Deterministic, so it is kept (bounded by txCacheBytes, least recently used
   * dropped): a sweep over SNR points and repetitions encodes each feature once.
   */
  private transmitter(feature: Feature, quality: number, fingerprint: string): TxEntry {
    const key = `${fingerprint}|${quality}`;
    const hit = this.txCache.get(key);
    if (hit) return hit;
    const src = sourceEncode(feature, quality, this.srcOpts());
    const tb = this.o.tb ? this.tbBudget(src.jpeg.length, feature.shape[2]) : null;
    const b = tb ? tb.b : this.budget(src.jpeg.length, feature.shape[2]);
    const code = tb ? tb.code : this.o.code;
    const k = tb ? tb.code.k : this.k;
    const n = code ? code.n : k;
    const payload = serialize(src.range, src.jpeg);
    const L: BlockLayout = blockLayout(payload.length, k, this.o.crc?.length ?? 0);
    const info = packBlocks(payload, L, this.o.crc);
    // FEC encode all blocks into one frame, padded with zero bits up to a whole symbol.
    const { modem } = this.o;
    const frame = new Uint8Array(b.channelUses * modem.bitsPerSymbol);
    if (code) {
      for (let i = 0; i < L.blocks; i++) {
        const out = frame.subarray(i * n, (i + 1) * n);
        const cw = code.encode(info.subarray(i * k, (i + 1) * k), out);
        if (cw !== out) out.set(cw.subarray(0, n)); // a Code may ignore `out`
      }
    } else {
      frame.set(info);
    }
    // The JPEG is the tail of the payload: keep one copy of the bytes.
    const jpeg = payload.subarray(payload.length - src.jpeg.length);
    const e: TxEntry = { key, src: { ...src, jpeg }, b, payload, L, code, frameBits: frame.length, frame: packBits(frame) };
    this.txCache.set(key, e, payload.byteLength + e.frame.byteLength + 256);
    return e;
  }

  /** The entry's codeword bits (0/1 bytes), unpacked into the scheme's reused buffer. */
  private frameOf(e: TxEntry): Uint8Array {
    if (this.frameBuf.length < e.frameBits) this.frameBuf = new Uint8Array(e.frameBits);
    const out = this.frameBuf.subarray(0, e.frameBits);
    unpackBits(e.frame, out);
    return out;
  }

  /** The receiver's substitute for a lost feature. */
  fallback(feature: Feature): Float32Array {
    return fallbackFeature(feature, this.o.fallback ?? 'zeros', this.o.channelMean);
  }
}

/** A Code that also decodes `count` blocks of n LLRs at once (block-major). */
interface BatchDecoder {
  decodeMany?(llr: Float32Array, count: number): DecodeResult[];
}

interface TxEntry {
  key: string;
  src: SourceEncoded;
  b: LinkBudget;
  payload: Uint8Array;
  L: BlockLayout;
  /** The codeword bits of all blocks plus modulation padding, packed 8 per byte (MSB first). */
  frame: Uint8Array;
  frameBits: number;
  /** The code of this payload's blocks (the scheme's, or its transport block). */
  code: Code | null;
  /** What an error-free reception decodes to (8-bit values before dequantization), once needed. */
  decoded?: SourceDecodedQuantized;
}

/** 0/1 bytes -> bits packed 8 per byte, MSB first. */
function packBits(bits: Uint8Array): Uint8Array {
  const out = new Uint8Array((bits.length + 7) >> 3);
  for (let i = 0; i < bits.length; i++) out[i >> 3] |= (bits[i] & 1) << (7 - (i & 7));
  return out;
}

/** Inverse of packBits for out.length bits. */
function unpackBits(packed: Uint8Array, out: Uint8Array): void {
  const n = out.length;
  const whole = n >> 3;
  for (let j = 0, i = 0; j < whole; j++, i += 8) {
    const v = packed[j];
    out[i] = v >> 7;
    out[i + 1] = (v >> 6) & 1;
    out[i + 2] = (v >> 5) & 1;
    out[i + 3] = (v >> 4) & 1;
    out[i + 4] = (v >> 3) & 1;
    out[i + 5] = (v >> 2) & 1;
    out[i + 6] = (v >> 1) & 1;
    out[i + 7] = v & 1;
  }
  for (let i = whole * 8; i < n; i++) out[i] = (packed[i >> 3] >> (7 - (i & 7))) & 1;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** [min, max] float32 LE per range, uint32 LE JPEG length, JPEG bytes. */
export function serialize(range: QuantRange, jpeg: Uint8Array): Uint8Array {
  const nr = range.min.length;
  const out = new Uint8Array(nr * 8 + 4 + jpeg.length);
  const dv = new DataView(out.buffer);
  for (let r = 0; r < nr; r++) {
    dv.setFloat32(r * 8, range.min[r], true);
    dv.setFloat32(r * 8 + 4, range.max[r], true);
  }
  dv.setUint32(nr * 8, jpeg.length, true);
  out.set(jpeg, nr * 8 + 4);
  return out;
}

export function deserialize(bytes: Uint8Array, rule: RangeRule, nr: number):
  { ok: true; range: QuantRange; jpeg: Uint8Array } | { ok: false; reason: string } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const min = new Float32Array(nr);
  const max = new Float32Array(nr);
  for (let r = 0; r < nr; r++) {
    min[r] = dv.getFloat32(r * 8, true);
    max[r] = dv.getFloat32(r * 8 + 4, true);
    if (!Number.isFinite(min[r]) || !Number.isFinite(max[r]) || max[r] < min[r]) return { ok: false, reason: 'invalid side information (range)' };
  }
  const len = dv.getUint32(nr * 8, true);
  if (len > bytes.length - nr * 8 - 4) return { ok: false, reason: `invalid side information (JPEG length ${len})` };
  return { ok: true, range: { rule, min, max }, jpeg: bytes.subarray(nr * 8 + 4, nr * 8 + 4 + len) };
}
