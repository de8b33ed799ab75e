// LDPC float (wasm), int16 and int8 kernels through decodeMany by process CPU time, interleaved in
// one process: a figure that survives a loaded machine (BENCHMARKS.md, ldpc). Run: node --import tsx bench/ldpc-cputime.ts
import { createLdpc80211n } from '../src/fec/ldpc/80211n/code.js';
import { LdpcDecoder } from '../src/fec/ldpc/decoder.js';
import { Rng } from '../src/core/rng.js';
const kernels = ['wasm', 'int16', 'int8'] as const;
for (const [n, rate, ebn0] of [[1944, '1/2', 1.5], [648, '5/6', 3.5]] as const) {
  const code = createLdpc80211n(n, rate);
  const F = 64;
  const rng = new Rng(1);
  const s2 = 1 / (2 * code.rate * 10 ** (ebn0 / 10));
  const llr = new Float32Array(F * n);
  for (let f = 0; f < F; f++) { const cw = code.encode(rng.fillBits(new Uint8Array(code.k))); for (let i = 0; i < n; i++) llr[f * n + i] = 2 * (1 - 2 * cw[i] + Math.sqrt(s2) * rng.gaussian()) / s2; }
  const decs = kernels.map((kernel) => new LdpcDecoder(code.h, { maxIterations: 10, earlyStop: false, kernel }));
  const out = new Uint8Array(F * n);
  decs.forEach((d) => d.decodeMany(llr, F, out));
  const t = decs.map(() => 0);
  const rounds = 40;
  // rotate the order each round so that no kernel always follows the same one
  for (let r = 0; r < rounds; r++) for (let j = 0; j < decs.length; j++) {
    const i = (r + j) % decs.length;
    const c0 = process.cpuUsage();
    decs[i].decodeMany(llr, F, out);
    const u = process.cpuUsage(c0);
    t[i] += u.user + u.system;
  }
  const bits = rounds * F * code.k;
  const rate1 = (i: number) => (bits / t[i]).toFixed(1);
  console.log(`(${n}, ${rate}) 10 it no early stop, CPU time: float wasm ${rate1(0)} Mbit/s, int16 ${rate1(1)} Mbit/s, int8 ${rate1(2)} Mbit/s; int8/int16 ${(t[1] / t[2]).toFixed(2)}, int16/float ${(t[0] / t[1]).toFixed(2)}`);
}
