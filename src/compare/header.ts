/**
 * The header of a comparison results file: the config, seed and versions, the input fingerprints
 * (model weights and config, JSCC checkpoints, data annotations, a plug-in channel's file), the
 * bootstrap of the intervals and the key format. A resume must match all of it.
 */
import { versions } from '../core/version.js';
import type { ResultHeader } from '../sweep/results.js';
import { checkpointFingerprint, datasetFingerprint, fileFingerprint } from './fingerprint.js';
import { KEY_FORMAT } from './keys.js';
import type { CompareOptions } from './options.js';
import { DEFAULT_BOOTSTRAP } from './options.js';
import { canonicalSchemeSpec, portablePath } from './spec-list.js';
import { isPluginPath } from '../../channels/plugin.js';

export interface CompareInputs extends Record<string, unknown> {
  model: string;
  data: string;
  /** Per JSCC scheme (canonical spec): its checkpoint. */
  jscc: Record<string, string>;
  channel?: string;
}

/** Hash the inputs (a few MB: read again by every call, so a replaced file is always seen). */
export function compareInputs(o: CompareOptions): CompareInputs {
  const jscc: Record<string, string> = {};
  for (const s of o.schemes) {
    const c = canonicalSchemeSpec(s);
    if (c.startsWith('jscc:')) jscc[c] = checkpointFingerprint(c.slice(5));
  }
  return {
    model: checkpointFingerprint(o.modelDir),
    data: datasetFingerprint(o.dataDir),
    jscc,
    ...(isPluginPath(o.channel.name) ? { channel: fileFingerprint(o.channel.name) } : {}),
  };
}

export function compareHeader(o: CompareOptions, inputs: CompareInputs = compareInputs(o)): ResultHeader {
  const resamples = o.bootstrap ?? DEFAULT_BOOTSTRAP;
  return {
    type: 'header', tool: 'jscc-sim', command: o.command,
    config: {
      schemes: o.schemes.map(canonicalSchemeSpec), snrDb: o.snr, reps: o.reps, images: o.images === Number.MAX_SAFE_INTEGER ? 'all' : o.images, model: portablePath(o.modelDir), data: portablePath(o.dataDir),
      split: o.split, channel: o.channel, backend: o.backend,
      units: 'SNR = Es/N0 per complex symbol (Es = 1); channelUses = complex symbols per image; compressionRatio = D1 elements / (2 channelUses); ci95 = 95 % percentile bootstrap interval over images',
    },
    seed: o.seed, versions: versions(), createdAt: new Date().toISOString(),
    keyFormat: KEY_FORMAT,
    inputs,
    bootstrap: { resamples, seed: o.seed },
    ...(o.shard ? { shard: o.shard } : {}),
  };
}
