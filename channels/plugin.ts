/**
 * User channel plug-ins: `--channel ./my-channel.js` names a plain ESM JavaScript module whose
 * default export is a Channel object (with `apply`) or a factory `(params) => Channel` (sync or
 * async). See fixtures/my-channel.js for an example.
 *
 * A plug-in is ordinary code running with the user's rights (it can read and write files, start
 * processes, use the network): run only plug-ins you trust. What this module contains is the
 * failure modes of a plug-in, not its rights:
 * - it runs in its own worker thread (plugin-host.ts); every call, and the loading, has a time
 *   limit (`--channel-timeout`, default DEFAULT_CHANNEL_TIMEOUT_S), after which the thread is
 *   stopped and the run ends with one line naming the plug-in;
 * - `apply` may return a result or a Promise of one (awaited under the same limit);
 * - every result is checked (validateChannelOutput): y a Float32Array as long as x, csi absent or
 *   one value per complex symbol, every value finite (csi >= 0);
 * - process.exit or an uncaught error inside it ends its thread, which is reported as a failure
 *   of the run, never as a normal end.
 * The caller's thread waits for each call (Atomics.wait), so `apply` stays synchronous for every
 * command, and the caller's random stream is carried to the plug-in and back: results are the
 * same as if the plug-in ran in the caller's thread.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type { Channel, ChannelOutput, ChannelParams } from '../src/core/types.js';
import type { Rng } from '../src/core/rng.js';
import { UsageError } from '../src/core/errors.js';
import { spawnWorker } from '../src/core/worker.js';
import { rngState, setRngState } from './rng-state.js';

/** Seconds a plug-in may take per call (and to load) unless `--channel-timeout` says otherwise. */
export const DEFAULT_CHANNEL_TIMEOUT_S = 30;
/** Environment variable that carries the limit (into worker threads too). */
export const CHANNEL_TIMEOUT_ENV = 'JSCC_SIM_CHANNEL_TIMEOUT';

export function isPluginPath(s: string): boolean {
  return s.includes('/') || s.includes(path.sep) || /\.(m?js|cjs)$/i.test(s);
}

/** Absolute path of a plug-in, resolved against the working directory (workers get this form). */
export function resolvePluginPath(p: string): string {
  return path.resolve(process.cwd(), p);
}

/** Parse a `--channel-timeout` value: seconds, > 0 and at most a day. */
export function parseChannelTimeout(value: unknown, what = '--channel-timeout'): number {
  const s = String(value).trim();
  const x = /^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(s) ? Number(s) : NaN;
  if (!(x > 0 && x <= 86400)) throw new UsageError(`${what} ${JSON.stringify(value)} is not allowed: use seconds in (0, 86400], e.g. 10`);
  return x;
}

/**
 * Set the per-call limit for plug-ins created from now on, in this thread and in worker threads
 * started after this call (through the environment).
 */
export function setChannelTimeout(seconds: number): void {
  process.env[CHANNEL_TIMEOUT_ENV] = String(parseChannelTimeout(seconds));
}

/** The per-call limit in seconds: `setChannelTimeout`, else JSCC_SIM_CHANNEL_TIMEOUT, else the default. */
export function channelTimeoutSeconds(): number {
  const env = process.env[CHANNEL_TIMEOUT_ENV];
  return env === undefined || env === '' ? DEFAULT_CHANNEL_TIMEOUT_S : parseChannelTimeout(env, CHANNEL_TIMEOUT_ENV);
}

/** The yargs option for commands that take `--channel` (`.option('channel-timeout', CHANNEL_TIMEOUT_OPTION)`). */
export const CHANNEL_TIMEOUT_OPTION = {
  type: 'string',
  describe: `seconds a --channel plug-in may take per call (and to load) before the run stops (default ${DEFAULT_CHANNEL_TIMEOUT_S})`,
} as const;

/** Apply a parsed `--channel-timeout` value when given (call before creating channels or workers). */
export function applyChannelTimeoutOption(value: unknown): void {
  if (value !== undefined) setChannelTimeout(parseChannelTimeout(value));
}

/**
 * Check a channel's result for input `x`: `y` a Float32Array of x.length finite values; `csi`
 * absent or a Float32Array of x.length / 2 finite values >= 0. Throws a one-line UsageError naming
 * the channel. Every command's plug-in calls pass through this (PluginChannel.apply).
 */
