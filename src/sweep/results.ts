/**
 * Results files (docs/architecture.md, "Results and reports"): JSON Lines, a header record first
 * (config, seed, versions, git commit), then one record per work item (scheme, SNR, repetition),
 * appended as it goes so that a killed sweep resumes with nothing lost or duplicated.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import type { Versions } from '../core/version.js';

export interface ResultHeader {
  type: 'header';
  tool: 'jscc-sim';
  /** The command that made the file, e.g. "compare". */
  command: string;
  /** Everything that defines the numbers: schemes, SNR points, repetitions, model, data. */
  config: Record<string, unknown>;
  seed: number;
  versions: Versions;
  createdAt: string;
  /** Present in the files of a sharded run. */
  shard?: { index: number; count: number };
  /** How record keys are made (e.g. "scheme|snrDb|rep"); absent in files with position keys. */
  keyFormat?: string;
  /** Fingerprints (sha256) of the inputs the numbers depend on: models, data, plug-ins. */
  inputs?: Record<string, unknown>;
  /** Percentile bootstrap of the task-metric intervals. */
  bootstrap?: { resamples: number; seed: number };
  [field: string]: unknown;
}

/** The header fields that define a sweep: a resume or a merge needs them all equal. */
export function sweepIdentity(h: ResultHeader): Record<string, unknown> {
  return { command: h.command, config: h.config, seed: h.seed, shard: h.shard, keyFormat: h.keyFormat, inputs: h.inputs, bootstrap: h.bootstrap };
}

/** A copy of `o` without the field at dotted path `at` (objects along the path are copied). */
function without(o: Record<string, unknown>, at: string): Record<string, unknown> {
  const [head, ...rest] = at.split('.');
  if (!(head in o)) return o;
  const copy = { ...o };
  if (rest.length === 0) delete copy[head];
  else if (copy[head] && typeof copy[head] === 'object') copy[head] = without(copy[head] as Record<string, unknown>, rest.join('.'));
  return copy;
}

/** sweepIdentity without the growable fields. */
function fixedIdentity(h: ResultHeader, growable: readonly string[]): Record<string, unknown> {
  let id = sweepIdentity(h);
  for (const g of growable) id = without(id, g);
  return id;
}

/**
 * The existing header with each growable field extended (the same object if nothing grew): a list
 * gains the new entries, a map (e.g. model fingerprints by spec) the new keys; a key present in
 * both must have the same value, else the resume is refused naming it.
 */
function growFields(path: string, existing: ResultHeader, now: ResultHeader, growable: readonly string[], changed?: ChangedInputs): { header: ResultHeader; stale: string[] } {
  let grown: Record<string, unknown> = existing;
  const stale: string[] = [];
  for (const g of growable) {
    const was = valueAt(existing, g), add = valueAt(now, g);
    let next: unknown;
    if (was === undefined) {
      next = add;
    } else if (Array.isArray(was) && Array.isArray(add)) {
      const seen = new Set(was.map(stableStringify));
      const extra = add.filter((v) => !seen.has(stableStringify(v)));
      if (extra.length > 0) next = [...was, ...extra];
    } else if (was && add && typeof was === 'object' && typeof add === 'object') {
      const w = was as Record<string, unknown>, a = add as Record<string, unknown>;
      for (const k of Object.keys(a)) {
        if (k in w && stableStringify(w[k]) !== stableStringify(a[k])) {
          if (changed?.map === g && changed.rerun) { stale.push(k); continue; }
          const hint = changed?.map === g ? `, ${changed.flag} to re-run the items of ${JSON.stringify(k)}` : '';
          throw new UsageError(`results file ${JSON.stringify(path)} was made from other inputs: ${g}[${JSON.stringify(k)}] differs (file ${brief(w[k])}, now ${brief(a[k])}): use another --out${hint}, or --no-resume to overwrite`);
        }
      }
      // Keys in both are equal (checked above) or stale (re-run, so they take the new value):
      // existing entries first, then the new ones.
      if (stale.length > 0 || Object.keys(a).some((k) => !(k in w))) next = { ...w, ...a };
    }
    if (next !== undefined) grown = setAt(grown, g, next);
  }
  return { header: grown as ResultHeader, stale };
}

/**
 * A growable map of input fingerprints whose changed entries may be re-run instead of refused
 * (compare's inputs.jscc: a retrained JSCC model). Records whose `recordField` equals a changed
 * key are dropped from the resumed file, so their items run again.
 */
