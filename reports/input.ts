/**
 * The one reader of every file `report` draws: compare/eval sweeps, `ber` and `link` results and
 * training logs (all JSON Lines, a header line then one record per point). Each line's schema is
 * checked here, so that a bad file fails with one line naming the line and the field (exit 2),
 * never with an internal error or a silently wrong figure (issue 13, items 9 and 10).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { UsageError } from '../src/core/errors.js';

export type InputKind = 'sweep' | 'ber' | 'link' | 'train-log';

export type Rec = Record<string, unknown>;

export interface ReportInput {
  path: string;
  kind: InputKind;
  header: Rec;
  records: Rec[];
  /** 1-based line of each record in the file (for messages). */
  lines: number[];
  /** A partial last line (killed mid-write) that was ignored. */
  truncatedTail: boolean;
}

/** Nesting deeper than this is refused before anything walks the value recursively. */
export const MAX_DEPTH = 32;
/** Files above this size are refused: results are a few MB at most; this bounds memory. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (v === undefined) return 'nothing';
  let s: string;
  try { s = JSON.stringify(v) ?? String(v); } catch { s = String(v); }
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
};

/** Depth of a parsed JSON value, walked iteratively (a 20,000-deep config must not blow the stack). */
function tooDeep(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > limit) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v as object)) if (x !== null && typeof x === 'object') stack.push([x, d + 1]);
  }
  return false;
}

/** Field checks; each throws a UsageError naming the file, line and field. */
export class Checker {
  constructor(readonly file: string, public line: number) {}

  fail(field: string, what: string, v: unknown): never {
    throw new UsageError(`results file ${JSON.stringify(this.file)} line ${this.line}: field "${field}" ${what} (got ${show(v)})`);
  }

  object(o: Rec, field: string, required = true): Rec | undefined {
    const v = o[field];
    if (v === undefined && !required) return undefined;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(field, 'must be an object', v);
    return v as Rec;
  }

  string(o: Rec, field: string, required = true, opts: { nonEmpty?: boolean } = {}): string | undefined {
    const v = o[field];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string') this.fail(field, 'must be a string', v);
    if (opts.nonEmpty && (v as string).trim() === '') this.fail(field, 'must not be empty', v);
    return v as string;
  }

  /** A finite number, optionally within [min, max]; null allowed when `nullable`. */
  number(o: Rec, field: string, opts: { required?: boolean; min?: number; max?: number; nullable?: boolean; name?: string } = {}): number | undefined {
    const v = o[field];
    const name = opts.name ?? field;
    if (v === undefined && !opts.required) return undefined;
    if (v === null && opts.nullable) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(name, 'must be a finite number', v);
    const x = v as number;
    if (opts.min !== undefined && x < opts.min) this.fail(name, `must be >= ${opts.min}`, v);
    if (opts.max !== undefined && x > opts.max) this.fail(name, `must be <= ${opts.max}`, v);
    return x;
  }

  /** A non-negative integer count. */
  count(o: Rec, field: string, required = false, name = field): number | undefined {
    const v = o[field];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) this.fail(name, 'must be an integer >= 0', v);
    return v as number;
  }

  /** `errors <= trials` for a pair of counts that are both present. */
  atMost(o: Rec, errors: string, trials: string): void {
    const e = this.count(o, errors);
    const t = this.count(o, trials);
    if (e !== undefined && t !== undefined && e > t) this.fail(errors, `must be <= ${trials} (${t})`, e);
  }

  /** An interval [lo, hi] with lo <= hi, both within [min, max]. */
  interval(v: unknown, name: string, min = -Infinity, max = Infinity): [number, number] {
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      this.fail(name, 'must be an interval [lo, hi] of two finite numbers', v);
    }
    const [lo, hi] = v as [number, number];
    if (lo > hi) this.fail(name, 'must have lo <= hi', v);
    if (lo < min || hi > max) this.fail(name, `must lie within [${min}, ${max}]`, v);
    return [lo, hi];
  }

  numberArray(o: Rec, field: string, name = field): number[] | undefined {
    const v = o[field];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) this.fail(name, 'must be a list of finite numbers', v);
    return v as number[];
  }
}

const FRACTIONS = ['mAP', 'mIoU', 'cocoAP', 'mAP50'];

