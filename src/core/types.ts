/**
 * The public interfaces of jscc-sim (docs/architecture.md, "Interfaces"). Units:
 * - symbols are complex baseband, interleaved (re, im) in a Float32Array; `channelUses` = complex
 *   symbols = length / 2;
 * - every transmitter normalizes to Es = 1 per complex symbol; SNR = Es/N0 in dB and
 *   N0 = 10^(-SNR/10) is the total complex noise variance (N0/2 per real dimension);
 * - LLR = ln P(b=0|y) / P(b=1|y): positive means bit 0.
 */
import type { Rng } from './rng.js';

/** Channel state per complex symbol, interleaved (re, im) like the symbols, for equalization. */
export interface ChannelOutput {
  /** Received symbols, interleaved (re, im). For fading channels: already equalized (y/h). */
  y: Float32Array;
  /**
   * Per-symbol CSI for the demapper after equalization: the effective noise variance of symbol i
   * is n0 / csi[i] (csi[i] = |h_i|^2). Absent on AWGN (csi = 1 everywhere).
   */
  csi?: Float32Array;
}

export type ChannelParams = Record<string, number | string | boolean>;

export interface Channel {
  readonly name: string;
  readonly params: Readonly<ChannelParams>;
  /** Send interleaved complex symbols x at Es/N0 = snrDb; all randomness from rng. */
  apply(x: Float32Array, snrDb: number, rng: Rng): ChannelOutput;
  /** Differentiable form for training in tfjs (x: [..., 2] or interleaved last axis). Optional. */
  applyTensor?(x: unknown, snrDb: number, seed?: number): unknown;
}

/** A factory registered by name; `params` come from `--channel-param k=v`. */
export type ChannelFactory = (params: ChannelParams) => Channel;

export type DemapMethod = 'exact' | 'maxlog';

export interface Modem {
  readonly name: string;
  /** Bits per complex symbol. */
  readonly bitsPerSymbol: number;
  /** bits.length must be a multiple of bitsPerSymbol; returns interleaved symbols with Es = 1. */
  modulate(bits: Uint8Array, out?: Float32Array): Float32Array;
  /** LLR per bit (positive = 0) for received y at noise n0, with optional per-symbol csi. */
  demodulate(y: Float32Array, n0: number, csi?: Float32Array, out?: Float32Array, method?: DemapMethod): Float32Array;
}

export interface DecodeResult {
  /** The k decoded information bits. */
  bits: Uint8Array;
  /** True when the decoder's own check passed (LDPC: syndrome zero; others: always true). */
  ok: boolean;
  /** Iterations used (1 for non-iterative decoders). */
  iterations: number;
}

export interface Code {
  readonly name: string;
  /** Information bits per block. */
  readonly k: number;
  /** Code bits per block (after puncturing / rate matching). */
  readonly n: number;
  /** Effective rate k / n used in Eb/N0. */
  readonly rate: number;
  encode(bits: Uint8Array, out?: Uint8Array): Uint8Array;
  decode(llr: Float32Array): DecodeResult;
}

/**
 * What a scheme measured while sending one feature: one vocabulary for every scheme, each field
 * present only where that scheme measures it. Counts are per feature.
 */
export interface TransmitStats {
  /** JPEG quality used (separate, ideal); 0 when no quality fits the budget or capacity. */
  quality?: number;
  /** Why the receiver used the fallback, one line (absent when the feature arrived). */
  lossReason?: string;
  /** Separate scheme: JPEG bytes, side-information bits (header, ranges) and the link budget. */
  jpegBytes?: number;
  sideInfoBits?: number;
  blocks?: number;
  failedBlocks?: number;
  crcBits?: number;
  padBits?: number;
  codeBits?: number;
  modPadBits?: number;
  /** Code bits whose hard decision before decoding differs from the sent bit. */
  rawBitErrors?: number;
  /** Blocks whose decoder check (LDPC syndrome) failed, and decoder iterations summed over blocks. */
  codeNotOk?: number;
  iterations?: number;
  /** Separate scheme with `uses=`: the channel-use budget that no quality fitted. */
  budgetChannelUses?: number;
  /** Ideal bound: channelUses * C(SNR), bits. */
  capacityBits?: number;
  /** JSCC: elements of D1 / (2 channelUses). */
  compressionRatio?: number;
}

export interface TransmitResult<S extends TransmitStats = TransmitStats> {
  /** The received (reconstructed) feature, same shape as sent. */
  feature: Float32Array;
  /** Complex channel symbols used for this feature. */
  channelUses: number;
  /** Payload bits sent (separate schemes). */
  bits?: number;
  /** True when the receiver had to use the fallback (lost blocks or undecodable JPEG). */
  failed: boolean;
  stats: S;
}

/** A feature tensor in HWC order (float32). */
export interface Feature {
  data: Float32Array;
  shape: [number, number, number];
}

export interface Scheme {
  readonly name: string;
  readonly spec: string;
  transmit(feature: Feature, channel: Channel, snrDb: number, rng: Rng): TransmitResult | Promise<TransmitResult>;
}

/** N0 = 10^(-SNR/10) for Es = 1. */
export function n0FromSnrDb(snrDb: number): number {
  return Math.pow(10, -snrDb / 10);
}

/** Eb/N0 (dB) = SNR - 10 log10(R * bitsPerSymbol). */
export function ebn0FromSnrDb(snrDb: number, rate: number, bitsPerSymbol: number): number {
  return snrDb - 10 * Math.log10(rate * bitsPerSymbol);
}

export function snrFromEbn0Db(ebn0Db: number, rate: number, bitsPerSymbol: number): number {
  return ebn0Db + 10 * Math.log10(rate * bitsPerSymbol);
}
