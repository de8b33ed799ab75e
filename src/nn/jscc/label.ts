/** How a JSCC model was trained, in the words of labels and reports (no tfjs: reports import it). */

/** "without noise", "at 5 dB", "at 0..10 dB" (SNR_train null, a number, or a [lo, hi] range). */
export function snrTrainText(s: unknown): string {
  if (s === null || s === undefined) return 'without noise';
  return Array.isArray(s) ? `at ${s[0]}..${s[1]} dB` : `at ${String(s)} dB`;
}
