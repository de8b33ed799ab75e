import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LdpcDecoder } from '../../../src/fec/ldpc/decoder.js';
import { wasmMinSumAvailable } from '../../../src/fec/ldpc/kernel/minsum-kernel.js';
import { createLdpc80211n } from '../../../src/fec/ldpc/80211n/code.js';
import { ParityCheck } from '../../../src/fec/ldpc/parity-check.js';
import { Rng } from '../../../src/core/rng.js';

test('WebAssembly SIMD is available on Node 20 (else the JS kernel would silently be used)', () => {
  assert.ok(wasmMinSumAvailable());
});

// The WASM kernel updates Z rows of a layer at once, the JS kernel one row at a time; both must give
// the same posterior bit for bit after every iteration count, on noisy frames that need many
// iterations, for NMS and OMS, on codes with Z = 27, 54, 81 (zp padding 28, 56, 84).
test('WASM and JS min-sum kernels compute identical posteriors and decisions', () => {
  const rng = new Rng(21);
  const cases: [number, string, object][] = [
    [648, '1/2', { algorithm: 'nms', normalization: 0.75 }],
    [1296, '5/6', { algorithm: 'nms', normalization: 0.8 }],
    [1944, '2/3', { algorithm: 'oms', offset: 0.5 }],
    [1944, '1/2', { algorithm: 'nms', normalization: 1 }],
  ];
  for (const [n, rate, opts] of cases) {
    const code = createLdpc80211n(n, rate);
    const sigma = 0.8; // hard enough that decoding takes several iterations or fails
    for (let f = 0; f < 3; f++) {
      const c = code.encode(rng.fillBits(new Uint8Array(code.k)));
      const llr = new Float32Array(n);
      for (let i = 0; i < n; i++) llr[i] = (2 * (1 - 2 * c[i] + sigma * rng.gaussian())) / (sigma * sigma);
      for (const iters of [1, 3, 8]) {
        const js = new LdpcDecoder(code.h, { ...opts, maxIterations: iters, earlyStop: false, kernel: 'js' });
        const wa = new LdpcDecoder(code.h, { ...opts, maxIterations: iters, earlyStop: false, kernel: 'wasm' });
        assert.is(js.kernel, 'js');
        assert.is(wa.kernel, 'wasm');
        const rj = js.decode(llr);
        const rw = wa.decode(llr);
        assert.equal(Array.from(wa.posterior()), Array.from(js.posterior()), `${n}:${rate} ${JSON.stringify(opts)} it=${iters}`);
        assert.equal(rw.bits, rj.bits);
        assert.is(rw.ok, rj.ok);
      }
      // early stop: same iteration count and result
      const rj = new LdpcDecoder(code.h, { ...opts, maxIterations: 30, kernel: 'js' }).decode(llr);
      const rw = new LdpcDecoder(code.h, { ...opts, maxIterations: 30, kernel: 'wasm' }).decode(llr);
      assert.is(rw.iterations, rj.iterations);
      assert.is(rw.ok, rj.ok);
      assert.equal(rw.bits, rj.bits);
    }
  }
});

test('the WASM syndrome check agrees with ParityCheck.syndromeOk on its own decisions', () => {
  const rng = new Rng(22);
  const code = createLdpc80211n(648, '3/4');
  let oks = 0;
  for (let f = 0; f < 40; f++) {
    const dec = new LdpcDecoder(code.h, { maxIterations: 1 + (f % 3), earlyStop: f % 2 === 0, kernel: 'wasm' });
    const c = code.encode(rng.fillBits(new Uint8Array(code.k)));
    const sigma = 0.4 + 0.005 * f; // from mostly decodable to mostly not
    const llr = new Float32Array(code.n);
    for (let i = 0; i < code.n; i++) llr[i] = (2 * (1 - 2 * c[i] + sigma * rng.gaussian())) / (sigma * sigma);
    const r = dec.decode(llr);
    assert.is(r.ok, code.h.syndromeOk(r.bits), `frame ${f}`);
    oks += r.ok ? 1 : 0;
  }
  assert.ok(oks > 5 && oks < 35, `both outcomes exercised (${oks} ok of 40)`);
});

test('kernel option: wasm refused for SPA and non-QC matrices; auto falls back to JS there', () => {
  const h = ParityCheck.fromRows(4, [[0, 1, 2, 3]]);
  assert.throws(() => new LdpcDecoder(h, { kernel: 'wasm' }), /needs min-sum/);
  assert.is(new LdpcDecoder(h).kernel, 'js');
  const code = createLdpc80211n(648, '1/2');
  assert.throws(() => new LdpcDecoder(code.h, { algorithm: 'spa', kernel: 'wasm' }), /needs min-sum/);
  assert.is(new LdpcDecoder(code.h, { algorithm: 'spa' }).kernel, 'js');
  assert.is(new LdpcDecoder(code.h).kernel, 'wasm');
  assert.throws(() => new LdpcDecoder(code.h, { kernel: 'gpu' as never }), /"gpu"/);
});

test('WASM = JS on random QC matrices: Z = 1, 2, 3, 5, 13, 384, shifts 0..Z-1, layers of degree 0..8', () => {
  const rng = new Rng(23);
  for (const z of [1, 2, 3, 5, 13, 384]) {
    const rows = 4;
    const cols = 10;
    const shifts = new Int32Array(rows * cols).fill(-1);
    for (let r = 0; r < rows; r++) {
      const deg = r === 3 ? 0 : r === 2 ? 1 : 2 + rng.int(7);
      const chosen = rng.shuffle(Array.from({ length: cols }, (_, i) => i)).slice(0, deg);
      for (const c of chosen) shifts[r * cols + c] = rng.int(2) ? z - 1 : rng.int(z);
    }
    const h = ParityCheck.fromQc({ rows, cols, z, shifts });
    const llr = new Float32Array(h.n);
    for (let i = 0; i < h.n; i++) llr[i] = 3 * rng.gaussian() + 0.5;
    for (const opts of [{ algorithm: 'nms' as const, normalization: 0.75 }, { algorithm: 'oms' as const, offset: 0.25 }]) {
      const js = new LdpcDecoder(h, { ...opts, maxIterations: 6, earlyStop: false, kernel: 'js' });
      const wa = new LdpcDecoder(h, { ...opts, maxIterations: 6, earlyStop: false, kernel: 'wasm' });
      const rj = js.decode(llr);
      const rw = wa.decode(llr);
      assert.equal(Array.from(wa.posterior()), Array.from(js.posterior()), `Z=${z} ${opts.algorithm}`);
      assert.is(rw.ok, rj.ok, `Z=${z} ok`);
      assert.ok(wa.posterior().some((x, i) => Math.abs(x - llr[i]) > 0.1), 'the checks changed the posterior');
    }
  }
});

test.run();
