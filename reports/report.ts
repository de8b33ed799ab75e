/**
 * `jscc-sim report FILE... --out DIR`: Markdown (report.md) and one self-contained HTML
 * (report.html) with inline SVG plots, from a compare/eval sweep, one or more `ber`/`link`
 * results files (overlaid), or a training log. Each figure's Vega-Lite spec is embedded so users
 * can restyle it; nothing loads from the network. Every field written is escaped and capped
 * (reports/text.ts); the folder is written without touching what report did not create
 * (reports/write.ts).
 */
import path from 'node:path';
import { UsageError } from '../src/core/errors.js';
import { readInput, type ReportInput, type Rec } from './input.js';
import { chart, renderSvg, type ChartLine, type ChartPoint, type VlSpec } from './plot.js';
import { summarize, rate, type PointSummary, type Rate } from './aggregate.js';
import { assignStyles, schemeIdentity, type SeriesStyle } from './style.js';
import { TextBudget, escHtml, fence, htmlTable, mdTable, mdText, safeJson } from './text.js';
import { checkConflicts, checkOutDir, writeOutFiles, MANIFEST, type OutFile } from './write.js';
import { existsSync } from 'node:fs';
import { schemeLabel } from '../src/compare/schemes.js';
import { snrTrainText } from '../src/nn/jscc/label.js';
import { binMeans } from './downsample.js';

export interface Figure {
  id: string;
  title: string;
  /** One or two sentences under the figure: how to read it. */
  caption: string;
  spec: VlSpec;
  svg: string;
}

export interface ReportOptions {
  /** SNR points (dB) of the bandwidth figure; default: those nearest 0, 10 and 20 dB. */
  bandwidthSnr?: number[];
  /** x axis of ber/link figures: 'snr' (Es/N0) or 'ebn0' (Eb/N0); default Eb/N0 when every file was swept in Eb/N0. */
  x?: 'snr' | 'ebn0';
}

export interface ReportOutput {
  markdown: string;
  html: string;
  figures: Figure[];
  points: number;
  /** Warnings shown at the top of both outputs (incomplete sweep, cut-off line). */
  warnings: string[];
}

/** A block of the page, rendered to both Markdown and HTML from the same data. */
type Block =
  | { kind: 'h2'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'json'; value: unknown }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'figures' }
  | { kind: 'para'; text: string };

/** Upper bound on series per report: beyond this no figure can be read (colours x markers). */
export const MAX_SERIES = 40;

const pct = (x: number | undefined) => (x === undefined ? '' : (100 * x).toFixed(1));
const sci = (x: number | undefined) => (x === undefined ? '' : x === 0 ? '0' : x.toExponential(2));
const ci = (c: [number, number] | undefined, scale = 100, digits = 1) => (c ? `${(scale * c[0]).toFixed(digits)}–${(scale * c[1]).toFixed(digits)}` : '');
const rateText = (r: Rate | undefined) => (r === undefined ? '' : r.bound ? `< ${sci(r.value)} (0/${r.trials})` : `${sci(r.value)} (${sci(r.ci95[0])}–${sci(r.ci95[1])})`);
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const ratioText = (r: number) => (r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2));
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** What the interval marks of a task-metric figure mean, saying so when the results carry none. */
function intervalNote(pts: ChartPoint[]): string {
  const band = pts.some((p) => p.lo !== undefined);
  const spread = pts.some((p) => p.spreadLo !== undefined);
  if (!band && !spread) return 'No intervals: these results carry no bootstrap ci95 (a file from before it was recorded) and one repetition.';
  return [band ? 'Bands: bootstrap 95% interval over images' : 'No bootstrap bands (the results carry no ci95)',
    spread ? 'thick bars: range over repetitions' : ''].filter(Boolean).join('; ') + '.';
}
const RATE_NOTE = 'Bars: Wilson 95% interval from the error counts; \u25bd: no errors seen, drawn at the one-sided 95% upper bound 1 \u2212 0.05^(1/n).';

// ---------------------------------------------------------------- sweeps (compare / eval)

interface SweepCtx {
  input: ReportInput;
  points: PointSummary[];
  styles: Map<string, SeriesStyle>;
  /** Series name (legend text) of each scheme spec. */
  nameOf: Map<string, string>;
  /** Display label (capped, without the legend's bandwidth suffix) of each scheme spec. */
  labelOf: Map<string, string>;
}

/** "ideal ... (10944 channel uses, as scheme 6)" -> "ideal ... (bandwidth of <scheme 6's label>)". */
function resolveSchemeRefs(label: string, schemes: string[], rawLabels: Map<string, string>): string {
  return label.replace(/\((\d+) channel uses, as scheme (\d+)\)/, (m, _uses, k) => {
    const spec = schemes[Number(k) - 1];
    const l = spec === undefined ? undefined : rawLabels.get(spec) ?? spec;
    return l === undefined ? m : `(bandwidth of ${l})`;
  });
}

