/**
 * Hardened JPEG decoding after channel errors (docs/architecture.md, "JPEG after channel errors"): 2,400
 * corrupted streams (random bit flips at 1e-4, 1e-3, 1e-2; truncation; a header rewritten to claim
 * 6000x6000 or 65535x65535; garbage) never throw, each decodes in under 2 s, memory stays bounded,
 * and each is either a loss or a decode of exactly the expected size.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fuzzHardenedJpeg } from '../../baselines/separate/fuzz.js';

test('2,400 corrupted JPEG streams: no crash, < 2 s each, bounded memory, loss or right size', () => {
  const N = 2400;
  const r = fuzzHardenedJpeg(N);
  assert.is(r.threw, 0, 'decodeGrayHardened never throws');
  assert.ok(r.worstMs < 2000, `slowest stream ${r.worstMs} ms`);
  assert.is(r.wrongSize, 0, 'a decode is always of the expected size');
  assert.is(r.bigHeaderDecoded, 0, 'a 6000x6000 or 65535x65535 header is always a loss');
  // One 6000x6000 RGBA buffer alone would be 137 MB; the decoder's cap is a few MB per call.
  assert.ok(r.rssGrowthMB < 100, `RSS grew by ${r.rssGrowthMB.toFixed(1)} MB`);
  assert.is(r.lost + r.decoded, N);
  assert.ok(r.lost > N / 2, `most corrupted streams are losses (${r.lost})`);
  assert.ok(r.decoded > 0, 'light corruption of the scan can still decode to the right size');
  console.log(`  fuzz: ${JSON.stringify(r)}`);
});

test.run();
