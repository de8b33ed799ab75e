/**
 * Monte-Carlo BER/BLER engine. Each SNR point runs chunks of frames; chunk c of point p draws
 * everything from rng.split(p, c), and the stop rule is applied to whole chunks in chunk order,
 * so the result (and the stop point) is bit-identical for any number of workers.
 *
 * Chunk sizes grow (about 16 kbit, doubling to about 256 kbit of information bits) so that
 * low-SNR points stop quickly and high-SNR points run long chunks. Stop when bit errors reach
 * minErrors (or block errors reach minBlockErrors, when given), or when maxBits information bits
 * have been simulated.
 */
import os from 'node:os';
import type { Code } from '../core/types.js';
import { ebn0FromSnrDb } from '../core/types.js';
import { Rng } from '../core/rng.js';
import { buildChain, type Chain, type ChainSpec, type ChunkCounts } from './chain.js';
import { WorkerPool } from './pool.js';
import { clopperPearson, wilson } from './stats.js';
import { theoryBer, type TheoryChannel } from './theory.js';
import { FlatFadingChannel } from '../../channels/flat-fading.js';
import { OfdmTdlChannel } from '../../channels/ofdm-tdl.js';

export type StopReason = 'min-errors' | 'min-block-errors' | 'max-bits' | 'max-seconds';

export interface BerOptions {
  /** Es/N0 points in dB. */
  snrDb: number[];
  /** Stop a point at this many bit errors (default 100). */
  minErrors?: number;
  /** When given, stop on block errors instead of bit errors. */
  minBlockErrors?: number;
  /** Stop a point after this many information bits (default 1e8). */
  maxBits?: number;
  seed?: number;
  /** Worker threads (default os.availableParallelism()); 1 runs in this thread. */
  workers?: number;
  /** Interval for ci95 / blerCi95: 'wilson' (default) or 'clopper-pearson' (exact, conservative). */
  ci?: CiMethod;
  /** Wall-clock cap per point in seconds (checked after each committed chunk; not reproducible). */
  maxSeconds?: number;
  /** Stop the sweep after the first point with no bit and no block error (Sionna's early_stop). */
  stopAtZero?: boolean;
  /**
   * Run only these point indexes (a resumed sweep): each keeps the random streams of its index in
   * snrDb, so the numbers equal those of an uninterrupted run. Default: all.
   */
  only?: readonly number[];
  /** After every committed chunk (progress). */
  onChunk?: (point: number, counts: ChunkCounts) => void;
  /** When a point is final, in point order. */
  onPoint?: (row: BerPoint, point: number) => void;
}

export type CiMethod = 'wilson' | 'clopper-pearson';
export const CI_METHODS: readonly CiMethod[] = ['wilson', 'clopper-pearson'];

export const DEFAULT_MIN_ERRORS = 100;
export const DEFAULT_MAX_BITS = 1e8;

export interface BerPoint {
  snrDb: number;
  ebn0Db: number;
  ber: number;
  /** 95% interval of the BER (Wilson or Clopper-Pearson; bits treated as independent). */
  ci95: [number, number];
  /**
   * 95% interval with frames (codewords) as the independent units: normal approximation with the
   * between-frame variance of the error count. Use it when bit errors are correlated within a
   * frame (block fading, multi-bit symbols, decoding); it needs many frames (>= 30) to hold.
   */
  ci95Frames: [number, number];
  bitErrors: number;
  bits: number;
  blocks: number;
  blockErrors: number;
  /** Block error rate and its 95% interval (blocks = codewords; uncoded: frames). */
  bler: number;
  blerCi95: [number, number];
  stop: StopReason;
  chunks: number;
  seconds: number;
  /** Closed-form BER (uncoded on AWGN / Rayleigh / Rician-like channels), else undefined. */
  theoryBer?: number;
  /** Which closed form: 'awgn', 'rayleigh' or 'rician K=...'. */
  theory?: string;
}

export interface BerRun {
  rows: BerPoint[];
  frameBits: number;
  txBits: number;
  rate: number;
  bitsPerSymbol: number;
  workers: number;
  theory?: string;
}

export interface TheoryModel {
  channel: TheoryChannel;
  K?: number;
  /** 'awgn', 'rayleigh' or 'rician K=3'. */
  label: string;
}