function checkSweepHeader(c: Checker, h: Rec): void {
  c.string(h, 'command', true, { nonEmpty: true });
  const config = c.object(h, 'config')!;
  c.count(h, 'seed');
  c.object(h, 'versions', false);
  c.string(h, 'createdAt', false);
  const schemes = config.schemes;
  if (schemes !== undefined && (!Array.isArray(schemes) || !schemes.every((s) => typeof s === 'string'))) c.fail('config.schemes', 'must be a list of strings', schemes);
  c.numberArray(config, 'snrDb', 'config.snrDb');
  c.count(config, 'reps', false, 'config.reps');
  const shard = c.object(h, 'shard', false);
  if (shard) {
    const count = c.count(shard, 'count', true, 'shard.count')!;
    const index = c.count(shard, 'index', true, 'shard.index')!;
    if (count < 1 || index >= count) c.fail('shard', 'must have 0 <= index < count', shard);
  }
  const b = c.object(h, 'bootstrap', false);
  if (b) { c.count(b, 'resamples', true, 'bootstrap.resamples'); c.count(b, 'seed', false, 'bootstrap.seed'); }
}

function checkSweepRecord(c: Checker, r: Rec): void {
  if (r.type !== 'result') c.fail('type', 'must be "result"', r.type);
  c.string(r, 'key', true, { nonEmpty: true });
  c.count(r, 'index');
  c.string(r, 'scheme', true, { nonEmpty: true });
  c.string(r, 'label', false);
  c.number(r, 'snrDb', { required: true });
  c.count(r, 'rep');
  c.count(r, 'images');
  for (const f of FRACTIONS) c.number(r, f, { min: 0, max: 1, nullable: true });
  c.count(r, 'failures');
  c.atMost(r, 'failures', 'images');
  c.number(r, 'channelUses', { min: 0, nullable: true });
  c.number(r, 'compressionRatio', { min: 0, nullable: true });
  c.number(r, 'payloadBits', { min: 0, nullable: true });
  c.number(r, 'mse', { min: 0, nullable: true });
  c.atMost(r, 'blockErrors', 'blocks');
  c.atMost(r, 'rawBitErrors', 'codeBits');
  c.atMost(r, 'bitErrors', 'bits');
  const ci = c.object(r, 'ci95', false);
  if (ci) for (const [k, v] of Object.entries(ci)) if (v !== null) c.interval(v, `ci95.${k}`, 0, 1);
}

function checkBerRecord(c: Checker, r: Rec, kind: 'ber' | 'link'): void {
  if (r.type !== undefined && r.type !== 'result') c.fail('type', 'must be "result" when present', r.type);
  c.number(r, 'snrDb', { required: true });
  c.number(r, 'ebn0Db', { nullable: true });
  c.atMost(r, 'bitErrors', 'bits');
  c.atMost(r, 'blockErrors', 'blocks');
  c.atMost(r, 'rawBitErrors', 'codeBits');
  if (kind === 'ber') {
    c.count(r, 'bits', true);
    c.count(r, 'bitErrors', true);
  }
  c.number(r, 'theoryBer', { min: 0, max: 1, nullable: true });
  c.string(r, 'theory', false);
  c.number(r, 'mse', { min: 0, nullable: true });
  c.count(r, 'reps');
  c.count(r, 'failures');
  c.atMost(r, 'failures', 'reps');
  c.number(r, 'channelUses', { min: 0, nullable: true });
  c.number(r, 'compressionRatio', { min: 0, nullable: true });
  c.string(r, 'label', false);
}

function checkTrainHeader(c: Checker, h: Rec): void {
  const step = h.trainingStep;
  if (step !== 1 && step !== 2 && step !== 3) c.fail('trainingStep', 'must be 1, 2 or 3', step);
  c.object(h, 'config');
  c.count(h, 'seed');
}

function checkTrainRecord(c: Checker, r: Rec): void {
  c.count(r, 'step', true);
  const ev = c.object(r, 'eval', false);
  if (ev) {
    c.string(ev, 'split', false);
    c.count(ev, 'images', false, 'eval.images');
    for (const f of FRACTIONS) c.number(ev, f, { min: 0, max: 1, nullable: true, name: `eval.${f}` });
    return;
  }
  c.number(r, 'loss', { required: true });
  c.count(r, 'imagesSeen');
  c.number(r, 'lr', { min: 0 });
  c.number(r, 'imagesPerSec', { min: 0 });
  const parts = c.object(r, 'parts', false);
  if (parts) for (const k of Object.keys(parts)) c.number(parts, k, { name: `parts.${k}`, nullable: true });
}

/** What a header says about the file it starts. */
export function kindOf(h: Rec): InputKind | undefined {
  if (h.kind === 'train-log') return 'train-log';
  if (h.kind === 'ber' || h.kind === 'link') return h.kind;
  if (h.type === 'header' && h.tool === 'jscc-sim') {
    if (h.command === 'ber' || h.command === 'link') return h.command;
    return 'sweep';
  }
  return undefined;
}

function wholeJson(text: string): boolean {
  try { JSON.parse(text); return true; } catch { return false; }
}

