/**
 * Engine invariants: identical results for any worker count and for the same seed, stop rules,
 * and the coded path (a repetition code defined here, soft combining) against its closed form.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runBer, frameInterval, type BerPoint } from '../../src/sim/engine.js';
import { theoryBer } from '../../src/sim/theory.js';
import type { Code, DecodeResult } from '../../src/core/types.js';
import { wilson, clopperPearson } from '../../src/sim/stats.js';
import { qfunc } from '../../src/sim/special.js';

const strip = (rows: BerPoint[]) => rows.map(({ seconds: _s, ...r }) => r);

test('workers 1 and 3 give identical rows (deterministic stop on whole chunks)', async () => {
  const spec = { mod: '16qam', code: 'none', channel: 'rician', channelParams: { K: 2 }, demap: 'maxlog' as const };
  const opts = { snrDb: [4, 12, 40], minErrors: 300, maxBits: 600000, seed: 9 };
  const a = await runBer(spec, { ...opts, workers: 1 });
  const b = await runBer(spec, { ...opts, workers: 3 });
  assert.equal(strip(b.rows), strip(a.rows));
  assert.is(b.workers, 3);
  // the points really differ in how they stopped
  assert.equal(a.rows.map((r) => r.stop), ['min-errors', 'min-errors', 'max-bits']);
  assert.ok(a.rows[0].bitErrors >= 300 && a.rows[2].bits >= 600000);
});

test('same seed, same numbers; another seed, other numbers', async () => {
  const spec = { mod: 'qpsk', code: 'none', channel: 'awgn', channelParams: {}, demap: 'exact' as const };
  const run = (seed: number) => runBer(spec, { snrDb: [2, 5], minErrors: 200, seed, workers: 1 });
  assert.equal(strip((await run(5)).rows), strip((await run(5)).rows));
  assert.not.equal(strip((await run(5)).rows).map((r) => r.bitErrors), strip((await run(6)).rows).map((r) => r.bitErrors));
});

test('max-bits stop: a point with few errors stops at the bit budget (whole frames)', async () => {
  const run = await runBer({ mod: 'bpsk', code: 'none', channel: 'awgn', channelParams: {}, demap: 'exact' },
    { snrDb: [12], minErrors: 100, maxBits: 50000, workers: 1 });
  const r = run.rows[0];
  assert.is(r.stop, 'max-bits');
  assert.is(r.bits, Math.ceil(50000 / run.frameBits) * run.frameBits);
  assert.ok(r.bitErrors < 100);
  assert.ok(r.ci95[0] === 0 && r.ci95[1] > 0);
});

/** Rate-1/3 repetition code with soft combining: each info bit sent 3 times, LLRs summed. */
class Repetition3 implements Code {
  readonly name = 'rep3';
  readonly n: number;
  readonly rate: number;
  constructor(readonly k: number) {
    this.n = 3 * k;
    this.rate = 1 / 3;
  }
  encode(bits: Uint8Array, out = new Uint8Array(this.n)): Uint8Array {
    for (let i = 0; i < this.k; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = bits[i];
    return out;
  }
  decode(llr: Float32Array): DecodeResult {
    if (llr.length !== this.n) throw new Error(`rep3: ${llr.length} LLRs for n = ${this.n}`);
    const bits = new Uint8Array(this.k);
    for (let i = 0; i < this.k; i++) bits[i] = llr[3 * i] + llr[3 * i + 1] + llr[3 * i + 2] < 0 ? 1 : 0;
    return { bits, ok: true, iterations: 1 };
  }
}

test('coded path: repetition-3 soft combining gives BER = Q(sqrt(2 Eb/N0)) with padding, Eb/N0 by the code rate', async () => {
  // k = 33: n = 99 code bits, padded to 100 for QPSK and 100 for 16-QAM (4 bits/symbol).
  for (const mod of ['bpsk', 'qpsk']) {
    const code = new Repetition3(33);
    const run = await runBer({ mod, code: 'rep3', channel: 'awgn', channelParams: {}, demap: 'exact' },
      { snrDb: [-2, 1], minErrors: 2000, seed: 4, workers: 1 }, code);
    const m = mod === 'bpsk' ? 1 : 2;
    assert.is(run.txBits, Math.ceil(99 / m) * m);
    for (const r of run.rows) {
      assert.ok(Math.abs(r.ebn0Db - (r.snrDb - 10 * Math.log10(m / 3))) < 1e-6, `Eb/N0 ${r.ebn0Db}`);
      const ebn0 = 10 ** (r.ebn0Db / 10);
      const p = qfunc(Math.sqrt(2 * ebn0));
      const [lo, hi] = wilson(r.bitErrors, r.bits, 3.2905);
      assert.ok(p >= lo && p <= hi, `${mod} ${r.snrDb} dB: theory ${p} outside [${lo}, ${hi}]`);
      // block errors: a block of 33 independent bits fails with 1 - (1 - p)^33
      const pb = 1 - (1 - p) ** 33;
      const [blo, bhi] = wilson(r.blockErrors, r.blocks, 3.2905);
      assert.ok(pb >= blo && pb <= bhi, `${mod} BLER theory ${pb} outside [${blo}, ${bhi}]`);
      assert.is(r.bits, r.blocks * 33);
    }
  }
});

test('min-block-errors stops on block errors', async () => {
  const run = await runBer({ mod: 'bpsk', code: 'rep3', channel: 'awgn', channelParams: {}, demap: 'exact' },
    { snrDb: [0], minErrors: 1, minBlockErrors: 500, seed: 2, workers: 1 }, new Repetition3(20));
  assert.is(run.rows[0].stop, 'min-block-errors');
  assert.ok(run.rows[0].blockErrors >= 500);
});

test('a Code object with workers > 1 is refused (workers rebuild codes from a SPEC)', async () => {
  try {
    await runBer({ mod: 'bpsk', code: 'rep3', channel: 'awgn', channelParams: {}, demap: 'exact' }, { snrDb: [0], workers: 2 }, new Repetition3(4));
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /in-process/);
  }
});

