/**
 * Any LDPC code from an alist file as a `Code` (`ldpc:alist:PATH`): H read by parseAlist, a
 * systematic GF(2) encoder (gf2-encoder.ts; the information bits land at infoPositions, the first
 * k for codes whose last M columns are invertible), decoded by LdpcDecoder with the same kernels
 * (float JS min-sum, as H from a file has no QC structure, or the int16 kernel with kernel=int16).
 */
import { readFileSync } from 'node:fs';
import type { Code, DecodeResult } from '../../../core/types.js';
import { UsageError } from '../../../core/errors.js';
import type { ParityCheck } from '../parity-check.js';
import { LdpcDecoder, type LdpcDecoderOptions } from '../decoder.js';
import { Gf2Encoder } from '../gf2-encoder.js';
import { parseAlist } from './alist.js';

export class AlistCode implements Code {
  readonly name: string;
  readonly k: number;
  readonly n: number;
  readonly rate: number;
  readonly h: ParityCheck;
  readonly encoder: Gf2Encoder;
  readonly decoder: LdpcDecoder;
  private readonly cw: Uint8Array;

  constructor(h: ParityCheck, name: string, options: LdpcDecoderOptions = {}) {
    this.h = h;
    this.encoder = new Gf2Encoder(h);
    if (this.encoder.k < 1) throw new UsageError(`${name}: H has full column rank, the code carries no information`);
    this.decoder = new LdpcDecoder(h, options);
    this.n = h.n;
    this.k = this.encoder.k;
    this.rate = this.k / this.n;
    this.name = name;
    this.cw = new Uint8Array(h.n);
  }

  encode(bits: Uint8Array, out?: Uint8Array): Uint8Array {
    return this.encoder.encode(bits, out);
  }

  private info(hard: Uint8Array): Uint8Array {
    const u = new Uint8Array(this.k);
    const pos = this.encoder.infoPositions;
    for (let j = 0; j < this.k; j++) u[j] = hard[pos[j]];
    return u;
  }

  decode(llr: Float32Array): DecodeResult {
    if (llr.length !== this.n) throw new UsageError(`${this.name}: ${llr.length} LLRs are not allowed: use n = ${this.n} LLRs`);
    const r = this.decoder.decode(llr, this.cw);
    return { bits: this.info(r.bits), ok: r.ok, iterations: r.iterations };
  }

  decodeMany(llr: Float32Array, count: number): DecodeResult[] {
    if (llr.length !== count * this.n) throw new UsageError(`${this.name}: ${llr.length} LLRs are not allowed for ${count} blocks of n = ${this.n}`);
    const r = this.decoder.decodeMany(llr, count);
    return Array.from({ length: count }, (_, f) => ({ bits: this.info(r.bits.subarray(f * this.n, (f + 1) * this.n)), ok: r.ok[f] === 1, iterations: r.iterations[f] }));
  }
}

/** `ldpc:alist:PATH`: read and build (UsageError naming the file on any problem). */
export function loadAlistCode(path: string, options: LdpcDecoderOptions = {}): AlistCode {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`alist file ${JSON.stringify(path)} cannot be read (${code === 'ENOENT' ? 'no such file' : code ?? 'error'}): give the path of a MacKay alist file`);
  }
  return new AlistCode(parseAlist(text, path), `ldpc:alist:${path}`, options);
}
