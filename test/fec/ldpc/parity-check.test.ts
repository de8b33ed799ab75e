import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ParityCheck } from '../../../src/fec/ldpc/parity-check.js';

test('fromQc lifts each circulant as the identity shifted right (row i -> column (i + s) mod Z)', () => {
  // Base 2 x 3, Z = 3: [[1, -1, 0], [2, 0, -1]]
  const h = ParityCheck.fromQc({ rows: 2, cols: 3, z: 3, shifts: Int32Array.from([1, -1, 0, 2, 0, -1]) });
  assert.is(h.m, 6);
  assert.is(h.n, 9);
  const rows = [];
  for (let r = 0; r < h.m; r++) rows.push(Array.from(h.colIdx.slice(h.rowPtr[r], h.rowPtr[r + 1])));
  // hand-lifted: block (0,0) s=1 -> cols 1,2,0; block (0,2) s=0 -> 6,7,8; block (1,0) s=2 -> 2,0,1; block (1,1) s=0 -> 3,4,5
  assert.equal(rows, [[1, 6], [2, 7], [0, 8], [2, 3], [0, 4], [1, 5]]);
  assert.is(h.edges, 12);
  assert.equal(Array.from(h.columnWeights()), [2, 2, 2, 1, 1, 1, 1, 1, 1]);
  assert.ok(h.qc && h.qc.z === 3);
});

test('syndromeOk / syndromeWeight on a Hamming (7,4) matrix', () => {
  const h = ParityCheck.fromRows(7, [[0, 1, 2, 4], [1, 2, 3, 5], [0, 1, 3, 6]]);
  assert.ok(h.syndromeOk(new Uint8Array(7)));
  // 1000101 is a codeword: row0 1+0+0+1=0, row1 0+0+0+0=0, row2 1+0+0+1=0
  assert.ok(h.syndromeOk(Uint8Array.from([1, 0, 0, 0, 1, 0, 1])));
  const bad = Uint8Array.from([1, 0, 0, 0, 1, 0, 0]);
  assert.not.ok(h.syndromeOk(bad));
  assert.is(h.syndromeWeight(bad), 1);
  assert.is(h.syndromeWeight(Uint8Array.from([0, 1, 0, 0, 0, 0, 0])), 3);
});

test('malformed inputs are rejected with the bad value named', () => {
  assert.throws(() => ParityCheck.fromRows(4, [[0, 4]]), /column 4/);
  assert.throws(() => ParityCheck.fromRows(4, [[1, 1]]), /twice/);
  assert.throws(() => ParityCheck.fromQc({ rows: 1, cols: 2, z: 4, shifts: Int32Array.from([0]) }), /expected rows\*cols = 2/);
  assert.throws(() => ParityCheck.fromQc({ rows: 1, cols: 1, z: 4, shifts: Int32Array.from([-2]) }), /shift -2/);
  const h = ParityCheck.fromRows(3, [[0, 1, 2]]);
  assert.throws(() => h.syndromeOk(new Uint8Array(2)), /got 2 bits/);
});

test.run();
