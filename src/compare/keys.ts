/**
 * The work items of a comparison and their keys. A record is keyed by the scheme's canonical spec,
 * the SNR and the repetition (`SPEC|snrDb|rep`), never by the scheme's position in the list. The
 * random stream of an item still follows the list (Rng(seed).split(schemeIndex, snrIndex, rep)),
 * as it always did, so a given command and seed give the same numbers as before.
 */
import { canonicalSchemeSpec } from './spec-list.js';
import type { CompareItem } from './items.js';

/** Header marker of the key format; files without it have position keys `i|snr|rep`. */
export const KEY_FORMAT = 'scheme|snrDb|rep';

export function itemKey(scheme: string, snrDb: number, rep: number): string {
  return `${canonicalSchemeSpec(scheme)}|${snrDb}|${rep}`;
}

export function compareItems(schemes: string[], snr: number[], reps: number): CompareItem[] {
  const items: CompareItem[] = [];
  schemes.forEach((s, schemeIndex) => snr.forEach((snrDb, snrIndex) => {
    for (let rep = 0; rep < reps; rep++) {
      items.push({ key: itemKey(s, snrDb, rep), index: items.length, scheme: canonicalSchemeSpec(s), schemeIndex, snrIndex, snrDb, rep });
    }
  }));
  return items;
}
