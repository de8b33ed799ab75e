/**
 * Start a worker thread from a module next to the caller, both from dist/ (.js) and from source
 * under tsx (.ts): a worker does not inherit tsx's loader hooks, so the .ts case registers tsx in
 * the worker first (tsx is a dev dependency; this path is only taken when running from source).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function spawnWorker(jsUrl: URL, options: WorkerOptions = {}): Worker {
  const opts: WorkerOptions = { execArgv: process.execArgv, ...options };
  if (existsSync(fileURLToPath(jsUrl))) return new Worker(jsUrl, opts);
  const ts = new URL(jsUrl.href.replace(/\.js$/, '.ts'));
  if (!existsSync(fileURLToPath(ts))) throw new Error(`worker script ${fileURLToPath(jsUrl)} not found`);
  const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(ts.href)}); })`
    + `.catch((e) => { throw e; });`;
  return new Worker(boot, { ...opts, eval: true });
}

/** The URL of a module next to the caller that exists in this build (.js in dist/, .ts from source). */
export function siblingModule(jsUrl: URL): URL {
  if (existsSync(fileURLToPath(jsUrl))) return jsUrl;
  return new URL(jsUrl.href.replace(/\.js$/, '.ts'));
}
