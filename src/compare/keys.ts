/**
 * The work items of a comparison, their keys and their random streams. A record is keyed by the
 * scheme's canonical spec, the SNR and the repetition (`SPEC|snrDb|rep`), and its random stream is
 * drawn from the same identity (Rng(seed).split(STREAM, id(SPEC), bits(snrDb), rep)), never from a
 * position in the lists: reordering the schemes or SNR points, or adding some, leaves every number
 * of the others unchanged, so a results file stays valid when the sweep grows.
 */
import { createHash } from 'node:crypto';
import { Rng } from '../core/rng.js';
import { canonicalSchemeSpec } from './spec-list.js';

/**
 * Header marker of the key and stream format. Files without it have position keys `i|snr|rep`;
 * files with 'scheme|snrDb|rep' (jscc-sim 0.1 to 0.2) have spec keys but position streams.
 */
export const KEY_FORMAT = 'scheme|snrDb|rep;stream=spec';

/** Stream domain of comparison items below Rng(seed) (other consumers use other first ids). */
const ITEM_STREAM = 0x17e3;

export interface CompareItem {
  key: string;
  index: number;
  /** Canonical spec of the scheme. */
  scheme: string;
  snrDb: number;
  rep: number;
}

export function itemKey(scheme: string, snrDb: number, rep: number): string {
  return `${canonicalSchemeSpec(scheme)}|${snrDb}|${rep}`;
}

/** A 48-bit id of a canonical spec (sha256 prefix): a stream id that names the scheme, not its position. */
export function specStreamId(canonical: string): number {
  return createHash('sha256').update(canonical).digest().readUIntBE(0, 6);
}

/** The two 32-bit halves of a float64: an exact stream id for any SNR value. */
function snrStreamIds(snrDb: number): [number, number] {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, snrDb === 0 ? 0 : snrDb); // -0 and 0 are the same point
  return [v.getUint32(0), v.getUint32(4)];
}

/** The random stream of item (scheme, snrDb, rep); its child `image` is that image's stream. */
export function itemStream(seed: number, scheme: string, snrDb: number, rep: number): Rng {
  return new Rng(seed).split(ITEM_STREAM, specStreamId(canonicalSchemeSpec(scheme)), ...snrStreamIds(snrDb), rep);
}

export function compareItems(schemes: string[], snr: number[], reps: number): CompareItem[] {
  const items: CompareItem[] = [];
  for (const s of schemes) {
    for (const snrDb of snr) {
      for (let rep = 0; rep < reps; rep++) {
        items.push({ key: itemKey(s, snrDb, rep), index: items.length, scheme: canonicalSchemeSpec(s), snrDb, rep });
      }
    }
  }
  return items;
}
