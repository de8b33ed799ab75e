/**
 * Input fingerprints for the results header: sha256 of what the numbers depend on, so that a
 * resume refuses a file made with another model, data set or plug-in (issue 13). A checkpoint is
 * its config.json plus every file of the models it names; a data set its annotation JSON files; a
 * plug-in channel its file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** sha256 over (relative name, length, bytes) of each file, in the given order. */
export function hashFiles(root: string, files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    const bytes = readFileSync(f);
    h.update(`${path.relative(root, f).split(path.sep).join('/')}\0${bytes.length}\0`);
    h.update(bytes);
  }
  return `sha256:${h.digest('hex')}`;
}

/** A checkpoint folder: config.json and the files of each model it lists (not sibling folders). */
export function checkpointFingerprint(dir: string): string {
  const cfg = path.join(dir, 'config.json');
  if (!existsSync(cfg)) throw new UsageError(`checkpoint ${JSON.stringify(dir)} has no config.json`);
  let models: unknown;
  try {
    models = JSON.parse(readFileSync(cfg, 'utf8')).models;
  } catch {
    throw new UsageError(`checkpoint ${JSON.stringify(dir)}: config.json is not JSON`);
  }
  const names = Array.isArray(models) ? models.map(String).sort() : [];
  const files = [cfg];
  for (const m of names) {
    const sub = path.join(dir, m);
    if (existsSync(sub) && statSync(sub).isDirectory()) files.push(...filesUnder(sub));
  }
  return hashFiles(dir, files);
}

/** A data set: its annotation JSON files (dataset.json, annotations*.json, annotations/, split folders). */
export function datasetFingerprint(dir: string): string {
  const files: string[] = [];
  const walk = (d: string, depth: number) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isFile() && e.name.endsWith('.json')) files.push(p);
      else if (e.isDirectory() && depth < 2) walk(p, depth + 1);
    }
  };
  walk(dir, 0);
  return hashFiles(dir, files);
}

export function fileFingerprint(file: string): string {
  return hashFiles(path.dirname(file), [file]);
}
