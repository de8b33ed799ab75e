import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ViterbiDecoder, QMAX } from '../../../src/fec/conv/viterbi.js';
import { wasmAcsAvailable } from '../../../src/fec/conv/kernel/acs-kernel.js';
import { ConvCode } from '../../../src/fec/conv/code.js';
import { Rng } from '../../../src/core/rng.js';
import { BpskAwgn } from './awgn.js';
import { ACS_WAT_SHA256 } from '../../../src/fec/conv/kernel/acs-wasm.js';
import { packageRoot } from '../../../src/core/version.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

test('WebAssembly SIMD is available on Node >= 20 (the default kernel is wasm)', () => {
  assert.ok(wasmAcsAvailable());
  assert.is(new ViterbiDecoder(100).kernel, 'wasm');
  assert.is(new ViterbiDecoder(100, 'js').kernel, 'js');
});

test('wasm and JS add-compare-select give the same decisions and bits (random, extreme and wrapping metrics)', () => {
  const rng = new Rng(41);
  for (const [steps, mode] of [[7, 'small'], [300, 'small'], [5000, 'extreme'], [20000, 'mixed']] as const) {
    const js = new ViterbiDecoder(steps, 'js');
    const wa = new ViterbiDecoder(steps, 'wasm');
    for (let i = 0; i < 2 * steps; i++) {
      const big = mode === 'extreme' || (mode === 'mixed' && rng.uniform() < 0.3);
      const v = big ? (rng.uniform() < 0.5 ? -QMAX : QMAX) - (rng.int(3) - 1) : rng.int(4097) - 2048;
      js.input[i] = v;
      wa.input[i] = v;
    }
    const k = steps - 6;
    const a = new Uint8Array(k);
    const b = new Uint8Array(k);
    js.decode(steps, k, a);
    wa.decode(steps, k, b);
    assert.equal(Array.from(b), Array.from(a), `${steps} steps, ${mode}`);
    // Same survivor memory too (read through the private field; a test-only look).
    const dj = (js as unknown as { decisions: Uint32Array }).decisions.subarray(0, 2 * steps);
    const dw = (wa as unknown as { decisions: Uint32Array }).decisions.subarray(0, 2 * steps);
    assert.equal(Array.from(dw), Array.from(dj), `${steps} decisions`);
  }
});

test('both kernels decode noisy punctured blocks identically', () => {
  const rng = new Rng(42);
  for (const rate of ['1/2', '2/3', '3/4', '5/6']) {
    const cj = new ConvCode(rate, { k: 3000, kernel: 'js' });
    const cw = new ConvCode(rate, { k: 3000, kernel: 'wasm' });
    const ch = new BpskAwgn();
    const u = rng.fillBits(new Uint8Array(3000));
    const llr = ch.transmit(cj.encode(u), BpskAwgn.sigma(2, cj.rate), rng, new Float32Array(cj.n));
    assert.equal(Array.from(cw.decode(llr).bits), Array.from(cj.decode(llr).bits), rate);
  }
});

test('the embedded binary was built from the acs.wat in the tree (hash recorded at generation)', () => {
  const wat = readFileSync(path.join(packageRoot(), 'src', 'fec', 'conv', 'kernel', 'acs.wat'));
  assert.is(createHash('sha256').update(wat).digest('hex'), ACS_WAT_SHA256, 'acs.wat changed: regenerate acs-wasm.ts');
});

test.run();
