/**
 * Output locations, checked before any work (issue 13, item 4): a command that would simulate or
 * train for an hour and then fail to write its result checks first that the result can be
 * written. Nothing is created here; the command creates its output as usual afterwards.
 */
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';

export interface OutputPathOptions {
  /** What will be written there: a file (the default) or a folder. */
  kind?: 'file' | 'folder';
  /** True when the command creates missing parent folders itself (mkdir -p); else the parent must exist. */
  parents?: boolean;
}

/**
 * Kernel pseudo-filesystems: writing there does not make a file (and Node's mkdir under /proc
 * can hang), so they are never an output location.
 */
const PSEUDO_ROOTS = ['/proc', '/sys'];

function underPseudo(abs: string): string | undefined {
  return PSEUDO_ROOTS.find((r) => abs === r || abs.startsWith(`${r}/`));
}

/**
 * Check that `p` (the value of option `what`, e.g. '--out') can be written as a file or folder:
 * not under /proc or /sys (also through a symbolic link), no ancestor that is a file, the nearest
 * existing folder writable, an existing target of the right kind (and writable, for a file), and
 * the parent present unless `parents`. Throws a one-line UsageError naming the value; returns the
 * absolute path.
 */
export function checkOutputPath(p: string, what: string, options: OutputPathOptions = {}): string {
  const kind = options.kind ?? 'file';
  const shown = `${what} ${JSON.stringify(p)}`;
  if (typeof p !== 'string' || p.trim() === '') throw new UsageError(`${what} needs a path: name the output ${kind}`);
  if (p.includes('\0')) throw new UsageError(`${shown} is not allowed: the path holds a NUL character`);
  const abs = path.resolve(p);
  const pseudo = (x: string) => {
    const r = underPseudo(x);
    if (r) throw new UsageError(`${shown} is not allowed: ${r} is a kernel pseudo-filesystem, not a place for output files; use a normal folder`);
  };
  pseudo(abs);
  // The nearest existing ancestor (or the target itself) decides what can be created.
  let existing = abs;
  const missing: string[] = [];
  while (!existsSync(existing)) {
    const up = path.dirname(existing);
    missing.unshift(path.basename(existing));
    if (up === existing) break;
    existing = up;
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    real = existing;
  }
  pseudo(missing.length ? path.join(real, ...missing) : real);
  const st = statSync(existing);
  if (existing === abs) {
    if (kind === 'file' && st.isDirectory()) throw new UsageError(`${shown} is not allowed: it is a folder; name a file`);
    if (kind === 'folder' && !st.isDirectory()) throw new UsageError(`${shown} is not allowed: it is a file, not a folder`);
    try {
      accessSync(abs, kind === 'file' ? constants.W_OK : constants.W_OK | constants.X_OK);
    } catch {
      throw new UsageError(`${shown} is not allowed: it is not writable`);
    }
    return abs;
  }
  if (!st.isDirectory()) throw new UsageError(`${shown} is not allowed: ${existing} is a file, so nothing can be created under it`);
  if (!options.parents && missing.length > 1) {
    throw new UsageError(`${shown} is not allowed: its folder ${path.dirname(abs)} does not exist (create it first)`);
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`${shown} is not allowed: ${existing} is not writable`);
  }
  return abs;
}
