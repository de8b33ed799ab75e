/**
 * OFDM numerology defaults of the `ofdm-tdl` channel: 5G NR mu = 0 (TS 38.211 4.2 / 5.3.1),
 * subcarrier spacing 15 kHz, a 1024-point FFT (the sampling of a 10 MHz carrier: fs = 15.36 MHz,
 * sample time 65.1 ns) and the normal cyclic prefix N_CP = 144 * fft / 2048 = 72 samples
 * (4.69 us). Every shipped profile fits that CP at its nominal delay spread: the longest is
 * ITU-R Pedestrian B (3.7 us = 57 samples); TR 38.901 TDL-A..E at DS = 100 ns reach at most
 * 2.07 us (TDL-E, 32 samples) and all but TDL-E (6.2 us) still fit at DS = 300 ns.
 */
export const DEFAULT_SCS_HZ = 15e3;
export const DEFAULT_FFT = 1024;

/** NR normal cyclic prefix in samples for an FFT of `fft` points (144 / 2048 of the FFT). */
export function normalCp(fft: number): number {
  return Math.round((144 * fft) / 2048);
}

export interface Numerology {
  fft: number;
  cp: number;
  /** Sample rate in Hz (= fft * subcarrier spacing). */
  sampleRate: number;
  /** Subcarrier spacing in Hz. */
  scs: number;
}
