/**
 * Item streams are named by (canonical spec, SNR value, repetition): equal identities give the same
 * draws, any other identity other draws, and positions in the lists play no part.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareItems, itemKey, itemStream, specStreamId } from '../../src/compare/keys.js';

const draws = (seed: number, scheme: string, snr: number, rep: number) => {
  const r = itemStream(seed, scheme, snr, rep).split(0);
  return [r.uint32(), r.uint32(), r.uint32()];
};

test('the same identity gives the same stream; each field of it changes the stream', () => {
  const a = draws(1, 'separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam', 5, 0);
  assert.equal(draws(1, 'separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam', 5, 0), a);
  for (const other of [
    draws(2, 'separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam', 5, 0),
    draws(1, 'separate:jpeg=60,code=ldpc:80211n:648:1/2,mod=16qam', 5, 0),
    draws(1, 'separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam', 5.5, 0),
    draws(1, 'separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam', -5, 0),
    draws(1, 'separate:jpeg=50,code=ldpc:80211n:648:1/2,mod=16qam', 5, 1),
  ]) assert.not.equal(other, a);
  assert.equal(draws(1, 'none', -0, 0), draws(1, 'none', 0, 0));
});

test('items carry their identity, not their position: a reordered list gives the same keys', () => {
  const a = compareItems(['none', 'jscc:512'], [0, 10], 2);
  const b = compareItems(['jscc:512', 'none'], [10, 0], 2);
  assert.is(a.length, 8);
  const ids = (xs: typeof a) => xs.map(({ index: _, ...x }) => JSON.stringify(x)).sort();
  assert.equal(ids(a), ids(b));
  assert.is(a[0].key, itemKey('none', 0, 0));
  assert.ok(Number.isSafeInteger(specStreamId('none')) && specStreamId('none') !== specStreamId('jscc:512'));
});

test.run();
