/**
 * Scheme SPEC -> Scheme (docs/architecture.md, "Registries"); `link`, `eval` and `compare` reuse it.
 *
 *   none
 *   separate:jpeg=Q,code=CODE,mod=MOD[,crc=16|24a|none][,fallback=zeros|mean][,block=BYTES]
 *            [,demap=exact|maxlog][,range=feature|channel][,header=full|known][,huffman=typical|optimal]
 *   separate:jpeg=auto,uses=N|ratio=R,code=CODE,mod=MOD[,...]   (bandwidth-matched)
 *   ideal:jpeg[,uses=N|ratio=R|uses=match:SPEC][,range=...][,header=...][,huffman=...][,fallback=...]
 *
 * Q: JPEG quality 1..100. CODE: a Code SPEC (src/fec/registry.ts), or ldpc:5gnr:tb:auto:R for one 5G NR
 * transport block sized to each payload (its own TB and code-block CRCs; crc= is then not allowed).
 * MOD: bpsk|qpsk|16qam|64qam|256qam.
 * crc (default 16): CRC per code block (CRC-16-CCITT or CRC-24A), `none` leaves errors undetected.
 * huffman (default optimal with header=full, typical with header=known): the JPEG's Huffman tables,
 * `optimal` = built for each image by T.81 Annex K.2 (libjpeg's optimize; the tables travel in the
 * header), or `typical` = T.81 Tables K.3/K.5.
 * block (default 128): bytes per block when code=none. uses / ratio: channel uses per feature, or
 * the compression ratio elements / (2 * uses). `uses=match:SPEC` (last, it takes the rest of the
 * spec) names a separate scheme whose mean channel uses over the evaluation images the bound gets;
 * the caller measures them (compare, eval) and passes ctx.channelUses. Without any of these
 * `ideal:jpeg` takes ctx.channelUses too. Other prefixes (e.g. `jscc`) are added with
 * registerScheme.
 */
import type { Scheme } from '../src/core/types.js';
import { UsageError } from '../src/core/errors.js';
import { parseCodeSpec, parseTransportBlockFamily } from '../src/fec/registry.js';
import { createModem } from '../src/phy/registry.js';
import { IdentityScheme } from './none.js';
import { IdealScheme } from './ideal.js';
import { SeparateScheme } from './separate/scheme.js';
import type { SourceOptions } from './separate/source.js';
import type { FallbackOptions } from './fallback.js';
import { checkQuality } from './separate/jpeg.js';
import { crcByName, CRC_NAMES } from './separate/crc.js';

export interface SchemeContext {
  /** Feature shape (H, W, C), for ratio=R and fallback=mean. */
  shape?: readonly [number, number, number];
  /** Reference bandwidth in channel uses per feature (for `ideal:jpeg` without uses/ratio). */
  channelUses?: number;
  /** Per-channel means for fallback=mean. */
  channelMean?: Float32Array;
}

export type SchemeBuilder = (rest: string, ctx: SchemeContext, spec: string) => Scheme | Promise<Scheme>;

const builders = new Map<string, SchemeBuilder>();

export const SCHEME_SPEC_HELP = 'none, separate:jpeg=Q,code=CODE,mod=MOD[,...], ideal:jpeg[,uses=N|ratio=R|uses=match:SEPARATE_SPEC]';

/**
 * `ideal:jpeg,...,uses=match:SPEC` -> { own: 'ideal:jpeg,...', reference: 'SPEC' }; no reference:
 * { own: spec }. The reference must be a separate scheme; it is validated here.
 */
export function idealReference(spec: string): { own: string; reference?: string } {
  const s = String(spec ?? '').trim();
  const m = /,\s*uses\s*=\s*match:/i.exec(s);
  if (!/^ideal:/i.test(s) || !m) return { own: s };
  const reference = s.slice(m.index + m[0].length).trim();
  if (!/^separate:/i.test(reference)) {
    throw new UsageError(`scheme ${JSON.stringify(spec)}: uses=match:${reference} is not allowed: match a separate scheme, uses=match:separate:jpeg=Q,code=CODE,mod=MOD`);
  }
  parseSchemeSpec(reference); // a bad reference is a usage error now, not after the sweep started
  return { own: s.slice(0, m.index), reference };
}

