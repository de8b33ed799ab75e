/**
 * Results files of the point sweeps (`ber --out`, `link --out`): the same JSON Lines as compare, a
 * header (`kind: 'ber' | 'link'`, the full config, seed, versions) and one record per SNR point,
 * appended and fsynced as the point finishes, so Ctrl-C keeps the finished points and a rerun
 * resumes with the others. Keys are `snrDb=X`; the index is the point's position in the sweep.
 */
import { versions } from '../core/version.js';
import { ResultsWriter, type ResultHeader } from './results.js';

export const POINT_KEY_FORMAT = 'snrDb';

export function pointKey(snrDb: number): string {
  return `snrDb=${snrDb}`;
}

export function pointHeader(kind: 'ber' | 'link', config: Record<string, unknown>, seed: number, extra: Record<string, unknown> = {}): ResultHeader {
  return {
    type: 'header', tool: 'jscc-sim', command: kind, kind, config, seed, versions: versions(),
    createdAt: new Date().toISOString(), keyFormat: POINT_KEY_FORMAT, ...extra,
  };
}

/** An open point file and the point indexes still to run. */
export interface PointFile {
  writer: ResultsWriter;
  /** Indexes into snrDb not yet in the file. */
  todo: number[];
  /** Records already there (resumed), in point order. */
  done: Record<string, unknown>[];
}

export function openPointFile(out: string, header: ResultHeader, snrDb: readonly number[], resume: boolean, existing: () => Record<string, unknown>[]): PointFile {
  const writer = ResultsWriter.open(out, header, { resume });
  const todo = snrDb.map((_, i) => i).filter((i) => !writer.has(pointKey(snrDb[i])));
  const done = writer.count > 0 ? existing().sort((a, b) => Number(a.index) - Number(b.index)) : [];
  return { writer, todo, done };
}

export function appendPoint(writer: ResultsWriter, index: number, snrDb: number, row: object): void {
  writer.append({ type: 'result', key: pointKey(snrDb), index, ...(row as Record<string, unknown>) });
}
