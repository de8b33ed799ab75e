/**
 * Output locations are checked before any work: a results file (or report folder) must be
 * creatable where it is asked for, so that a long run never fails at its end. /proc and /sys are
 * refused outright (writing there can hang inside Node's own fs calls).
 */
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';

const FORBIDDEN = ['/proc', '/sys'];

function under(p: string, root: string): boolean {
  return p === root || p.startsWith(root + '/');
}

/** The nearest existing ancestor of p (p itself if it exists), symlinks resolved. */
function existingAncestor(p: string): string {
  let d = p;
  while (!existsSync(d)) {
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return realpathSync(d);
}

/** Refuse an output file that cannot be created or replaced: `what` names the option (e.g. --out). */
export function checkOutputFile(file: string, what = '--out'): string {
  const abs = path.resolve(file);
  const shown = JSON.stringify(file);
  for (const f of FORBIDDEN) {
    if (under(abs, f) || under(existingAncestor(abs), f)) throw new UsageError(`${what} ${shown} is not allowed: ${f} is not a place for results`);
  }
  if (existsSync(abs) && statSync(abs).isDirectory()) throw new UsageError(`${what} ${shown} is a directory: name a file`);
  const dir = path.dirname(abs);
  if (!existsSync(dir)) throw new UsageError(`${what} ${shown}: directory ${JSON.stringify(dir)} does not exist`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${what} ${shown}: ${JSON.stringify(dir)} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
    if (existsSync(abs)) accessSync(abs, constants.W_OK);
  } catch {
    throw new UsageError(`${what} ${shown} is not writable`);
  }
  return abs;
}
