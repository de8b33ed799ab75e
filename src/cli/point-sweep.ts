/**
 * The run of a point sweep command (`ber`, `link`): open or resume the results file, print the
 * rows it already holds, run the points still to do, and for each finished point append it, step
 * the progress bar and print its row. A failure abandons the file (a file this run created and
 * never wrote a record to is removed) and rethrows; success closes it and ends the table.
 */
import { Progress } from './progress.js';
import type { RowPrinter } from './row-stream.js';
import { appendPoint, openPointFile, type PointFile } from '../sweep/points.js';
import { readResults, type ResultHeader } from '../sweep/results.js';

export interface PointSweepOptions<R> {
  label: 'ber' | 'link';
  /** The results file; undefined: rows on stdout only. */
  out?: string;
  header: ResultHeader;
  snrDb: readonly number[];
  resume: boolean;
  quiet: boolean;
  printer: RowPrinter<R>;
}

export interface PointSweepRun<R> {
  /** Indexes into snrDb still to run (all of them without a file). */
  todo: number[];
  progress: Progress;
  /** Points finished so far, resumed ones included. */
  done(): number;
  /** A point finished: append it, step the bar with `message`, print its row. */
  finish(index: number, row: R, message: string): void;
}

export async function runPointSweep<R extends { snrDb: number }>(o: PointSweepOptions<R>, body: (run: PointSweepRun<R>) => Promise<void>): Promise<void> {
  const { out, snrDb } = o;
  const file: PointFile | undefined = out !== undefined
    ? openPointFile(out, o.header, snrDb, o.resume, () => readResults(out).records)
    : undefined;
  for (const r of file?.done ?? []) o.printer.row(r as unknown as R);
  const todo = file ? file.todo : snrDb.map((_, i) => i);
  const progress = new Progress({ label: o.label, total: snrDb.length, quiet: o.quiet, start: snrDb.length - todo.length, eta: true });
  let done = snrDb.length - todo.length;
  try {
    if (todo.length > 0) {
      await body({
        todo, progress, done: () => done,
        finish: (index, row, message) => {
          done++;
          if (file) appendPoint(file.writer, index, row.snrDb, row);
          progress.step(done, message);
          o.printer.row(row);
        },
      });
    }
  } catch (e) {
    file?.writer.abandon();
    throw e;
  } finally {
    progress.stop();
  }
  file?.writer.close();
  o.printer.end();
}
