/**
 * `jscc-sim train --step 1 --data DIR --out DIR [...]`: training step 1 (FFMNet on L_det + L_seg).
 * `--step 2|3 --from DIR --out DIR [--ratio 512] [--snr-train DB|LO..HI] [--channel awgn|rayleigh]`:
 * the JSCC steps (src/nn/train/jscc-steps.ts).
 * `--workers N` splits each batch over N threads (src/nn/train/parallel.ts).
 * Progress on stderr: a bar on a terminal, a plain line every few steps otherwise.
 */
import os from 'node:os';
import type { CommandModule } from 'yargs';
import cliProgress from 'cli-progress';
import { UsageError, parseChoice, parseCount } from '../../core/errors.js';
import { parseTasks } from '../../nn/ffmnet/config.js';
import { parseDrops } from '../../nn/train/schedule.js';
import { checkOutputPath } from '../../io/output.js';

interface TrainArgs {
  step: number;
  data?: string;
  out?: string;
  config: string;
  tasks: string;
  steps: string;
  batch: string;
  lr: string;
  'lr-drops'?: string;
  seed: string;
  backend: string;
  'checkpoint-every': string;
  resume: boolean;
  'eval-images'?: string;
  'eval-every'?: string;
  'eval-every-images'?: string;
  schedule?: string;
  warmup?: string;
  val?: string;
  'fit-priors': boolean;
  from?: string;
  ratio?: string;
  'jscc-downsample'?: string;
  'jscc-upsample'?: string;
  'snr-train'?: string;
  channel?: string;
  'seg-weight'?: string;
  workers?: string;
  [k: string]: unknown;
}

function parseSegWeight(v: unknown): number {
  const x = Number(v);
  if (!(x > 0 && x <= 100)) throw new UsageError(`--seg-weight ${JSON.stringify(v)} is not allowed: use a number in (0, 100], e.g. 2 (1: the paper's L_det + L_seg)`);
  return x;
}

