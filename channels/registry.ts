/**
 * Channel names -> factories; `--channel ./file.js` loads a user plug-in (see plugin.ts).
 * The CLI, the baselines and the training code share this one registry.
 */
import type { Channel, ChannelFactory, ChannelParams } from '../src/core/types.js';
import { UsageError } from '../src/core/errors.js';
import { AwgnChannel } from './awgn.js';
import { RayleighChannel } from './rayleigh.js';
import { RicianChannel } from './rician.js';
import { OfdmTdlChannel } from './ofdm-tdl.js';
import { isPluginPath, loadChannelPlugin } from './plugin.js';
import { isMainThread } from 'node:worker_threads';

/** The built-in channels, one line each: a new channel is its file plus one line here. */
const FACTORIES = {
  awgn: (p) => new AwgnChannel(p),
  rayleigh: (p) => new RayleighChannel('rayleigh', p),
  'rayleigh-block': (p) => new RayleighChannel('rayleigh-block', p),
  rician: (p) => new RicianChannel(p),
  'ofdm-tdl': (p) => new OfdmTdlChannel(p),
} satisfies Record<string, ChannelFactory>;

export type ChannelName = keyof typeof FACTORIES;
export const CHANNEL_NAMES = Object.keys(FACTORIES) as readonly ChannelName[];

export function isChannelName(name: string): name is ChannelName {
  return (CHANNEL_NAMES as readonly string[]).includes(name);
}

/** A built-in channel by name, or a user module (a path: contains '/' or ends .js/.mjs). */
export async function createChannel(nameOrPath: string, params: ChannelParams = {}): Promise<Channel> {
  const s = String(nameOrPath).trim();
  const ch = isPluginPath(s) ? await loadChannelPlugin(s, params) : createBuiltinChannel(s, params);
  printWarnings(ch);
  return ch;
}

const printed = new Set<string>();

/**
 * A channel's `warnings` (e.g. OFDM inter-symbol interference), one `warning:` line each on
 * stderr, once per process and from the main thread only (workers build the same channel again).
 */
function printWarnings(ch: Channel): void {
  const list = (ch as { warnings?: unknown }).warnings;
  if (!isMainThread || !Array.isArray(list)) return;
  for (const w of list) {
    if (typeof w !== 'string' || printed.has(w)) continue;
    printed.add(w);
    process.stderr.write(`warning: ${w}\n`);
  }
}

/** Synchronous form for built-in names only. */
export function createBuiltinChannel(name: string, params: ChannelParams = {}): Channel {
  const key = name.trim().toLowerCase();
  if (!isChannelName(key)) {
    throw new UsageError(`channel ${JSON.stringify(name)} is not allowed: use ${CHANNEL_NAMES.join(', ')} or a plug-in path like ./my-channel.js`);
  }
  return FACTORIES[key](params);
}

/**
 * Repeated `--channel-param k=v` -> params. Values that read as numbers become numbers,
 * true/false booleans, anything else stays a string (channels validate their own params).
 */
export function parseChannelParams(list: readonly string[] | string | undefined): ChannelParams {
  const items = list === undefined ? [] : Array.isArray(list) ? list : [list as string];
  const out: ChannelParams = {};
  for (const item of items) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*=(.*)$/.exec(String(item));
    if (!m) throw new UsageError(`--channel-param ${JSON.stringify(item)} is not allowed: use key=value, e.g. K=3 or block=all`);
    const v = m[2].trim();
    if (v === '') throw new UsageError(`--channel-param ${JSON.stringify(item)} has no value: use key=value`);
    out[m[1]] = v === 'true' ? true : v === 'false' ? false : /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(v) ? Number(v) : v;
  }
  return out;
}
