/**
 * Named CRCs. The 3GPP ones are TS 38.212 5.1 (gCRC24A/B/C, gCRC16, gCRC11, gCRC6; init 0,
 * no reflection, no final xor). Check values (CRC of the ASCII bytes "123456789") from the
 * RevEng catalogue where it lists the same parameters:
 *   crc24a = CRC-24/LTE-A 0xCDE703, crc24b = CRC-24/LTE-B 0x23EF52,
 *   crc16 = CRC-16/XMODEM (alias CRC-16/LTE) 0x31C3, crc16-ccitt-false = CRC-16/IBM-3740 0x29B1.
 */
import { UsageError } from '../../core/errors.js';
import { Crc, type CrcParams } from './crc.js';

export interface CatalogEntry extends CrcParams {
  /** CRC of "123456789" where a published catalogue value exists. */
  readonly check?: number;
  readonly source: string;
}

export const CRC_CATALOG: Readonly<Record<string, CatalogEntry>> = {
  crc24a: { name: 'crc24a', width: 24, poly: 0x864cfb, check: 0xcde703, source: 'TS 38.212 gCRC24A' },
  crc24b: { name: 'crc24b', width: 24, poly: 0x800063, check: 0x23ef52, source: 'TS 38.212 gCRC24B' },
  crc24c: { name: 'crc24c', width: 24, poly: 0xb2b117, source: 'TS 38.212 gCRC24C' },
  crc16: { name: 'crc16', width: 16, poly: 0x1021, check: 0x31c3, source: 'TS 38.212 gCRC16 (CCITT polynomial, init 0)' },
  'crc16-ccitt-false': {
    name: 'crc16-ccitt-false', width: 16, poly: 0x1021, init: 0xffff, check: 0x29b1,
    source: 'CCITT polynomial, init 0xFFFF (CRC-16/IBM-3740)',
  },
  crc11: { name: 'crc11', width: 11, poly: 0x621, source: 'TS 38.212 gCRC11' },
  crc6: { name: 'crc6', width: 6, poly: 0x21, source: 'TS 38.212 gCRC6' },
};

export const CRC_NAMES: readonly string[] = Object.keys(CRC_CATALOG);

const cache = new Map<string, Crc>();

/** A CRC by catalogue name (case-insensitive; `crc24a` also as `24a`, `CRC-24A`). Instances are shared. */
export function crcByName(name: string): Crc {
  const key = normalize(name);
  const entry = CRC_CATALOG[key];
  if (!entry) throw new UsageError(`CRC ${JSON.stringify(name)} is not allowed: use ${CRC_NAMES.join(', ')}`);
  let c = cache.get(key);
  if (!c) {
    c = new Crc(entry);
    cache.set(key, c);
  }
  return c;
}

function normalize(name: string): string {
  let s = String(name).trim().toLowerCase().replace(/_/g, '-');
  if (!s.startsWith('crc')) s = 'crc' + s;
  s = s.replace(/^crc-(?=\d)/, 'crc');
  return s;
}

export const crc24a = (): Crc => crcByName('crc24a');
export const crc16 = (): Crc => crcByName('crc16');
