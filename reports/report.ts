/**
 * `jscc-sim report results.jsonl --out DIR`: Markdown (report.md) and one self-contained HTML
 * (report.html) with inline SVG plots: task metrics vs SNR per scheme (the cliff of the separate
 * schemes shows here), failure rate, BER/BLER of the separate schemes, and the bandwidth table.
 * Each figure's Vega-Lite spec is embedded so users can restyle it; nothing loads from the network.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { UsageError } from '../src/core/errors.js';
import path from 'node:path';
import { readResults, type ResultHeader } from '../src/sweep/results.js';
import { lineChart, renderSvg, type VlSpec } from './plot.js';
import { summarize, type PointSummary } from './aggregate.js';

export interface Figure {
  id: string;
  title: string;
  spec: VlSpec;
  svg: string;
}

export interface ReportOutput {
  markdown: string;
  html: string;
  figures: Figure[];
}

const pct = (x: number | undefined) => (x === undefined ? '' : (100 * x).toFixed(1));
const sci = (x: number | undefined) => (x === undefined ? '' : x === 0 ? '0' : x.toExponential(2));

export async function buildReport(header: ResultHeader, points: PointSummary[]): Promise<ReportOutput> {
  const figures: Figure[] = [];
  const add = async (id: string, spec: VlSpec) => {
    figures.push({ id, title: String(spec.title), spec, svg: await renderSvg(spec) });
  };
  const series = (field: keyof PointSummary, scale = 1) => points
    .filter((p) => typeof p[field] === 'number')
    .map((p) => ({ x: p.snrDb, y: (p[field] as number) * scale, series: p.label }));
  if (points.some((p) => p.mAP !== undefined)) {
    await add('map-vs-snr', lineChart({ title: 'Detection: mAP@0.5 vs SNR', xTitle: 'SNR = Es/N0 (dB)', yTitle: 'mAP@0.5 (%)', data: series('mAP', 100) }));
  }
  if (points.some((p) => p.mIoU !== undefined)) {
    await add('miou-vs-snr', lineChart({ title: 'Segmentation: mIoU vs SNR', xTitle: 'SNR = Es/N0 (dB)', yTitle: 'mIoU (%)', data: series('mIoU', 100) }));
  }
  if (points.some((p) => p.mse !== undefined)) {
    await add('mse-vs-snr', lineChart({ title: 'Feature MSE vs SNR', xTitle: 'SNR = Es/N0 (dB)', yTitle: 'MSE', data: series('mse'), logY: true }));
  }
  if (points.some((p) => p.failureRate !== undefined && p.failures > 0)) {
    await add('failure-vs-snr', lineChart({
      title: 'Lost features (CRC or JPEG failure) vs SNR', xTitle: 'SNR = Es/N0 (dB)', yTitle: 'failure rate', yDomain: [0, 1],
      data: points.filter((p) => p.failureRate !== undefined).map((p) => ({
        x: p.snrDb, y: p.failureRate!, series: p.label, lo: p.failureCi95?.[0], hi: p.failureCi95?.[1],
      })),
    }));
  }
  if (points.some((p) => p.ber !== undefined)) {
    await add('ber-vs-snr', lineChart({
      title: 'Separate schemes: BER after decoding vs SNR', xTitle: 'SNR = Es/N0 (dB)', yTitle: 'BER', logY: true,
      data: points.filter((p) => p.ber !== undefined && p.ber > 0).map((p) => ({
        x: p.snrDb, y: p.ber!, series: p.label, lo: p.berCi95?.[0], hi: p.berCi95?.[1],
      })),
    }));
  }
  if (points.some((p) => p.rawBer !== undefined && p.rawBer > 0)) {
    await add('raw-ber-vs-snr', lineChart({
      title: 'Separate schemes: channel BER before decoding vs SNR', xTitle: 'SNR = Es/N0 (dB)', yTitle: 'raw BER', logY: true,
      data: points.filter((p) => p.rawBer !== undefined && p.rawBer > 0).map((p) => ({ x: p.snrDb, y: p.rawBer!, series: p.label })),
    }));
  }
  if (points.some((p) => p.bler !== undefined && p.bler > 0)) {
    await add('bler-vs-snr', lineChart({
      title: 'Separate schemes: BLER vs SNR', xTitle: 'SNR = Es/N0 (dB)', yTitle: 'BLER', logY: true,
      data: points.filter((p) => p.bler !== undefined && p.bler > 0).map((p) => ({ x: p.snrDb, y: p.bler!, series: p.label })),
    }));
  }
  const markdown = renderMarkdown(header, points, figures);
  const html = renderHtml(header, points, figures);
  return { markdown, html, figures };
}

function headerLines(h: ResultHeader): string[] {
  const v = h.versions;
  return [
    `- command: \`${h.command}\``,
    `- seed: ${h.seed}`,
    `- created: ${h.createdAt}`,
    `- jscc-sim ${v?.jsccSim ?? '?'}, commit ${v?.commit ?? 'unknown'}, Node ${v?.node ?? '?'}`,
    `- dependencies: ${Object.entries(v?.deps ?? {}).map(([k, x]) => `${k} ${x}`).join(', ')}`,
    '- units: SNR = Es/N0 per complex symbol; channel uses = complex symbols per image; compression ratio = D1 elements / (2 x channel uses)',
  ];
}

function bandwidthRows(points: PointSummary[]): string[][] {
  const seen = new Map<string, PointSummary>();
  for (const p of points) if (!seen.has(p.label)) seen.set(p.label, p);
  return [...seen.values()].map((p) => [
    p.label,
    p.channelUses === undefined ? '' : String(Math.round(p.channelUses)),
    p.compressionRatio === undefined ? '' : p.compressionRatio.toFixed(p.compressionRatio >= 100 ? 0 : 1),
  ]);
}

function metricRows(points: PointSummary[]): string[][] {
  return points.map((p) => [p.label, String(p.snrDb), String(p.reps), pct(p.mAP), pct(p.mIoU), sci(p.mse),
    p.failureRate === undefined ? '' : `${p.failures}/${p.transmissions}`, sci(p.ber), sci(p.bler)]);
}

const METRIC_HEAD = ['scheme', 'SNR (dB)', 'reps', 'mAP@0.5 (%)', 'mIoU (%)', 'MSE', 'failures', 'BER', 'BLER'];

function mdTable(head: string[], rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

function renderMarkdown(h: ResultHeader, points: PointSummary[], figures: Figure[]): string {
  return [
    '# jscc-sim report', '', ...headerLines(h), '',
    '## Config', '', '```json', JSON.stringify(h.config, null, 2), '```', '',
    '## Bandwidth per scheme', '', mdTable(['scheme', 'channel uses / image', 'compression ratio'], bandwidthRows(points)), '',
    '## Figures', '', ...figures.map((f) => `![${f.title}](figures/${f.id}.svg)`), '',
    '## Results per SNR point', '', mdTable(METRIC_HEAD, metricRows(points)), '',
  ].join('\n');
}

const escHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function htmlTable(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((c) => `<th>${escHtml(c)}</th>`).join('')}</tr></thead><tbody>`
    + rows.map((r) => `<tr>${r.map((c) => `<td>${escHtml(c)}</td>`).join('')}</tr>`).join('') + '</tbody></table>';
}

function renderHtml(h: ResultHeader, points: PointSummary[], figures: Figure[]): string {
  const md = (s: string) => escHtml(s).replace(/`([^`]*)`/g, '<code>$1</code>');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>jscc-sim report</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:0.9em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}figure{margin:1.5em 0}pre{background:#f6f6f6;padding:0.8em;overflow:auto}
details{margin:0.3em 0 1em}
</style></head><body>
<h1>jscc-sim report</h1>
<ul>${headerLines(h).map((l) => `<li>${md(l.replace(/^- /, ''))}</li>`).join('')}</ul>
<h2>Config</h2><pre>${escHtml(JSON.stringify(h.config, null, 2))}</pre>
<h2>Bandwidth per scheme</h2>${htmlTable(['scheme', 'channel uses / image', 'compression ratio'], bandwidthRows(points))}
<h2>Figures</h2>
${figures.map((f) => `<figure id="${f.id}">${f.svg}
<details><summary>Vega-Lite spec</summary><script type="application/json" class="vega-lite-spec">${JSON.stringify(f.spec).replace(/</g, '\\u003c')}</script><pre>${escHtml(JSON.stringify(f.spec, null, 1)).slice(0, 20000)}</pre></details></figure>`).join('\n')}
<h2>Results per SNR point</h2>${htmlTable(METRIC_HEAD, metricRows(points))}
</body></html>
`;
}

/** Read a results file and write DIR/report.md, DIR/report.html and DIR/figures/*.svg atomically. */
export async function writeReport(resultsPath: string, outDir: string): Promise<{ figures: number; points: number }> {
  if (existsSync(outDir) && readdirSync(outDir).length > 0 && !existsSync(path.join(outDir, 'report.html'))) {
    throw new UsageError(`--out ${JSON.stringify(outDir)} is a non-empty folder that holds no earlier report: name a new or empty folder`);
  }
  const { header, records } = readResults(resultsPath);
  const points = summarize(records);
  const rep = await buildReport(header, points);
  const tmp = `${outDir.replace(/[\\/]+$/, '')}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(path.join(tmp, 'figures'), { recursive: true });
  writeFileSync(path.join(tmp, 'report.md'), rep.markdown);
  writeFileSync(path.join(tmp, 'report.html'), rep.html);
  for (const f of rep.figures) {
    writeFileSync(path.join(tmp, 'figures', `${f.id}.svg`), f.svg);
    writeFileSync(path.join(tmp, 'figures', `${f.id}.vl.json`), JSON.stringify(f.spec, null, 2));
  }
  if (existsSync(outDir)) rmSync(outDir, { recursive: true, force: true });
  renameSync(tmp, outDir);
  return { figures: rep.figures.length, points: points.length };
}
