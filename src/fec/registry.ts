/**
 * Code SPEC -> Code (docs/architecture.md, "Registries"). The CLI (`ber --code`) and the separate baseline
 * reuse this one parser:
 *   none                                   uncoded (returns null)
 *   conv:1/2|2/3|3/4|5/6[:K=bits]          K=7 [133,171] + 802.11 puncturing, soft Viterbi
 *                                          (K = information bits per block, default 1024)
 *   ldpc:80211n:648|1296|1944:1/2|2/3|3/4|5/6
 *   ldpc:5gnr:bg1|bg2|auto:K:R             TS 38.212 LDPC, R a fraction (1/3) or decimal (0.5)
 *   ldpc:5gnr:tb:A:R[:qm=Q][:bg=bg1|bg2]   a 5G NR transport block of A bits (TB CRC, code-block
 *                                          segmentation with CRC24B, per-block LDPC + rate matching);
 *                                          A=auto (separate scheme only): sized to the payload
 *   ldpc:alist:PATH                        any LDPC code from a MacKay alist file (GF(2) encoder);
 *                                          PATH keeps its case, suffixes go after it
 * LDPC specs take optional decoder suffixes `:alg=nms|oms|spa`, `:iter=N` and `:kernel=float|int16|int8`
 * (int16: the inter-frame 16-bit SIMD min-sum kernel for blocks decoded together, the default where
 * the caller says `manyFrames`, e.g. the separate scheme; int8: the 8-bit one, 16 frames per
 * vector, opt-in), which override the `options.ldpc` defaults. Case-insensitive. A bad SPEC is a UsageError naming it and listing
 * what is allowed.
 */
import type { Code } from '../core/types.js';
import { UsageError } from '../core/errors.js';
import { createConv } from './conv/code.js';
import { CONV_RATES } from './conv/puncture.js';
import { createLdpc80211n } from './ldpc/80211n/code.js';
import { createLdpc5gnr } from './ldpc/5gnr/code.js';
import { LDPC_ALGORITHMS, type LdpcDecoderOptions } from './ldpc/decoder.js';
import { Ldpc5gnrTransportBlock, TransportBlockFamily } from './ldpc/5gnr/transport-block.js';
import { loadAlistCode } from './ldpc/alist/code.js';
import { wasmMinSum16Available } from './ldpc/kernel/minsum16-kernel.js';

export const CODE_SPEC_HELP =
  'none, conv:1/2|2/3|3/4|5/6[:K=bits], ldpc:80211n:648|1296|1944:1/2|2/3|3/4|5/6, ldpc:5gnr:bg1|bg2|auto:K:R, ' +
  'ldpc:5gnr:tb:A:R[:qm=Q][:bg=bg1|bg2], ldpc:alist:PATH ' +
  '(LDPC suffixes :alg=nms|oms|spa :iter=N :kernel=float|int16|int8)';

/** One example of every form (for help texts and tests). */
export const CODE_SPEC_EXAMPLES: readonly string[] = [
  'none', 'conv:1/2', 'conv:3/4:K=4096', 'ldpc:80211n:1944:1/2', 'ldpc:5gnr:bg1:8448:1/3', 'ldpc:5gnr:bg2:512:0.5:alg=oms:iter=20',
  'ldpc:5gnr:tb:20496:1/2:qm=4',
];

export interface CodeSpecOptions {
  /** Decoder defaults for LDPC codes (algorithm, maxIterations, earlyStop, ...). */
  ldpc?: LdpcDecoderOptions;
  /**
   * The caller hands its blocks to `decodeMany` together (the separate scheme, transport blocks):
   * min-sum LDPC then defaults to the inter-frame int16 kernel (8 frames per SIMD pass, ~2x the
   * float kernel, BLER within 0.1 dB of it); `:kernel=float` keeps the float kernel.
   */
  manyFrames?: boolean;
}

