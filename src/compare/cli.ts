/** Argument handling shared by `compare` and `eval`: defaults, validation, the summary printout. */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { packageRoot } from '../core/version.js';
import { parseBackendName } from '../nn/backend.js';
import { parseChannelParams, createChannel } from '../../channels/registry.js';
import { isPluginPath, resolvePluginPath } from '../../channels/plugin.js';
import { formatResults, parseFormat, writeOutput, type Column } from '../cli/output.js';
import { Progress } from '../cli/progress.js';
import type { PointSummary } from '../../reports/aggregate.js';
import { DEFAULT_MODEL_DIR } from './schemes.js';
import { runCompare, validateSchemes } from './run.js';
import { checkOutputFile } from '../sweep/output-path.js';
import { checkDir, parseCommon, type CompareOptions } from './options.js';
import { compareHeader } from './header.js';

/** `--model default` -> the shipped FFMNet; a DIR as given. */
export function resolveModel(arg: unknown): string {
  const s = String(arg ?? 'default');
  if (s === 'default') {
    const dir = path.join(packageRoot(), DEFAULT_MODEL_DIR);
    if (!existsSync(dir)) throw new UsageError(`the shipped default model ${dir} is missing from this installation`);
    return dir;
  }
  if (s === 'paper') throw new UsageError('--model paper is the untrained paper-scale config: evaluate a trained DIR (train one with jscc-sim train)');
  return checkDir('--model', s);
}

/** `--data` default: the shipped held-out evaluation set. */
export function resolveData(arg: unknown): { dir: string; split: 'train' | 'val' } {
  if (arg === undefined) {
    const dir = path.join(packageRoot(), DEFAULT_MODEL_DIR, 'evalset');
    if (!existsSync(dir)) throw new UsageError(`the shipped evaluation set ${dir} is missing from this installation`);
    return { dir, split: 'val' };
  }
  return { dir: checkDir('--data', String(arg)), split: 'val' };
}

const str = (v: unknown): string | undefined => (v === undefined ? undefined : Array.isArray(v) ? String(v[v.length - 1]) : String(v));

export async function commonOptions(a: Record<string, unknown>, command: 'compare' | 'eval', schemes: string[], modelDir: string): Promise<CompareOptions> {
  validateSchemes(schemes);
  const out = str(a.out) ?? `${command}-results.jsonl`;
  checkOutputFile(out);
  const c = parseCommon({ ...a, snr: str(a.snr), reps: str(a.reps), seed: str(a.seed), workers: str(a.workers), shard: str(a.shard), batch: str(a.batch), images: str(a.images), bootstrap: str(a.bootstrap) });
  const data = resolveData(str(a.data));
  const channelArg = str(a.channel) ?? 'awgn';
  const raw = a['channel-param'];
  const params = parseChannelParams(raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)]);
  await createChannel(channelArg, params); // validate name, plug-in and params now
  const channelName = isPluginPath(channelArg) ? resolvePluginPath(channelArg) : channelArg.trim().toLowerCase();
  return {
    command, ...c, schemes, modelDir, dataDir: data.dir, split: data.split,
    channel: { name: channelName, params }, backend: parseBackendName(str(a.backend) ?? 'wasm'),
    out, resume: a.resume !== false, rerunChanged: a['rerun-changed'] === true, quiet: !!a.quiet,
  };
}

const pct = (x: number | undefined) => (x === undefined ? undefined : 100 * x);

export const SUMMARY_COLUMNS: Column<PointSummary>[] = [
  { key: 'scheme', title: 'scheme', value: (r) => r.label, kind: 'text', maxWidth: 48 },
  { key: 'snrDb', title: 'SNR dB', value: (r) => r.snrDb },
  { key: 'mAP', title: 'mAP@0.5 %', value: (r) => pct(r.mAP), kind: 'fixed2' },
  { key: 'mIoU', title: 'mIoU %', value: (r) => pct(r.mIoU), kind: 'fixed2' },
  { key: 'failures', title: 'lost', value: (r) => `${r.failures}/${r.transmissions}` },
  { key: 'channelUses', title: 'channel uses', value: (r) => r.channelUses, kind: 'int' },
  { key: 'compressionRatio', title: 'ratio', value: (r) => r.compressionRatio, kind: 'fixed2' },
];

const fmtDb = (x: number) => `${x} dB`;

export async function runAndPrint(o: CompareOptions, format: unknown): Promise<void> {
  const fmt = parseFormat(format ?? 'table');
  let progress: Progress | undefined;
  const t0 = Date.now();
  const r = await runCompare({
    ...o,
    onRerun: (scheme, records) => {
      if (!o.quiet) process.stderr.write(`${o.command}: ${scheme} changed since ${o.out} was written: its ${records} records dropped, re-running them\n`);
    },
    onStart: (done, total) => {
      progress = new Progress({ label: o.command, total, quiet: o.quiet, intervalMs: 0, eta: true, start: done });
    },
    onProgress: (done, _n, item, rec) => progress?.step(done, `${String(rec.label ?? item.scheme)} at ${fmtDb(item.snrDb)}${o.reps > 1 ? `, rep ${item.rep + 1}/${o.reps}` : ''}`),
  }).finally(() => progress?.stop());
  if (!o.quiet) process.stderr.write(`${o.command}: ${r.ran} items run, ${r.skipped} resumed from ${o.out}, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  const h = compareHeader(o);
  writeOutput(formatResults({ command: h.command, config: h.config, seed: h.seed, versions: h.versions, results: o.out }, r.points, SUMMARY_COLUMNS, fmt));
}