function parseLr(v: unknown): number {
  const x = Number(v);
  if (!(x > 0 && x < 1)) throw new UsageError(`--lr ${JSON.stringify(v)} is not allowed: use a number in (0, 1), e.g. 1e-3`);
  return x;
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train',
  describe: 'train a model: --step 1 FFMNet on detection + segmentation (steps 2, 3: the JSCC)',
  builder: (y) => y
    .option('step', { type: 'number', demandOption: true, describe: 'training step: 1 FFMNet, 2 JSCC only, 3 end to end' })
    .option('data', { type: 'string', describe: 'data folder (from `dataset make`, or COCO), or shapes:seed=S for a fresh generated image at every step' })
    .option('val', { type: 'string', describe: 'step 1: held-out data (folder or shapes:seed=S; default the data\'s val split)' })
    .option('out', { type: 'string', describe: 'checkpoint folder (written atomically)' })
    .option('config', { type: 'string', default: 'default', describe: 'model config: default | paper' })
    .option('tasks', { type: 'string', default: 'det,seg', describe: 'det,seg | det | seg' })
    .option('steps', { type: 'string', default: '3000', describe: 'optimizer steps' })
    .option('batch', { type: 'string', default: '16', describe: 'images per step' })
    .option('lr', { type: 'string', default: '1e-3', describe: 'initial learning rate (Adam)' })
    .option('schedule', { type: 'string', describe: 'learning-rate schedule, steps 1-3: step (drops by 10 at --lr-drops) | cosine (to lr/100; no drops unless --lr-drops); default step' })
    .option('warmup', { type: 'string', default: '0', describe: 'steps of linear learning-rate warm-up' })
    .option('lr-drops', { type: 'string', describe: 'fractions of the steps where the rate drops by 10 (default as the paper: step 1 0.5,0.9; step 2 0.5; step 3 0.5,0.75)' })
    .option('seed', { type: 'string', default: '1', describe: 'seed of weights, data order and flips' })
    .option('backend', { type: 'string', default: 'wasm', describe: 'wasm | cpu | tensorflow' })
    .option('checkpoint-every', { type: 'string', default: '200', describe: 'save every N steps (0: only at the end)' })
    .option('resume', { type: 'boolean', default: false, describe: 'continue the checkpoint in --out' })
    .option('eval-images', { type: 'string', describe: 'held-out images evaluated at the end (default: the val split, at most 1000)' })
    .option('eval-every', { type: 'string', default: '0', describe: 'step 1: evaluate held-out images every N steps into the training log (0: only at the end)' })
    .option('eval-every-images', { type: 'string', default: '200', describe: 'step 1: held-out images of each periodic evaluation' })
    .option('fit-priors', { type: 'boolean', default: false, describe: 'step 1: fit the SSD prior scales to the first 1000 training images (fresh runs)' })
    .option('from', { type: 'string', describe: 'steps 2, 3: the checkpoint to start from (step 2: FFMNet; step 3: JSCC)' })
    .option('ratio', { type: 'string', describe: 'step 2: JSCC compression ratio (Table III: 128, 256, 512, 1024; default 512)' })
    .option('jscc-downsample', { type: 'string', describe: 'step 2: JSCC encoder downsampling space-to-depth | avgpool (the 0.2 models; default space-to-depth)' })
    .option('jscc-upsample', { type: 'string', describe: 'step 2: JSCC decoder upsampling depth-to-space | bilinear (the 0.2 models; default depth-to-space)' })
    .option('snr-train', { type: 'string', describe: 'steps 2, 3: training SNR in dB, or a range LO..HI drawn per batch (default noiseless)' })
    .option('channel', { type: 'string', describe: 'steps 2, 3: training channel awgn | rayleigh (default awgn)' })
    .option('seg-weight', { type: 'string', describe: 'steps 2, 3: weight w of the segmentation loss in L_det + w * L_seg (default 1, the paper\'s; a resume keeps the run\'s)' })
    .option('workers', {
      type: 'string',
      describe: 'threads that compute each step, each on a contiguous share of the batch (default: the cores available, at most --batch; 1: the single-thread trainer). '
        + 'Determinism: the same seed and --workers give the same numbers, bit for bit, resumed or not; another --workers gives other numbers '
        + '(float rounding, and batch norm normalizes each share with its own statistics, as PyTorch DDP without SyncBN)',
    }),
  handler: async (a) => {
    if (a.step !== 1 && a.step !== 2 && a.step !== 3) throw new UsageError(`--step ${String(a.step)} is not allowed: use 1, 2 or 3`);
    if (a.step === 1 && !a.data) throw new UsageError('--data DIR is required for --step 1 (make one with `jscc-sim dataset make --name shapes`)');
    if (a.step !== 1 && !a.from) throw new UsageError(`--from DIR is required for --step ${a.step} (step 2: an FFMNet checkpoint; step 3: a JSCC checkpoint)`);
    if (!a.out) throw new UsageError('--out DIR is required (the checkpoint folder)');
    checkOutputPath(a.out, '--out', { kind: 'folder', parents: true }); // before any work (issue 13)
    const tasks = parseTasks(a.tasks);
    const steps = parseCount('--steps', a.steps, { min: 1 });
    const batch = parseCount('--batch', a.batch, { min: 1 });
    const seed = parseCount('--seed', a.seed);
    const every = parseCount('--checkpoint-every', a['checkpoint-every']);
    const evalLimit = a['eval-images'] !== undefined ? parseCount('--eval-images', a['eval-images']) : undefined;
    const lr = parseLr(a.lr);
    const { checkWorkers } = await import('../../nn/train/step1.js');
    const { defaultWorkers } = await import('../../nn/train/parallel.js');
    const workers = a.workers === undefined ? defaultWorkers(batch, os.availableParallelism()) : checkWorkers(parseCount('--workers', a.workers, { min: 1 }), batch);
    const schedule = parseChoice('--schedule', a.schedule ?? 'step', ['step', 'cosine'] as const);
    const warmupSteps = parseCount('--warmup', a.warmup ?? '0');
    const evalEvery = parseCount('--eval-every', a['eval-every'] ?? '0');
    const evalEveryImages = parseCount('--eval-every-images', a['eval-every-images'] ?? '200', { min: 1 });
    let drops: number[] | undefined;
    try {
      const spec = a['lr-drops'];
      drops = spec === undefined ? (a.step === 1 && schedule === 'step' ? [0.5, 0.9] : undefined) : spec.trim() === '' ? [] : parseDrops(spec);
    } catch {
      throw new UsageError(`--lr-drops ${JSON.stringify(a['lr-drops'])} is not allowed: use fractions in (0, 1), e.g. 0.5,0.9`);
    }
    const { getConfig } = await import('../../nn/ffmnet/config.js');
    getConfig(a.config); // validates the name before any heavy import
    const { initBackend, parseBackendName } = await import('../../nn/backend.js');
    await initBackend(parseBackendName(a.backend));
    const tty = process.stderr.isTTY;
    const bar = tty ? new cliProgress.SingleBar({
      format: 'step 1 |{bar}| {value}/{total} steps | loss {loss} | {rate} img/s | eta {eta_formatted}',
      hideCursor: true,
    }, cliProgress.Presets.shades_classic) : undefined;
    let started = false;
    let emaRate = 0;
    const t0 = Date.now();
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const onStep = (s: { step: number; loss: number; parts: Record<string, number>; lr: number; examplesPerSec: number }, total: number) => {
        emaRate = emaRate === 0 ? s.examplesPerSec : 0.9 * emaRate + 0.1 * s.examplesPerSec;
        if (bar) {
          if (!started) { bar.start(total, s.step - 1, { loss: '-', rate: '-' }); started = true; }
          bar.update(s.step, { loss: s.loss.toFixed(3), rate: emaRate.toFixed(1) });
        } else if (s.step % 10 === 0 || s.step === total) {
          const parts = Object.entries(s.parts).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' ');
          log(`step ${s.step}/${total} loss ${s.loss.toFixed(4)} (${parts}) lr ${s.lr.toExponential(1)} ${emaRate.toFixed(1)} img/s ${((Date.now() - t0) / 1000).toFixed(0)} s`);
        }
    };
    const onEval = (done: number, total: number) => { if (!tty && (done === total || done % 160 === 0)) log(`eval ${done}/${total}`); };
    let r: { stepsDone: number; seconds: number; losses: number[]; metrics?: { images: number; mAP?: number; mIoU?: number } };
    if (a.step === 1) {
      const { trainStep1 } = await import('../../nn/train/step1.js');
      r = await trainStep1({
        data: a.data!, val: a.val, out: a.out, config: a.config, tasks, steps, batch, lr, lrDrops: drops, seed,
        schedule, warmupSteps, evalEvery, evalEveryImages, fitPriors: a['fit-priors'],
        checkpointEvery: every, resume: a.resume, evalLimit, workers, log, onStep, onEval,
      });
    } else {
      const { trainJscc } = await import('../../nn/train/jscc-steps.js');
      const { parseSnrTrain, parseTrainChannel } = await import('../../nn/jscc/train-model.js');
      const { parseJsccRatio } = await import('../../nn/jscc/ratio.js');
      const { JSCC_DOWNSAMPLES, JSCC_UPSAMPLES } = await import('../../nn/jscc/model.js');
      r = await trainJscc({
        step: a.step as 2 | 3, from: a.from!, out: a.out, data: a.data,
        ratio: a.ratio !== undefined ? parseJsccRatio(a.ratio) : undefined,
        downsample: a['jscc-downsample'] !== undefined ? parseChoice('--jscc-downsample', a['jscc-downsample'], JSCC_DOWNSAMPLES) : undefined,
        upsample: a['jscc-upsample'] !== undefined ? parseChoice('--jscc-upsample', a['jscc-upsample'], JSCC_UPSAMPLES) : undefined,
        snrTrain: a['snr-train'] !== undefined ? parseSnrTrain(a['snr-train']) : undefined,
        channel: a.channel !== undefined ? parseTrainChannel(a.channel) : undefined,
        segWeight: a['seg-weight'] !== undefined ? parseSegWeight(a['seg-weight']) : undefined,
        steps, batch, lr, lrDrops: drops, schedule, warmupSteps, seed, checkpointEvery: every, resume: a.resume, evalLimit, workers, log, onStep, onEval,
      });
    }
    bar?.stop();
    const m = r.metrics;
    const summary = {
      out: a.out, stepsDone: r.stepsDone, seconds: Math.round(r.seconds), finalLoss: r.losses.at(-1) ?? null,
      ...(m ? { evalImages: m.images, mAP50: m.mAP ?? null, mIoU: m.mIoU ?? null } : {}),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  },
};