/** Add a scheme family: `prefix:rest` specs go to `builder(rest, ctx, spec)`. */
export function registerScheme(prefix: string, builder: SchemeBuilder): void {
  const p = prefix.trim().toLowerCase();
  if (!/^[a-z][a-z0-9_-]*$/.test(p)) throw new Error(`scheme prefix ${JSON.stringify(prefix)} must be a lower-case word`);
  builders.set(p, builder);
}

export function schemePrefixes(): string[] {
  return ['none', ...builders.keys()];
}

function help(): string {
  return `use none, separate:jpeg=Q,code=CODE,mod=MOD[,crc=16|24a|none][,fallback=zeros|mean][,block=BYTES]`
    + `[,demap=exact|maxlog][,range=feature|channel][,header=full|known][,huffman=typical|optimal], ideal:jpeg[,uses=N|ratio=R|uses=match:SEPARATE_SPEC]`
    + (builders.size > 2 ? `, or ${[...builders.keys()].filter((k) => k !== 'separate' && k !== 'ideal').map((k) => `${k}:...`).join(', ')}` : '');
}

/** `none`, or the builder of the spec's family applied to the text after its prefix. */
function build(spec: string, ctx: SchemeContext): Scheme | Promise<Scheme> {
  const s = String(spec ?? '').trim();
  if (s.toLowerCase() === 'none') return new IdentityScheme();
  const i = s.indexOf(':');
  const b = builders.get((i < 0 ? s : s.slice(0, i)).toLowerCase());
  if (!b) throw new UsageError(`scheme ${JSON.stringify(spec)} is not allowed: ${help()}`);
  return b(i < 0 ? '' : s.slice(i + 1), ctx, s);
}

/** Build a scheme; async because registered families may load models. */
export async function createScheme(spec: string, ctx: SchemeContext = {}): Promise<Scheme> {
  return build(spec, ctx);
}

/** Synchronous form for the built-in families (none, separate, ideal). */
export function parseSchemeSpec(spec: string, ctx: SchemeContext = {}): Scheme {
  const r = build(spec, ctx);
  if (r instanceof Promise) {
    r.catch(() => undefined); // never an unhandled rejection: the caller gets the error below
    throw new UsageError(`scheme ${JSON.stringify(spec)} builds asynchronously (it loads a model): use createScheme`);
  }
  return r;
}

/** `k=v,k=v` -> map; unknown or repeated keys are usage errors. */
function keyValues(rest: string, spec: string, allowed: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  if (rest.trim() === '') return m;
  for (const part of rest.split(',')) {
    const eq = part.indexOf('=');
    const k = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const v = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!allowed.includes(k)) {
      throw new UsageError(`scheme ${JSON.stringify(spec)}: key ${JSON.stringify(k)} is not allowed: use ${allowed.join(', ')}`);
    }
    if (eq < 0 || v === '') throw new UsageError(`scheme ${JSON.stringify(spec)}: ${k} needs a value (${k}=...)`);
    if (m.has(k)) throw new UsageError(`scheme ${JSON.stringify(spec)}: ${k} is given twice`);
    m.set(k, v);
  }
  return m;
}

function checkMean(spec: string, fallback: string, ctx: SchemeContext): void {
  if (fallback === 'mean' && !ctx.channelMean) {
    throw new UsageError(`scheme ${JSON.stringify(spec)}: fallback=mean needs the per-channel training means (link: --mean FILE.npy)`);
  }
}

function oneOf<T extends string>(spec: string, key: string, v: string | undefined, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  const x = v.toLowerCase() as T;
  if (!allowed.includes(x)) throw new UsageError(`scheme ${JSON.stringify(spec)}: ${key}=${v} is not allowed: use ${allowed.join('|')}`);
  return x;
}

function positiveNumber(spec: string, key: string, v: string): number {
  const n = /^\s*\d+(\.\d+)?(e\d+)?\s*$/i.test(v) ? Number(v) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`scheme ${JSON.stringify(spec)}: ${key}=${v} is not allowed: use a positive number`);
  return n;
}