function sweepContext(input: ReportInput, budget: TextBudget): SweepCtx {
  const schemes = ((input.header.config as Rec).schemes as string[] | undefined) ?? [];
  // Tables and legends in the run's scheme order, then by SNR.
  const order = (spec: string) => { const i = schemes.indexOf(spec); return i < 0 ? schemes.length : i; };
  const points = summarize(input.records).sort((a, b) => order(a.scheme) - order(b.scheme) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || a.snrDb - b.snrDb);
  const rawLabels = new Map<string, string>();
  for (const p of points) if (!rawLabels.has(p.scheme)) rawLabels.set(p.scheme, p.label);
  const ids = [...rawLabels.keys()];
  if (ids.length > MAX_SERIES) {
    throw new UsageError(`results file ${JSON.stringify(input.path)} holds ${ids.length} schemes: a report draws at most ${MAX_SERIES}; split the file by scheme`);
  }
  const labelOf = new Map<string, string>();
  const entries = ids.map((spec) => {
    const label = budget.label(resolveSchemeRefs(rawLabels.get(spec)!, schemes, rawLabels));
    labelOf.set(spec, label);
    const p = points.find((q) => q.scheme === spec)!;
    const uses = p.channelUses;
    const suffix = uses === undefined ? '' : uses === 0 ? ' \u00b7 not transmitted'
      : ` \u00b7 ${int(uses)} ch. uses${p.compressionRatio ? ` (\u00d7${ratioText(p.compressionRatio)})` : ''}`;
    return { id: schemeIdentity(spec), name: label + suffix, spec };
  });
  const byId = assignStyles(entries);
  const styles = new Map<string, SeriesStyle>();
  const nameOf = new Map<string, string>();
  for (const e of entries) {
    const s = byId.get(e.id)!;
    // Two specs with one identity (e.g. two JSCC folders of one name elsewhere) keep their own names.
    const own = [...styles.values()].some((x) => x.name === s.name) ? { ...s, name: `${s.name} [${budget.field(e.spec)}]` } : s;
    styles.set(e.spec, own);
    nameOf.set(e.spec, own.name);
  }
  return { input, points, styles, nameOf, labelOf };
}

/**
 * Points present vs expected from the header's config (schemes x SNR points x repetitions, per
 * shard), and what is missing, grouped by scheme ("JSCC ...: 4, 6 dB").
 */
function sweepCompleteness(input: ReportInput, labelOf: Map<string, string>, budget: TextBudget): { present: number; expected?: number; missing: string[] } {
  const cfg = input.header.config as Rec;
  const schemes = cfg.schemes as string[] | undefined;
  const snr = cfg.snrDb as number[] | undefined;
  const reps = typeof cfg.reps === 'number' ? cfg.reps : 1;
  const present = input.records.length;
  if (!schemes || !snr) return { present, missing: [] };
  const shard = input.header.shard as { index: number; count: number } | undefined;
  const have = new Set(input.records.map((r) => `${r.scheme}\u0000${r.snrDb}\u0000${r.rep ?? 0}`));
  let expected = 0;
  const missing = new Map<string, Map<number, number>>();
  let index = 0;
  for (const s of schemes) for (const x of snr) for (let r = 0; r < reps; r++, index++) {
    if (shard && index % shard.count !== shard.index) continue;
    expected++;
    if (have.has(`${s}\u0000${x}\u0000${r}`)) continue;
    let m = missing.get(s);
    if (!m) missing.set(s, (m = new Map()));
    m.set(x, (m.get(x) ?? 0) + 1);
  }
  const name = (s: string) => labelOf.get(s) ?? budget.label(s.startsWith('jscc:') ? `JSCC ${schemeIdentity(s).slice(5)}` : schemeLabel(s));
  const text = [...missing].map(([s, m]) => `${name(s)}: ${[...m].map(([x, n]) => `${x}${n > 1 ? ` (x${n})` : ''}`).join(', ')} dB`);
  return { present, expected, missing: text };
}

/** SNR points of the bandwidth figure: the requested ones, else those nearest 0, 10 and 20 dB. */
export function bandwidthSnrs(points: PointSummary[], requested?: number[]): number[] {
  const have = [...new Set(points.filter((p) => (p.channelUses ?? 0) > 0).map((p) => p.snrDb))].sort((a, b) => a - b);
  if (requested?.length) {
    const bad = requested.filter((x) => !have.includes(x));
    if (bad.length) throw new UsageError(`--bandwidth-snr ${bad.join(',')} is not allowed: the results hold SNR points ${have.join(', ')} dB`);
    return requested;
  }
  const pick = [0, 10, 20].map((t) => have.reduce((b, x) => (Math.abs(x - t) < Math.abs(b - t) ? x : b), have[0]));
  return [...new Set(pick)].filter((x) => x !== undefined);
}

