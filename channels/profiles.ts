/**
 * Power-delay profiles of standard tapped-delay-line channel models (data tables).
 * - ITU-R M.1225 (1997), Guidelines for evaluation of radio transmission technologies for
 *   IMT-2000, Tables 3 and 4: Pedestrian A/B, Vehicular A (channel A/B). Delays in ns.
 * - 3GPP TS 36.104 (E-UTRA BS radio transmission and reception) Annex B.2, Table B.2-2/B.2-3:
 *   Extended Pedestrian A (EPA) and Extended Vehicular A (EVA). Delays in ns.
 * - 3GPP TR 38.901 7.7.2, Tables 7.7.2-1..5: TDL-A, TDL-B, TDL-C (NLOS) and TDL-D,
 *   TDL-E (LOS). Delays are normalized (RMS delay spread 1) and scaled by the wanted delay
 *   spread DS (7.7.3: tau_n = tau_n,model * DS). In TDL-D/E the first tap is split into a
 *   specular LOS path and a Rayleigh part at the same delay (K = 13.3 dB and 22 dB). The values
 *   were cross-checked against NVlabs/sionna's TR 38.901 model files (sionna/channel/tr38901/
 *   models/TDL-*.json) and, as a consistency check of the transcription, each table's normalized
 *   RMS delay spread is 1.00 (D: 0.994) and the K factors are the stated 13.3 and 22.0 dB
 *   (test/channels/tdl.test.ts).
 * Powers in dB relative to the strongest tap; normalized to a total of 1 when sampled.
 */
export interface PowerDelayProfile {
  readonly source: string;
  /** Tap delays: ns, or normalized delays (units of DS) when `normalized`. */
  readonly delaysNs: readonly number[];
  readonly powersDb: readonly number[];
  /** TR 38.901 TDL: delays are in units of the delay spread DS (multiply by ds in ns). */
  readonly normalized?: boolean;
  /** TR 38.901 TDL-D/E: the first tap (delay 0) is a specular LOS path (no fading). */
  readonly los?: boolean;
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
  'tdl-a': {
    source: '3GPP TR 38.901 Table 7.7.2-1, TDL-A (NLOS)',
    normalized: true,
    delaysNs: [0, 0.3819, 0.4025, 0.5868, 0.461, 0.5375, 0.6708, 0.575, 0.7618, 1.5375, 1.8978, 2.2242, 2.1718, 2.4942,
      2.5119, 3.0582, 4.081, 4.4579, 4.5695, 4.7966, 5.0066, 5.3043, 9.6586],
    powersDb: [-13.4, 0, -2.2, -4, -6, -8.2, -9.9, -10.5, -7.5, -15.9, -6.6, -16.7, -12.4, -15.2, -10.8, -11.3, -12.7,
      -16.2, -18.3, -18.9, -16.6, -19.9, -29.7],
  },
  'tdl-b': {
    source: '3GPP TR 38.901 Table 7.7.2-2, TDL-B (NLOS)',
    normalized: true,
    delaysNs: [0, 0.1072, 0.2155, 0.2095, 0.287, 0.2986, 0.3752, 0.5055, 0.3681, 0.3697, 0.57, 0.5283, 1.1021, 1.2756,
      1.5474, 1.7842, 2.0169, 2.8294, 3.0219, 3.6187, 4.1067, 4.279, 4.7834],
    powersDb: [0, -2.2, -4, -3.2, -9.8, -1.2, -3.4, -5.2, -7.6, -3, -8.9, -9, -4.8, -5.7, -7.5, -1.9, -7.6, -12.2, -9.8,
      -11.4, -14.9, -9.2, -11.3],
  },
  'tdl-c': {
    source: '3GPP TR 38.901 Table 7.7.2-3, TDL-C (NLOS)',
    normalized: true,
    delaysNs: [0, 0.2099, 0.2219, 0.2329, 0.2176, 0.6366, 0.6448, 0.656, 0.6584, 0.7935, 0.8213, 0.9336, 1.2285, 1.3083,
      2.1704, 2.7105, 4.2589, 4.6003, 5.4902, 5.6077, 6.3065, 6.6374, 7.0427, 8.6523],
    powersDb: [-4.4, -1.2, -3.5, -5.2, -2.5, 0, -2.2, -3.9, -7.4, -7.1, -10.7, -11.1, -5.1, -6.8, -8.7, -13.2, -13.9,
      -13.9, -15.8, -17.1, -16, -15.7, -21.6, -22.8],
  },
  'tdl-d': {
    source: '3GPP TR 38.901 Table 7.7.2-4, TDL-D (LOS, K = 13.3 dB)',
    normalized: true,
    los: true,
    // tap 1 twice: LOS path (-0.2 dB) and its Rayleigh part (-13.5 dB), both at delay 0
    delaysNs: [0, 0, 0.035, 0.612, 1.363, 1.405, 1.804, 2.596, 1.775, 4.042, 7.937, 9.424, 9.708, 12.525],
    powersDb: [-0.2, -13.5, -18.8, -21, -22.8, -17.9, -20.1, -21.9, -22.9, -27.8, -23.6, -24.8, -30, -27.7],
  },
  'tdl-e': {
    source: '3GPP TR 38.901 Table 7.7.2-5, TDL-E (LOS, K = 22 dB)',
    normalized: true,
    los: true,
    delaysNs: [0, 0, 0.5133, 0.544, 0.563, 0.544, 0.7112, 1.9092, 1.9293, 1.9589, 2.6426, 3.7136, 5.4524, 12.0034, 20.6519],
    powersDb: [-0.03, -22.03, -15.8, -18.1, -19.8, -22.9, -22.4, -18.6, -20.8, -22.6, -22.3, -25.6, -20.2, -29.8, -29.2],
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES);

/** TR 38.901 Table 7.7.3-1 example delay spreads (ns); 'nominal' (100 ns) is the default DS. */
export const TDL_DELAY_SPREADS_NS: Readonly<Record<string, number>> = {
  'very-short': 10, short: 30, nominal: 100, long: 300, 'very-long': 1000,
};
export const TDL_DEFAULT_DS_NS = 100;

/** Delays of a profile in ns: table delays, or normalized delays times ds (TR 38.901 7.7.3). */
export function profileDelaysNs(p: PowerDelayProfile, dsNs: number = TDL_DEFAULT_DS_NS): number[] {
  return p.normalized ? p.delaysNs.map((d) => d * dsNs) : [...p.delaysNs];
}

/** RMS delay spread of a power-delay profile (same units as the delays; powers in dB). */
export function rmsDelaySpread(delays: readonly number[], powersDb: readonly number[]): number {
  const w = powersDb.map((p) => Math.pow(10, p / 10));
  const total = w.reduce((a, b) => a + b, 0);
  const mean = w.reduce((a, x, i) => a + x * delays[i], 0) / total;
  const m2 = w.reduce((a, x, i) => a + x * delays[i] * delays[i], 0) / total;
  return Math.sqrt(Math.max(0, m2 - mean * mean));
}

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
