/**
 * Child process of resume-kill.test.ts: `KIND OUT STEPS fresh|resume WORKERS [FROM]`.
 *   step1: trains a tiny FFMNet on a shapes stream (prefetching worker included) into OUT;
 *   step2: trains a step-2 JSCC at 0 dB from the FFMNet checkpoint FROM (its data: the stream in its meta);
 *   make:  writes an untrained JSCC-ready tiny FFMNet checkpoint (D1 8x8x64) to OUT.
 * Both trainings run STEPS steps on WORKERS threads, checkpointing every 2, resuming if asked.
 * The parent kills it with SIGKILL at some point.
 */
import { initBackend } from '../../../src/nn/backend.js';
import { saveCheckpoint } from '../../../src/nn/checkpoint.js';
import { getConfig } from '../../../src/nn/ffmnet/config.js';
import { buildFFMNet } from '../../../src/nn/ffmnet/model.js';
import { trainJscc } from '../../../src/nn/train/jscc-steps.js';
import { trainStep1 } from '../../../src/nn/train/step1.js';
import { tinyConfig } from '../ffmnet/_tiny.js';

const [kind, out, steps, mode, workers, from] = process.argv.slice(2);
const STREAM = 'shapes:seed=2,size=64';
await initBackend('wasm');
const common = { out, steps: Number(steps), batch: 4, lr: 3e-3, seed: 3, checkpointEvery: 2, evalLimit: 0, resume: mode === 'resume', workers: Number(workers ?? 1) };
if (kind === 'step1') {
  await trainStep1({ ...common, data: STREAM, config: tinyConfig(6), schedule: 'cosine', warmupSteps: 2 });
} else if (kind === 'step2') {
  await trainJscc({ ...common, step: 2, from, ratio: 512, snrTrain: 0, lrDrops: [0.5] });
} else if (kind === 'make') {
  const config = getConfig('default', { ...tinyConfig(6), d1Channels: 64, fusionChannels: 16 });
  const net = buildFFMNet(config, ['det', 'seg'], { seed: 5 });
  await saveCheckpoint(out, { models: { device: net.device, edge: net.edge }, meta: { kind: 'ffmnet', trainingStep: 1, config, tasks: ['det', 'seg'], stepsDone: 0, data: { name: STREAM, dir: STREAM } } });
} else {
  throw new Error(`unknown kind ${kind}`);
}
process.stdout.write('done\n');
