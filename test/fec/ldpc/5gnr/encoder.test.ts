import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { Ldpc5gEncoder } from '../../../../src/fec/ldpc/5gnr/encoder.js';
import { Ldpc5gnrCode } from '../../../../src/fec/ldpc/5gnr/code.js';
import { ParityCheck } from '../../../../src/fec/ldpc/parity-check.js';
import { Rng } from '../../../../src/core/rng.js';
import { readReferenceNpy, referencePath } from '../../../reference.js';

/** (K', expected Z, its set iLS): small and large K, every lifting-size set of each graph. */
const SPREAD: Record<'bg1' | 'bg2', [number, number, number][]> = {
  bg1: [[40, 2, 0], [8448, 384, 1], [7000, 320, 2], [4900, 224, 3], [190, 9, 4], [230, 11, 5], [280, 13, 6], [320, 15, 7], [1000, 48, 1]],
  bg2: [[12, 2, 0], [500, 64, 0], [3840, 384, 1], [380, 48, 1], [110, 20, 2], [2200, 224, 3], [600, 72, 4], [880, 88, 5], [150, 26, 6], [1150, 120, 7], [170, 30, 7]],
};

test('H c = 0 for the full lifted graph over a spread of (BG, K), every iLS set; a flipped bit breaks it', () => {
  const rng = new Rng(11);
  for (const bg of ['bg1', 'bg2'] as const) {
    for (const [k, z, iLS] of SPREAD[bg]) {
      const enc = new Ldpc5gEncoder(bg, k);
      assert.is(enc.z, z, `${bg} K=${k}`);
      assert.is(enc.iLS, iLS, `${bg} K=${k}`);
      assert.is(enc.n, (bg === 'bg1' ? 68 : 52) * z);
      const h = ParityCheck.fromQc(enc.base);
      for (let t = 0; t < 3; t++) {
        const u = rng.fillBits(new Uint8Array(k));
        const c = enc.encode(u);
        assert.ok(h.syndromeOk(c), `${bg} K=${k} trial ${t}`);
        // Systematic, filler bits zero.
        for (let i = 0; i < k; i++) if (c[i] !== u[i]) assert.unreachable(`${bg} K=${k}: info bit ${i}`);
        for (let i = k; i < enc.kFull; i++) if (c[i] !== 0) assert.unreachable(`${bg} K=${k}: filler bit ${i}`);
        const j = rng.int(c.length);
        c[j] ^= 1;
        assert.not.ok(h.syndromeOk(c), `${bg} K=${k}: flip at ${j} still a codeword`);
      }
      // The all-ones message is a codeword too (parity not trivially zero).
      const ones = enc.encode(new Uint8Array(k).fill(1));
      assert.ok(h.syndromeOk(ones));
      assert.ok(ones.subarray(enc.kFull).some((b) => b === 1));
    }
  }
});

test('a truncated encoder (fewer extension rows) gives the same leading bits', () => {
  const full = new Ldpc5gEncoder('bg1', 2000);
  const cut = new Ldpc5gEncoder('bg1', 2000, { rows: 10 });
  assert.is(cut.n, 32 * full.z);
  const u = new Rng(3).fillBits(new Uint8Array(2000));
  const a = full.encode(u);
  const b = cut.encode(u);
  assert.equal(Array.from(b), Array.from(a.subarray(0, cut.n)));
  assert.ok(ParityCheck.fromQc(cut.base).syndromeOk(b));
});

// Reference: NVlabs/sionna (Apache-2.0, commit 20d2bca) LDPC5GEncoder generator matrices, see
// fixtures/reference/README.md: c = u G mod 2, G sparse (2, nnz), 1-based; stored as .npy.br.
const REF = referencePath('sionna-5g-ldpc');

test('rate-matched encoder output is bit-exact with Sionna LDPC5GEncoder (rv 0, no interleaver)', () => {
  const files = readdirSync(REF).filter((f) => /^k\d+_n\d+_G\.npy\.br$/.test(f)).sort();
  assert.ok(files.length >= 16, `expected the 16 reference files, found ${files.length}`);
  const rng = new Rng(5);
  const seen = new Set<string>();
  for (const f of files) {
    const [, ks, ns] = /^k(\d+)_n(\d+)_G/.exec(f)!;
    const k = Number(ks);
    const n = Number(ns);
    const code = new Ldpc5gnrCode({ bg: 'auto', k, e: n }); // Sionna: base graph by 7.2.2 with R = k/n
    seen.add(`${code.bg}:${code.iLS}`);
    const g = readReferenceNpy('sionna-5g-ldpc', f);
    assert.is(g.shape[0], 2);
    const nnz = g.shape[1];
    const rowsG = g.data;
    for (let t = 0; t < 4; t++) {
      const u = t === 0 ? new Uint8Array(k).fill(1) : rng.fillBits(new Uint8Array(k));
      const ref = new Uint8Array(n);
      for (let j = 0; j < nnz; j++) ref[Number(rowsG[nnz + j]) - 1] ^= u[Number(rowsG[j]) - 1];
      const c = code.encode(u);
      assert.is(c.length, n);
      let bad = 0;
      let first = -1;
      for (let i = 0; i < n; i++) {
        if (c[i] !== ref[i]) {
          bad++;
          if (first < 0) first = i;
        }
      }
      assert.is(bad, 0, `${f} (${code.bg}, Z=${code.z}) trial ${t}: ${bad} bits differ, first at ${first}`);
    }
  }
  // The reference set spans both graphs and several lifting sets.
  assert.ok(seen.size >= 8, [...seen].join(' '));
});

test.run();
