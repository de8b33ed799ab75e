/**
 * The block CRCs the separate scheme offers (`crc=` key): TS 38.212 gCRC16 and gCRC24A from the
 * project's CRC module (src/fec/crc), or none (errors go undetected to the JPEG decoder).
 */
import { crcByName as fecCrc } from '../../src/fec/crc/catalog.js';
import type { BitCrc } from './packetize.js';

export const CRC_NAMES = ['16', '24a', 'none'] as const;
export type CrcName = (typeof CRC_NAMES)[number];

export function crcByName(name: CrcName): BitCrc | null {
  switch (name) {
    case '16': return fecCrc('crc16');
    case '24a': return fecCrc('crc24a');
    case 'none': return null;
  }
}
