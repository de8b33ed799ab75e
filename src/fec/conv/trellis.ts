/**
 * The trellis of the industry-standard convolutional code: constraint length K = 7, generators
 * [133, 171] octal, rate 1/2 (IEEE 802.11-2020 17.3.5.6, Figure 17-8; also DVB-S, CCSDS).
 *
 * Register convention used everywhere in src/fec/conv: the 7-bit register is
 * `reg = (u << 6) | state`, where u is the current input bit (delay 0, bit 6) and `state` holds
 * the six previous inputs, the newest in bit 5 and the oldest (delay 6) in bit 0. A generator in
 * octal then masks the register directly: 133 = 1011011b taps delays 0, 2, 3, 5, 6 (output A) and
 * 171 = 1111001b taps delays 0, 1, 2, 3, 6 (output B). The next state is `reg >> 1`.
 */

export const CONSTRAINT_LENGTH = 7;
/** Memory (number of tail bits for zero termination). */
export const MEMORY = CONSTRAINT_LENGTH - 1;
export const NUM_STATES = 1 << MEMORY;
/** Generator of output A (first coded bit of each pair), octal 133. */
export const G_A = 0o133;
/** Generator of output B (second coded bit of each pair), octal 171. */
export const G_B = 0o171;

function parity(x: number): number {
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/** Output pair per register value: bit 1 = A, bit 0 = B (index tables built once). */
export const OUTPUT_AB: Uint8Array = (() => {
  const t = new Uint8Array(1 << CONSTRAINT_LENGTH);
  for (let reg = 0; reg < t.length; reg++) t[reg] = (parity(reg & G_A) << 1) | parity(reg & G_B);
  return t;
})();