/** Which closed form applies to an uncoded chain, if any. */
export function theoryModel(chain: Chain): TheoryModel | undefined {
  if (chain.code) return undefined;
  const ch = chain.channel;
  const awgn: TheoryModel = { channel: 'awgn', label: 'awgn' };
  const rayleigh: TheoryModel = { channel: 'rayleigh', label: 'rayleigh' };
  if (ch.name === 'awgn') return awgn;
  if (ch instanceof FlatFadingChannel) {
    const K = ch.options.K;
    return K === 0 ? rayleigh : { channel: 'rician', K, label: `rician K=${Math.round(K * 1e4) / 1e4}` };
  }
  if (ch instanceof OfdmTdlChannel && ch.isiFree) {
    // Every subcarrier sees H_k ~ CN(0, 1) (Rayleigh taps) or |H_k| = 1 (one static tap).
    if (ch.fading === 'rayleigh') return rayleigh;
    if (ch.delays.length === 1) return awgn;
  }
  return undefined;
}

/** Frames in chunk c (before truncation at maxFrames). */
export function chunkFrames(c: number, frameBits: number): number {
  const base = Math.max(1, Math.ceil(16384 / frameBits));
  const cap = Math.max(base, Math.ceil(262144 / frameBits));
  return c >= 20 ? cap : Math.min(cap, base * 2 ** c);
}

interface PointState {
  index: number;
  snrDb: number;
  nextChunk: number;
  framesDispatched: number;
  allDispatched: boolean;
  committed: number;
  pending: Map<number, ChunkCounts>;
  totals: ChunkCounts;
  done: boolean;
  stop?: StopReason;
  t0: number;
  row?: BerPoint;
}

export async function runBer(spec: ChainSpec, opts: BerOptions, code?: Code | null): Promise<BerRun> {
  const minErrors = opts.minErrors ?? DEFAULT_MIN_ERRORS;
  const minBlockErrors = opts.minBlockErrors;
  const maxBits = opts.maxBits ?? DEFAULT_MAX_BITS;
  const seed = opts.seed ?? 1;
  const workers = Math.max(1, Math.floor(opts.workers ?? os.availableParallelism()));
  if (code && workers > 1) throw new Error('runBer: a Code object runs in-process only (workers = 1); pass a code SPEC for workers');
  const chain = await buildChain(spec, code);
  const m = chain.modem.bitsPerSymbol;
  const frameBits = chain.frameBits;
  const maxFrames = Math.max(1, Math.ceil(maxBits / frameBits));
  const theory = theoryModel(chain);

  const only = opts.only ? new Set(opts.only) : undefined;
  const states: PointState[] = opts.snrDb.map((snrDb, index) => ({
    index, snrDb, nextChunk: 0, framesDispatched: 0, allDispatched: false, committed: 0,
    pending: new Map(), totals: { bitErrors: 0, bits: 0, blockErrors: 0, blocks: 0, frameErrorsSq: 0 }, done: false, t0: 0,
  })).filter((st) => !only || only.has(st.index));
  let emitted = 0;
  const emit = (): void => {
    while (emitted < states.length && states[emitted].done) {
      const st = states[emitted];
      emitted++;
      if (!st.row) continue; // skipped after an error-free point (stopAtZero)
      opts.onPoint?.(st.row, st.index);
      if (opts.stopAtZero && st.row.bitErrors === 0 && st.row.blockErrors === 0) {
        for (const later of states.slice(emitted)) { later.done = true; later.allDispatched = true; }
      }
    }
  };

  const nextTask = (st: PointState): { chunk: number; frames: number } => {
    const chunk = st.nextChunk++;
    const frames = Math.min(chunkFrames(chunk, frameBits), maxFrames - st.framesDispatched);
    st.framesDispatched += frames;
    if (st.framesDispatched >= maxFrames) st.allDispatched = true;
    return { chunk, frames };
  };

  const commit = (st: PointState, chunk: number, counts: ChunkCounts): void => {
    if (st.done) return; // a speculative chunk past the stop point: discarded
    st.pending.set(chunk, counts);
    while (!st.done && st.pending.has(st.committed)) {
      const c = st.pending.get(st.committed) as ChunkCounts;
      st.pending.delete(st.committed);
      st.committed++;
      const t = st.totals;
      t.bitErrors += c.bitErrors;
      t.bits += c.bits;
      t.blockErrors += c.blockErrors;
      t.blocks += c.blocks;
      t.frameErrorsSq += c.frameErrorsSq;
      opts.onChunk?.(st.index, { ...t });
      if (minBlockErrors !== undefined ? t.blockErrors >= minBlockErrors : t.bitErrors >= minErrors) {
        st.stop = minBlockErrors !== undefined ? 'min-block-errors' : 'min-errors';
      } else if (t.blocks >= maxFrames) {
        st.stop = 'max-bits';
      } else if (opts.maxSeconds !== undefined && (performance.now() - st.t0) / 1000 >= opts.maxSeconds) {
        st.stop = 'max-seconds';
      }
      if (st.stop) {
        st.done = true;
        st.row = makeRow(st, chain.rate, m, theory, opts.ci ?? 'wilson');
      }
    }
  };

  if (workers === 1) {
    const root = new Rng(seed);
    for (const st of states) {
      if (st.done) continue; // skipped (stopAtZero)
      st.t0 = performance.now();
      while (!st.done) {
        const { chunk, frames } = nextTask(st);
        commit(st, chunk, chain.run(st.snrDb, frames, root.split(st.index, chunk)));
      }
      emit();
    }
  } else {
    const pool = new WorkerPool(workers, spec, seed);
    try {
      await new Promise<void>((resolve, reject) => {
        let failed = false;
        const pump = (): void => {
          if (failed) return;
          while (pool.hasIdle) {
            const st = states.find((s) => !s.done && !s.allDispatched);
            if (!st) break;
            if (st.nextChunk === 0) st.t0 = performance.now();
            const { chunk, frames } = nextTask(st);
            pool.run({ point: st.index, chunk, snrDb: st.snrDb, frames }).then((counts) => {
              commit(st, chunk, counts);
              emit();
              if (states.every((s) => s.done)) resolve();
              else pump();
            }, (e: Error) => {
              failed = true;
              reject(e);
            });
          }
        };
        if (states.length === 0) resolve();
        else pump();
      });
    } finally {
      await pool.close();
    }
  }
  emit();
  return {
    rows: states.filter((s) => s.row).map((s) => s.row as BerPoint), frameBits, txBits: chain.txBits, rate: chain.rate,
    bitsPerSymbol: m, workers, theory: theory?.label,
  };
}