/** Returns null for `none` (uncoded). */
export function parseCodeSpec(spec: string, options: CodeSpecOptions = {}): Code | null {
  const raw = String(spec);
  const s = raw.trim().toLowerCase();
  const bad = (why?: string): never => {
    throw new UsageError(`code ${JSON.stringify(raw)} is not allowed: ${why ? why + '; ' : ''}use ${CODE_SPEC_HELP}`);
  };
  if (s === 'none') return null;
  if (s.startsWith('ldpc:alist:')) return parseAlistSpec(raw.trim(), options, bad);
  const parts = s.split(':').map((p) => p.trim());
  try {
    switch (parts[0]) {
      case 'conv':
        return parseConv(parts, bad);
      case 'ldpc':
        if (parts[1] === '80211n') return parse80211n(parts, options, bad);
        if (parts[1] === '5gnr' && parts[2] === 'tb') return parseTb(parts, options, bad, false) as Code;
        if (parts[1] === '5gnr') return parse5gnr(parts, options, bad);
        return bad(`LDPC family ${JSON.stringify(parts[1] ?? '')} is unknown (80211n, 5gnr)`);
      default:
        return bad();
    }
  } catch (e) {
    // A factory's own UsageError (unsupported N/R, K, rate) keeps its message, with the SPEC named.
    if (e instanceof UsageError && !e.message.startsWith('code ')) {
      throw new UsageError(`code ${JSON.stringify(raw)} is not allowed: ${e.message}`);
    }
    throw e;
  }
}

type Bad = (why?: string) => never;

/** `key=value` suffixes -> map; anything else is a bad SPEC. */
function suffixes(parts: string[], allowed: readonly string[], bad: Bad): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of parts) {
    const m = /^([a-z]+)=(.+)$/.exec(p);
    if (!m || !allowed.includes(m[1])) bad(`${JSON.stringify(p)} is not a known option (${allowed.map((a) => a + '=').join(', ')})`);
    if (out.has(m![1])) bad(`${m![1]}= is given twice`);
    out.set(m![1], m![2]);
  }
  return out;
}

function positiveInt(name: string, v: string, bad: Bad): number {
  const n = /^[0-9]+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) bad(`${name} ${JSON.stringify(v)} must be a positive integer`);
  return n;
}

function parseConv(parts: string[], bad: Bad): Code {
  const rate = parts[1];
  if (rate === undefined || !(CONV_RATES as readonly string[]).includes(rate)) {
    bad(`convolutional rate ${JSON.stringify(rate ?? '')} is not one of ${CONV_RATES.join(', ')}`);
  }
  const opt = suffixes(parts.slice(2), ['k'], bad);
  const k = opt.has('k') ? positiveInt('K', opt.get('k')!, bad) : undefined;
  return createConv(rate, { k });
}

function ldpcOptions(parts: string[], options: CodeSpecOptions, bad: Bad, extra: readonly string[] = [], got?: Map<string, string>): LdpcDecoderOptions {
  const opt = suffixes(parts, ['alg', 'iter', 'kernel', ...extra], bad);
  if (got) for (const [k, v] of opt) got.set(k, v);
  const o: LdpcDecoderOptions = { ...(options.ldpc ?? {}) };
  const alg = opt.get('alg');
  if (alg !== undefined) {
    if (!(LDPC_ALGORITHMS as readonly string[]).includes(alg)) bad(`alg=${alg} is not one of ${LDPC_ALGORITHMS.join(', ')}`);
    o.algorithm = alg as LdpcDecoderOptions['algorithm'];
  }
  if (opt.has('iter')) o.maxIterations = positiveInt('iter', opt.get('iter')!, bad);
  const kernel = opt.get('kernel');
  if (kernel !== undefined) {
    if (kernel !== 'int16' && kernel !== 'int8' && kernel !== 'float') bad(`kernel=${kernel} is not one of float, int16, int8`);
    if (kernel !== 'float' && o.algorithm === 'spa') bad(`kernel=${kernel} runs min-sum only (alg=nms or oms)`);
    o.kernel = kernel === 'float' ? 'auto' : kernel;
  } else if (options.manyFrames && o.kernel === undefined && o.algorithm !== 'spa' && wasmMinSum16Available()) {
    o.kernel = 'int16';
  }
  return o;
}

