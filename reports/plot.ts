/**
 * Vega-Lite specs rendered to SVG on the server (vega's headless View with the `none` renderer: no
 * browser, no native canvas). Text widths are estimated, which is fine for axis labels.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';

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

export interface LineSeries {
  x: number;
  y: number | null;
  series: string;
  lo?: number;
  hi?: number;
}

/** A line chart of y vs x per series, optionally with a log y axis and error bars (lo/hi). */
export function lineChart(opts: {
  title: string; xTitle: string; yTitle: string; data: LineSeries[]; logY?: boolean; yDomain?: [number, number];
  width?: number; height?: number;
}): VlSpec {
  const data = opts.data.filter((d) => d.y !== null && Number.isFinite(d.y) && (!opts.logY || (d.y as number) > 0));
  const y: Record<string, unknown> = {
    field: 'y', type: 'quantitative', title: opts.yTitle,
    scale: opts.logY ? { type: 'log' } : opts.yDomain ? { domain: opts.yDomain } : { zero: false },
  };
  const layers: Record<string, unknown>[] = [{
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: opts.xTitle, scale: { zero: false } },
      y,
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 2, labelLimit: 400 } },
      strokeDash: { field: 'series', type: 'nominal', title: null },
    },
  }];
  if (data.some((d) => d.lo !== undefined && d.hi !== undefined)) {
    layers.push({
      mark: { type: 'rule' },
      transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: opts.logY ? 'loPos' : 'lo', type: 'quantitative' },
        y2: { field: 'hi' },
        color: { field: 'series', type: 'nominal', title: null },
      },
    });
  }
  return {
    title: opts.title,
    width: opts.width ?? 520,
    height: opts.height ?? 300,
    data: { values: data.map((d) => ({ ...d, loPos: d.lo !== undefined ? Math.max(d.lo, 1e-12) : undefined })) },
    layer: layers,
  };
}
