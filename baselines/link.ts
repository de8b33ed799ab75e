/**
 * One feature through one scheme at several SNR points, with repetitions: the engine behind
 * `jscc-sim link` (and reusable by sweeps). Per SNR point: MSE and PSNR of the received feature,
 * failure count and rate with a 95% Wilson interval, channel uses, compression ratio.
 *
 * Randomness: repetition r at SNR index i uses the stream rng.split(i, r) of the given root stream,
 * so any row can be reproduced alone. PSNR = 10 log10(peak^2 / MSE), peak = max |x| of the sent
 * feature (D1 is post-ReLU, so its maximum); MSE is averaged over repetitions before the PSNR.
 * Compression ratio = elements / (2 * channelUses) (docs/architecture.md, "Units").
 */
import type { Channel, Feature, Scheme } from '../src/core/types.js';
import { ebn0FromSnrDb } from '../src/core/types.js';
import type { Rng } from '../src/core/rng.js';
import { wilson } from '../src/sim/stats.js';
import { SeparateScheme } from './separate/scheme.js';

export interface LinkRow {
  snrDb: number;
  ebn0Db?: number;
  reps: number;
  mse: number;
  /** null when the MSE is 0 (infinite PSNR). */
  psnrDb: number | null;
  failures: number;
  failureRate: number;
  /** 95% Wilson score interval of the failure rate. */
  failureCi95: [number, number];
  /** Mean channel uses per feature over the repetitions. */
  channelUses: number;
  /** elements / (2 * channelUses); null when nothing is sent (scheme none). */
  compressionRatio: number | null;
  /** Mean JPEG quality used (separate / ideal schemes). */
  quality?: number;
  /** Coded-bit errors before decoding, summed over repetitions (separate scheme). */
  rawBitErrors?: number;
  /** Where the channel uses go, from the first repetition (separate scheme): bits and blocks. */
  accounting?: Record<string, number>;
  /** Per repetition: its random stream and outcome. */
  repetitions: { rep: number; stream: number[]; mse: number; failed: boolean; channelUses: number; quality?: number; lossReason?: string }[];
}

export interface LinkOptions {
  scheme: Scheme;
  channel: Channel;
  feature: Feature;
  snrDb: readonly number[];
  reps: number;
  /** Root stream for the channel; rep r at SNR index i uses rng.split(i, r). */
  rng: Rng;
  /** Run only these SNR indexes (a resumed sweep; each keeps its streams). Default: all. */
  only?: readonly number[];
  /** Called after each SNR point (progress). */
  onRow?: (row: LinkRow, index: number) => void;
  /** Called with each repetition's received feature (e.g. to save it). */
  onReceived?: (snrIndex: number, rep: number, received: Float32Array) => void;
}

const ACCOUNTING_KEYS = ['jpegBytes', 'sideInfoBits', 'blocks', 'crcBits', 'padBits', 'codeBits', 'modPadBits', 'capacityBits'] as const;

export function featurePeak(f: Feature): number {
  let m = 0;
  for (let i = 0; i < f.data.length; i++) m = Math.max(m, Math.abs(f.data[i]));
  return m;
}

export async function runLink(o: LinkOptions): Promise<LinkRow[]> {
  const elements = o.feature.data.length;
  const peak = featurePeak(o.feature);
  const rows: LinkRow[] = [];
  for (let i = 0; i < o.snrDb.length; i++) {
    if (o.only && !o.only.includes(i)) continue;
    const snrDb = o.snrDb[i];
    let mseSum = 0, failures = 0, usesSum = 0, qSum = 0, qCount = 0, rawErr = 0, haveRaw = false;
    let accounting: Record<string, number> | undefined;
    const repetitions: LinkRow['repetitions'] = [];
    for (let r = 0; r < o.reps; r++) {
      const rng = o.rng.split(i, r);
      const res = await o.scheme.transmit(o.feature, o.channel, snrDb, rng);
      let se = 0;
      for (let j = 0; j < elements; j++) {
        const d = res.feature[j] - o.feature.data[j];
        se += d * d;
      }
      const mse = se / elements;
      mseSum += mse;
      if (res.failed) failures++;
      usesSum += res.channelUses;
      const q = typeof res.stats.quality === 'number' ? res.stats.quality : undefined;
      if (q !== undefined) { qSum += q; qCount++; }
      if (typeof res.stats.rawBitErrors === 'number') { rawErr += res.stats.rawBitErrors; haveRaw = true; }
      if (r === 0) {
        const acc: Record<string, number> = {};
        for (const k of ACCOUNTING_KEYS) { const v = res.stats[k]; if (typeof v === 'number') acc[k] = v; }
        if (Object.keys(acc).length > 0) accounting = acc;
      }
      const rep: LinkRow['repetitions'][number] = { rep: r, stream: [...rng.path], mse, failed: res.failed, channelUses: res.channelUses };
      if (q !== undefined) rep.quality = q;
      if (typeof res.stats.lossReason === 'string') rep.lossReason = res.stats.lossReason;
      repetitions.push(rep);
      o.onReceived?.(i, r, res.feature);
    }
    const mse = mseSum / o.reps;
    const channelUses = usesSum / o.reps;
    const row: LinkRow = {
      snrDb,
      reps: o.reps,
      mse,
      psnrDb: mse > 0 ? 10 * Math.log10((peak * peak) / mse) : null,
      failures,
      failureRate: failures / o.reps,
      failureCi95: wilson(failures, o.reps),
      channelUses,
      compressionRatio: channelUses > 0 ? elements / (2 * channelUses) : null,
      repetitions,
    };
    if (o.scheme instanceof SeparateScheme) row.ebn0Db = ebn0FromSnrDb(snrDb, o.scheme.codeRate, o.scheme.bitsPerSymbol);
    if (qCount > 0) row.quality = qSum / qCount;
    if (haveRaw) row.rawBitErrors = rawErr;
    if (accounting) row.accounting = accounting;
    rows.push(row);
    o.onRow?.(row, i);
  }
  return rows;
}