export interface ChangedInputs {
  map: string;
  recordField: string;
  rerun: boolean;
  /** The option that turns `rerun` on, named in the refusal. */
  flag: string;
}

function setAt(o: Record<string, unknown>, at: string, v: unknown): Record<string, unknown> {
  const [head, ...rest] = at.split('.');
  return { ...o, [head]: rest.length === 0 ? v : setAt((o[head] ?? {}) as Record<string, unknown>, rest.join('.'), v) };
}

/** Dotted path of the first field where a and b differ (keys in sorted order), or undefined. */
export function firstDifference(a: unknown, b: unknown, at = ''): string | undefined {
  if (stableStringify(a) === stableStringify(b)) return undefined;
  const isObj = (v: unknown) => v !== null && typeof v === 'object';
  // Lists (SNR points, schemes) are named whole: "config.snrDb differs (file [..], now [..])".
  if (!isObj(a) || !isObj(b) || Array.isArray(a) || Array.isArray(b)) return at || '(root)';
  const ao = a as Record<string, unknown>, bo = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
  for (const k of keys) {
    const d = firstDifference(ao[k], bo[k], at ? `${at}.${k}` : k);
    if (d !== undefined) return d;
  }
  return at || '(root)';
}

function valueAt(o: unknown, dotted: string): unknown {
  let v = o;
  for (const k of dotted.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

const brief = (v: unknown) => {
  const s = v === undefined ? 'absent' : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

export interface ResultRecord {
  type: 'result';
  /** Unique per work item within a sweep: the resume and merge key. */
  key: string;
  /** The work item's position in the full sweep (canonical order). */
  index: number;
  [field: string]: unknown;
}

export interface ResultsFile {
  header: ResultHeader;
  records: ResultRecord[];
  /** A partial last line (killed mid-write) that was ignored. */
  truncatedTail: boolean;
}

/** JSON with object keys sorted, so that equal configs compare equal as strings. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(stableStringify).join(',') + ']';
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return '{' + Object.keys(o).filter((k) => o[k] !== undefined).sort()
      .map((k) => JSON.stringify(k) + ':' + stableStringify(o[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}

/** Read a results file; a missing header, bad JSON before the last line, or a duplicate key is an error. */
export function readResults(path: string): ResultsFile {
  if (!existsSync(path)) throw new UsageError(`results file ${JSON.stringify(path)} does not exist`);
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const endsClean = text.endsWith('\n') || text.length === 0;
  let truncatedTail = false;
  if (!endsClean) {
    truncatedTail = true;
    lines.pop();
  } else {
    lines.pop(); // the empty string after the final newline
  }
  if (lines.length === 0) throw new UsageError(`results file ${JSON.stringify(path)} is empty: expected a header line first`);
  let header: ResultHeader | undefined;
  const records: ResultRecord[] = [];
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line);
    } catch {
      throw new UsageError(`results file ${JSON.stringify(path)} line ${i + 1} is not JSON: ${JSON.stringify(line.slice(0, 60))}`);
    }
    if (i === 0) {
      if (obj.type !== 'header' || obj.tool !== 'jscc-sim') {
        throw new UsageError(`results file ${JSON.stringify(path)} does not start with a jscc-sim header record`);
      }
      header = obj as unknown as ResultHeader;
      return;
    }
    if (obj.type !== 'result' || typeof obj.key !== 'string') {
      throw new UsageError(`results file ${JSON.stringify(path)} line ${i + 1} is not a result record`);
    }
    if (seen.has(obj.key)) throw new UsageError(`results file ${JSON.stringify(path)} holds key ${JSON.stringify(obj.key)} twice`);
    seen.add(obj.key);
    records.push(obj as ResultRecord);
  });
  return { header: header!, records, truncatedTail };
}

/**
 * Appends records to a results file. Opening an existing file resumes it: the header's config and
 * seed must match, a partial last line is cut off, and `has(key)` tells which items are done.
 */
export class ResultsWriter {
  private readonly done = new Set<string>();
  private fd: number;
  /** Records appended by this writer. */
  appended = 0;
  /**
   * `created`: this writer made the file (it did not exist or was overwritten). `rerun`: on a
   * resume with `changed.rerun`, the changed inputs and how many records of each were dropped.
   */
  private constructor(readonly path: string, readonly header: ResultHeader, fd: number, keys: Iterable<string>, readonly created: boolean,
    readonly rerun: readonly { key: string; records: number }[] = []) {
    this.fd = fd;
    for (const k of keys) this.done.add(k);
  }

