/**
 * The bulk Gaussian kernel behind every channel: Philox words made in bulk must equal the
 * reference philox4x32, and the 256-layer ziggurat must give N(0, 1) including the tails that
 * decide low BERs (tail probabilities checked against erfc within 5-sigma binomial bounds).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng, philox4x32, philoxWords } from '../../src/core/rng.js';
import { philoxWasm, WAT_SHA256 } from '../../src/core/philox-wasm.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/core/version.js';

test('bulk Philox words equal the reference philox4x32', () => {
  const n = 1000;
  const words = new Int32Array(4 * n);
  const ctr = 4294967290; // crosses the 2^32 boundary of the low counter word
  philoxWords(words, n, ctr, 0xdeadbeef, 77, 0x12345678, 0x9abcdef0);
  const ref = new Uint32Array(4);
  for (let b = 0; b < n; b++) {
    const c = ctr + b;
    philox4x32(c >>> 0, Math.floor(c / 4294967296), 0xdeadbeef, 77, 0x12345678, 0x9abcdef0, ref);
    for (let j = 0; j < 4; j++) assert.is(words[4 * b + j] >>> 0, ref[j], `block ${b} word ${j}`);
  }
});

function erfc(x: number): number {
  // Numerical Recipes erfcc (|rel err| < 1.2e-7), enough for probabilities checked to ~1%.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

test('the WebAssembly Philox kernel (fillGaussian word source) equals the reference philox4x32', () => {
  assert.ok(philoxWasm, 'WebAssembly kernel failed to load');
  const n = 1000;
  const ctr = 2 ** 32 - 500; // crosses the low-word carry
  philoxWasm.fill(n, ctr, 0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210);
  const ref = new Uint32Array(4);
  for (let b = 0; b < n; b++) {
    const c = ctr + b;
    philox4x32(c >>> 0, Math.floor(c / 4294967296), 0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210, ref);
    for (let j = 0; j < 4; j++) assert.is(philoxWasm.words[4 * b + j] >>> 0, ref[j], `block ${b} word ${j}`);
  }
});

test('the embedded WebAssembly was built from the committed philox.wat (rebuild with wat2wasm after editing it)', () => {
  const wat = readFileSync(path.join(packageRoot(), 'src', 'core', 'philox.wat'));
  assert.is(createHash('sha256').update(wat).digest('hex'), WAT_SHA256);
});

test('ziggurat Gaussians: moments and tail probabilities P(|g| > t) = erfc(t / sqrt 2)', () => {
  const n = 1 << 22;
  const x = new Float32Array(n);
  const rng = new Rng(7);
  // Fill in pieces of odd sizes so the block/refill bookkeeping is exercised too.
  for (let off = 0; off < n;) {
    const m = Math.min(n - off, 1 + ((off * 2654435761) >>> 0) % 70001);
    rng.fillGaussian(x.subarray(off, off + m));
    off += m;
  }
  let s = 0, s2 = 0;
  const thresholds = [0.5, 1, 2, 3, 3.6541528853610088, 4];
  const counts = thresholds.map(() => 0);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    s += v; s2 += v * v;
    const a = Math.abs(v);
    for (let t = 0; t < thresholds.length; t++) if (a > thresholds[t]) counts[t]++;
  }
  assert.ok(Math.abs(s / n) < 5 / Math.sqrt(n), `mean ${s / n}`);
  assert.ok(Math.abs(s2 / n - 1) < 5 * Math.sqrt(2 / n), `variance ${s2 / n}`);
  thresholds.forEach((t, j) => {
    const p = erfc(t / Math.SQRT2);
    const tol = 5 * Math.sqrt(p * (1 - p) / n);
    assert.ok(Math.abs(counts[j] / n - p) < tol, `P(|g|>${t}) = ${counts[j] / n}, expected ${p} +- ${tol}`);
  });
});

test('fillGaussian scales by std and shifts by mean; same seed, same draws', () => {
  const a = new Rng(3).split(1).fillGaussian(new Float64Array(4097), 2, 5);
  const b = new Rng(3).split(1).fillGaussian(new Float64Array(4097), 1, 0);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - (5 + 2 * b[i])) < 1e-12);
});

test.run();
