/** Validation of `--channel-param k=v` values against what a channel accepts. */
import type { ChannelParams } from '../src/core/types.js';
import { UsageError } from '../src/core/errors.js';

export interface ParamSpec {
  /** 'number' (finite), 'int' (integer), 'string' (one of `choices` when given). */
  type: 'number' | 'int' | 'string';
  min?: number;
  max?: number;
  choices?: readonly string[];
  /** Also accept these strings for a numeric parameter (e.g. block=all). */
  words?: readonly string[];
  help: string;
}

/** Check names and values; returns the params with numbers as numbers. UsageError names the bad one. */
export function checkParams(channel: string, params: ChannelParams, spec: Record<string, ParamSpec>): ChannelParams {
  const out: ChannelParams = {};
  for (const [key, raw] of Object.entries(params)) {
    const s = spec[key];
    if (!s) {
      const allowed = Object.keys(spec);
      throw new UsageError(`channel parameter ${JSON.stringify(key)} is not allowed for ${channel}: use ${allowed.length ? allowed.map((k) => `${k} (${spec[k].help})`).join(', ') : 'none'}`);
    }
    const bad = (): never => {
      throw new UsageError(`channel parameter ${key}=${JSON.stringify(raw)} is not allowed for ${channel}: ${s.help}`);
    };
    if (s.type === 'string') {
      const v = String(raw);
      if (s.choices && !s.choices.includes(v)) bad();
      out[key] = v;
      continue;
    }
    if (typeof raw === 'string' && s.words?.includes(raw)) {
      out[key] = raw;
      continue;
    }
    const v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isFinite(v)) bad();
    if (s.type === 'int' && !Number.isInteger(v)) bad();
    if (s.min !== undefined && v < s.min) bad();
    if (s.max !== undefined && v > s.max) bad();
    out[key] = v;
  }
  return out;
}

/** Parse a comma list of finite numbers (e.g. `delays=0,3,7`), UsageError on anything else. */
export function numberList(channel: string, key: string, raw: string | number | boolean): number[] {
  const parts = String(raw).split(/[,;]/).map((t) => t.trim());
  const v = parts.map(Number);
  if (parts.some((t) => t === '') || v.some((x) => !Number.isFinite(x))) {
    throw new UsageError(`channel parameter ${key}=${JSON.stringify(raw)} is not allowed for ${channel}: use a comma list of numbers`);
  }
  return v;
}