async function sweepFigures(c: SweepCtx, opts: ReportOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  const add = async (id: string, caption: string, spec: VlSpec) => {
    figures.push({ id, title: String((spec.title as { text: string }).text), caption, spec, svg: await renderSvg(spec) });
  };
  const name = (p: PointSummary) => c.nameOf.get(p.scheme)!;
  const styles = [...c.styles.values()];
  const snrX = 'SNR = Es/N0 (dB)';
  const metric = (m: 'mAP' | 'mIoU' | 'cocoAP'): ChartPoint[] => c.points.filter((p) => p.metrics[m]).map((p) => {
    const s = p.metrics[m]!;
    return { x: p.snrDb, y: 100 * s.mean, series: name(p), lo: s.ci95 && 100 * s.ci95[0], hi: s.ci95 && 100 * s.ci95[1],
      spreadLo: s.spread && 100 * s.spread[0], spreadHi: s.spread && 100 * s.spread[1] };
  });
  const metricNames = { mAP: ['Detection: mAP@0.5 vs SNR', 'mAP@0.5 (%)'], mIoU: ['Segmentation: mIoU vs SNR', 'mIoU (%)'], cocoAP: ['Detection: COCO AP@[.5:.95] vs SNR', 'COCO AP (%)'] } as const;
  for (const m of ['mAP', 'mIoU', 'cocoAP'] as const) {
    const pts = metric(m);
    if (!pts.length) continue;
    await add(`${m.toLowerCase()}-vs-snr`, '', chart({ title: metricNames[m][0], subtitle: [intervalNote(pts)], xTitle: snrX, yTitle: metricNames[m][1],
      points: pts, styles, interval: 'band' }));
  }
  // The paper's bandwidth figure: accuracy vs channel uses per image at chosen SNRs.
  const snrs = bandwidthSnrs(c.points, opts.bandwidthSnr);
  for (const m of ['mAP', 'mIoU'] as const) {
    const sent = c.points.filter((p) => p.metrics[m] && (p.channelUses ?? 0) > 0 && snrs.includes(p.snrDb));
    if (!sent.length) continue;
    const panel = (x: number) => `SNR ${x} dB`;
    const pts: ChartPoint[] = sent.map((p) => {
      const s = p.metrics[m]!;
      return { x: p.channelUses!, y: 100 * s.mean, series: name(p), panel: panel(p.snrDb), lo: s.ci95 && 100 * s.ci95[0], hi: s.ci95 && 100 * s.ci95[1],
        text: p.compressionRatio ? `\u00d7${ratioText(p.compressionRatio)}` : undefined };
    });
    // Ratio labels only where they do not overprint each other (x at least 3.5x, about half a decade, apart in a panel).
    const lastX = new Map<string, number>();
    for (const p of [...pts].sort((a, b) => a.x - b.x)) {
      if (p.text === undefined) continue;
      const l = lastX.get(p.panel!);
      if (l !== undefined && p.x < 3.5 * l && p.x !== l) p.text = undefined;
      else lastX.set(p.panel!, p.x);
    }
    // Not transmitted (FFMNet without compression): the accuracy to match, as a dotted rule.
    const refs: ChartLine[] = c.points.filter((p) => p.metrics[m] && p.channelUses === 0 && snrs.includes(p.snrDb))
      .map((p) => ({ y: 100 * p.metrics[m]!.mean, series: name(p), panel: panel(p.snrDb) }));
    const caption = 'Each point is one scheme at one SNR, labelled with its compression ratio (D1 elements / real channel values); '
      + 'further left is less bandwidth, higher is better. Dotted: no compression (not transmitted). Bars: bootstrap 95% interval.';
    await add(`bandwidth-${m.toLowerCase()}`, caption, chart({
      title: `Bandwidth: ${metricNames[m][1].replace(' (%)', '')} vs channel uses per image`, subtitle: [caption.split('; ')[0] + '.'],
      xTitle: 'channel uses per image (complex symbols, log)', yTitle: metricNames[m][1], points: pts, styles, logX: true, connect: false,
      interval: 'bars', lines: refs, panels: snrs.map(panel), width: Math.max(220, Math.floor(780 / snrs.length)), height: 280,
    }));
  }
  if (c.points.some((p) => p.mse !== undefined)) {
    await add('mse-vs-snr', '', chart({ title: 'Feature MSE vs SNR', xTitle: snrX, yTitle: 'MSE', logY: true, styles,
      points: c.points.filter((p) => p.mse !== undefined && p.mse > 0).map((p) => ({ x: p.snrDb, y: p.mse!, series: name(p) })) }));
  }
  // Lost features are a digital-link event: JSCC and the uncompressed reference never lose one.
  const digital = (p: PointSummary) => !p.scheme.startsWith('jscc:') && (p.channelUses ?? 0) > 0;
  if (c.points.some((p) => p.failure && p.failures > 0)) {
    const cap = 'Share of images whose feature was lost (CRC or JPEG failure) and replaced by the fallback. Bars: Wilson 95% interval.';
    await add('failure-vs-snr', '', chart({
      title: 'Lost features vs SNR', subtitle: [cap], xTitle: snrX, yTitle: 'failure rate', yDomain: [0, 1], styles, interval: 'bars',
      points: c.points.filter((p) => p.failure && digital(p)).map((p) => ({ x: p.snrDb, y: p.failures / p.transmissions, series: name(p), lo: p.failure!.ci95[0], hi: p.failure!.ci95[1] })),
    }));
  }
  const rateFig = async (id: string, title: string, yTitle: string, get: (p: PointSummary) => Rate | undefined) => {
    const pts = c.points.filter((p) => get(p)).map((p) => rateChartPoint(p.snrDb, get(p)!, name(p)));
    if (!pts.length || pts.every((p) => p.bound)) return;
    await add(id, '', chart({ title, subtitle: [RATE_NOTE], xTitle: snrX, yTitle, logY: true, styles, interval: 'bars', points: pts }));
  };
  await rateFig('ber-vs-snr', 'Separate schemes: BER after decoding vs SNR', 'BER', (p) => p.berRate);
  await rateFig('raw-ber-vs-snr', 'Separate schemes: channel BER before decoding vs SNR', 'raw BER', (p) => p.rawBerRate);
  await rateFig('bler-vs-snr', 'Separate schemes: BLER vs SNR', 'BLER', (p) => p.blerRate);
  return figures;
}

/** The table without columns that are empty in every row (the first `keep` always stay). */
function dropEmpty(head: string[], rows: string[][], keep: number): { head: string[]; rows: string[][] } {
  const on = head.map((_, j) => j < keep || rows.some((r) => r[j] !== ''));
  return { head: head.filter((_, j) => on[j]), rows: rows.map((r) => r.filter((_, j) => on[j])) };
}

function rateChartPoint(x: number, r: Rate, series: string): ChartPoint {
  return r.bound ? { x, y: r.value, series, bound: true } : { x, y: r.value, series, lo: r.ci95[0], hi: r.ci95[1] };
}

/** "Similar performance": within this many mAP@0.5 points of the uncompressed model. */
export const SIMILAR_MAP_POINTS = 2;

export interface SimilarRow { snrDb: number; reference: number; separate?: PointSummary; jscc?: PointSummary }

