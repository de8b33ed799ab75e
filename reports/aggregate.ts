/**
 * Per (scheme, SNR) summaries of sweep records: task metrics averaged over repetitions, failures
 * and bit/block errors summed (so rates are pooled over repetitions, with a Wilson interval).
 */
import type { ResultRecord } from '../src/sweep/results.js';
import { wilson } from '../src/sim/stats.js';

export interface PointSummary {
  scheme: string;
  label: string;
  snrDb: number;
  reps: number;
  mAP?: number;
  mIoU?: number;
  /** Mean over repetitions of the per-feature MSE (link sweeps). */
  mse?: number;
  failures: number;
  transmissions: number;
  failureRate?: number;
  failureCi95?: [number, number];
  channelUses?: number;
  compressionRatio?: number;
  ber?: number;
  /** Channel bit error rate before decoding (coded bits, hard decisions). */
  rawBer?: number;
  bler?: number;
  berCi95?: [number, number];
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function summarize(records: ResultRecord[]): PointSummary[] {
  const groups = new Map<string, ResultRecord[]>();
  for (const r of records) {
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
    const mean = (field: string) => {
      const v = g.map((r) => num(r[field])).filter((x): x is number => x !== undefined);
      return v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
    };
    const sum = (field: string) => g.reduce((a, r) => a + (num(r[field]) ?? 0), 0);
    const failures = sum('failures');
    const transmissions = sum('transmissions') || sum('images');
    const bits = sum('bits');
    const bitErrors = sum('bitErrors');
    const blocks = sum('blocks');
    const blockErrors = sum('blockErrors');
    const s: PointSummary = {
      scheme: String(g[0].scheme),
      label: String(g[0].label ?? g[0].scheme),
      snrDb: num(g[0].snrDb)!,
      reps: g.length,
      mAP: mean('mAP'),
      mIoU: mean('mIoU'),
      mse: mean('mse'),
      failures,
      transmissions,
      channelUses: mean('channelUses'),
      compressionRatio: mean('compressionRatio'),
    };
    if (transmissions > 0) {
      s.failureRate = failures / transmissions;
      s.failureCi95 = wilson(failures, transmissions);
    }
    if (bits > 0) {
      s.ber = bitErrors / bits;
      s.berCi95 = wilson(bitErrors, bits);
    }
    if (blocks > 0) s.bler = blockErrors / blocks;
    const codeBits = sum('codeBits');
    if (codeBits > 0) s.rawBer = sum('rawBitErrors') / codeBits;
    out.push(s);
  }
  return out.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.snrDb - b.snrDb));
}
