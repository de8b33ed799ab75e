/**
 * A comparison sweep (paper Fig. 5): every (scheme, SNR point, repetition) work item evaluated on
 * the held-out images, appended to a JSON Lines results file as it goes (resumable), optionally on
 * worker threads and as one shard of many. Shared by `compare` and `eval`. Everything is validated
 * (scheme specs, inputs hashed, output location) before the file is touched, and a run that fails
 * before its first record removes the file it created.
 */
import { UsageError } from '../core/errors.js';
import { ResultsWriter, readResults } from '../sweep/results.js';
import { runSweep } from '../sweep/run.js';
import { checkOutputFile } from '../sweep/output-path.js';
import { siblingModule } from '../core/worker.js';
import { summarize, type PointSummary } from '../../reports/aggregate.js';
import { idealReference, parseSchemeSpec } from '../../baselines/registry.js';
import type { CompareContext } from './items.js';
import { compareItems } from './keys.js';
import { compareHeader } from './header.js';
import { DEFAULT_BOOTSTRAP, DEFAULT_D1_CACHE_BYTES, type CompareOptions } from './options.js';
import { checkSchemeFamilies } from './spec-list.js';

export { splitSchemeList } from './spec-list.js';
export { compareItems } from './keys.js';
export { compareHeader } from './header.js';
export { parseCommon, checkDir, type CompareOptions } from './options.js';

/** Scheme specs that can be checked without models: families, keys, ideal references. */
export function validateSchemes(schemes: readonly string[]): void {
  checkSchemeFamilies(schemes);
  for (const s of schemes) {
    if (/^ideal:/i.test(s)) {
      const { reference } = idealReference(s);
      // Without a reference the bound needs uses=N or ratio=R; with one, the registry checks the rest.
      parseSchemeSpec(s, { shape: [16, 16, 8], channelUses: reference === undefined ? undefined : 1 });
    } else if (/^separate:/i.test(s)) {
      parseSchemeSpec(s, { shape: [16, 16, 8] });
    }
  }
}

export async function runCompare(o: CompareOptions): Promise<{ points: PointSummary[]; ran: number; skipped: number }> {
  if (o.snr.some((x) => !Number.isFinite(x))) throw new UsageError(`--snr ${JSON.stringify(o.snr)} is not allowed: use finite values in dB`);
  validateSchemes(o.schemes);
  const items = compareItems(o.schemes, o.snr, o.reps);
  const header = compareHeader(o); // hashes the inputs: a missing or unreadable one fails here
  checkOutputFile(o.out);
  // Records are keyed and seeded by scheme spec and SNR value: a resumed sweep may reorder or add them.
  // A retrained JSCC model changes its fingerprint in inputs.jscc: --rerun-changed drops its records.
  const writer = ResultsWriter.open(o.out, header, {
    resume: o.resume, growable: ['config.schemes', 'config.snrDb', 'inputs.jscc'],
    changed: { map: 'inputs.jscc', recordField: 'scheme', rerun: o.rerunChanged === true, flag: '--rerun-changed' },
  });
  for (const r of writer.rerun) o.onRerun?.(r.key, r.records);
  const context: CompareContext = {
    modelDir: o.modelDir, dataDir: o.dataDir, split: o.split, images: o.images, seed: o.seed, schemes: o.schemes,
    channel: o.channel, backend: o.backend, batch: o.batch,
    bootstrap: o.bootstrap ?? DEFAULT_BOOTSTRAP, d1CacheBytes: o.d1CacheBytes ?? DEFAULT_D1_CACHE_BYTES,
  };
  const module = siblingModule(new URL('./items.js', import.meta.url)).href;
  let s;
  try {
    s = await runSweep({
      items, writer, shard: o.shard,
      worker: { module, context, count: o.workers },
      onProgress: o.onProgress, onStart: o.onStart,
    });
  } catch (e) {
    writer.abandon();
    throw e;
  }
  writer.close();
  const { records } = readResults(o.out);
  return { points: summarize(records), ran: s.ran, skipped: s.skipped };
}
