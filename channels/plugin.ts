/**
 * User channel plug-ins: `--channel ./my-channel.js` imports the module (plain ESM JavaScript);
 * its default export is a Channel object (with `apply`) or a factory `(params) => Channel`
 * (sync or async). See fixtures/my-channel.js for an example.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Channel, ChannelParams } from '../src/core/types.js';
import { UsageError } from '../src/core/errors.js';

export function isPluginPath(s: string): boolean {
  return s.includes('/') || s.includes(path.sep) || /\.(m?js|cjs)$/i.test(s);
}

function isChannel(c: unknown): c is Channel {
  return typeof c === 'object' && c !== null && typeof (c as Channel).apply === 'function';
}

/** Absolute path of a plug-in, resolved against the working directory (workers get this form). */
export function resolvePluginPath(p: string): string {
  return path.resolve(process.cwd(), p);
}

export async function loadChannelPlugin(p: string, params: ChannelParams = {}): Promise<Channel> {
  const abs = resolvePluginPath(p);
  if (!existsSync(abs) || !statSync(abs).isFile()) {
    throw new UsageError(`channel plug-in ${JSON.stringify(p)} is not allowed: no such file (${abs}); use a built-in name or an existing .js module`);
  }
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (e) {
    throw new UsageError(`channel plug-in ${JSON.stringify(p)} could not be loaded: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
  }
  const d = mod.default;
  let ch: unknown = d;
  if (typeof d === 'function') {
    try {
      ch = await (d as (p: ChannelParams) => unknown)(params);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`channel plug-in ${JSON.stringify(p)} rejected its parameters: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
    }
  }
  if (!isChannel(ch)) {
    throw new UsageError(`channel plug-in ${JSON.stringify(p)} exports no channel: its default export must be a Channel (with apply) or a factory (params) => Channel`);
  }
  return ch;
}
