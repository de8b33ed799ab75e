// LDPC float (wasm) vs int16 kernels through decodeMany by process CPU time, interleaved in one
// process: a figure that survives a loaded machine (BENCHMARKS.md, ldpc). Run: node --import tsx bench/ldpc-cputime.ts
import { createLdpc80211n } from '../src/fec/ldpc/80211n/code.js';
import { LdpcDecoder } from '../src/fec/ldpc/decoder.js';
import { Rng } from '../src/core/rng.js';
for (const [n, rate, ebn0] of [[1944, '1/2', 1.5], [648, '5/6', 3.5]] as const) {
  const code = createLdpc80211n(n, rate);
  const F = 64;
  const rng = new Rng(1);
  const s2 = 1 / (2 * code.rate * 10 ** (ebn0 / 10));
  const llr = new Float32Array(F * n);
  for (let f = 0; f < F; f++) { const cw = code.encode(rng.fillBits(new Uint8Array(code.k))); for (let i = 0; i < n; i++) llr[f * n + i] = 2 * (1 - 2 * cw[i] + Math.sqrt(s2) * rng.gaussian()) / s2; }
  const decs = [new LdpcDecoder(code.h, { maxIterations: 10, earlyStop: false }), new LdpcDecoder(code.h, { maxIterations: 10, earlyStop: false, kernel: 'int16' })];
  const out = new Uint8Array(F * n);
  decs.forEach((d) => d.decodeMany(llr, F, out));
  const t = [0, 0];
  const rounds = 40;
  for (let r = 0; r < rounds; r++) for (let j = 0; j < 2; j++) {
    const i = (r + j) % 2;
    const c0 = process.cpuUsage();
    decs[i].decodeMany(llr, F, out);
    const u = process.cpuUsage(c0);
    t[i] += u.user + u.system;
  }
  const bits = rounds * F * code.k;
  console.log(`(${n}, ${rate}) 10 it no early stop, CPU time: float wasm ${(bits / t[0]).toFixed(1)} Mbit/s, int16 ${(bits / t[1]).toFixed(1)} Mbit/s, ratio ${(t[0] / t[1]).toFixed(2)}`);
}