/** Channel uses from uses=N or ratio=R (elements / (2 * uses)), or ctx.channelUses. */
function budgetUses(spec: string, kv: Map<string, string>, ctx: SchemeContext, required: boolean): number | undefined {
  const uses = kv.get('uses');
  const ratio = kv.get('ratio');
  if (uses !== undefined && ratio !== undefined) throw new UsageError(`scheme ${JSON.stringify(spec)}: give uses=N or ratio=R, not both`);
  if (uses !== undefined) {
    const n = positiveNumber(spec, 'uses', uses);
    if (!Number.isInteger(n)) throw new UsageError(`scheme ${JSON.stringify(spec)}: uses=${uses} is not allowed: use a positive integer`);
    return n;
  }
  if (ratio !== undefined) {
    const r = positiveNumber(spec, 'ratio', ratio);
    if (!ctx.shape) throw new UsageError(`scheme ${JSON.stringify(spec)}: ratio=R needs the feature shape; use uses=N`);
    const elements = ctx.shape[0] * ctx.shape[1] * ctx.shape[2];
    return Math.max(1, Math.round(elements / (2 * r)));
  }
  if (ctx.channelUses !== undefined) return ctx.channelUses;
  if (required) throw new UsageError(`scheme ${JSON.stringify(spec)} needs a bandwidth: add uses=N (channel uses per feature) or ratio=R`);
  return undefined;
}

/**
 * The JPEG's Huffman tables: default `optimal` (T.81 K.2, built per image: the stronger baseline,
 * 1.4-30 % fewer bytes on D1 mosaics than the typical tables, most at low quality) where the header
 * travels, `typical` with header=known (the receiver cannot learn per-image tables).
 */
function huffmanOf(spec: string, value: string | undefined, header: 'full' | 'known'): 'typical' | 'optimal' {
  const huffman = oneOf(spec, 'huffman', value, ['typical', 'optimal'] as const, header === 'known' ? 'typical' : 'optimal');
  if (huffman === 'optimal' && header === 'known') {
    throw new UsageError(`scheme ${JSON.stringify(spec)}: huffman=optimal needs header=full (the per-image tables travel in the header)`);
  }
  return huffman;
}

const SEPARATE_KEYS = ['jpeg', 'code', 'mod', 'crc', 'fallback', 'block', 'demap', 'range', 'header', 'huffman', 'uses', 'ratio'] as const;

registerScheme('separate', (rest, ctx, spec) => {
  const kv = keyValues(rest, spec, SEPARATE_KEYS);
  for (const k of ['jpeg', 'code', 'mod']) {
    if (!kv.has(k)) throw new UsageError(`scheme ${JSON.stringify(spec)} needs ${k}=...: ${help()}`);
  }
  const jpegQ = kv.get('jpeg')!;
  const auto = jpegQ.toLowerCase() === 'auto';
  const quality = auto ? 'auto' as const : checkQuality(jpegQ);
  const budget = auto ? budgetUses(spec, kv, ctx, true) : undefined;
  if (!auto && (kv.has('uses') || kv.has('ratio'))) throw new UsageError(`scheme ${JSON.stringify(spec)}: uses/ratio go with jpeg=auto`);
  // All blocks of a feature are decoded together: min-sum LDPC gets the int16 inter-frame kernel.
  const tb = parseTransportBlockFamily(kv.get('code')!, { manyFrames: true });
  const code = tb ? null : parseCodeSpec(kv.get('code')!, { manyFrames: true });
  const modem = createModem(kv.get('mod')!);
  if (tb && kv.has('crc')) throw new UsageError(`scheme ${JSON.stringify(spec)}: crc= is not allowed with code=ldpc:5gnr:tb:auto:R (the transport block has its own CRCs)`);
  const crcName = tb ? 'none' : oneOf(spec, 'crc', kv.get('crc'), CRC_NAMES, '16');
  let blockBits: number | undefined;
  if (kv.has('block')) {
    if (code || tb) throw new UsageError(`scheme ${JSON.stringify(spec)}: block=BYTES applies to code=none only (a code fixes the block size k)`);
    const n = positiveNumber(spec, 'block', kv.get('block')!);
    if (!Number.isInteger(n) || n < 4 || n > 1 << 20) throw new UsageError(`scheme ${JSON.stringify(spec)}: block=${kv.get('block')} is not allowed: use an integer number of bytes in 4..1048576`);
    blockBits = n * 8;
  }
  return new SeparateScheme({
    quality, budgetChannelUses: budget, code, tb: tb ?? undefined, modem, crc: crcByName(crcName), blockBits,
    demap: oneOf(spec, 'demap', kv.get('demap'), ['exact', 'maxlog'] as const, 'exact'),
    ...sourceAndFallback(spec, kv, ctx),
    spec,
  });
});