  /**
   * `growable`: dotted header paths of lists (e.g. config.schemes, config.snrDb) or maps (e.g.
   * inputs.jscc) that a resumed sweep may reorder or extend, because its records are keyed (and its
   * random streams named) by value, not position: the file's header then holds the union, existing
   * entries first; a map key in both must keep its value.
   */
  static open(path: string, header: ResultHeader, options: { resume?: boolean; growable?: readonly string[]; changed?: ChangedInputs } = {}): ResultsWriter {
    const resume = options.resume ?? true;
    const growable = options.growable ?? [];
    if (existsSync(path) && resume) {
      const text = readFileSync(path, 'utf8');
      const cut = text.lastIndexOf('\n') + 1;
      if (cut < text.length) truncateSync(path, Buffer.byteLength(text.slice(0, cut)));
      if (cut === 0) {
        // Nothing complete was written: start anew.
        return ResultsWriter.create(path, header);
      }
      const existing = readResults(path);
      const diff = firstDifference(fixedIdentity(existing.header, growable), fixedIdentity(header, growable));
      if (diff !== undefined) {
        const was = valueAt(sweepIdentity(existing.header), diff), now = valueAt(sweepIdentity(header), diff);
        const why = diff === 'keyFormat' && was === undefined
          ? 'was written by an older jscc-sim (records keyed by scheme position)'
          : diff === 'keyFormat'
            ? `was written by another jscc-sim (key format ${brief(was)}, now ${brief(now)}: its random streams followed the scheme positions)`
          : diff.startsWith('inputs.')
            ? `was made from other inputs: ${diff} differs (file ${brief(was)}, now ${brief(now)})`
            : `was made with another config or seed: ${diff} differs (file ${brief(was)}, now ${brief(now)})`;
        throw new UsageError(`results file ${JSON.stringify(path)} ${why}: use another --out, or --no-resume to overwrite`);
      }
      const { header: grown, stale } = growFields(path, existing.header, header, growable, options.changed);
      // The records of a changed input, by position (records[i] is line i + 1 of the file).
      const field = options.changed?.recordField ?? '';
      const staleKey = existing.records.map((r) => (stale.includes(String(r[field])) ? String(r[field]) : undefined));
      if (grown !== existing.header) {
        // The header names the longer lists (or new fingerprints): rewrite the file atomically,
        // header + the records kept, each line as it was.
        const body = readFileSync(path, 'utf8');
        const lines = body.slice(body.indexOf('\n') + 1).split('\n').filter((l) => l !== '');
        const tmp = `${path}.tmp-${process.pid}`;
        writeFileSync(tmp, JSON.stringify(grown) + '\n' + lines.filter((_, i) => staleKey[i] === undefined).map((l) => `${l}\n`).join(''));
        renameSync(tmp, path);
      }
      const fd = openSync(path, 'a');
      const kept = existing.records.filter((_, i) => staleKey[i] === undefined).map((r) => r.key);
      const rerun = stale.map((key) => ({ key, records: staleKey.filter((k) => k === key).length }));
      return new ResultsWriter(path, grown, fd, kept, false, rerun);
    }
    return ResultsWriter.create(path, header);
  }

  private static create(path: string, header: ResultHeader): ResultsWriter {
    // The header goes in atomically, so a file either has a full header or does not exist.
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(header) + '\n');
    renameSync(tmp, path);
    const fd = openSync(path, 'a');
    return new ResultsWriter(path, header, fd, [], true);
  }

  has(key: string): boolean {
    return this.done.has(key);
  }

  get count(): number {
    return this.done.size;
  }

  /** Append one record as one write of one full line, flushed to disk. */
  append(record: ResultRecord): void {
    if (this.done.has(record.key)) throw new Error(`duplicate result key ${record.key}`);
    writeSync(this.fd, JSON.stringify(record) + '\n');
    fsyncSync(this.fd);
    this.done.add(record.key);
    this.appended++;
  }

  /**
   * Close after a failure: a file this writer created that holds no record is removed (a failed run
   * leaves nothing that blocks the next one); a resumed file, or one with records, is kept.
   */
  abandon(): void {
    this.close();
    if (this.created && this.appended === 0) {
      try { unlinkSync(this.path); } catch { /* already gone */ }
    }
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
