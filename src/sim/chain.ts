/**
 * One link chain for BER simulation: source bits -> [code] -> modem -> channel -> demap ->
 * [decode], rebuilt identically in every worker from a serializable ChainSpec.
 */
import type { Channel, ChannelParams, Code, DemapMethod, Modem } from '../core/types.js';
import { n0FromSnrDb } from '../core/types.js';
import type { Rng } from '../core/rng.js';
import { createModem } from '../phy/registry.js';
import { parseCodeSpec } from '../fec/registry.js';
import { createChannel } from '../../channels/registry.js';
import { fillBitsFast } from './bits.js';

/** Everything needed to rebuild a chain in a worker (plain JSON). */
export interface ChainSpec {
  mod: string;
  /** Code SPEC for src/fec/registry.ts ('none' = uncoded). */
  code: string;
  /** Built-in channel name or absolute plug-in path. */
  channel: string;
  channelParams: ChannelParams;
  demap: DemapMethod;
}

/** Counts from a run of frames. */
export interface ChunkCounts {
  bitErrors: number;
  bits: number;
  blockErrors: number;
  blocks: number;
  /** Sum over frames of (bit errors in the frame)^2, for the frame-level interval. */
  frameErrorsSq: number;
}

/** Symbols per uncoded frame (one channel.apply call each). */
export const UNCODED_FRAME_SYMBOLS = 1024;

export class Chain {
  readonly modem: Modem;
  readonly code: Code | null;
  readonly channel: Channel;
  readonly demap: DemapMethod;
  /** Information bits per frame (code.k, or a fixed uncoded frame). */
  readonly frameBits: number;
  /** Bits modulated per frame: code.n padded with zeros to a multiple of bitsPerSymbol. */
  readonly txBits: number;
  /** Effective rate used in Eb/N0 (code.rate, 1 uncoded). */
  readonly rate: number;
  private readonly info: Uint8Array;
  private readonly tx: Uint8Array;
  /** The first code.n bits of tx (the encoder's output buffer). */
  private readonly codeOut: Uint8Array;
  private readonly x: Float32Array;
  private readonly llr: Float32Array;

  constructor(modem: Modem, code: Code | null, channel: Channel, demap: DemapMethod) {
    this.modem = modem;
    this.code = code;
    this.channel = channel;
    this.demap = demap;
    const m = modem.bitsPerSymbol;
    if (code) {
      this.frameBits = code.k;
      this.txBits = Math.ceil(code.n / m) * m;
      this.rate = code.rate;
    } else {
      this.frameBits = UNCODED_FRAME_SYMBOLS * m;
      this.txBits = this.frameBits;
      this.rate = 1;
    }
    this.info = new Uint8Array(this.frameBits);
    this.tx = new Uint8Array(this.txBits);
    this.codeOut = this.tx.subarray(0, code ? code.n : 0);
    this.x = new Float32Array((2 * this.txBits) / m);
    this.llr = new Float32Array(this.txBits);
  }

  /** Run `frames` frames at Es/N0 = snrDb, every draw from rng (bits, then the channel's). */
  run(snrDb: number, frames: number, rng: Rng): ChunkCounts {
    const n0 = n0FromSnrDb(snrDb);
    const k = this.frameBits;
    const info = this.info;
    let bitErrors = 0;
    let blockErrors = 0;
    let frameErrorsSq = 0;
    for (let f = 0; f < frames; f++) {
      fillBitsFast(rng, info);
      let tx = info;
      if (this.code) {
        this.code.encode(info, this.codeOut); // into tx; the padding tail stays zero
        tx = this.tx;
      }
      this.modem.modulate(tx, this.x);
      const { y, csi } = this.channel.apply(this.x, snrDb, rng);
      if (y.length !== this.x.length) throw new Error(`channel ${this.channel.name} returned ${y.length} values for ${this.x.length}`);
      this.modem.demodulate(y, n0, csi, this.llr, this.demap);
      let e = 0;
      if (this.code) {
        const dec = this.code.decode(this.llr.subarray(0, this.code.n));
        const b = dec.bits;
        for (let i = 0; i < k; i++) e += b[i] ^ info[i];
      } else {
        const llr = this.llr;
        for (let i = 0; i < k; i++) e += (llr[i] < 0 ? 1 : 0) ^ info[i];
      }
      bitErrors += e;
      frameErrorsSq += e * e;
      if (e > 0) blockErrors++;
    }
    return { bitErrors, bits: frames * k, blockErrors, blocks: frames, frameErrorsSq };
  }
}

/** Build a chain from its spec (a Code object may be passed directly when running in-process). */
export async function buildChain(spec: ChainSpec, code?: Code | null): Promise<Chain> {
  const modem = createModem(spec.mod);
  const c = code !== undefined ? code : parseCodeSpec(spec.code);
  const channel = await createChannel(spec.channel, spec.channelParams);
  return new Chain(modem, c, channel, spec.demap);
}
