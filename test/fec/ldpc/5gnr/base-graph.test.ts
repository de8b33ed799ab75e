import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BASE_GRAPHS, baseMatrix, liftedBase, liftingSetIndex, selectBaseGraph, selectLifting,
} from '../../../../src/fec/ldpc/5gnr/base-graph.js';
import { LIFTING_SETS } from '../../../../src/fec/ldpc/5gnr/tables.js';

test('Table 5.3.2-1: 51 lifting sizes a * 2^j <= 384, a = 2, 3, 5, ..., 15, each in one set', () => {
  const all = LIFTING_SETS.flat();
  assert.is(all.length, 51);
  assert.is(new Set(all).size, 51);
  [2, 3, 5, 7, 9, 11, 13, 15].forEach((a, i) => {
    const want: number[] = [];
    for (let z = a; z <= 384; z *= 2) want.push(z);
    assert.equal([...LIFTING_SETS[i]], want);
  });
  assert.is(liftingSetIndex(384), 1);
  assert.is(liftingSetIndex(208), 6);
  assert.is(liftingSetIndex(17), -1);
});

test('Tables 5.3.2-2/3: sizes, non-zero counts, row degrees and spot values of TS 38.212', () => {
  for (const bg of ['bg1', 'bg2'] as const) {
    const { rows, cols } = BASE_GRAPHS[bg];
    for (let iLS = 0; iLS < 8; iLS++) {
      const m = baseMatrix(bg, iLS);
      assert.is(m.length, rows * cols);
      let nz = 0;
      for (const v of m) if (v >= 0) nz++;
      assert.is(nz, bg === 'bg1' ? 316 : 197, `${bg} iLS ${iLS}`);
      // Every V_{i,j} is below the largest Z of its set (TS: 0 <= V < Zmax of the set).
      const zMax = Math.max(...LIFTING_SETS[iLS]);
      for (const v of m) assert.ok(v < zMax, `${bg} iLS ${iLS}: V=${v} >= ${zMax}`);
    }
  }
  const bg1 = baseMatrix('bg1', 0);
  const bg1s1 = baseMatrix('bg1', 1);
  const bg2s7 = baseMatrix('bg2', 7);
  // TS 38.212 Table 5.3.2-2 first row (i=0, j=0): 250 307 73 223 211 294 0 135.
  assert.equal([0, 1, 2, 3, 4, 5, 6, 7].map((s) => baseMatrix('bg1', s)[0]), [250, 307, 73, 223, 211, 294, 0, 135]);
  assert.is(bg1[45 * 68 + 67], 0); // last row, its own extension column
  assert.is(bg1s1[8 * 68 + 21], 368); // i=8, j=21, iLS=1
  assert.is(bg2s7[0], 145); // Table 5.3.2-3 i=0, j=0, iLS=7 (row: 9 174 0 72 3 156 143 145)
  // Row degrees of BG1 rows 0..3 (19, 19, 19, 19) and BG2 rows 0..3 (8, 10, 8, 10) (Richardson & Kudekar 2018).
  const deg = (bg: 'bg1' | 'bg2', i: number) => {
    const { cols } = BASE_GRAPHS[bg];
    let d = 0;
    for (let j = 0; j < cols; j++) if (baseMatrix(bg, 0)[i * cols + j] >= 0) d++;
    return d;
  };
  assert.equal([0, 1, 2, 3].map((i) => deg('bg1', i)), [19, 19, 19, 19]);
  assert.equal([0, 1, 2, 3].map((i) => deg('bg2', i)), [8, 10, 8, 10]);
});

test('lifting choice (5.2.2): Kb thresholds of BG2 and the smallest Z with Kb Z >= K', () => {
  const z = (bg: 'bg1' | 'bg2', k: number) => selectLifting(bg, k);
  assert.equal(z('bg1', 8448), { z: 384, iLS: 1, kb: 22, kFull: 8448 });
  assert.equal(z('bg1', 8447).z, 384);
  assert.equal(z('bg1', 7040).z, 320);
  assert.equal(z('bg1', 7041).z, 352);
  assert.equal(z('bg1', 40), { z: 2, iLS: 0, kb: 22, kFull: 44 });
  assert.equal(z('bg2', 192), { z: 32, iLS: 0, kb: 6, kFull: 320 });
  assert.equal(z('bg2', 193), { z: 26, iLS: 6, kb: 8, kFull: 260 });
  assert.equal(z('bg2', 560), { z: 72, iLS: 4, kb: 8, kFull: 720 });
  assert.equal(z('bg2', 561), { z: 64, iLS: 0, kb: 9, kFull: 640 });
  assert.equal(z('bg2', 641), { z: 72, iLS: 4, kb: 10, kFull: 720 });
  assert.equal(z('bg2', 3840), { z: 384, iLS: 1, kb: 10, kFull: 3840 });
  assert.throws(() => z('bg2', 3841), /does not fit/);
});

test('base-graph choice (TS 38.212 7.2.2) at its boundaries', () => {
  assert.is(selectBaseGraph(292, 0.9), 'bg2');
  assert.is(selectBaseGraph(293, 0.9), 'bg1');
  assert.is(selectBaseGraph(3824, 0.67), 'bg2');
  assert.is(selectBaseGraph(3824, 0.68), 'bg1');
  assert.is(selectBaseGraph(3825, 0.67), 'bg1');
  assert.is(selectBaseGraph(8448, 0.25), 'bg2');
  assert.is(selectBaseGraph(8448, 0.26), 'bg1');
});

test('liftedBase: shifts are V mod Z, truncation keeps the leading rows and columns', () => {
  const full = liftedBase('bg1', 15); // iLS 7
  assert.is(full.rows, 46);
  assert.is(full.cols, 68);
  assert.is(full.shifts[0], 135 % 15);
  const v = baseMatrix('bg1', 7);
  for (let i = 0; i < 46; i++) {
    for (let j = 0; j < 68; j++) {
      const want = v[i * 68 + j] < 0 ? -1 : v[i * 68 + j] % 15;
      if (full.shifts[i * 68 + j] !== want) assert.unreachable(`(${i},${j})`);
    }
  }
  const cut = liftedBase('bg2', 26, 10);
  assert.is(cut.rows, 10);
  assert.is(cut.cols, 20);
  const w = liftedBase('bg2', 26);
  for (let i = 0; i < 10; i++) for (let j = 0; j < 20; j++) assert.is(cut.shifts[i * 20 + j], w.shifts[i * 52 + j]);
  assert.throws(() => liftedBase('bg1', 17), /lifting size/);
});

test.run();
