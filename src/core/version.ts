import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (works from src/ under tsx and from dist/src when built). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'jscc-sim') return dir;
    } catch { /* keep climbing */ }
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the jscc-sim package root');
}

function depVersion(root: string, name: string): string | undefined {
  try {
    return JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

export interface Versions {
  jsccSim: string;
  node: string;
  commit?: string;
  deps: Record<string, string>;
}

let cached: Versions | undefined;

/** Versions for every result header: the package, Node, key dependencies and the git commit. */
export function versions(): Versions {
  if (cached) return cached;
  const root = packageRoot();
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const deps: Record<string, string> = {};
  for (const d of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'jpeg-js', 'fft.js']) {
    const v = depVersion(root, d);
    if (v) deps[d] = v;
  }
  let commit: string | undefined;
  try {
    commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString().trim() || undefined;
  } catch { /* not a checkout */ }
  cached = { jsccSim: pkg.version, node: process.version, commit, deps };
  return cached;
}
