#!/usr/bin/env node
// Copy a training checkpoint into the shipped folder without its optimizer state (a third of the
// size): every file verified on load, the models and meta saved again atomically. `--resume` from a
// shipped model starts a fresh optimizer. --float16 stores the weights as binary16 (half again;
// models/default/README.md measures that the metrics do not change).
//
//   node scripts/ship-model.mjs [--float16] SRC DST        (after `npm run build`)
import { initBackend } from '../dist/src/nn/backend.js';
import path from 'node:path';
import { loadCheckpoint, saveCheckpoint } from '../dist/src/nn/checkpoint.js';
import '../dist/src/nn/ffmnet/model.js'; // registers FFMNet's layers for deserialization
import '../dist/src/nn/jscc/model.js'; // and the JSCC's

const args = process.argv.slice(2);
const float16 = args[0] === '--float16';
const [src, dst] = float16 ? args.slice(1) : args;
if (!src || !dst || src.startsWith('--') || dst.startsWith('--')) {
  process.stderr.write('usage: node scripts/ship-model.mjs [--float16] SRC DST\n');
  process.exit(2);
}
// In place (re-encoding a shipped folder as float16): the meta keeps the run it was shipped from.
const inPlace = path.resolve(src) === path.resolve(dst);
await initBackend('wasm');
const c = await loadCheckpoint(src);
await saveCheckpoint(dst, { models: c.models, meta: { ...c.meta, shippedFrom: inPlace ? c.meta.shippedFrom : src }, weightStorage: float16 ? 'float16' : 'float32' });
process.stdout.write(`${src} -> ${dst}: models ${Object.keys(c.models).join(', ')}, optimizer state dropped, weights ${float16 ? 'float16' : 'float32'}\n`);
