/**
 * Vega-Lite specs rendered to SVG on the server (vega's headless View with the `none` renderer: no
 * browser, no native canvas). Text widths are estimated, which is fine for axis labels.
 *
 * One chart builder for every figure: fixed per-series colour and marker (reports/style.ts), one
 * legend, 95% intervals as bands (task metrics) or error bars (error rates), the spread across
 * repetitions as a thicker bar, zero-error points at their one-sided upper bound with the open
 * downward triangle, dashed theory lines, and log axes ticked at powers of ten only.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { BOUND_MARKER, type SeriesStyle } from './style.js';

export type VlSpec = Record<string, unknown>;

export async function renderSvg(spec: VlSpec): Promise<string> {
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface ChartPoint {
  x: number;
  y: number;
  series: string;
  /** 95% interval of y (drawn as a band or an error bar). */
  lo?: number;
  hi?: number;
  /** Range of y over repetitions (reps > 1). */
  spreadLo?: number;
  spreadHi?: number;
  /** y is a one-sided 95% upper bound (no errors were seen). */
  bound?: boolean;
  /** A short annotation beside the point (e.g. the compression ratio). */
  text?: string;
  /** Facet panel (small multiples), e.g. "SNR 10 dB". */
  panel?: string;
}

/** A dashed line per series (closed-form theory, a reference) or a horizontal rule when x is absent. */
export interface ChartLine {
  x?: number;
  y: number;
  series: string;
  panel?: string;
}

export interface ChartOptions {
  title: string;
  subtitle?: string[];
  xTitle: string;
  yTitle: string;
  points: ChartPoint[];
  /** Styles of every series of the report; the legend shows those drawn here. */
  styles: Map<string, SeriesStyle> | SeriesStyle[];
  interval?: 'band' | 'bars';
  logX?: boolean;
  logY?: boolean;
  yDomain?: [number, number];
  /** Join the points of a series with a line: all (default true), none, or the series named. */
  connect?: boolean | string[];
  /** Draw a marker at each point (default true; off for dense curves such as training logs). */
  markers?: boolean;
  lines?: ChartLine[];
  /** Panel order for small multiples. */
  panels?: string[];
  width?: number;
  height?: number;
}

const SUP: Record<string, string> = { '-': '\u207b', 0: '\u2070', 1: '\u00b9', 2: '\u00b2', 3: '\u00b3', 4: '\u2074', 5: '\u2075', 6: '\u2076', 7: '\u2077', 8: '\u2078', 9: '\u2079' };

/** "10⁻³" style label of 10^k. */
export function pow10Label(k: number): string {
  if (k === 0) return '1';
  if (k === 1) return '10';
  return '10' + String(k).split('').map((c) => SUP[c]).join('');
}

/** Domain and ticks of a log axis over positive values: whole decades, at most ~10 labels. */
export function logAxis(values: number[]): { domain: [number, number]; ticks: number[]; labelExpr: string } {
  // A loop, not Math.min(...v): a training log's curves hold far more values than a call's arguments may.
  let min = Infinity, max = -Infinity;
  for (const x of values) if (Number.isFinite(x) && x > 0) { if (x < min) min = x; if (x > max) max = x; }
  const any = min <= max;
  const lo = any ? Math.floor(Math.log10(min) + 1e-9) : -3;
  let hi = any ? Math.ceil(Math.log10(max) - 1e-9) : 0;
  if (hi <= lo) hi = lo + 1;
  const step = Math.max(1, Math.ceil((hi - lo) / 10));
  const ks: number[] = [];
  for (let k = lo; k <= hi; k += step) ks.push(k);
  // Each tick label from its decade: a chain of comparisons (vega expressions have no lookup tables).
  const expr = ks.map((k) => `datum.value < ${Number(`1e${k}`) * 1.5} ? '${pow10Label(k)}' : `).join('') + "''";
  return { domain: [Number(`1e${lo}`), Number(`1e${hi}`)], ticks: ks.map((k) => Number(`1e${k}`)), labelExpr: expr };
}

