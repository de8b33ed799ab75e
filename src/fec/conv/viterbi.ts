/**
 * Soft-input Viterbi decoder for the K=7 [133, 171] mother code, zero-tail terminated.
 *
 * Input: one LLR per mother-code bit (positive = bit 0; a punctured position is 0, an erasure).
 * The path metric is the correlation sum((1 - 2c) * llr), maximized: the exact ML sequence
 * metric on AWGN, invariant to a positive scaling of the LLRs. That invariance lets the kernel
 * run on int32: each block's LLRs are scaled so that their typical magnitude is QUNIT (1/1024
 * of it is the resolution, far finer than any loss that matters) and clipped at QMAX. Metrics
 * then wrap around freely: every comparison is on a difference, and the spread of the 64 metrics
 * stays below 2^31 (any state is reached from the best one in 6 steps, so the spread is at most
 * 6 * 4 * QMAX = 1.5 * 2^28). Integer add-compare-select is branch-free (sign bits); it runs
 * in WebAssembly SIMD (kernel/acs.wat, four butterflies per instruction) where available and
 * in plain JS (acs() below) otherwise, with identical decisions. The 64 decisions of a step are
 * packed in two 32-bit words and the traceback starts from state 0 (the tail forces it).
 */
import { MEMORY, NUM_STATES, OUTPUT_AB } from './trellis.js';
import { WasmAcs, wasmAcsAvailable } from './kernel/acs-kernel.js';
import { UsageError } from '../../core/errors.js';

/** 'wasm': WebAssembly SIMD (kernel/acs.wat); 'js': acs() below; 'auto': wasm where available. */
export type AcsKernel = 'auto' | 'js' | 'wasm';

/** Typical |LLR| of a block after quantization (the resolution is 1 / QUNIT of it). */
export const QUNIT = 1024;
/** Largest quantized |LLR| (16384 times the block's typical value). */
export const QMAX = 1 << 24;
/** LLRs sampled to find the block's typical magnitude. */
const SAMPLE = 63;
/** Metric of the states the encoder cannot be in at the start. */
export const UNREACHABLE = -(1 << 29);
const HALF = NUM_STATES / 2;

/**
 * Butterfly j joins predecessors 2j, 2j+1 to successors j (input 0) and j + 32 (input 1). Both
 * generators tap delays 0 and 6, so its four branches carry +m, -m, -m, +m, where m is the metric
 * of the branch 2j -> j; BUTTERFLY_AB[j] holds that branch's outputs (bit 1 = A, bit 0 = B).
 */
export const BUTTERFLY_AB: Uint8Array = (() => {
  const t = new Uint8Array(HALF);
  for (let j = 0; j < HALF; j++) t[j] = OUTPUT_AB[2 * j]; // register (u = 0, state 2j)
  return t;
})();

/** Reusable decoder for blocks of up to `maxSteps` trellis steps (k + MEMORY); no allocation per call. */
export class ViterbiDecoder {
  readonly maxSteps: number;
  /** The add-compare-select in use. */
  readonly kernel: 'js' | 'wasm';
  /** Quantized mother-code LLRs (2 per step); positions never loaded stay 0 (erasures). */
  readonly input: Int32Array;
  private readonly metrics = new Int32Array(2 * NUM_STATES);
  private readonly branch = new Int32Array(4);
  private readonly decisions: Uint32Array;
  private readonly sample = new Float64Array(SAMPLE);
  private readonly wasm: WasmAcs | null;

  constructor(maxSteps: number, kernel: AcsKernel = 'auto') {
    if (!Number.isSafeInteger(maxSteps) || maxSteps <= MEMORY) {
      throw new UsageError(`Viterbi maxSteps ${maxSteps} is not allowed: use an integer > ${MEMORY}`);
    }
    if (kernel !== 'auto' && kernel !== 'js' && kernel !== 'wasm') {
      throw new UsageError(`Viterbi kernel ${JSON.stringify(kernel)} is not allowed: use auto, js, wasm`);
    }
    if (kernel === 'wasm' && !wasmAcsAvailable()) throw new UsageError('Viterbi kernel "wasm" needs WebAssembly SIMD');
    this.maxSteps = maxSteps;
    const useWasm = kernel === 'wasm' || (kernel === 'auto' && wasmAcsAvailable());
    this.wasm = useWasm ? new WasmAcs(maxSteps, BUTTERFLY_AB, UNREACHABLE) : null;
    this.kernel = this.wasm ? 'wasm' : 'js';
    this.input = this.wasm ? this.wasm.llr : new Int32Array(2 * maxSteps);
    this.decisions = this.wasm ? this.wasm.decisions : new Uint32Array(2 * maxSteps);
  }