/**
 * The paper's read-out ("with similar performance, the maximum compression ratio of the separate
 * scheme is 13 while JSCC is 512"): at each SNR, the highest-ratio separate and JSCC scheme whose
 * mAP is within SIMILAR_MAP_POINTS of the uncompressed model's.
 */
export function ratioAtSimilarAccuracy(points: PointSummary[], snrs: number[]): SimilarRow[] {
  const rows: SimilarRow[] = [];
  for (const x of snrs) {
    const at = points.filter((p) => p.snrDb === x && p.mAP !== undefined);
    const ref = at.find((p) => p.scheme === 'none');
    if (!ref) continue;
    const ok = at.filter((p) => p.compressionRatio && 100 * (ref.mAP! - p.mAP!) <= SIMILAR_MAP_POINTS);
    const best = (pred: (p: PointSummary) => boolean) => ok.filter(pred).sort((a, b) => b.compressionRatio! - a.compressionRatio!)[0];
    rows.push({ snrDb: x, reference: ref.mAP!, separate: best((p) => p.scheme.startsWith('separate:')), jscc: best((p) => p.scheme.startsWith('jscc:')) });
  }
  return rows;
}

function sweepBlocks(c: SweepCtx, budget: TextBudget, opts: ReportOptions): Block[] {
  const seen = new Set<string>();
  const bw: string[][] = [];
  for (const p of c.points) {
    if (seen.has(p.scheme)) continue;
    seen.add(p.scheme);
    const sent = (p.channelUses ?? 0) > 0;
    bw.push([c.labelOf.get(p.scheme)!, p.channelUses === undefined ? '' : sent ? int(p.channelUses) : '— (not transmitted)',
      p.compressionRatio ? ratioText(p.compressionRatio) : sent ? '' : '—']);
  }
  const similar = ratioAtSimilarAccuracy(c.points, bandwidthSnrs(c.points, opts.bandwidthSnr)).map((r) => {
    const cell = (p?: PointSummary) => (p ? `\u00d7${ratioText(p.compressionRatio!)}: ${c.labelOf.get(p.scheme)} (${pct(p.mAP)})` : 'none');
    return [String(r.snrDb), pct(r.reference), cell(r.jscc), cell(r.separate)];
  });
  const rows = c.points.map((p) => [c.labelOf.get(p.scheme)!, String(p.snrDb), String(p.reps), pct(p.mAP), ci(p.metrics.mAP?.ci95), pct(p.mIoU), ci(p.metrics.mIoU?.ci95),
    sci(p.mse), p.failure ? `${p.failures}/${p.transmissions}` : '', rateText(p.blerRate), rateText(p.berRate)]);
  const b = c.input.header.bootstrap as { resamples?: number; seed?: number } | undefined;
  const t = dropEmpty(['scheme', 'SNR (dB)', 'reps', 'mAP@0.5 (%)', 'mAP 95% CI', 'mIoU (%)', 'mIoU 95% CI', 'MSE', 'failures', 'BLER (95% CI)', 'BER (95% CI)'], rows, 3);
  return [
    { kind: 'h2', text: 'Bandwidth per scheme' },
    { kind: 'table', head: ['scheme', 'channel uses / image', 'compression ratio'], rows: bw },
    ...(similar.length ? [
      { kind: 'para' as const, text: `Highest compression ratio at similar accuracy (mAP@0.5 within ${SIMILAR_MAP_POINTS} points of the uncompressed model; the paper: separate 13, JSCC 512):` },
      { kind: 'table' as const, head: ['SNR (dB)', 'uncompressed mAP@0.5 (%)', 'JSCC: ratio, scheme (mAP %)', 'separate: ratio, scheme (mAP %)'], rows: similar },
    ] : []),
    { kind: 'h2', text: 'Figures' },
    { kind: 'figures' },
    { kind: 'h2', text: 'Results per SNR point' },
    ...(b ? [{ kind: 'para' as const, text: `95% intervals: bootstrap over images, ${b.resamples} resamples, seed ${b.seed ?? '?'}; error rates: Wilson (upper bound when no errors).` }] : []),
    { kind: 'table', head: t.head, rows: t.rows.map((r) => r.map((x) => budget.field(x))) },
  ];
}

// ---------------------------------------------------------------- ber / link files

function berIdentity(input: ReportInput): { id: string; name: string } {
  const cfg = input.header.config as Rec;
  const kind = input.kind;
  const params = cfg.channelParams && typeof cfg.channelParams === 'object' && Object.keys(cfg.channelParams as object).length
    ? ` (${Object.entries(cfg.channelParams as Rec).map(([k, v]) => `${k}=${str(v)}`).join(', ')})` : '';
  if (kind === 'link') {
    return { id: `link|${str(cfg.scheme)}|${str(cfg.channel)}|${JSON.stringify(cfg.channelParams ?? {})}`, name: `${str(cfg.scheme) || 'link'} \u00b7 ${str(cfg.channel) || '?'}${params}` };
  }
  const mod = str(cfg.mod).toUpperCase().replace(/^(\d+)QAM$/, '$1-QAM');
  const code = cfg.code === undefined || cfg.code === 'none' ? 'uncoded' : str(cfg.code);
  const demap = cfg.demap && cfg.demap !== 'exact' ? `, ${str(cfg.demap)}` : '';
  return { id: `ber|${str(cfg.mod)}|${str(cfg.code)}|${str(cfg.channel)}|${JSON.stringify(cfg.channelParams ?? {})}|${str(cfg.demap)}`,
    name: `${mod || '?'} \u00b7 ${code} \u00b7 ${str(cfg.channel) || '?'}${params}${demap}` };
}