/** The source-coding and fallback keys that separate: and ideal: share (range, header, huffman, fallback). */
function sourceAndFallback(spec: string, kv: Map<string, string>, ctx: SchemeContext): Required<Pick<SourceOptions, 'range' | 'header' | 'huffman'>> & FallbackOptions {
  const fallback = oneOf(spec, 'fallback', kv.get('fallback'), ['zeros', 'mean'] as const, 'zeros');
  checkMean(spec, fallback, ctx);
  const header = oneOf(spec, 'header', kv.get('header'), ['full', 'known'] as const, 'full');
  return {
    range: oneOf(spec, 'range', kv.get('range'), ['feature', 'channel'] as const, 'feature'),
    header,
    huffman: huffmanOf(spec, kv.get('huffman'), header),
    fallback,
    channelMean: ctx.channelMean,
  };
}

registerScheme('ideal', (rest0, ctx, spec) => {
  if (/,\s*ref\s*=/i.test(spec)) {
    throw new UsageError(`scheme ${JSON.stringify(spec)}: ref=K (a position in the scheme list) is gone: name the separate scheme, uses=match:separate:jpeg=Q,code=CODE,mod=MOD`);
  }
  const { own, reference } = idealReference(spec);
  if (reference !== undefined && ctx.channelUses === undefined) {
    throw new UsageError(`scheme ${JSON.stringify(spec)}: uses=match:SPEC measures SPEC on the evaluation images (compare, eval); here give uses=N or ratio=R`);
  }
  const rest = reference === undefined ? rest0 : own.slice(own.indexOf(':') + 1);
  const parts = rest.split(',');
  if (parts[0].trim().toLowerCase() !== 'jpeg') throw new UsageError(`scheme ${JSON.stringify(spec)} is not allowed: the ideal bound is ideal:jpeg[,uses=N|ratio=R|uses=match:SEPARATE_SPEC]`);
  const kv = keyValues(parts.slice(1).join(','), spec, ['uses', 'ratio', 'range', 'header', 'huffman', 'fallback']);
  if (reference !== undefined && (kv.has('uses') || kv.has('ratio'))) {
    throw new UsageError(`scheme ${JSON.stringify(spec)}: give one bandwidth, uses=match:SPEC, uses=N or ratio=R`);
  }
  return new IdealScheme({
    channelUses: budgetUses(spec, kv, ctx, true)!,
    ...sourceAndFallback(spec, kv, ctx),
    spec,
  });
});

// `jscc:DIR`: a trained JSCC checkpoint (training steps 2/3). Loaded lazily so that the PHY-only
// commands never start tfjs.
registerScheme('jscc', (rest, ctx, spec) => {
  const dir = rest.trim();
  if (!dir) throw new UsageError(`scheme ${JSON.stringify(spec)} is not allowed: use jscc:DIR with a JSCC checkpoint folder`);
  return loadJscc(dir, ctx, spec);
});

async function loadJscc(dir: string, ctx: SchemeContext, spec: string): Promise<Scheme> {
  const { initBackend } = await import('../src/nn/backend.js');
  await initBackend('wasm');
  const { loadJsccModel } = await import('../src/nn/jscc/load.js');
  const { scheme } = await loadJsccModel(dir, spec);
  if (ctx.shape) {
    const want = scheme.inputShape.join(',');
    if (want !== ctx.shape.join(',')) throw new UsageError(`scheme ${JSON.stringify(spec)} takes features of shape [${want}], not [${ctx.shape.join(',')}]`);
  }
  return scheme;
}