export function chart(o: ChartOptions): VlSpec {
  const styleList = o.styles instanceof Map ? [...o.styles.values()] : o.styles;
  const present = new Set([...o.points.map((p) => p.series), ...(o.lines ?? []).map((l) => l.series)]);
  const styles = styleList.filter((s) => present.has(s.name));
  const names = styles.map((s) => s.name);
  // Every layer encodes colour with the same scale and legend, so Vega-Lite merges them into one.
  const legend = { orient: 'bottom', direction: 'vertical', columns: names.length > 4 && Math.max(...names.map((n) => n.length)) < 44 ? 2 : 1, labelLimit: 2000, symbolSize: 80, symbolOpacity: 1, symbolStrokeWidth: 1.5 };
  const color = (_main: boolean) => ({ field: 'series', type: 'nominal', title: null, scale: { domain: names, range: styles.map((s) => s.color) }, legend });
  const shape = { field: 'series', type: 'nominal', title: null, scale: { domain: names, range: styles.map((s) => s.shape) }, legend };

  const ys: number[] = [];
  for (const p of o.points) ys.push(p.y, p.lo ?? p.y, p.hi ?? p.y, p.spreadLo ?? p.y, p.spreadHi ?? p.y);
  for (const l of o.lines ?? []) ys.push(l.y);
  const xs = [...o.points.map((p) => p.x), ...(o.lines ?? []).filter((l) => l.x !== undefined).map((l) => l.x!)];
  const yLog = o.logY ? logAxis(ys) : undefined;
  const xLog = o.logX ? logAxis(xs) : undefined;
  const clampY = (v: number | undefined) => (v === undefined ? undefined : yLog ? Math.max(v, yLog.domain[0]) : v);
  const xEnc = {
    field: 'x', type: 'quantitative', title: o.xTitle,
    scale: xLog ? { type: 'log', domain: xLog.domain, nice: false } : { zero: false },
    ...(xLog ? { axis: { values: xLog.ticks, labelExpr: xLog.labelExpr, grid: true } } : {}),
  };
  const yScale = yLog ? { type: 'log', domain: yLog.domain, nice: false } : o.yDomain ? { domain: o.yDomain } : { zero: false };
  const yEnc = {
    field: 'y', type: 'quantitative', title: o.yTitle, scale: yScale,
    ...(yLog ? { axis: { values: yLog.ticks, labelExpr: yLog.labelExpr } } : {}),
  };
  const values: Record<string, unknown>[] = [
    ...o.points.map((p) => ({ layer: 'point', ...p, lo: clampY(p.lo), hi: clampY(p.hi), spreadLo: clampY(p.spreadLo), spreadHi: clampY(p.spreadHi), bound: !!p.bound })),
    ...(o.lines ?? []).map((l) => ({ layer: l.x === undefined ? 'rule' : 'line', ...l })),
  ];
  const only = (expr: string) => [{ filter: expr }];
  const layers: Record<string, unknown>[] = [];
  const has = (pred: (p: ChartPoint) => boolean) => o.points.some(pred);
  if (o.interval === 'band' && has((p) => p.lo !== undefined)) {
    layers.push({
      transform: only("datum.layer === 'point' && isValid(datum.lo) && isValid(datum.hi)"),
      mark: { type: 'area', opacity: 0.16 },
      encoding: { x: xEnc, y: { field: 'lo', type: 'quantitative', scale: yScale }, y2: { field: 'hi' }, color: color(false) },
    });
  }
  if (o.interval === 'bars' && has((p) => p.lo !== undefined)) {
    layers.push({
      transform: only("datum.layer === 'point' && !datum.bound && isValid(datum.lo) && isValid(datum.hi)"),
      mark: { type: 'rule', strokeWidth: 1.2 },
      encoding: { x: xEnc, y: { field: 'lo', type: 'quantitative', scale: yScale }, y2: { field: 'hi' }, color: color(false) },
    });
  }
  if (has((p) => p.spreadLo !== undefined)) {
    layers.push({
      transform: only("datum.layer === 'point' && isValid(datum.spreadLo) && isValid(datum.spreadHi)"),
      mark: { type: 'rule', strokeWidth: 4, opacity: 0.45 },
      encoding: { x: xEnc, y: { field: 'spreadLo', type: 'quantitative', scale: yScale }, y2: { field: 'spreadHi' }, color: color(false) },
    });
  }
  if (o.lines?.some((l) => l.x !== undefined)) {
    layers.push({
      transform: only("datum.layer === 'line'"),
      mark: { type: 'line', strokeDash: [6, 3], strokeWidth: 1.5, opacity: 0.9 },
      encoding: { x: xEnc, y: yEnc, color: color(false), detail: { field: 'series' } },
    });
  }
  if (o.lines?.some((l) => l.x === undefined)) {
    layers.push({
      transform: only("datum.layer === 'rule'"),
      mark: { type: 'rule', strokeDash: [2, 3], strokeWidth: 1.5 },
      encoding: { y: { field: 'y', type: 'quantitative', scale: yScale }, color: color(false) },
    });
  }
  if (o.connect !== false && !(Array.isArray(o.connect) && o.connect.length === 0)) {
    const which = Array.isArray(o.connect) ? ` && indexof(${JSON.stringify(o.connect)}, datum.series) >= 0` : '';
    layers.push({
      transform: only(`datum.layer === 'point' && !datum.bound${which}`),
      mark: { type: 'line', strokeWidth: 1.8 },
      encoding: { x: xEnc, y: yEnc, color: color(false) },
    });
  }
  layers.push({
    transform: only("datum.layer === 'point' && !datum.bound"),
    mark: { type: 'point', filled: true, size: o.markers === false ? 0 : 55, opacity: 1 },
    encoding: { x: xEnc, y: yEnc, color: color(true), shape },
  });
  if (has((p) => !!p.bound)) {
    layers.push({
      transform: only("datum.layer === 'point' && datum.bound"),
      mark: { type: 'point', filled: false, shape: BOUND_MARKER, size: 70, strokeWidth: 1.6 },
      encoding: { x: xEnc, y: yEnc, color: color(false) },
    });
  }
  if (has((p) => p.text !== undefined)) {
    layers.push({
      transform: only("datum.layer === 'point' && isValid(datum.text)"),
      mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 10 },
      encoding: { x: xEnc, y: yEnc, text: { field: 'text' }, color: color(false) },
    });
  }
  const inner = { width: o.width ?? 560, height: o.height ?? 300, layer: layers };
  const top = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: o.title, ...(o.subtitle?.length ? { subtitle: o.subtitle } : {}), anchor: 'start', limit: 0 },
    data: { values },
    config: { axis: { labelLimit: 0, titleLimit: 0 }, legend: { labelLimit: 2000 }, title: { subtitleFontSize: 11 } },
  };
  if (o.panels) {
    return {
      ...top,
      facet: { column: { field: 'panel', type: 'nominal', title: null, sort: o.panels, header: { labelFontSize: 12, labelFontWeight: 'bold' } } },
      spec: inner,
      resolve: { scale: { x: 'shared', y: 'shared' } },
    };
  }
  return { ...top, ...inner };
}
