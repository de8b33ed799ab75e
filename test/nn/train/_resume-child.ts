/**
 * Child process of resume-kill.test.ts: trains a tiny FFMNet on a shapes stream (prefetching
 * worker included) into argv[2] for argv[3] steps, checkpointing every 2, resuming if asked
 * (argv[4] = 'resume'). The parent kills it with SIGKILL at some point.
 */
import { initBackend } from '../../../src/nn/backend.js';
import { trainStep1 } from '../../../src/nn/train/step1.js';
import { tinyConfig } from '../ffmnet/_tiny.js';

const [out, steps, mode] = process.argv.slice(2);
await initBackend('wasm');
await trainStep1({
  data: 'shapes:seed=2,size=64', out, config: tinyConfig(6), steps: Number(steps), batch: 4, lr: 3e-3,
  schedule: 'cosine', warmupSteps: 2, seed: 3, checkpointEvery: 2, evalLimit: 0, resume: mode === 'resume',
});
process.stdout.write('done\n');
