/**
 * Benchmark harness: each area exports `benchmarks: Bench[]` from `bench/<area>.bench.ts`;
 * `npm run bench` runs them all and writes BENCHMARKS.md (command, machine, medians).
 */
export interface Bench {
  /** What is measured, e.g. "LDPC 802.11n N=1944 R=1/2 decode, 10 it, no early stop". */
  name: string;
  /** The rate's unit, e.g. "Mbit/s", "symbols/s", "images/s". */
  unit: string;
  /** Optional goal, e.g. ">= 30 Mbit/s on one core". */
  goal?: string;
  /** Prepare buffers once (not timed). */
  setup?: () => void | Promise<void>;
  /** One timed run; returns the amount of work done, in the unit's numerator (bits, symbols, ...). */
  run: () => number | Promise<number>;
  /** Scale for the reported rate: 1e6 for Mbit/s from bits. Default 1. */
  scale?: number;
  /** Timed repetitions (median reported). Default 5. */
  repeats?: number;
}

export interface BenchResult {
  name: string;
  unit: string;
  goal?: string;
  median: number;
  min: number;
  max: number;
  repeats: number;
}

export async function runBench(b: Bench): Promise<BenchResult> {
  if (b.setup) await b.setup();
  await b.run(); // warm-up (JIT, caches)
  const rates: number[] = [];
  const repeats = b.repeats ?? 5;
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    const work = await b.run();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(work / s / (b.scale ?? 1));
  }
  rates.sort((x, y) => x - y);
  return {
    name: b.name, unit: b.unit, goal: b.goal,
    median: rates[Math.floor(rates.length / 2)], min: rates[0], max: rates[rates.length - 1], repeats,
  };
}
