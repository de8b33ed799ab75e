/**
 * The training campaign's results as the Table II and III scripts read them: each run's training
 * log (`<run>.train-log.jsonl`, written by `train` next to its checkpoint) gives its configuration
 * and its final held-out evaluation. The runs themselves come from `scripts/train-default.sh`
 * (stages table2, table3), which the scripts do not repeat.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A finished run: its final held-out metrics and what it was trained with. */
export interface CampaignResult {
  run: string;
  /** Absent for a model without that task (Table II's single-task runs). */
  mAP?: number;
  mIoU?: number;
  /** Held-out images and the data set they came from. */
  images: number;
  evalData: string;
  /** Optimizer steps of this run (its training step only). */
  steps: number;
  trainingStep: number;
  channelUses?: number;
  compressionRatio?: number;
  tasks: string[];
}

/**
 * The final evaluation of run `name` under `runsDir`, or undefined when its log is absent or the
 * run has not finished (no `final` eval yet). The last final eval counts (a resumed run appends).
 */
export function campaignResult(runsDir: string, name: string): CampaignResult | undefined {
  const file = path.join(runsDir, `${name}.train-log.jsonl`);
  if (!existsSync(file)) return undefined;
  let header: Record<string, unknown> | undefined;
  let final: { step: number; eval: Record<string, unknown> } | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line);
    } catch {
      continue; // a line cut by a kill
    }
    if (r.kind === 'train-log') header = r;
    const ev = r.eval as Record<string, unknown> | undefined;
    if (ev && ev.final === true && (typeof ev.mAP === 'number' || typeof ev.mIoU === 'number')) final = { step: Number(r.step), eval: ev };
  }
  if (!header || !final) return undefined;
  return {
    run: name,
    ...(typeof final.eval.mAP === 'number' ? { mAP: final.eval.mAP } : {}),
    ...(typeof final.eval.mIoU === 'number' ? { mIoU: final.eval.mIoU } : {}),
    images: Number(final.eval.images),
    evalData: String(final.eval.data ?? ''),
    steps: final.step,
    trainingStep: Number(header.trainingStep),
    channelUses: typeof header.channelUses === 'number' ? header.channelUses : undefined,
    compressionRatio: typeof header.compressionRatio === 'number' ? header.compressionRatio : undefined,
    tasks: Array.isArray(header.tasks) ? header.tasks.map(String) : [],
  };
}

/** True when `values` never increase (NaN / missing entries skipped). */
export function nonIncreasing(values: readonly (number | undefined)[]): boolean {
  const v = values.filter((x): x is number => typeof x === 'number' && !Number.isNaN(x));
  return v.every((x, i) => i === 0 || x <= v[i - 1]);
}

export const pct = (x: number | undefined | null): string => (x === undefined || x === null || Number.isNaN(x) ? '-' : (100 * x).toFixed(1));