/** Read and validate one input file of `report`. */
export function readInput(file: string): ReportInput {
  if (!existsSync(file)) throw new UsageError(`results file ${JSON.stringify(file)} does not exist`);
  const st = statSync(file);
  if (!st.isFile()) throw new UsageError(`results file ${JSON.stringify(file)} is not a file`);
  if (st.size > MAX_FILE_BYTES) throw new UsageError(`results file ${JSON.stringify(file)} is ${st.size} bytes: at most ${MAX_FILE_BYTES} are read`);
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const truncatedTail = !(text.endsWith('\n') || text.length === 0);
  lines.pop(); // the partial last line, or the empty string after the final newline
  const c = new Checker(file, 1);
  let header: Rec | undefined;
  let kind: InputKind | undefined;
  const records: Rec[] = [];
  const at: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    c.line = i + 1;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      if (i === 0 && wholeJson(text)) {
        throw new UsageError(`results file ${JSON.stringify(file)} is one JSON document (e.g. --format json output), not JSON Lines: write results with --out FILE.jsonl`);
      }
      throw new UsageError(`results file ${JSON.stringify(file)} line ${i + 1} is not JSON: ${show(line)}`);
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new UsageError(`results file ${JSON.stringify(file)} line ${i + 1} is ${show(obj)}: expected a JSON object`);
    }
    if (tooDeep(obj, MAX_DEPTH)) throw new UsageError(`results file ${JSON.stringify(file)} line ${i + 1} nests deeper than ${MAX_DEPTH} levels`);
    const o = obj as Rec;
    if (!header) {
      kind = kindOf(o);
      if (!kind) {
        throw new UsageError(`results file ${JSON.stringify(file)} line ${i + 1} is not a jscc-sim header: expected {"type":"header","tool":"jscc-sim",...} or {"kind":"train-log"|"ber"|"link",...}`);
      }
      if (kind === 'sweep') checkSweepHeader(c, o);
      else if (kind === 'train-log') checkTrainHeader(c, o);
      else c.object(o, 'config');
      header = o;
      continue;
    }
    if (o.type === 'header' || (o.kind !== undefined && kindOf(o))) {
      throw new UsageError(`results file ${JSON.stringify(file)} line ${i + 1} is a second header: concatenated files? use jscc-sim merge`);
    }
    if (kind === 'sweep') checkSweepRecord(c, o);
    else if (kind === 'train-log') checkTrainRecord(c, o);
    else checkBerRecord(c, o, kind!);
    records.push(o);
    at.push(i + 1);
  }
  if (!header) throw new UsageError(`results file ${JSON.stringify(file)} is empty: expected a header line first`);
  if (kind === 'sweep') checkSweepConsistency(file, header, records, at);
  return { path: file, kind: kind!, header, records, lines: at, truncatedTail };
}

/**
 * Across records of a sweep: keys unique, one label per scheme (3,000 labels under one scheme must
 * not collapse into one point), one record per (scheme, SNR, repetition), and schemes, SNR points
 * and repetitions from the header's config (no records of another sweep mixed in).
 */
function checkSweepConsistency(file: string, header: Rec, records: Rec[], at: number[]): void {
  const c = new Checker(file, 0);
  const keys = new Set<string>();
  const labels = new Map<string, string>();
  const items = new Set<string>();
  const cfg = header.config as Rec;
  const listed = Array.isArray(cfg.schemes) ? new Set(cfg.schemes as string[]) : undefined;
  const snrs = Array.isArray(cfg.snrDb) ? new Set(cfg.snrDb as number[]) : undefined;
  const reps = typeof cfg.reps === 'number' ? cfg.reps : undefined;
  records.forEach((r, i) => {
    c.line = at[i];
    const key = r.key as string;
    if (keys.has(key)) c.fail('key', 'repeats an earlier record\'s key', key);
    keys.add(key);
    const scheme = r.scheme as string;
    if (listed && !listed.has(scheme)) c.fail('scheme', 'is not one of the header\'s config.schemes', scheme);
    if (snrs && !snrs.has(r.snrDb as number)) c.fail('snrDb', 'is not one of the header\'s config.snrDb', r.snrDb);
    if (reps !== undefined && typeof r.rep === 'number' && r.rep >= reps) c.fail('rep', `must be < the header's config.reps (${reps})`, r.rep);
    const label = (r.label as string | undefined) ?? scheme;
    const had = labels.get(scheme);
    if (had === undefined) labels.set(scheme, label);
    else if (had !== label) c.fail('label', `differs from this scheme's earlier label ${show(had)}`, label);
    const item = `${scheme}\u0000${r.snrDb}\u0000${r.rep ?? 0}`;
    if (items.has(item)) c.fail('rep', `repeats (scheme, snrDb ${r.snrDb}, rep) of an earlier record`, r.rep ?? 0);
    items.add(item);
  });
}