function makeRow(st: PointState, rate: number, m: number, theory: TheoryModel | undefined, ci: CiMethod): BerPoint {
  const t = st.totals;
  const interval = ci === 'clopper-pearson' ? clopperPearson : wilson;
  const row: BerPoint = {
    snrDb: st.snrDb,
    ebn0Db: round(ebn0FromSnrDb(st.snrDb, rate, m)),
    ber: t.bits ? t.bitErrors / t.bits : NaN,
    ci95: interval(t.bitErrors, t.bits),
    ci95Frames: frameInterval(t),
    bitErrors: t.bitErrors,
    bits: t.bits,
    blocks: t.blocks,
    blockErrors: t.blockErrors,
    bler: t.blocks ? t.blockErrors / t.blocks : NaN,
    blerCi95: interval(t.blockErrors, t.blocks),
    stop: st.stop as StopReason,
    chunks: st.committed,
    seconds: round((performance.now() - st.t0) / 1000),
  };
  if (theory) {
    row.theory = theory.label;
    row.theoryBer = theoryBer(m, st.snrDb, theory.channel, theory.K);
  }
  return row;
}

/** Normal-approximation 95% interval of the BER over F equal frames of n bits (cluster form). */
export function frameInterval(t: ChunkCounts, z = 1.96): [number, number] {
  const F = t.blocks;
  if (F < 2 || t.bits === 0) return [0, 1];
  const n = t.bits / F;
  const p = t.bitErrors / t.bits;
  const mean = p * n; // errors per frame
  const varFrame = Math.max(0, (t.frameErrorsSq - F * mean * mean) / (F - 1));
  const half = (z * Math.sqrt(varFrame / F)) / n;
  return [Math.max(0, p - half), Math.min(1, p + half)];
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
