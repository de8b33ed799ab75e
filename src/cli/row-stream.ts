/**
 * Rows printed as they finish (`ber`, `link`): table, CSV and JSON Lines stream one line per row;
 * JSON (one object) is printed when the run ends. The table's column widths are fixed up front
 * from the titles and the kind of each column, so later rows line up without seeing them first.
 */
import type { Column, OutputFormat, ResultHeader } from './output.js';
import { csvCell, formatResults, tableCell } from './output.js';
import { UsageError } from '../core/errors.js';

export type StreamFormat = OutputFormat | 'jsonl';
export const STREAM_FORMATS: readonly StreamFormat[] = ['table', 'csv', 'json', 'jsonl'];

const WIDTH: Record<string, number> = { exp: 9, fixed2: 8, int: 10, text: 12 };

export class RowPrinter<R> {
  private readonly rows: R[] = [];
  private readonly widths: number[];
  private started = false;

  constructor(private readonly header: ResultHeader, private readonly columns: Column<R>[], readonly format: StreamFormat,
    private readonly opts: { caption?: boolean } = {}, private readonly write: (s: string) => void = (s) => { process.stdout.write(s); }) {
    this.widths = columns.map((c) => Math.max(c.title.length, WIDTH[c.kind ?? 'text'] ?? 8));
  }

  private line(vals: string[]): string {
    return vals.map((v, j) => v.padStart(this.widths[j])).join('  ').trimEnd();
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    if (this.format === 'table') {
      // The caption line of formatResults (config, seed, versions), then the titles and a rule.
      const caption = this.opts.caption ? [formatResults(this.header, [], this.columns, 'table', { caption: true }).split('\n')[0]] : [];
      this.write([...caption, this.line(this.columns.map((c) => c.title)), this.line(this.widths.map((w) => '-'.repeat(w)))].join('\n') + '\n');
    } else if (this.format === 'csv') {
      this.write(`# ${JSON.stringify(this.header)}\n${this.columns.map((c) => c.key).join(',')}\n`);
    } else if (this.format === 'jsonl') {
      this.write(JSON.stringify({ type: 'header', ...this.header }) + '\n');
    }
  }

  /** Print the header now (before the first row finishes). */
  begin(): void {
    this.start();
  }

  row(r: R): void {
    this.start();
    this.rows.push(r);
    if (this.format === 'table') this.write(this.line(this.columns.map((c) => tableCell(c.value(r), c.kind))) + '\n');
    else if (this.format === 'csv') this.write(this.columns.map((c) => csvCell(c.value(r))).join(',') + '\n');
    else if (this.format === 'jsonl') this.write(JSON.stringify({ type: 'result', ...r }) + '\n');
  }

  /** JSON: the whole object now; the streaming formats have printed everything already. */
  end(): void {
    this.start();
    if (this.format === 'json') this.write(formatResults(this.header, this.rows, this.columns, 'json'));
  }
}

export function parseStreamFormat(v: unknown): StreamFormat {
  const s = String(v ?? 'table').trim().toLowerCase();
  if (!(STREAM_FORMATS as readonly string[]).includes(s)) {
    throw new UsageError(`--format ${JSON.stringify(v)} is not allowed: use ${STREAM_FORMATS.join(', ')}`);
  }
  return s as StreamFormat;
}