  /**
   * Quantize channel LLRs into `input`: llr[i] goes to mother position positions[i]. The scale
   * maps the block's typical |LLR| (median of a strided sample, robust to a few enormous values)
   * to QUNIT, truncated toward zero; values beyond QMAX (16384 times typical) are clipped, NaN
   * reads as 0 (an erasure) and +-Infinity as +-QMAX.
   */
  load(llr: ArrayLike<number>, positions: Int32Array): void {
    const n = positions.length;
    const scale = this.scaleFor(llr, n);
    const q = this.input;
    for (let i = 0; i < n; i++) {
      const v = llr[i] * scale;
      // The Int32Array store truncates toward zero and turns NaN into 0.
      q[positions[i]] = v > QMAX ? QMAX : v < -QMAX ? -QMAX : v;
    }
  }

  private scaleFor(llr: ArrayLike<number>, n: number): number {
    const m = Math.min(SAMPLE, n);
    const s = this.sample;
    for (let j = 0; j < m; j++) {
      const a = Math.abs(llr[Math.floor((j * n) / m)]);
      // Insertion sort of |llr| (NaN as 0): m <= 63, cheap next to the trellis.
      let i = j;
      const v = a === a ? a : 0;
      while (i > 0 && s[i - 1] > v) {
        s[i] = s[i - 1];
        i--;
      }
      s[i] = v;
    }
    let ref = m > 0 ? s[m >> 1] : 0;
    if (!(ref > 0 && ref < Infinity)) {
      // Mostly zeros or infinities: fall back to the mean of the finite values.
      let sum = 0;
      let finite = 0;
      for (let i = 0; i < n; i++) {
        const a = Math.abs(llr[i]);
        if (a < Infinity) {
          sum += a;
          finite++;
        }
      }
      ref = sum > 0 ? sum / finite : 0;
    }
    return ref > 0 ? QUNIT / ref : 1;
  }

  /** Decode `steps` trellis steps of `input` ending in state 0; writes the first k inputs to out. */
  decode(steps: number, k: number, out: Uint8Array): void {
    if (!(steps > MEMORY && steps <= this.maxSteps && k <= steps && out.length >= k)) {
      throw new RangeError(`ViterbiDecoder: steps ${steps}, k ${k}, out ${out.length} do not fit maxSteps ${this.maxSteps}`);
    }
    if (this.wasm) this.wasm.run(steps);
    else acs(this.input, steps, this.metrics, this.branch, this.decisions);
    traceback(this.decisions, steps, k, out);
  }
}

/**
 * Forward pass. metrics holds two banks of 64 (current, next), swapped each step. For butterfly
 * j with predecessor metrics p0, p1 and d = p1 - p0, successor j takes max(p0 + m, p1 - m) =
 * p0 + m - min(2m - d, 0) and its decision is the sign of 2m - d; successor j + 32 likewise
 * with -m.
 */
export function acs(llr: Int32Array, steps: number, pm: Int32Array, bm: Int32Array, dec: Uint32Array): void {
  pm.fill(UNREACHABLE, 0, NUM_STATES);
  pm[0] = 0;
  let co = 0;
  let no = NUM_STATES;
  const ab = BUTTERFLY_AB;
  for (let t = 0; t < steps; t++) {
    const la = llr[2 * t];
    const lb = llr[2 * t + 1];
    // Metric of a branch with outputs (A, B), indexed (A << 1) | B.
    bm[0] = (la + lb) | 0;
    bm[1] = (la - lb) | 0;
    bm[2] = (lb - la) | 0;
    bm[3] = (-la - lb) | 0;
    let w0 = 0;
    let w1 = 0;
    for (let j = 0; j < HALF; j++) {
      const m = bm[ab[j]];
      const p0 = pm[co + 2 * j];
      const p1 = pm[co + 2 * j + 1];
      const d = (p1 - p0) | 0;
      const ta = (2 * m - d) | 0; // < 0 iff p1 - m > p0 + m
      const tb = (-2 * m - d) | 0; // < 0 iff p1 + m > p0 - m
      pm[no + j] = (p0 + m - (ta & (ta >> 31))) | 0;
      pm[no + j + HALF] = (p0 - m - (tb & (tb >> 31))) | 0;
      w0 |= (ta >>> 31) << j;
      w1 |= (tb >>> 31) << j;
    }
    dec[2 * t] = w0;
    dec[2 * t + 1] = w1;
    const tmp = co;
    co = no;
    no = tmp;
  }
}

/** Backward pass from state 0: the input at step t is the newest bit (bit 5) of the state after it. */
export function traceback(dec: Uint32Array, steps: number, k: number, out: Uint8Array): void {
  let s = 0;
  for (let t = steps - 1; t >= 0; t--) {
    const x = (dec[2 * t + (s >>> 5)] >>> (s & 31)) & 1;
    if (t < k) out[t] = s >>> 5;
    s = ((s & 31) << 1) | x;
  }
}
