/**
 * Per (scheme, SNR) summaries of sweep records: task metrics averaged over repetitions (with their
 * bootstrap 95% interval and the spread across repetitions), failures and bit/block errors summed
 * (so rates are pooled over repetitions, with a Wilson interval, or a one-sided 95% upper bound
 * when no error was seen).
 */
import type { ResultRecord } from '../src/sweep/results.js';
import { wilson } from '../src/sim/stats.js';

/** A rate from counts: the estimate, its 95% interval, and whether it is only an upper bound. */
export interface Rate {
  errors: number;
  trials: number;
  value: number;
  ci95: [number, number];
  /** No errors: `value` is the one-sided 95% upper bound 1 - 0.05^(1/trials) (exact, Clopper-Pearson). */
  bound: boolean;
}

/** The rate of `errors` in `trials` (trials > 0). */
export function rate(errors: number, trials: number): Rate {
  if (errors === 0) {
    const ub = 1 - Math.pow(0.05, 1 / trials);
    return { errors, trials, value: ub, ci95: [0, ub], bound: true };
  }
  return { errors, trials, value: errors / trials, ci95: wilson(errors, trials), bound: false };
}

export interface MetricSummary {
  /** Mean over repetitions. */
  mean: number;
  /** Bootstrap 95% interval (over images); with reps > 1 the mean of the repetitions' bounds. */
  ci95?: [number, number];
  /** [min, max] over repetitions (reps > 1). */
  spread?: [number, number];
}

export interface PointSummary {
  scheme: string;
  label: string;
  snrDb: number;
  reps: number;
  images?: number;
  mAP?: number;
  mIoU?: number;
  cocoAP?: number;
  metrics: Partial<Record<'mAP' | 'mIoU' | 'cocoAP', MetricSummary>>;
  /** Mean over repetitions of the per-feature MSE (link sweeps). */
  mse?: number;
  failures: number;
  transmissions: number;
  failureRate?: number;
  failureCi95?: [number, number];
  failure?: Rate;
  channelUses?: number;
  compressionRatio?: number;
  ber?: number;
  berCi95?: [number, number];
  berRate?: Rate;
  /** Channel bit error rate before decoding (coded bits, hard decisions). */
  rawBer?: number;
  rawBerRate?: Rate;
  bler?: number;
  blerRate?: Rate;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const METRICS = ['mAP', 'mIoU', 'cocoAP'] as const;

export function summarize(records: ResultRecord[] | Record<string, unknown>[]): PointSummary[] {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const r of records as Record<string, unknown>[]) {
    const scheme = String(r.scheme ?? 'unknown');
    const snr = num(r.snrDb);
    if (snr === undefined) continue;
    const k = `${scheme}\u0000${snr}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  const out: PointSummary[] = [];
  for (const g of groups.values()) {
    const vals = (field: string) => g.map((r) => num(r[field])).filter((x): x is number => x !== undefined);
    const mean = (field: string) => {
      const v = vals(field);
      return v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
    };
    const sum = (field: string) => g.reduce((a, r) => a + (num(r[field]) ?? 0), 0);
    const failures = sum('failures');
    const transmissions = sum('transmissions') || sum('images');
    const metrics: PointSummary['metrics'] = {};
    for (const m of METRICS) {
      const v = vals(m);
      if (!v.length) continue;
      const s: MetricSummary = { mean: v.reduce((a, b) => a + b, 0) / v.length };
      const cis = g.map((r) => (r.ci95 as Record<string, unknown> | undefined)?.[m]).filter((c): c is [number, number] => Array.isArray(c));
      if (cis.length === g.length) s.ci95 = [cis.reduce((a, c) => a + c[0], 0) / cis.length, cis.reduce((a, c) => a + c[1], 0) / cis.length];
      if (v.length > 1) s.spread = [Math.min(...v), Math.max(...v)];
      metrics[m] = s;
    }
    const images = sum('images');
    const s: PointSummary = {
      scheme: String(g[0].scheme),
      label: String(g[0].label ?? g[0].scheme),
      snrDb: num(g[0].snrDb)!,
      reps: g.length,
      ...(images > 0 ? { images } : {}),
      mAP: metrics.mAP?.mean,
      mIoU: metrics.mIoU?.mean,
      cocoAP: metrics.cocoAP?.mean,
      metrics,
      mse: mean('mse'),
      failures,
      transmissions,
      channelUses: mean('channelUses'),
      compressionRatio: mean('compressionRatio'),
    };
    if (transmissions > 0 && failures <= transmissions) {
      s.failureRate = failures / transmissions;
      s.failureCi95 = wilson(failures, transmissions);
      s.failure = rate(failures, transmissions);
    }
    const bits = sum('bits');
    if (bits > 0) {
      const bitErrors = sum('bitErrors');
      s.ber = bitErrors / bits;
      s.berCi95 = wilson(bitErrors, bits);
      s.berRate = rate(bitErrors, bits);
    }
    const blocks = sum('blocks');
    if (blocks > 0) {
      s.bler = sum('blockErrors') / blocks;
      s.blerRate = rate(sum('blockErrors'), blocks);
    }
    const codeBits = sum('codeBits');
    if (codeBits > 0) {
      s.rawBer = sum('rawBitErrors') / codeBits;
      s.rawBerRate = rate(sum('rawBitErrors'), codeBits);
    }
    out.push(s);
  }
  return out.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.snrDb - b.snrDb));
}
