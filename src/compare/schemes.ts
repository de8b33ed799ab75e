/**
 * The schemes of a comparison (paper Fig. 5) and their human labels. The default set, on the
 * shipped default model: FFMNet without compression, JSCC at ratio 512 trained without noise, at
 * 10, 5 and 0 dB (Fig. 5's SNR_train), JSCC at ratios 128, 256 and 1024 trained without noise (Table
 * III's, so the bandwidth figure sets JSCC ratios against the separate schemes), four separate (JPEG quality, code, modulation)
 * combinations, and the capacity bound of any separate scheme with this source codec at the
 * bandwidth of the JPEG q50 + LDPC 3/4 + 64-QAM combination (named by its spec,
 * `uses=match:SPEC`, not by its position).
 */
import path from 'node:path';
import { packageRoot } from '../core/version.js';

export const DEFAULT_MODEL_DIR = 'models/default';

/** The separate combination whose bandwidth the default ideal bound gets. */
export const REFERENCE_SEPARATE = 'separate:jpeg=50,code=ldpc:80211n:1944:3/4,mod=64qam';

/** The default Fig. 5 scheme list; model paths are relative to the package root. */
export function defaultSchemes(root = packageRoot()): string[] {
  const m = (p: string) => path.join(root, DEFAULT_MODEL_DIR, p);
  return [
    'none',
    `jscc:${m('jscc-512-noiseless')}`,
    `jscc:${m('jscc-512-5db')}`,
    `jscc:${m('jscc-512-0db')}`,
    `jscc:${m('jscc-512-10db')}`,
    `jscc:${m('jscc-128-noiseless')}`,
    `jscc:${m('jscc-256-noiseless')}`,
    `jscc:${m('jscc-1024-noiseless')}`,
    'separate:jpeg=90,code=ldpc:80211n:1944:1/2,mod=qpsk',
    'separate:jpeg=70,code=ldpc:80211n:1944:2/3,mod=16qam',
    REFERENCE_SEPARATE,
    'separate:jpeg=30,code=conv:1/2,mod=qpsk',
    `ideal:jpeg,uses=match:${REFERENCE_SEPARATE}`,
  ];
}

const CODE_LABEL: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^ldpc:80211n:(\d+):(\d\/\d)/, (m) => `LDPC 802.11n (${m[1]}, R=${m[2]})`],
  [/^ldpc:5gnr:(bg\d|auto):(\d+):([\d./]+)/, (m) => `LDPC 5G ${m[1].toUpperCase()} K=${m[2]} R=${m[3]}`],
  [/^conv:(\d\/\d)/, (m) => `conv K=7 R=${m[1]}`],
  [/^none$/, () => 'uncoded'],
];

/** A short label for plots and tables. */
export function schemeLabel(spec: string, extra?: string): string {
  if (spec === 'none') return 'FFMNet, no compression';
  if (spec.startsWith('separate:')) {
    const kv = Object.fromEntries(spec.slice(9).split(/,(?=[a-z]+=)/).map((p) => p.split('=') as [string, string]));
    const code = kv.code ?? 'none';
    const c = CODE_LABEL.find(([re]) => re.test(code));
    const codeLabel = c ? c[1](c[0].exec(code)!) : code;
    const mod = (kv.mod ?? '?').toUpperCase().replace(/^(\d+)QAM$/, '$1-QAM');
    const extras = Object.entries(kv).filter(([k]) => !['jpeg', 'code', 'mod'].includes(k)).map(([k, v]) => `${k}=${v}`);
    return `JPEG q${kv.jpeg ?? '?'} + ${codeLabel} + ${mod}${extras.length ? ` (${extras.join(', ')})` : ''}`;
  }
  if (spec.startsWith('ideal:')) return `ideal JPEG at capacity${extra ? ` (${extra})` : ''}`;
  return extra ?? spec;
}