export function validateChannelOutput(name: string, x: Float32Array, out: unknown): ChannelOutput {
  const who = `channel ${name}`;
  if (typeof out !== 'object' || out === null) throw new UsageError(`${who} returned ${out === null ? 'null' : typeof out}: apply must return { y, csi? }`);
  const { y, csi } = out as { y?: unknown; csi?: unknown };
  if (!(y instanceof Float32Array)) {
    throw new UsageError(`${who} returned y as ${y === undefined ? 'undefined' : Object.prototype.toString.call(y).slice(8, -1)}: y must be a Float32Array of ${x.length} values (interleaved re, im)`);
  }
  if (y.length !== x.length) throw new UsageError(`${who} returned ${y.length} values of y for ${x.length} sent: y must have exactly x.length values`);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) throw new UsageError(`${who} returned y[${i}] = ${y[i]}: every value must be finite`);
  }
  if (csi === undefined) return { y };
  const nSym = x.length / 2;
  if (!(csi instanceof Float32Array)) throw new UsageError(`${who} returned csi as ${Object.prototype.toString.call(csi).slice(8, -1)}: csi must be absent or a Float32Array of ${nSym} values (one per complex symbol)`);
  if (csi.length !== nSym) throw new UsageError(`${who} returned ${csi.length} csi values for ${nSym} complex symbols: csi must have one value per symbol`);
  for (let i = 0; i < csi.length; i++) {
    if (!(Number.isFinite(csi[i]) && csi[i] >= 0)) throw new UsageError(`${who} returned csi[${i}] = ${csi[i]}: every csi value must be finite and >= 0`);
  }
  return { y, csi };
}

const FLAG_WAITING = 0;
/** Set by plugin-host.ts once its own modules are loaded, before it imports the plug-in. */
const FLAG_STARTED = 3;
const HOST_START_MS = 60_000;


interface HostAnswer {
  id?: number;
  y?: unknown;
  csi?: unknown;
  /** typeof the value apply returned ('null' for null). */
  kind?: string;
  rng?: ReturnType<typeof rngState>;
  error?: string;
  gone?: string;
  ready?: { name?: string; params: ChannelParams };
  failed?: string;
  stage?: string;
}

/** A channel whose `apply` runs the plug-in in its worker thread, with a time limit and checks. */
export class PluginChannel implements Channel {
  readonly name: string;
  readonly params: Readonly<ChannelParams>;
  /** The plug-in as the user named it (in every error message). */
  readonly file: string;
  readonly timeoutMs: number;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag: Int32Array;
  private nextId = 0;
  private dead: UsageError | undefined;
  private stopped: Promise<number> | undefined;
  private exitCode: number | undefined;

  private constructor(file: string, worker: Worker, port: MessagePort, flag: Int32Array, ready: { name?: string; params: ChannelParams }, timeoutMs: number) {
    this.file = file;
    this.worker = worker;
    this.port = port;
    this.flag = flag;
    this.name = ready.name ?? path.basename(file).replace(/\.(m?js|cjs)$/i, '');
    this.params = Object.freeze({ ...ready.params });
    this.timeoutMs = timeoutMs;
    // Seen between calls (the event loop runs then): the next call fails at once, not at the limit.
    worker.on('exit', (code) => { this.exitCode ??= code; });
  }

