/** A toy sweep item module for the sweep tests: each item's value comes from its own Rng stream. */
import { Rng } from '../../src/core/rng.js';

export interface ToyItem { key: string; index: number; scheme: string; snrDb: number; rep: number }

let seed = 0;
export function setup(context: { seed: number }): void {
  seed = context.seed;
}

export function runItem(item: ToyItem): Record<string, unknown> {
  const rng = new Rng(seed).split(item.index);
  const x = rng.fillGaussian(new Float64Array(1000));
  let s = 0;
  for (const v of x) s += v;
  return { scheme: item.scheme, snrDb: item.snrDb, rep: item.rep, value: s / 1000 + item.snrDb };
}

export function toyItems(): ToyItem[] {
  const items: ToyItem[] = [];
  for (const scheme of ['a', 'b']) for (const snrDb of [0, 5, 10]) for (const rep of [0, 1]) {
    items.push({ key: `${scheme}|${snrDb}|${rep}`, index: items.length, scheme, snrDb, rep });
  }
  return items;
}
