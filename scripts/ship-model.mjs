#!/usr/bin/env node
// Copy a training checkpoint into the shipped folder without its optimizer state (a third of the
// size): every file verified on load, the models and meta saved again atomically. `--resume` from a
// shipped model starts a fresh optimizer.
//
//   node scripts/ship-model.mjs SRC DST        (after `npm run build`)
import { initBackend } from '../dist/src/nn/backend.js';
import { loadCheckpoint, saveCheckpoint } from '../dist/src/nn/checkpoint.js';
import '../dist/src/nn/ffmnet/model.js'; // registers FFMNet's layers for deserialization
import '../dist/src/nn/jscc/model.js'; // and the JSCC's

const [src, dst] = process.argv.slice(2);
if (!src || !dst) {
  process.stderr.write('usage: node scripts/ship-model.mjs SRC DST\n');
  process.exit(2);
}
await initBackend('wasm');
const c = await loadCheckpoint(src);
await saveCheckpoint(dst, { models: c.models, meta: { ...c.meta, shippedFrom: src } });
process.stdout.write(`${src} -> ${dst}: models ${Object.keys(c.models).join(', ')}, optimizer state dropped\n`);