function expectedOf(input: ReportInput): number | undefined {
  const cfg = input.header.config as Rec;
  const snr = cfg.snrDb ?? cfg.ebn0Db;
  return Array.isArray(snr) ? snr.length : undefined;
}

async function berFigures(inputs: ReportInput[], styles: Map<string, SeriesStyle>, opts: ReportOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  const all = inputs.flatMap((f) => f.records);
  const useEbn0 = opts.x === 'ebn0' || (opts.x === undefined && inputs.every((f) => Array.isArray((f.header.config as Rec).ebn0Db)));
  if (useEbn0 && !all.every((r) => typeof r.ebn0Db === 'number')) throw new UsageError('--x ebn0 is not allowed: some records carry no ebn0Db; use --x snr');
  const xOf = (r: Rec) => (useEbn0 ? (r.ebn0Db as number) : (r.snrDb as number));
  const xTitle = useEbn0 ? 'Eb/N0 (dB)' : 'SNR = Es/N0 (dB)';
  const list = [...styles.values()];
  const add = async (id: string, caption: string, spec: VlSpec) => {
    figures.push({ id, title: String((spec.title as { text: string }).text), caption, spec, svg: await renderSvg(spec) });
  };
  const series = (f: ReportInput) => styles.get(f.path)!.name;
  const ratePoints = (errs: string, trials: string) => inputs.flatMap((f) => f.records.filter((r) => typeof r[trials] === 'number' && (r[trials] as number) > 0)
    .map((r) => rateChartPoint(xOf(r), rate(r[errs] as number, r[trials] as number), series(f))));
  const ber = ratePoints('bitErrors', 'bits');
  if (ber.length) {
    const theory: ChartLine[] = inputs.flatMap((f) => f.records.filter((r) => typeof r.theoryBer === 'number' && (r.theoryBer as number) > 0)
      .map((r) => ({ x: xOf(r), y: r.theoryBer as number, series: series(f) })));
    const cap = `${RATE_NOTE}${theory.length ? ' Dashed: closed-form theory of the same colour.' : ''}`;
    // PlotBER style: where theory is drawn, the simulation is markers only, so the two can be told apart.
    const withTheory = new Set(theory.map((l) => l.series));
    await add('ber', '', chart({ title: `BER vs ${useEbn0 ? 'Eb/N0' : 'SNR'}`, subtitle: cap.split(/(?<=\.) /), xTitle, yTitle: 'BER', logY: true, styles: list, interval: 'bars',
      points: ber, lines: theory, connect: list.map((s) => s.name).filter((n) => !withTheory.has(n)) }));
  }
  const bler = ratePoints('blockErrors', 'blocks');
  if (bler.length && !bler.every((p) => p.bound)) {
    await add('bler', '', chart({ title: `BLER vs ${useEbn0 ? 'Eb/N0' : 'SNR'}`, subtitle: [RATE_NOTE], xTitle, yTitle: 'BLER', logY: true, styles: list, interval: 'bars', points: bler }));
  }
  const mse = inputs.flatMap((f) => f.records.filter((r) => typeof r.mse === 'number' && (r.mse as number) > 0).map((r) => ({ x: xOf(r), y: r.mse as number, series: series(f) })));
  if (mse.length) await add('mse', '', chart({ title: `Feature MSE vs ${useEbn0 ? 'Eb/N0' : 'SNR'}`, xTitle, yTitle: 'MSE', logY: true, styles: list, points: mse }));
  const fail = inputs.flatMap((f) => f.records.filter((r) => typeof r.reps === 'number' && (r.reps as number) > 0 && typeof r.failures === 'number').map((r) => {
    const w = rate(r.failures as number, r.reps as number);
    return { x: xOf(r), y: (r.failures as number) / (r.reps as number), series: series(f), lo: w.bound ? 0 : w.ci95[0], hi: w.bound ? w.value : w.ci95[1] };
  }));
  if (fail.some((p) => p.y > 0)) {
    await add('failure', '', chart({ title: `Lost features vs ${useEbn0 ? 'Eb/N0' : 'SNR'}`, subtitle: ['Bars: Wilson 95% interval (zero failures: up to the one-sided 95% bound).'], xTitle,
      yTitle: 'failure rate', yDomain: [0, 1], styles: list, interval: 'bars', points: fail }));
  }
  return figures;
}

function berBlocks(inputs: ReportInput[], styles: Map<string, SeriesStyle>, budget: TextBudget): Block[] {
  const rows: string[][] = [];
  for (const f of inputs) for (const r of f.records) {
    const b = typeof r.bits === 'number' && r.bits > 0 ? rate(r.bitErrors as number, r.bits as number) : undefined;
    const k = typeof r.blocks === 'number' && r.blocks > 0 ? rate(r.blockErrors as number, r.blocks as number) : undefined;
    rows.push([styles.get(f.path)!.name, String(r.snrDb), typeof r.ebn0Db === 'number' ? r.ebn0Db.toFixed(2) : '',
      typeof r.bitErrors === 'number' ? `${r.bitErrors}/${r.bits}` : '', rateText(b), sci(r.theoryBer as number | undefined),
      typeof r.blockErrors === 'number' ? `${r.blockErrors}/${r.blocks}` : '', rateText(k), sci(r.mse as number | undefined),
      typeof r.failures === 'number' ? `${r.failures}/${str(r.reps)}` : ''].map((x) => budget.field(x)));
  }
  return [
    { kind: 'h2', text: 'Figures' }, { kind: 'figures' },
    { kind: 'h2', text: 'Results per point' },
    { kind: 'table', ...dropEmpty(['series', 'SNR (dB)', 'Eb/N0 (dB)', 'bit errors', 'BER (95% CI)', 'theory BER', 'block errors', 'BLER (95% CI)', 'MSE', 'failures'], rows, 2) },
  ];
}

