/**
 * The worker thread that runs one channel plug-in (see plugin.ts). It imports the module, builds
 * the channel from its params, then answers apply requests on the port it was given; after each
 * answer (or when the plug-in ends the thread) it sets the shared flag the caller waits on.
 * The caller's random stream travels with each request and back, so the plug-in draws exactly
 * what it would draw in the caller's thread.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import type { Rng } from '../src/core/rng.js';
import { rngFromState, rngState, type RngState } from './rng-state.js';

interface HostData { file: string; params: Record<string, unknown>; flag: SharedArrayBuffer; port: MessagePort }
interface ApplyRequest { id: number; x: Float32Array; snrDb: number; rng: RngState }

const { file, params, flag: sab, port } = workerData as HostData;
const flag = new Int32Array(sab);
const FLAG_ANSWER = 1, FLAG_GONE = 2;

function signal(v: number): void {
  Atomics.store(flag, 0, v);
  Atomics.notify(flag, 0);
}

function message(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

// An exit of this thread (process.exit in the plug-in, or anything else) is reported, never silent.
let gone = false;
const realExit = process.exit.bind(process);
const goneWith = (what: string): void => {
  if (gone) return;
  gone = true;
  port.postMessage({ gone: what });
  signal(FLAG_GONE);
};
process.exit = ((code?: number | string | null) => {
  goneWith(`it called process.exit(${code ?? ''})`);
  return realExit(code as number | undefined);
}) as typeof process.exit;
process.on('exit', (code) => goneWith(`its worker exited with code ${code}`));
process.on('uncaughtException', (e) => {
  goneWith(`it threw outside apply: ${message(e)}`);
  realExit(1);
});
process.on('unhandledRejection', (e) => {
  goneWith(`a promise of it was rejected outside apply: ${message(e)}`);
  realExit(1);
});

interface PluginChannel { name?: unknown; params?: unknown; apply: (x: Float32Array, snrDb: number, rng: Rng) => unknown }

function plainParams(p: unknown): Record<string, unknown> {
  try {
    const v = JSON.parse(JSON.stringify(p ?? {}));
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

async function load(): Promise<PluginChannel> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (e) {
    throw Object.assign(new Error(`could not be loaded: ${message(e)}`), { stage: 'load' });
  }
  let ch: unknown = mod.default;
  if (typeof ch === 'function') {
    try {
      ch = await (ch as (p: unknown) => unknown)(params);
    } catch (e) {
      throw Object.assign(new Error(`rejected its parameters: ${message(e)}`), { stage: 'params' });
    }
  }
  if (typeof ch !== 'object' || ch === null || typeof (ch as PluginChannel).apply !== 'function') {
    throw Object.assign(new Error('exports no channel: its default export must be a Channel (with apply) or a factory (params) => Channel'), { stage: 'export' });
  }
  return ch as PluginChannel;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as PromiseLike<unknown>).then === 'function';
}

Atomics.store(flag, 0, 3); // started: the caller's time limit for the plug-in begins now
Atomics.notify(flag, 0);
load().then((ch) => {
  port.on('message', async (m: ApplyRequest) => {
    const rng = rngFromState(m.rng);
    try {
      let out = ch.apply(m.x, m.snrDb, rng);
      if (isThenable(out)) out = await out; // a Promise result is awaited, under the same time limit
      const kind = out === null ? 'null' : typeof out;
      const o = kind === 'object' ? (out as { y?: unknown; csi?: unknown }) : {};
      port.postMessage({ id: m.id, kind, y: o.y, csi: o.csi, rng: rngState(rng) });
    } catch (e) {
      try {
        port.postMessage({ id: m.id, error: message(e) });
      } catch {
        port.postMessage({ id: m.id, error: 'threw a value that cannot be reported' });
      }
    }
    signal(FLAG_ANSWER);
  });
  port.postMessage({ ready: { name: typeof ch.name === 'string' && ch.name ? ch.name : undefined, params: plainParams(ch.params) } });
  signal(FLAG_ANSWER);
}, (e: Error & { stage?: string }) => {
  port.postMessage({ failed: e.message, stage: e.stage });
  signal(FLAG_ANSWER);
});
