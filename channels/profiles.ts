/**
 * Power-delay profiles of standard tapped-delay-line channel models (data tables, delays in ns,
 * average powers in dB relative to the first tap).
 * - ITU-R M.1225 (1997), Guidelines for evaluation of radio transmission technologies for
 *   IMT-2000, Tables 3 and 4: Pedestrian A/B, Vehicular A (channel A/B).
 * - 3GPP TS 36.104 (E-UTRA BS radio transmission and reception) Annex B.2, Table B.2-2/B.2-3:
 *   Extended Pedestrian A (EPA) and Extended Vehicular A (EVA).
 */
export interface PowerDelayProfile {
  readonly source: string;
  readonly delaysNs: readonly number[];
  readonly powersDb: readonly number[];
}

export const PROFILES: Readonly<Record<string, PowerDelayProfile>> = {
  flat: { source: 'one tap (frequency-flat)', delaysNs: [0], powersDb: [0] },
  pedA: { source: 'ITU-R M.1225 Table 3, Pedestrian A', delaysNs: [0, 110, 190, 410], powersDb: [0, -9.7, -19.2, -22.8] },
  pedB: { source: 'ITU-R M.1225 Table 3, Pedestrian B', delaysNs: [0, 200, 800, 1200, 2300, 3700], powersDb: [0, -0.9, -4.9, -8.0, -7.8, -23.9] },
  vehA: { source: 'ITU-R M.1225 Table 4, Vehicular A', delaysNs: [0, 310, 710, 1090, 1730, 2510], powersDb: [0, -1.0, -9.0, -10.0, -15.0, -20.0] },
  epa: { source: '3GPP TS 36.104 Annex B.2, EPA', delaysNs: [0, 30, 70, 90, 110, 190, 410], powersDb: [0, -1.0, -2.0, -3.0, -8.0, -17.2, -20.8] },
  eva: {
    source: '3GPP TS 36.104 Annex B.2, EVA',
    delaysNs: [0, 30, 150, 310, 370, 710, 1090, 1730, 2510],
    powersDb: [0, -1.5, -1.4, -3.6, -0.6, -9.1, -7.0, -12.0, -16.9],
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES);

/**
 * Sample-spaced taps: each delay rounded to the nearest sample at `sampleRate` (Hz), powers of
 * taps that land on the same sample added, total power normalized to 1 (E|H|^2 = 1).
 */
export function sampleTaps(delaysSamples: readonly number[], powersDb: readonly number[]): { delays: Int32Array; powers: Float64Array } {
  const acc = new Map<number, number>();
  delaysSamples.forEach((d, i) => acc.set(d, (acc.get(d) ?? 0) + Math.pow(10, powersDb[i] / 10)));
  const keys = [...acc.keys()].sort((a, b) => a - b);
  const total = keys.reduce((s, k) => s + (acc.get(k) as number), 0);
  return { delays: Int32Array.from(keys), powers: Float64Array.from(keys.map((k) => (acc.get(k) as number) / total)) };
}
