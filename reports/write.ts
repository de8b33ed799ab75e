/**
 * Writing a report folder without touching what report did not create (issue 13, item 1): each
 * file goes in through a temporary file and a rename (atomic), a manifest (.jscc-report.json)
 * lists what report wrote, and only files it lists (or that are recognisably an earlier report's)
 * are ever replaced or removed. Anything else in the folder (results, notes) is left alone; a
 * foreign file where a report file should go stops the run before anything is written.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../src/core/errors.js';

export const MANIFEST = '.jscc-report.json';

export interface OutFile {
  /** Path relative to the report folder, '/'-separated. */
  rel: string;
  content: string;
}

/** Files this tool wrote earlier into `dir`, from its manifest (empty when absent or unreadable). */
function manifestFiles(dir: string): Set<string> {
  const p = path.join(dir, MANIFEST);
  if (!existsSync(p)) return new Set();
  try {
    const m = JSON.parse(readFileSync(p, 'utf8'));
    if (m && m.tool === 'jscc-sim report' && Array.isArray(m.files)) return new Set(m.files.filter((f: unknown) => typeof f === 'string'));
  } catch { /* a damaged manifest vouches for nothing */ }
  return new Set();
}

/** A report file written by an earlier version (before the manifest), recognised by its content. */
function looksOurs(file: string, rel: string): boolean {
  let head: string;
  try { head = readFileSync(file, 'utf8').slice(0, rel === MANIFEST ? 1e6 : 4000); } catch { return false; }
  if (rel === MANIFEST) { try { return JSON.parse(head).tool === 'jscc-sim report'; } catch { return false; } }
  if (rel === 'report.html') return head.includes('<title>jscc-sim report</title>');
  if (rel === 'report.md') return head.startsWith('# jscc-sim report');
  if (rel.startsWith('figures/') && rel.endsWith('.svg')) return head.startsWith('<svg') && head.includes('class="marks"');
  if (rel.startsWith('figures/') && rel.endsWith('.vl.json')) return /^\{\s*"(\$schema|title|width|layer|data)"/.test(head);
  return false;
}

/** Refuse output folders that cannot hold a report (and /proc, /sys, where mkdir can hang). */
export function checkOutDir(dir: string): void {
  const abs = path.resolve(dir);
  if (/^\/(proc|sys)(\/|$)/.test(abs)) throw new UsageError(`--out ${JSON.stringify(dir)} is not allowed: name a folder outside /proc and /sys`);
  if (existsSync(abs) && !statSync(abs).isDirectory()) throw new UsageError(`--out ${JSON.stringify(dir)} is a file: name a folder`);
  let p = abs;
  while (!existsSync(p)) p = path.dirname(p);
  if (!statSync(p).isDirectory()) throw new UsageError(`--out ${JSON.stringify(dir)}: ${p} is a file, so the folder cannot be made`);
}

/** Throw a UsageError naming the first file that would replace one report did not write. */
export function checkConflicts(dir: string, rels: string[]): void {
  const mine = manifestFiles(dir);
  for (const rel of rels) {
    const p = path.join(dir, ...rel.split('/'));
    if (!existsSync(p)) continue;
    if (statSync(p).isDirectory()) throw new UsageError(`--out ${JSON.stringify(dir)}: ${rel} is a folder where the report writes a file: move it or name another --out`);
    if (!mine.has(rel) && !looksOurs(p, rel)) {
      throw new UsageError(`--out ${JSON.stringify(dir)}: ${rel} was not written by jscc-sim report, so it is not replaced: move it or name another --out`);
    }
  }
}

/** Write the files (each atomically), update the manifest, remove only report's own stale files. */
export function writeOutFiles(dir: string, files: OutFile[]): void {
  checkOutDir(dir);
  const rels = files.map((f) => f.rel);
  const created = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  checkConflicts(dir, [...rels, MANIFEST]);
  const before = manifestFiles(dir);
  const tmps: string[] = [];
  try {
    // report.html and report.md last: a reader never sees a page whose figures are not there yet.
    const order = [...files].sort((a, b) => Number(!a.rel.includes('/')) - Number(!b.rel.includes('/')));
    for (const f of order) {
      const p = path.join(dir, ...f.rel.split('/'));
      mkdirSync(path.dirname(p), { recursive: true });
      const tmp = `${p}.tmp-${process.pid}`;
      tmps.push(tmp);
      writeFileSync(tmp, f.content);
      renameSync(tmp, p);
      tmps.pop();
    }
    const mp = path.join(dir, MANIFEST);
    writeFileSync(`${mp}.tmp-${process.pid}`, JSON.stringify({ tool: 'jscc-sim report', files: rels }, null, 1) + '\n');
    renameSync(`${mp}.tmp-${process.pid}`, mp);
  } catch (e) {
    for (const t of tmps) rmSync(t, { force: true });
    if (created) try { rmdirSync(dir); } catch { /* not empty: keep what was written */ }
    throw e;
  }
  // Figures of the previous report that this one no longer has: report's own, so they go.
  const now = new Set(rels);
  for (const rel of before) {
    if (now.has(rel) || rel.includes('..') || path.isAbsolute(rel)) continue;
    rmSync(path.join(dir, ...rel.split('/')), { force: true });
  }
}
