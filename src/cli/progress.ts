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
  /** Show elapsed time and an ETA (bar: cli-progress {duration_formatted} / {eta_formatted}). */
  eta?: boolean;
  /** Steps already done before this run (resumed): not counted in the ETA's rate. */
  start?: number;
}

/** 75 -> "1m15s", 3700 -> "1h01m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class Progress {
  private readonly label: string;
  private readonly total: number;
  private readonly stream: NodeJS.WriteStream;
  private readonly quiet: boolean;
  private readonly bar?: cliProgress.SingleBar;
  private readonly intervalMs: number;
  private lastLine = 0;
  private readonly eta: boolean;
  private readonly t0 = Date.now();
  private readonly start: number;

  constructor(opts: ProgressOptions) {
    this.label = opts.label;
    this.total = opts.total;
    this.stream = opts.stream ?? process.stderr;
    this.quiet = !!opts.quiet;
    this.intervalMs = opts.intervalMs ?? 5000;
    this.eta = !!opts.eta;
    this.start = opts.start ?? 0;
    if (!this.quiet && this.stream.isTTY) {
      this.bar = new cliProgress.SingleBar({
        stream: this.stream,
        format: `${this.label} [{bar}] {value}/{total} {info}${this.eta ? ' | {duration_formatted} elapsed, ETA {eta_formatted}' : ''}`,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 20,
      }, cliProgress.Presets.shades_classic);
      this.bar.start(this.total, this.start, { info: '' });
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
    this.stream.write(`${this.label}: ${value}/${this.total} ${info}${this.eta ? `, ${this.timing(value)}` : ''}\n`);
  }

  /** "12s elapsed, ETA 1m40s" from the rate of the steps done in this run. */
  timing(value: number): string {
    const elapsed = (Date.now() - this.t0) / 1000;
    const done = value - this.start;
    const eta = done > 0 ? (elapsed / done) * (this.total - value) : NaN;
    return `${formatDuration(elapsed)} elapsed, ETA ${value >= this.total ? '0s' : formatDuration(eta)}`;
  }

  stop(): void {
    this.bar?.stop();
  }
}
