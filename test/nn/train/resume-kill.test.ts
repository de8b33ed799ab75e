/**
 * Exact resume with a real kill: a training process killed by SIGKILL after a checkpoint, then
 * resumed, ends with weights, batch-norm statistics and Adam state byte-identical to an
 * uninterrupted run's; its training log is the uninterrupted run's log. Step 1 on one thread and
 * on two (data-parallel workers), and step 2 (JSCC through a 0 dB channel) on two.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainLogPath } from '../../../src/nn/train/log.js';

const work = mkdtempSync(path.join(tmpdir(), 'jscc-kill-'));
test.after(() => rmSync(work, { recursive: true, force: true }));
const child = fileURLToPath(new URL('./_resume-child.js', import.meta.url));
const STEPS = 8;

function stepsDone(out: string): number {
  try {
    return (JSON.parse(readFileSync(path.join(out, 'config.json'), 'utf8')) as { meta: { stepsDone: number } }).meta.stepsDone;
  } catch {
    return 0;
  }
}

function runChild(args: string[]): void {
  const r = spawnSync(process.execPath, [child, ...args], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
}

/** Train uninterrupted into `name`-a; train into `name`-b, kill it after step 4's checkpoint, resume; compare. */
async function killAndResume(name: string, kind: string, workers: number, files: string[], from?: string): Promise<void> {
  const extra = from ? [from] : [];
  const a = path.join(work, `${name}-a`);
  runChild([kind, a, String(STEPS), 'fresh', String(workers), ...extra]);

  const b = path.join(work, `${name}-b`);
  const p = spawn(process.execPath, [child, kind, b, String(STEPS), 'fresh', String(workers), ...extra], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => p.on('exit', () => resolve()));
  // Kill as soon as the step-4 checkpoint is in place (the run may be a step or two further).
  while (stepsDone(b) < 4 && p.exitCode === null) await new Promise((r) => setTimeout(r, 20));
  p.kill('SIGKILL');
  await exited;
  const at = stepsDone(b);
  assert.ok(at >= 4 && at < STEPS, `killed mid-run (checkpoint at step ${at})`);
  runChild([kind, b, String(STEPS), 'resume', String(workers), ...extra]);
  assert.is(stepsDone(b), STEPS);
  for (const f of files) {
    assert.ok(existsSync(path.join(b, f)), f);
    assert.ok(readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f))), `${f} differs after resume from step ${at}`);
  }
  if (kind === 'step1') {
    const strip = (file: string) => readFileSync(file, 'utf8').trim().split('\n').slice(1)
      .map((l) => { const r = JSON.parse(l); delete r.imagesPerSec; delete r.seconds; return JSON.stringify(r); });
    assert.equal(strip(trainLogPath(b)), strip(trainLogPath(a)), 'training logs agree');
  }
}

const ffmnetFiles = ['device/weights.bin', 'edge/weights.bin', 'optimizer.bin'];

test('step 1: killed after a checkpoint and resumed == uninterrupted, bit for bit', async () => {
  await killAndResume('s1', 'step1', 1, ffmnetFiles);
});

test('step 1 on 2 workers: killed and resumed == uninterrupted, bit for bit', async () => {
  await killAndResume('s1w2', 'step1', 2, ffmnetFiles);
});

test('step 2 on 2 workers (0 dB channel): killed and resumed == uninterrupted, bit for bit', async () => {
  const from = path.join(work, 'ffmnet');
  runChild(['make', from, '0', 'fresh', '1']);
  await killAndResume('s2w2', 'step2', 2, ['encoder/weights.bin', 'decoder/weights.bin', 'optimizer.bin'], from);
});

test.run();
