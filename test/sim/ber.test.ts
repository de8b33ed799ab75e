/**
 * Monte-Carlo BER against the closed forms (src/sim/theory.ts) and against AFF3CT's published
 * uncoded curves (aff3ct/error_rate_references, commit 021a9e0, read from
 * fixtures/reference/aff3ct-curves). Each point runs to >= 2000 bit errors; the closed form must
 * lie inside the Wilson 99.9% interval (z = 3.29) of the measured BER, and our BER must agree
 * with AFF3CT's by a two-proportion z-test at 99.9%.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { referencePath } from '../reference.js';
import { runBer } from '../../src/sim/engine.js';
import { wilson } from '../../src/sim/stats.js';
import { theoryBer } from '../../src/sim/theory.js';
import type { DemapMethod } from '../../src/core/types.js';

const Z999 = 3.2905;

async function measure(mod: string, channel: string, snrDb: number[], demap: DemapMethod, seed = 1) {
  const run = await runBer({ mod, code: 'none', channel, channelParams: {}, demap }, { snrDb, minErrors: 2000, maxBits: 2e7, seed, workers: 1 });
  return run.rows;
}

const cases: [string, number, number[]][] = [
  ['bpsk', 1, [0, 4, 7]],
  ['qpsk', 2, [3, 7, 10]],
  ['16qam', 4, [6, 10, 14]],
  ['64qam', 6, [10, 15, 20]],
  ['256qam', 8, [16, 21, 25]],
];

test('uncoded AWGN: BPSK, QPSK, 16/64/256-QAM Gray BER matches Cho-Yoon within the 99.9% CI', async () => {
  for (const [mod, bps, snrs] of cases) {
    for (const demap of ['exact', 'maxlog'] as const) {
      for (const r of await measure(mod, 'awgn', snrs, demap)) {
        assert.ok(r.bitErrors >= 2000, `${mod} ${r.snrDb} dB: only ${r.bitErrors} errors`);
        const [lo, hi] = wilson(r.bitErrors, r.bits, Z999);
        const th = theoryBer(bps, r.snrDb);
        assert.ok(th >= lo && th <= hi, `${mod} ${demap} ${r.snrDb} dB: theory ${th} outside [${lo}, ${hi}] (BER ${r.ber})`);
        assert.is(r.theoryBer, th);
      }
    }
  }
});

test('uncoded Rayleigh (fast, and block fading over 8 symbols): BPSK and 16-QAM match the closed form', async () => {
  for (const block of [1, 8]) {
    for (const [mod, bps, snrs] of [['bpsk', 1, [0, 10, 20]], ['16qam', 4, [10, 20]]] as const) {
      const run = await runBer({ mod, code: 'none', channel: 'rayleigh', channelParams: { block }, demap: 'exact' },
        { snrDb: [...snrs], minErrors: 2000 * block, maxBits: 4e7, seed: 3, workers: 1 });
      for (const r of run.rows) {
        const th = theoryBer(bps, r.snrDb, 'rayleigh');
        // With one h per `block` symbols the bits of a block are not independent: the interval
        // is computed over block*bitsPerSymbol-bit units (a conservative design effect).
        const unit = block * bps;
        const [lo, hi] = block === 1 ? wilson(r.bitErrors, r.bits, Z999) : wilson(Math.round(r.bitErrors / unit), Math.floor(r.bits / unit), Z999);
        assert.ok(th >= lo && th <= hi, `rayleigh block=${block} ${mod} ${r.snrDb} dB: theory ${th} outside [${lo}, ${hi}] (BER ${r.ber})`);
      }
    }
  }
});

test('uncoded Rician K = 4 (fast fading): BPSK and 16-QAM match the Craig/MGF closed form within the 99.9% CI', async () => {
  for (const [mod, bps, snrs] of [['bpsk', 1, [4, 10]], ['16qam', 4, [12, 18]]] as const) {
    const run = await runBer({ mod, code: 'none', channel: 'rician', channelParams: { K: 4 }, demap: 'exact' },
      { snrDb: [...snrs], minErrors: 2000, maxBits: 4e7, seed: 5, workers: 1 });
    assert.is(run.theory, 'rician K=4');
    for (const r of run.rows) {
      const th = theoryBer(bps, r.snrDb, 'rician', 4);
      const [lo, hi] = wilson(r.bitErrors, r.bits, Z999);
      assert.ok(th >= lo && th <= hi, `rician ${mod} ${r.snrDb} dB: theory ${th} outside [${lo}, ${hi}] (BER ${r.ber})`);
      assert.is(r.theoryBer, th);
    }
  }
});

const aff3ctDir = referencePath('aff3ct-curves');

/** AFF3CT trace rows: Es/N0, Eb/N0, frames, bit errors (K = 4003 bits per frame). */
function aff3ct(file: string): { esn0: number; ebn0: number; bits: number; errors: number }[] {
  const rows = [];
  for (const line of readFileSync(path.join(aff3ctDir, file), 'utf8').split('\n')) {
    const m = /^\s*(-?[\d.]+)\s*\|\s*(-?[\d.]+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|/.exec(line);
    if (m) rows.push({ esn0: Number(m[1]), ebn0: Number(m[2]), bits: Number(m[3]) * 4003, errors: Number(m[4]) });
  }
  return rows;
}

test('agrees with AFF3CT uncoded curves (BPSK, QPSK, 16/64-QAM max-log on AWGN; BPSK on Rayleigh)', async () => {
  const picks: [string, string, string, number][] = [
    ['UNCODED_AWGN_PSK_Uncoded_K4003_BPSK.txt', 'bpsk', 'awgn', 4],
    ['UNCODED_AWGN_QAM_Uncoded_K4003_QAM_max_bps2.txt', 'qpsk', 'awgn', 4],
    ['UNCODED_AWGN_QAM_Uncoded_K4003_QAM_max_bps4.txt', '16qam', 'awgn', 8],
    ['UNCODED_AWGN_QAM_Uncoded_K4003_QAM_max_bps6.txt', '64qam', 'awgn', 12],
    ['UNCODED_RAYLEIGH_PSK_Uncoded_K4003_BPSK.txt', 'bpsk', 'rayleigh', 8],
  ];
  for (const [file, mod, channel, ebn0] of picks) {
    const ref = aff3ct(file).find((r) => Math.abs(r.ebn0 - ebn0) < 1e-9);
    assert.ok(ref, `${file}: no row at Eb/N0 ${ebn0}`);
    const [ours] = await measure(mod, channel, [ref.esn0], 'maxlog', 7);
    assert.ok(Math.abs(ours.ebn0Db - ebn0) < 0.006, `Eb/N0 ${ours.ebn0Db} vs ${ebn0}`);
    const p1 = ours.ber, p2 = ref.errors / ref.bits;
    const sd = Math.sqrt(p1 * (1 - p1) / ours.bits + p2 * (1 - p2) / ref.bits);
    assert.ok(Math.abs(p1 - p2) < Z999 * sd, `${mod}/${channel} Eb/N0 ${ebn0}: ours ${p1} vs AFF3CT ${p2} (sd ${sd})`);
  }
});

test.run();
