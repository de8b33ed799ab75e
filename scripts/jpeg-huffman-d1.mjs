// JPEG bytes of D1 with the typical vs the per-image optimal Huffman tables, on the evalset:
//   npm run build && node scripts/jpeg-huffman-d1.mjs [images]   (issue 14: which tables the baseline uses)
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../dist/src/nn/backend.js';
import { loadFFMNet } from '../dist/src/nn/ffmnet/load.js';
import { openDataset } from '../dist/src/data/open.js';
import { sourceEncode } from '../dist/baselines/separate/source.js';
await initBackend('wasm');
const { net } = await loadFFMNet('models/default');
const data = openDataset('models/default/evalset', { split: 'train', resize: 128 });
const N = +(process.argv[2] ?? 40);
const qs = [10, 30, 50, 70, 90];
const tot = Object.fromEntries(qs.map((q) => [q, { typical: 0, optimal: 0 }]));
for (let i = 0; i < N; i++) {
  const s = data.load(i);
  const d1 = tf.tidy(() => net.device.predict(tf.tensor4d(s.image, [1, 128, 128, 3])).dataSync());
  const f = { data: Float32Array.from(d1), shape: [16, 16, 512] };
  for (const q of qs) for (const h of ['typical', 'optimal']) tot[q][h] += sourceEncode(f, q, { huffman: h }).jpeg.length;
}
for (const q of qs) console.log(`q${q}: typical ${(tot[q].typical / N).toFixed(0)} B, optimal ${(tot[q].optimal / N).toFixed(0)} B, saving ${(100 * (1 - tot[q].optimal / tot[q].typical)).toFixed(1)} %`);
