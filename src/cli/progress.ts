/**
 * Progress on stderr: a cli-progress bar on a terminal, plain lines otherwise (logs, CI), so
 * stdout carries only results. Set quiet to print nothing.
 */
import cliProgress from 'cli-progress';

export interface ProgressOptions {
  /** Shown before the bar / at the start of each line. */
  label: string;
  total: number;
  stream?: NodeJS.WriteStream;
  quiet?: boolean;
  /** Plain mode: at most one `update` line per this many ms (default 5000). */
  intervalMs?: number;
}

export class Progress {
  private readonly label: string;
  private readonly total: number;
  private readonly stream: NodeJS.WriteStream;
  private readonly quiet: boolean;
  private readonly bar?: cliProgress.SingleBar;
  private readonly intervalMs: number;
  private lastLine = 0;

  constructor(opts: ProgressOptions) {
    this.label = opts.label;
    this.total = opts.total;
    this.stream = opts.stream ?? process.stderr;
    this.quiet = !!opts.quiet;
    this.intervalMs = opts.intervalMs ?? 5000;
    if (!this.quiet && this.stream.isTTY) {
      this.bar = new cliProgress.SingleBar({
        stream: this.stream,
        format: `${this.label} [{bar}] {value}/{total} {info}`,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 20,
      }, cliProgress.Presets.shades_classic);
      this.bar.start(this.total, 0, { info: '' });
    }
  }

  /** Progress within the current step (throttled in plain mode). */
  update(value: number, info = ''): void {
    if (this.quiet) return;
    if (this.bar) {
      this.bar.update(value, { info });
      return;
    }
    const now = Date.now();
    if (now - this.lastLine >= this.intervalMs) {
      this.lastLine = now;
      this.stream.write(`${this.label}: ${value}/${this.total} ${info}\n`);
    }
  }

  /** A finished step: always printed in plain mode. */
  step(value: number, info: string): void {
    if (this.quiet) return;
    if (this.bar) {
      this.bar.update(value, { info });
      return;
    }
    this.lastLine = Date.now();
    this.stream.write(`${this.label}: ${value}/${this.total} ${info}\n`);
  }

  stop(): void {
    this.bar?.stop();
  }
}