function parse80211n(parts: string[], options: CodeSpecOptions, bad: Bad): Code {
  if (parts.length < 4) bad('ldpc:80211n needs N and R');
  const n = positiveInt('N', parts[2], bad);
  return createLdpc80211n(n, parts[3], ldpcOptions(parts.slice(4), options, bad));
}

function parse5gnr(parts: string[], options: CodeSpecOptions, bad: Bad): Code {
  if (parts.length < 5) bad('ldpc:5gnr needs a base graph, K and R');
  const bg = parts[2];
  if (bg !== 'bg1' && bg !== 'bg2' && bg !== 'auto') bad(`base graph ${JSON.stringify(bg)} is not bg1, bg2 or auto`);
  const k = positiveInt('K', parts[3], bad);
  return createLdpc5gnr(bg as 'bg1' | 'bg2' | 'auto', k, parts[4], ldpcOptions(parts.slice(5), options, bad));
}

/**
 * `ldpc:5gnr:tb:auto:R[...]` -> a TB family sized to each payload (the separate scheme), or null
 * when SPEC is not of that form (then use parseCodeSpec).
 */
export function parseTransportBlockFamily(spec: string, options: CodeSpecOptions = {}): TransportBlockFamily | null {
  const raw = String(spec);
  const parts = raw.trim().toLowerCase().split(':').map((p) => p.trim());
  if (parts[0] !== 'ldpc' || parts[1] !== '5gnr' || parts[2] !== 'tb' || parts[3] !== 'auto') return null;
  const bad = (why?: string): never => {
    throw new UsageError(`code ${JSON.stringify(raw)} is not allowed: ${why ? why + '; ' : ''}use ${CODE_SPEC_HELP}`);
  };
  try {
    return parseTb(parts, options, bad, true) as TransportBlockFamily;
  } catch (e) {
    if (e instanceof UsageError && !e.message.startsWith('code ')) throw new UsageError(`code ${JSON.stringify(raw)} is not allowed: ${e.message}`);
    throw e;
  }
}

function parseTb(parts: string[], options: CodeSpecOptions, bad: Bad, family: boolean): Code | TransportBlockFamily {
  if (parts.length < 5) bad('ldpc:5gnr:tb needs the TB size A and R');
  const got = new Map<string, string>();
  const dec = ldpcOptions(parts.slice(5), options, bad, ['qm', 'bg'], got);
  const bg = got.get('bg') ?? 'auto';
  if (bg !== 'bg1' && bg !== 'bg2' && bg !== 'auto') bad(`bg=${bg} is not bg1, bg2 or auto`);
  const qm = got.has('qm') ? positiveInt('qm', got.get('qm')!, bad) : undefined;
  const g = bg as 'bg1' | 'bg2' | 'auto';
  if (parts[3] === 'auto') {
    if (!family) bad('A=auto sizes the TB to a payload (separate scheme only); give the TB size A in bits');
    return new TransportBlockFamily(parts[4], g, { ...dec, bitsPerSymbol: qm });
  }
  const a = positiveInt('A', parts[3], bad);
  return new Ldpc5gnrTransportBlock(a, parts[4], g, { ...dec, bitsPerSymbol: qm });
}

/** `ldpc:alist:PATH[:alg=..][:iter=..][:kernel=..]`: the suffixes are peeled off the end, PATH keeps its case. */
function parseAlistSpec(spec: string, options: CodeSpecOptions, bad: Bad): Code {
  let rest = spec.slice('ldpc:alist:'.length);
  const suf: string[] = [];
  for (let m = /:((?:alg|iter|kernel)=[^:]*)$/i.exec(rest); m; m = /:((?:alg|iter|kernel)=[^:]*)$/i.exec(rest)) {
    suf.unshift(m[1].toLowerCase());
    rest = rest.slice(0, m.index);
  }
  if (rest.trim() === '') bad('ldpc:alist needs a file path');
  try {
    return loadAlistCode(rest.trim(), ldpcOptions(suf, options, bad));
  } catch (e) {
    if (e instanceof UsageError && !e.message.startsWith('code ')) throw new UsageError(`code ${JSON.stringify(spec)} is not allowed: ${e.message}`);
    throw e;
  }
}
