/**
 * Code SPEC -> Code (DESIGN.md): `none`, `conv:1/2|2/3|3/4|5/6`, `ldpc:80211n:N:R`,
 * `ldpc:5gnr:bg1|bg2:K:R`. The CLI and the baselines reuse this one parser.
 * (Owned by the FEC work; the families register here as they land.)
 */
import type { Code } from '../core/types.js';
import { UsageError } from '../core/errors.js';

export const CODE_SPEC_HELP = 'none, conv:1/2|2/3|3/4|5/6, ldpc:80211n:648|1296|1944:1/2|2/3|3/4|5/6, ldpc:5gnr:bg1|bg2:K:R';

/** Returns null for `none` (uncoded). */
export function parseCodeSpec(spec: string): Code | null {
  const s = String(spec).trim().toLowerCase();
  if (s === 'none') return null;
  throw new UsageError(`code ${JSON.stringify(spec)} is not allowed: use ${CODE_SPEC_HELP}`);
}