  /** Start the plug-in's thread, load the module and build the channel (under the time limit). */
  static async start(file: string, abs: string, params: ChannelParams, timeoutS = channelTimeoutSeconds()): Promise<PluginChannel> {
    const who = `channel plug-in ${JSON.stringify(file)}`;
    const timeoutMs = Math.round(timeoutS * 1000);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = spawnWorker(new URL('./plugin-host.js', import.meta.url), {
      workerData: { file: abs, params, flag: flag.buffer, port: port2 }, transferList: [port2],
    });
    port1.unref();
    // A crash of the thread before it could answer (e.g. tsx failing to start) also ends the wait.
    worker.on('error', () => { Atomics.store(flag, 0, 2); Atomics.notify(flag, 0); });
    worker.on('exit', () => {
      const f = Atomics.load(flag, 0);
      if (f === FLAG_WAITING || f === FLAG_STARTED) { Atomics.store(flag, 0, 2); Atomics.notify(flag, 0); }
    });
    // Polled, not Atomics.waitAsync: its wake-ups proved unreliable inside worker threads.
    const pollFlag = async (value: number, ms: number): Promise<string> => {
      const t0 = Date.now();
      for (let delay = 1; Atomics.load(flag, 0) === value; delay = Math.min(20, delay * 2)) {
        if (Date.now() - t0 >= ms) return 'timed-out';
        await new Promise((r) => setTimeout(r, delay));
      }
      return 'ok';
    };
    // The thread's own start (tsx from source, a busy machine) is not the plug-in's time.
    let outcome = await pollFlag(FLAG_WAITING, HOST_START_MS);
    if (Atomics.load(flag, 0) === FLAG_STARTED) outcome = await pollFlag(FLAG_STARTED, timeoutMs);
    else if (outcome === 'timed-out') {
      void worker.terminate();
      throw new UsageError(`${who}: its worker thread did not start within ${HOST_START_MS / 1000} s`);
    }
    const m = receiveMessageOnPort(port1)?.message as HostAnswer | undefined;
    const stop = () => { void worker.terminate(); port1.close(); };
    if (!m) {
      stop();
      if (outcome === 'timed-out') throw new UsageError(`${who} did not finish loading within ${timeoutS} s (--channel-timeout): stopped it`);
      throw new UsageError(`${who} ended its worker thread while loading`);
    }
    if (m.gone !== undefined) {
      stop();
      throw new UsageError(`${who} failed while loading: ${m.gone}`);
    }
    if (m.failed !== undefined) {
      stop();
      throw new UsageError(`${who} ${m.failed}`);
    }
    if (!m.ready) {
      stop();
      throw new UsageError(`${who} answered its loading with an unexpected message`);
    }
    // Loaded: from now on the thread is only waited on synchronously, and must not keep the
    // process alive.
    worker.unref();
    return new PluginChannel(file, worker, port1, flag, m.ready, timeoutMs);
  }

  /** Stop the thread and fail this and every later call with one line naming the plug-in. */
  private die(what: string, error?: UsageError): never {
    this.dead = error ?? new UsageError(`channel plug-in ${JSON.stringify(this.file)} ${what}`);
    this.stopped = this.worker.terminate();
    this.port.close();
    throw this.dead;
  }

  apply(x: Float32Array, snrDb: number, rng: Rng): ChannelOutput {
    if (this.dead) throw this.dead;
    if (this.exitCode !== undefined) {
      const last = receiveMessageOnPort(this.port)?.message as HostAnswer | undefined;
      this.die(last?.gone !== undefined ? `failed between calls: ${last.gone}` : `ended its worker thread between calls (exit code ${this.exitCode})`);
    }
    if (!(x instanceof Float32Array)) throw new TypeError(`${this.name}.apply: x must be a Float32Array`);
    const id = this.nextId++;
    Atomics.store(this.flag, 0, FLAG_WAITING);
    this.port.postMessage({ id, x, snrDb, rng: rngState(rng) });
    const outcome = Atomics.wait(this.flag, 0, FLAG_WAITING, this.timeoutMs);
    // The host posts its answer before it sets the flag, so once woken the answer is queued.
    let m: HostAnswer | undefined;
    do m = receiveMessageOnPort(this.port)?.message as HostAnswer | undefined;
    while (m && m.gone === undefined && m.id !== id); // answers to calls given up on are dropped
    if (!m) {
      if (outcome === 'timed-out') this.die(`did not return from apply within ${this.timeoutMs / 1000} s (--channel-timeout): stopped it`);
      this.die('ended its worker thread during apply');
    }
    if (m.gone !== undefined) this.die(`failed during apply: ${m.gone}`);
    if (m.error !== undefined) this.die(`failed in apply: ${m.error}`);
    if (m.kind !== 'object') this.die(`returned ${m.kind} from apply: it must return { y, csi? } or a Promise of it`);
    if (m.rng) setRngState(rng, m.rng);
    try {
      return validateChannelOutput(`plug-in ${JSON.stringify(this.file)}`, x, { y: m.y, csi: m.csi });
    } catch (e) {
      this.die('', e as UsageError);
    }
  }

  /** Stop the plug-in's thread (later calls fail). */
  async close(): Promise<void> {
    this.dead ??= new UsageError(`channel plug-in ${JSON.stringify(this.file)} was closed`);
    if (!this.stopped) {
      this.port.close();
      this.stopped = this.worker.terminate();
    }
    await this.stopped;
  }
}

export async function loadChannelPlugin(p: string, params: ChannelParams = {}): Promise<Channel> {
  const abs = resolvePluginPath(p);
  if (!existsSync(abs) || !statSync(abs).isFile()) {
    throw new UsageError(`channel plug-in ${JSON.stringify(p)} is not allowed: no such file (${abs}); use a built-in name or an existing .js module`);
  }
  return PluginChannel.start(p, abs, params);
}
