/**
 * `npm run fuzz [-- N]`: the corrupted-JPEG fuzz at scale (default 12,000 streams, the suite runs
 * 2,400), printed as one JSON line; its figures are copied into BENCHMARKS.md ("fuzz"). Exit 1 if
 * any stream threw, decoded to a wrong size, or a huge header decoded.
 */
import { fuzzHardenedJpeg } from '../baselines/separate/fuzz.js';

const n = Number(process.argv[2] ?? 12000);
if (!Number.isInteger(n) || n < 1) {
  process.stderr.write(`fuzz: N ${JSON.stringify(process.argv[2])} is not allowed: use a positive integer\n`);
  process.exit(2);
}
const t0 = Date.now();
const r = fuzzHardenedJpeg(n);
process.stdout.write(`${JSON.stringify({ ...r, seconds: (Date.now() - t0) / 1000 })}\n`);
process.exit(r.threw || r.wrongSize || r.bigHeaderDecoded ? 1 : 0);
