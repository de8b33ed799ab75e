/**
 * Printing results as a table (people), CSV or JSON (machines), shared by the commands.
 * Table: aligned columns, optionally after a `# ...` caption line with the scalar config, seed and
 * versions (opts.caption).
 * JSON: one object, the header fields (command, config, seed, versions) plus `rows`.
 * CSV: one comment line `# {header as JSON}`, a line of column keys, then the rows.
 * Files are written to a temporary name and renamed, so a failed run leaves nothing half-written.
 */
import { renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import type { Versions } from '../core/version.js';

export const OUTPUT_FORMATS = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function parseFormat(v: unknown): OutputFormat {
  const s = String(v ?? 'table').trim().toLowerCase();
  if (!(OUTPUT_FORMATS as readonly string[]).includes(s)) {
    throw new UsageError(`--format ${JSON.stringify(v)} is not allowed: use ${OUTPUT_FORMATS.join(', ')}`);
  }
  return s as OutputFormat;
}

export interface ResultHeader {
  command: string;
  config: Record<string, unknown>;
  seed: number;
  versions: Versions;
  [extra: string]: unknown;
}

export interface Column<R> {
  /** CSV header name. */
  key: string;
  /** Table header. */
  title: string;
  value: (row: R) => number | string | undefined;
  /** Table formatting: 'int', 'exp' (3 significant digits), 'fixed2', or 'text' (left-aligned; default by type). */
  kind?: 'int' | 'exp' | 'fixed2' | 'text';
  /** Table only: longer cells wrap at spaces onto continuation lines (nothing is cut). */
  maxWidth?: number;
}

/** Split `s` into lines of at most `width` characters at spaces (a longer word stays whole). */
export function wrapText(s: string, width: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of s.split(' ')) {
    if (cur && cur.length + 1 + word.length > width) {
      out.push(cur);
      cur = word;
    } else {
      cur = cur ? `${cur} ${word}` : word;
    }
  }
  out.push(cur);
  return out;
}

/** One value as a table cell: '-' for missing, by the column's kind. */
export function tableCell(v: number | string | undefined, kind: Column<unknown>['kind']): string {
  if (v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '-';
  if (typeof v === 'string') return v;
  switch (kind) {
    case 'int': return String(Math.round(v));
    case 'exp': return v === 0 ? '0' : v.toExponential(2);
    case 'fixed2': return v.toFixed(2);
    default: return String(v);
  }
}

/** One value as a CSV cell, quoted when it holds a comma, quote or newline. */
export function csvCell(v: number | string | undefined): string {
  if (v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Render rows in the chosen format. `rows` go to JSON as they are (all fields). */
export function formatResults<R>(
  header: ResultHeader, rows: R[], columns: Column<R>[], format: OutputFormat, opts: { caption?: boolean } = {},
): string {
  if (format === 'json') return JSON.stringify({ ...header, rows }, null, 2) + '\n';
  if (format === 'csv') {
    const lines = [`# ${JSON.stringify(header)}`, columns.map((c) => c.key).join(',')];
    for (const r of rows) lines.push(columns.map((c) => csvCell(c.value(r))).join(','));
    return lines.join('\n') + '\n';
  }
  const cells = rows.map((r) => columns.map((c) => tableCell(c.value(r), c.kind)));
  // A one-line caption keeps the run's config, seed and version with a table too.
  const scalar = (v: unknown) => ['number', 'boolean'].includes(typeof v) || (typeof v === 'string' && !/\s/.test(v) && v.length <= 60);
  const cfg: string[] = [];
  for (const [k, v] of Object.entries(header.config)) {
    if (scalar(v)) cfg.push(`${k}=${v}`);
    else if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && Object.values(v).every(scalar)) {
      cfg.push(`${k}=${Object.entries(v).map(([a, b]) => `${a}:${b}`).join(',')}`);
    }
  }
  const v = header.versions;
  const caption = `# jscc-sim ${header.command}: ${cfg.join(' ')} seed=${header.seed} (jscc-sim ${v.jsccSim}${v.commit ? ' ' + v.commit : ''}, node ${v.node})`;
  // A row whose wrapped cells need k lines prints k lines, the other cells on the first.
  const rowLines = cells.flatMap((row) => {
    const parts = row.map((v, j) => (columns[j].maxWidth ? wrapText(v, columns[j].maxWidth!) : [v]));
    const k = Math.max(...parts.map((p) => p.length));
    return Array.from({ length: k }, (_, i) => parts.map((p) => p[i] ?? ''));
  });
  const widths = columns.map((c, j) => Math.max(c.title.length, ...rowLines.map((row) => row[j].length)));
  const left = columns.map((c) => c.kind === 'text');
  const line = (vals: string[]): string => vals.map((v, j) => (left[j] ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join('  ').trimEnd();
  const lines = [line(columns.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...rowLines.map(line)];
  return (opts.caption ? [caption, ...lines] : lines).join('\n') + '\n';
}

/** Write to stdout, or atomically to a file (temporary name, then rename). */
export function writeOutput(text: string, out?: string): void {
  if (out === undefined || out === '-') {
    process.stdout.write(text);
    return;
  }
  const tmp = `${out}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, out);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* nothing to clean */ }
    throw e;
  }
}