// ---------------------------------------------------------------- training logs

/** Points per loss series in a training-log figure (bin means beyond it). */
const LOSS_POINTS = 400;

async function trainFigures(input: ReportInput): Promise<Figure[]> {
  const figures: Figure[] = [];
  const add = async (id: string, caption: string, spec: VlSpec) => {
    figures.push({ id, title: String((spec.title as { text: string }).text), caption, spec, svg: await renderSvg(spec) });
  };
  const steps = input.records.filter((r) => r.eval === undefined);
  const evals = input.records.filter((r) => r.eval !== undefined);
  const partNames = [...new Set(steps.flatMap((r) => Object.keys((r.parts as Rec | undefined) ?? {})))].slice(0, MAX_SERIES - 1);
  const budget = new TextBudget();
  const lossStyles = assignStyles([{ id: 'loss', name: 'total loss' }, ...partNames.map((p) => ({ id: `part:${p}`, name: budget.label(p) }))], { loss: [0, 0] });
  const lossPts: ChartPoint[] = [];
  for (const r of steps) {
    lossPts.push({ x: r.step as number, y: r.loss as number, series: lossStyles.get('loss')!.name });
    for (const p of partNames) {
      const v = (r.parts as Rec | undefined)?.[p];
      if (typeof v === 'number') lossPts.push({ x: r.step as number, y: v, series: lossStyles.get(`part:${p}`)!.name });
    }
  }
  if (lossPts.length) {
    const logY = lossPts.every((p) => p.y > 0);
    // Each series binned to at most LOSS_POINTS means (a full log is tens of thousands of points).
    let per = 1;
    const binned = [...new Set(lossPts.map((p) => p.series))].flatMap((name) => {
      const r = binMeans(lossPts.filter((p) => p.series === name), LOSS_POINTS);
      per = Math.max(per, r.per);
      return r.points;
    });
    const caption = per > 1 ? `Each point is the mean of ${per} consecutive steps (${steps.length} steps logged).` : '';
    await add('loss', caption, chart({ title: 'Training loss vs step', xTitle: 'step', yTitle: logY ? 'loss (log)' : 'loss', logY, styles: lossStyles, markers: steps.length <= 30,
      points: binned }));
  }
  const metricStyles = assignStyles([{ id: 'mAP', name: 'mAP@0.5' }, { id: 'mIoU', name: 'mIoU' }, { id: 'cocoAP', name: 'COCO AP' }], { mAP: [4, 0], mIoU: [5, 1], cocoAP: [3, 2] });
  const evPts: ChartPoint[] = [];
  for (const r of evals) for (const m of ['mAP', 'mIoU', 'cocoAP']) {
    const v = (r.eval as Rec)[m];
    if (typeof v === 'number') evPts.push({ x: r.step as number, y: 100 * v, series: metricStyles.get(m)!.name });
  }
  // One evaluation (the final one of steps 2-3) is a table row, not a curve.
  if (new Set(evPts.map((p) => p.x)).size >= 2) {
    const split = [...new Set(evals.map((r) => str((r.eval as Rec).split)).filter(Boolean))].join(', ') || 'held-out';
    await add('eval', '', chart({ title: `Validation metrics vs step (${budget.label(split)})`, xTitle: 'step', yTitle: 'metric (%)', styles: metricStyles, points: evPts }));
  }
  return figures;
}

function trainBlocks(input: ReportInput, budget: TextBudget): Block[] {
  const evals = input.records.filter((r) => r.eval !== undefined);
  const steps = input.records.filter((r) => r.eval === undefined);
  const last = steps[steps.length - 1];
  const rows = evals.map((r) => {
    const e = r.eval as Rec;
    return [String(r.step), budget.field(str(e.split)), str(e.images), pct(e.mAP as number | undefined), pct(e.mIoU as number | undefined)];
  });
  return [
    { kind: 'list', items: [
      `steps logged: ${steps.length}${last ? `, last step ${last.step}, loss ${sci(last.loss as number)}${typeof last.lr === 'number' ? `, lr ${sci(last.lr)}` : ''}` : ''}`,
      ...(typeof last?.imagesPerSec === 'number' ? [`throughput at the last step: ${(last.imagesPerSec as number).toFixed(1)} images/s`] : []),
    ] },
    { kind: 'h2', text: 'Figures' }, { kind: 'figures' },
    ...(rows.length ? [{ kind: 'h2' as const, text: 'Evaluations' }, { kind: 'table' as const, head: ['step', 'split', 'images', 'mAP@0.5 (%)', 'mIoU (%)'], rows }] : []),
  ];
}

// ---------------------------------------------------------------- assembling the page

function headerItems(input: ReportInput, budget: TextBudget, present: number, expected: number | undefined): string[] {
  const h = input.header;
  const v = (h.versions ?? {}) as Rec;
  const deps = v.deps && typeof v.deps === 'object' ? Object.entries(v.deps as Rec).map(([k, x]) => `${k} ${str(x)}`).join(', ') : '';
  const what = input.kind === 'train-log' ? `training log (step ${str(h.trainingStep)})` : str(h.command ?? h.kind);
  return [
    `file: ${budget.field(path.basename(input.path))} (${budget.field(what)})`,
    `points: ${present}${expected !== undefined ? ` of ${expected} expected` : ''}`,
    ...(h.seed !== undefined ? [`seed: ${budget.field(str(h.seed))}`] : []),
    ...(h.createdAt !== undefined ? [`created: ${budget.field(str(h.createdAt))}`] : []),
    ...(h.versions !== undefined ? [budget.field(`jscc-sim ${str(v.jsccSim) || '?'}, commit ${str(v.commit) || 'unknown'}, Node ${str(v.node) || '?'}${deps ? `; ${deps}` : ''}`)] : []),
    ...(h.shard !== undefined ? [`shard: ${budget.field(str((h.shard as Rec).index))} of ${budget.field(str((h.shard as Rec).count))}`] : []),
    ...(input.kind === 'train-log' ? trainRunItems(h, budget) : []),
  ];
}

