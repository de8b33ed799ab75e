/** Modulation names -> modems; the CLI and the baselines share this one list. */
import type { Modem } from '../core/types.js';
import { UsageError } from '../core/errors.js';
import { QamModem, type QamBitsPerSymbol } from './modem/qam.js';

export const MODEM_NAMES = ['bpsk', 'qpsk', '16qam', '64qam', '256qam'] as const;
export type ModemName = (typeof MODEM_NAMES)[number];

const BITS: Record<ModemName, QamBitsPerSymbol> = { bpsk: 1, qpsk: 2, '16qam': 4, '64qam': 6, '256qam': 8 };

export function isModemName(name: string): name is ModemName {
  return (MODEM_NAMES as readonly string[]).includes(name);
}

/** A new modem (modems keep scratch buffers, so each user gets its own). */
export function createModem(name: string): Modem {
  const key = String(name).trim().toLowerCase();
  if (!isModemName(key)) {
    throw new UsageError(`modulation ${JSON.stringify(name)} is not allowed: use ${MODEM_NAMES.join(', ')}`);
  }
  return new QamModem(BITS[key]);
}

/** Bits per symbol of a modulation name without building it. */
export function bitsPerSymbolOf(name: ModemName): number {
  return BITS[name];
}