test('ci: clopper-pearson rows carry the exact interval, wilson by default', async () => {
  const spec = { mod: 'qpsk', code: 'none', channel: 'awgn', channelParams: {}, demap: 'exact' as const };
  const [w] = (await runBer(spec, { snrDb: [6], minErrors: 50, workers: 1 })).rows;
  const [c] = (await runBer(spec, { snrDb: [6], minErrors: 50, workers: 1, ci: 'clopper-pearson' })).rows;
  assert.equal(w.ci95, wilson(w.bitErrors, w.bits));
  assert.equal(c.ci95, clopperPearson(c.bitErrors, c.bits));
  assert.equal(c.blerCi95, clopperPearson(c.blockErrors, c.blocks));
  assert.ok(c.ci95[1] - c.ci95[0] > w.ci95[1] - w.ci95[0], 'Clopper-Pearson is the wider (conservative) one');
});

test('frame-level interval: hand-computed case, and it covers theory under block fading where Wilson cannot', async () => {
  // 4 frames of 10 bits with 0, 2, 4, 2 errors: p = 0.2, between-frame variance (24 - 4 * 2^2) / 3 = 8/3,
  // half-width 1.96 * sqrt(8/3 / 4) / 10 = 0.160033
  const [lo, hi] = frameInterval({ bitErrors: 8, bits: 40, blockErrors: 3, blocks: 4, frameErrorsSq: 24 });
  assert.ok(Math.abs(lo - 0.039967) < 1e-6 && Math.abs(hi - 0.360033) < 1e-6, `${lo} ${hi}`);
  const run = await runBer({ mod: 'bpsk', code: 'none', channel: 'rayleigh-block', channelParams: {}, demap: 'exact' },
    { snrDb: [10], minErrors: 2000, seed: 1, workers: 1 });
  const r = run.rows[0];
  const th = theoryBer(1, 10, 'rayleigh');
  assert.ok(r.blocks >= 100, `${r.blocks} frames`);
  assert.ok(r.ci95Frames[0] <= th && th <= r.ci95Frames[1], `frame CI [${r.ci95Frames}] vs ${th}`);
  // one h per 1024-bit frame: the frame interval is much wider than the independent-bit one
  assert.ok(r.ci95Frames[1] - r.ci95Frames[0] > 4 * (r.ci95[1] - r.ci95[0]));
});

test.run();