/** A training log's run: steps, batch, schedule, and for steps 2-3 the JSCC and its channel. */
function trainRunItems(h: Rec, budget: TextBudget): string[] {
  const sch = (h.schedule ?? {}) as Rec;
  const items = [budget.field(`run: ${str(h.totalSteps)} steps x batch ${str(h.batch)}, lr ${str(h.lr)}`
    + `${sch.kind ? `, ${str(sch.kind)} schedule` : ''}${sch.warmupSteps ? `, warm-up ${str(sch.warmupSteps)}` : ''}`
    + `${h.workers !== undefined ? `, ${str(h.workers)} worker${h.workers === 1 ? '' : 's'}` : ''}`)];
  const j = h.jscc as Rec | undefined;
  if (j && typeof j === 'object') {
    items.push(budget.field(`JSCC: ${typeof h.compressionRatio === 'number' ? Math.round(h.compressionRatio) : '?'}x, ${str(h.channelUses)} channel uses per image, `
      + `latent ${str(j.stride)}-fold down, C' = ${str(j.cPrime)}, ${str(j.downsample ?? 'avgpool')} / ${str(j.upsample ?? 'bilinear')}; trained ${snrTrainText(h.snrTrain)}, ${str(h.channel ?? 'awgn')}`));
    if (typeof h.segWeight === 'number' && h.segWeight !== 1) items.push(`loss: L_det + ${str(h.segWeight)} L_seg (--seg-weight; the paper's is L_det + L_seg)`);
  }
  if (h.from !== undefined) items.push(`from: ${budget.field(str(h.from))}`);
  return items;
}

const UNITS = 'units: SNR = Es/N0 per complex symbol; channel uses = complex symbols per image; compression ratio = D1 elements / (2 x channel uses)';

/** Build the report of one sweep, one training log, or several ber/link files. */
export async function buildReport(inputs: ReportInput[], opts: ReportOptions = {}): Promise<ReportOutput> {
  const budget = new TextBudget();
  const kinds = new Set(inputs.map((f) => (f.kind === 'link' ? 'ber' : f.kind)));
  if (kinds.size > 1) throw new UsageError(`cannot report ${inputs.map((f) => `${f.path} (${f.kind})`).join(' with ')}: give one compare/eval file, one training log, or any number of ber/link files`);
  const kind = inputs[0].kind;
  if ((kind === 'sweep' || kind === 'train-log') && inputs.length > 1) {
    throw new UsageError(`${kind === 'sweep' ? 'compare/eval results' : 'training logs'} are reported one file at a time (got ${inputs.length}); merge shards with jscc-sim merge`);
  }
  const warnings: string[] = [];
  const meta: Block[] = [];
  let blocks: Block[];
  let figures: Figure[];
  let points: number;
  for (const f of inputs) if (f.truncatedTail) warnings.push(`${budget.field(path.basename(f.path))}: a partial last line (killed mid-write?) was ignored.`);
  if (kind === 'sweep') {
    const input = inputs[0];
    const c = sweepContext(input, budget);
    const done = sweepCompleteness(input, c.labelOf, budget);
    if (done.expected !== undefined && done.present < done.expected) {
      const miss = done.missing.slice(0, 8).map((m) => budget.field(m)).join('; ');
      warnings.push(`Incomplete sweep: ${done.present} of ${done.expected} points present (${done.expected - done.present} missing; ${miss}${done.missing.length > 8 ? '; …' : ''}). `
        + 'Curves stop where points are missing; resume the run with the same command to fill them in.');
    }
    if (input.records.length === 0) warnings.push('The file holds no results yet: nothing to draw.');
    meta.push({ kind: 'list', items: [...headerItems(input, budget, done.present, done.expected), UNITS] });
    meta.push({ kind: 'h2', text: 'Config' }, { kind: 'json', value: input.header.config });
    figures = await sweepFigures(c, opts);
    blocks = sweepBlocks(c, budget, opts);
    points = c.points.length;
  } else if (kind === 'train-log') {
    const input = inputs[0];
    const cfg = input.header.config as Rec;
    const total = typeof cfg.steps === 'number' ? cfg.steps : undefined;
    const steps = input.records.filter((r) => r.eval === undefined);
    const lastStep = steps.length ? (steps[steps.length - 1].step as number) : 0;
    if (total !== undefined && lastStep < total) warnings.push(`Incomplete training log: last step ${lastStep} of ${total} configured.`);
    meta.push({ kind: 'list', items: headerItems(input, budget, input.records.length, undefined) });
    meta.push({ kind: 'h2', text: 'Config' }, { kind: 'json', value: cfg });
    figures = await trainFigures(input);
    blocks = trainBlocks(input, budget);
    points = input.records.length;
  } else {
    if (inputs.length > MAX_SERIES) throw new UsageError(`${inputs.length} files: a report overlays at most ${MAX_SERIES}`);
    const ids = inputs.map((f) => berIdentity(f));
    // The same config twice (e.g. two seeds): tell the files apart by name.
    const named = ids.map((e, i) => (ids.filter((x) => x.id === e.id).length > 1 ? { id: `${e.id}|${inputs[i].path}`, name: `${e.name} [${path.basename(inputs[i].path)}]` } : e));
    const byId = assignStyles(named.map((e) => ({ id: e.id, name: budget.label(e.name) })));
    const styles = new Map(inputs.map((f, i) => [f.path, byId.get(named[i].id)!] as const));
    for (const f of inputs) {
      const expected = expectedOf(f);
      const present = f.records.length;
      if (expected !== undefined && present < expected) warnings.push(`Incomplete run ${budget.field(path.basename(f.path))}: ${present} of ${expected} points present.`);
      meta.push({ kind: 'list', items: [`series: ${styles.get(f.path)!.name}`, ...headerItems(f, budget, present, expected)] });
    }
    meta.push({ kind: 'h2', text: 'Config' }, ...inputs.map((f) => ({ kind: 'json' as const, value: f.header.config })));
    figures = await berFigures(inputs, styles, opts);
    blocks = berBlocks(inputs, styles, budget);
    points = inputs.reduce((a, f) => a + f.records.length, 0);
  }
  const page: Block[] = [...meta, ...blocks];
  // Everything is rendered once before the note, so the note counts every shortened field.
  let markdown = renderMarkdown(page, figures, warnings, budget);
  let html = renderHtml(page, figures, warnings, new TextBudget()); // the same fields again: counted once
  const note = budget.note();
  if (note) {
    const again = new TextBudget(); // counted already
    markdown = renderMarkdown(page, figures, [...warnings, note], again);
    html = renderHtml(page, figures, [...warnings, note], again);
  }
  return { markdown, html, figures, points, warnings: note ? [...warnings, note] : warnings };
}

