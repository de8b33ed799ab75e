/** `compare --quick`: a range of SNR points is thinned to every 5 dB; an explicit list is kept. */
import { parseRange } from '../core/range.js';

export function quickSnr(spec: string, snr: number[]): { snr: number[]; thinned: boolean; spec: string } {
  const s = spec.trim();
  if (!s.includes('..')) return { snr, thinned: false, spec: s };
  const thin = parseRange(`${snr[0]}..${snr[snr.length - 1]}:5`, '--snr');
  const same = thin.length === snr.length && thin.every((x, i) => x === snr[i]);
  return { snr: thin, thinned: !same, spec: s };
}
