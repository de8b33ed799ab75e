/**
 * Scheme SPEC lists of `--schemes` / `--scheme`: splitting a comma-separated list of specs that
 * themselves contain commas, and the canonical form of a spec that keys every results record.
 */
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { SCHEME_SPEC_HELP } from '../../baselines/registry.js';

/**
 * A path as results record it: relative to the working folder when inside it (so results made in
 * a clone name `models/default/...` wherever the clone lives, and resume in another clone), else
 * absolute. Loaders resolve it against the same working folder.
 */
export function portablePath(p: string): string {
  const abs = path.resolve(p);
  const rel = path.relative(process.cwd(), abs);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}

const SCHEME_START = /^(none|jscc:|separate:|ideal:|[a-z][a-z0-9_-]*:)/i;

/**
 * `--schemes` is a comma-separated list of specs that themselves contain commas
 * (separate:jpeg=50,code=...,mod=...): split only before a token that starts a new spec. A token
 * `k=v` always continues the spec before it (so `uses=match:separate:...` stays inside its ideal:).
 */
export function splitSchemeList(list: string): string[] {
  const parts = String(list).split(',');
  const out: string[] = [];
  for (const p of parts) {
    const t = p.trim();
    if (out.length === 0 || (SCHEME_START.test(t) && !/^[a-z]+=/i.test(t))) out.push(t);
    else out[out.length - 1] += `,${t}`;
  }
  return out.filter((s) => s.length > 0);
}

/**
 * The canonical form of a scheme spec: trimmed parts, lower-case family and keys, `jscc:DIR` with
 * DIR resolved to an absolute path. Records are keyed by it, so the order of `--schemes` does not
 * name a record; two spellings of one scheme give one key.
 */
export function canonicalSchemeSpec(spec: string): string {
  const s = String(spec).trim();
  if (s.toLowerCase() === 'none') return 'none';
  const i = s.indexOf(':');
  if (i < 0) return s.toLowerCase();
  const family = s.slice(0, i).trim().toLowerCase();
  const rest = s.slice(i + 1).trim();
  if (family === 'jscc') return `jscc:${portablePath(rest)}`;
  if (family === 'separate' || family === 'ideal') {
    // k=v parts; a `uses=match:SPEC` reference takes the rest of the spec and is canonical itself.
    const m = /(^|,)\s*uses\s*=\s*match:/i.exec(rest);
    const own = m ? rest.slice(0, m.index) : rest;
    const ref = m ? rest.slice(m.index + m[0].length) : undefined;
    const parts = own.split(',').map((p) => p.trim()).filter((p) => p.length > 0).map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? p.toLowerCase() : `${p.slice(0, eq).trim().toLowerCase()}=${p.slice(eq + 1).trim()}`;
    });
    if (ref !== undefined) parts.push(`uses=match:${canonicalSchemeSpec(ref)}`);
    return `${family}:${parts.join(',')}`;
  }
  return `${family}:${rest}`;
}

/** Refuse a spec of no known family before any work (the registry checks the keys when it builds). */
export function checkSchemeFamilies(schemes: readonly string[]): void {
  for (const s of schemes) {
    if (!/^(none|jscc:.+|separate:.+|ideal:.+)$/i.test(s)) {
      throw new UsageError(`scheme ${JSON.stringify(s)} is not allowed: use ${SCHEME_SPEC_HELP}, or jscc:DIR`);
    }
  }
  const seen = new Map<string, string>();
  for (const s of schemes) {
    const c = canonicalSchemeSpec(s);
    const prev = seen.get(c);
    if (prev !== undefined) throw new UsageError(`scheme ${JSON.stringify(s)} is given twice (as ${JSON.stringify(prev)}): each scheme once`);
    seen.set(c, s);
  }
}
