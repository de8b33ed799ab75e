/**
 * Encoder of the K=7 [133, 171] rate-1/2 mother code (register convention in trellis.ts).
 */
import { MEMORY, OUTPUT_AB } from './trellis.js';

/**
 * Kernel: encode `steps` trellis steps starting from the zero state. Input bit t is bits[t] for
 * t < k and 0 afterwards (the zero tail when steps = k + MEMORY). Writes A_t to mother[2t] and
 * B_t to mother[2t + 1]. Returns the final state.
 */
export function encodeMother(bits: Uint8Array, k: number, steps: number, mother: Uint8Array): number {
  let state = 0;
  for (let t = 0; t < steps; t++) {
    const reg = t < k ? (bits[t] << MEMORY) | state : state;
    const ab = OUTPUT_AB[reg];
    mother[2 * t] = ab >> 1;
    mother[2 * t + 1] = ab & 1;
    state = reg >> 1;
  }
  return state;
}