function renderMarkdown(page: Block[], figures: Figure[], warnings: string[], budget: TextBudget): string {
  const out: string[] = ['# jscc-sim report', ''];
  for (const w of warnings) out.push(`> **Warning:** ${mdText(w)}`, '');
  for (const b of page) {
    if (b.kind === 'h2') out.push(`## ${mdText(b.text)}`, '');
    else if (b.kind === 'list') out.push(...b.items.map((i) => `- ${mdText(i)}`), '');
    else if (b.kind === 'json') out.push(fence(safeJson(b.value, budget), 'json'), '');
    else if (b.kind === 'table') out.push(mdTable(b.head, b.rows), '');
    else if (b.kind === 'para') out.push(mdText(b.text), '');
    else for (const f of figures) out.push(`![${mdText(f.title)}](figures/${f.id}.svg)`, '', ...(f.caption ? [mdText(f.caption), ''] : []));
  }
  return out.join('\n');
}

function renderHtml(page: Block[], figures: Figure[], warnings: string[], budget: TextBudget): string {
  const body: string[] = [];
  for (const w of warnings) body.push(`<p class="warning" role="alert"><strong>Warning:</strong> ${escHtml(w)}</p>`);
  for (const b of page) {
    if (b.kind === 'h2') body.push(`<h2>${escHtml(b.text)}</h2>`);
    else if (b.kind === 'list') body.push(`<ul>${b.items.map((i) => `<li>${escHtml(i)}</li>`).join('')}</ul>`);
    else if (b.kind === 'json') body.push(`<pre>${escHtml(safeJson(b.value, budget))}</pre>`);
    else if (b.kind === 'table') body.push(htmlTable(b.head, b.rows));
    else if (b.kind === 'para') body.push(`<p>${escHtml(b.text)}</p>`);
    else {
      body.push(...figures.map((f) => `<figure id="${escHtml(f.id)}">${f.svg}${f.caption ? `<figcaption>${escHtml(f.caption)}</figcaption>` : ''}
<details><summary>Vega-Lite spec</summary><script type="application/json" class="vega-lite-spec">${JSON.stringify(f.spec).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')}</script><pre>${escHtml(JSON.stringify(f.spec, null, 1).slice(0, 20000))}</pre></details></figure>`));
    }
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="generator" content="jscc-sim report"><title>jscc-sim report</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:0.9em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}figure{margin:1.5em 0}pre{background:#f6f6f6;padding:0.8em;overflow:auto;white-space:pre-wrap;word-break:break-all}
details{margin:0.3em 0 1em}figcaption{font-size:0.9em;color:#444;max-width:800px}
.warning{background:#fff3cd;border:2px solid #d55e00;padding:0.6em 0.9em;border-radius:4px}
</style></head><body>
<h1>jscc-sim report</h1>
${body.join('\n')}
</body></html>
`;
}

/** The names of the files a report writes (for the folder check before any work). */
function outFiles(rep: ReportOutput): OutFile[] {
  return [
    ...rep.figures.flatMap((f) => [{ rel: `figures/${f.id}.svg`, content: f.svg }, { rel: `figures/${f.id}.vl.json`, content: JSON.stringify(f.spec, null, 2) }]),
    { rel: 'report.md', content: rep.markdown },
    { rel: 'report.html', content: rep.html },
  ];
}

/**
 * Read the files, check them and the output folder (before any drawing), then write
 * DIR/report.md, DIR/report.html and DIR/figures/*, replacing only report's own files.
 */
export async function writeReport(resultsPaths: string | string[], outDir: string, opts: ReportOptions = {}): Promise<{ figures: number; points: number; warnings: string[] }> {
  const paths = Array.isArray(resultsPaths) ? resultsPaths : [resultsPaths];
  if (paths.length === 0) throw new UsageError('name at least one results file');
  checkOutDir(outDir);
  if (existsSync(outDir)) checkConflicts(outDir, ['report.md', 'report.html', MANIFEST]);
  const inputs = paths.map((p) => readInput(p));
  const rep = await buildReport(inputs, opts);
  writeOutFiles(outDir, outFiles(rep));
  return { figures: rep.figures.length, points: rep.points, warnings: rep.warnings };
}
