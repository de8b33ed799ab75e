/**
 * One colour and one marker per series across every figure of a report, derived from the series'
 * identity (a scheme spec, a ber/link config) rather than from its position in one figure, so that
 * "JPEG q30 + conv" looks the same in the mAP, BLER and bandwidth plots and in the next report.
 * Colours: Okabe & Ito (2008), colour-blind safe, with grey in place of the yellow that vanishes on
 * white, and Tol's wine and olive (2021) as a ninth and tenth so the ten Fig. 5 schemes never share one; the Table
 * III ratios trained without noise take the noiseless 512x model's colour with their own markers
 * (one family, told apart by shape).
 * The downward triangle is kept for upper bounds (zero-error points) and never names a series.
 */
import { REFERENCE_SEPARATE } from '../src/compare/schemes.js';

export const PALETTE = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#0072B2', '#D55E00', '#CC79A7', '#888888', '#882255', '#999933'] as const;
export const MARKERS = ['circle', 'square', 'diamond', 'triangle-up', 'cross'] as const;
/** The marker of a point drawn at its one-sided 95% upper bound (no errors seen). */
export const BOUND_MARKER = 'triangle-down';

export interface SeriesStyle {
  /** The stable identity the style was derived from. */
  id: string;
  /** The legend text (unique within a report). */
  name: string;
  color: string;
  shape: string;
}

/** Preferred styles of the default Fig. 5 schemes, so the paper's figure reads well. */
const PREFERRED: Record<string, [number, number]> = {
  'none': [0, 0],
  'jscc:jscc-512-noiseless': [2, 0],
  'jscc:jscc-512-5db': [4, 2],
  'jscc:jscc-512-0db': [8, 3],
  'jscc:jscc-512-10db': [9, 0],
  'jscc:jscc-128-noiseless': [2, 1],
  'jscc:jscc-256-noiseless': [2, 2],
  'jscc:jscc-1024-noiseless': [2, 3],
  'separate:jpeg=90,code=ldpc:80211n:1944:1/2,mod=qpsk': [1, 1],
  'separate:jpeg=70,code=ldpc:80211n:1944:2/3,mod=16qam': [5, 3],
  'separate:jpeg=50,code=ldpc:80211n:1944:3/4,mod=64qam': [6, 1],
  'separate:jpeg=30,code=conv:1/2,mod=qpsk': [3, 3],
  [`ideal:jpeg,uses=match:${REFERENCE_SEPARATE}`]: [7, 4],
};

/** FNV-1a, 32 bit: a stable hash of the identity string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The identity of a sweep scheme: its spec, with a JSCC model named by its folder (not the machine's path). */
export function schemeIdentity(spec: string): string {
  const m = /^jscc:(.*)$/.exec(spec);
  if (m) return `jscc:${m[1].replace(/[\\/]+$/, '').split(/[\\/]/).pop()}`;
  return spec;
}

/**
 * Styles for a set of identities: each takes its preferred or hashed (colour, marker), so it looks
 * the same in every report; only when that colour is taken does it probe on to the next unused
 * colour (and once all colours are used, to the next unused (colour, marker) pair).
 * Identities are placed in sorted order, so the result does not depend on the order given.
 */
export function assignStyles(entries: { id: string; name: string }[], preferred: Record<string, [number, number]> = PREFERRED): Map<string, SeriesStyle> {
  const nC = PALETTE.length, nM = MARKERS.length, n = nC * nM;
  const usedPair = new Set<number>(), usedC = new Set<number>();
  const out = new Map<string, SeriesStyle>();
  const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Preferred ones first, so a hashed identity never takes a default scheme's place.
  sorted.sort((a, b) => Number(!(a.id in preferred)) - Number(!(b.id in preferred)));
  const names = new Set<string>();
  for (const e of sorted) {
    if (out.has(e.id)) continue;
    const pref = preferred[e.id];
    const h = fnv1a(e.id);
    const start: [number, number] = pref ?? [h % nC, (h >>> 16) % nM];
    const pair = (k: number): [number, number] => [(start[0] + k) % nC, (start[1] + k + Math.floor(k / nC)) % nM];
    // A preferred style is taken as it is while its (colour, marker) pair is free; a family of
    // series may share a colour on purpose.
    let pick: [number, number] | undefined = pref && !usedPair.has(pref[0] * nM + pref[1]) ? pref : undefined;
    for (let k = 0; k < n && !pick; k++) { const [c, m] = pair(k); if (!usedC.has(c) && !usedPair.has(c * nM + m)) pick = [c, m]; }
    for (let k = 0; k < n && !pick; k++) { const [c, m] = pair(k); if (!usedPair.has(c * nM + m)) pick = [c, m]; }
    pick ??= start;
    usedPair.add(pick[0] * nM + pick[1]);
    usedC.add(pick[0]);
    if (usedC.size === nC) usedC.clear();
    let name = e.name;
    for (let k = 2; names.has(name); k++) name = `${e.name} #${k}`;
    names.add(name);
    out.set(e.id, { id: e.id, name, color: PALETTE[pick[0]], shape: MARKERS[pick[1]] });
  }
  return out;
}
