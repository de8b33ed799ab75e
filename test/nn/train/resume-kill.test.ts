/**
 * Exact resume with a real kill: a training process killed by SIGKILL after a checkpoint, then
 * resumed, ends with weights, batch-norm statistics and Adam state byte-identical to an
 * uninterrupted run's; its training log is the uninterrupted run's log.
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

const files = ['device/weights.bin', 'edge/weights.bin', 'optimizer.bin'];

test('killed after a checkpoint and resumed == uninterrupted, bit for bit', async () => {
  const a = path.join(work, 'a');
  const full = spawnSync(process.execPath, [child, a, String(STEPS)], { encoding: 'utf8' });
  assert.is(full.status, 0, full.stderr);

  const b = path.join(work, 'b');
  const p = spawn(process.execPath, [child, b, String(STEPS)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => p.on('exit', () => resolve()));
  // Kill as soon as the step-4 checkpoint is in place (the run may be a step or two further).
  while (stepsDone(b) < 4 && p.exitCode === null) await new Promise((r) => setTimeout(r, 20));
  p.kill('SIGKILL');
  await exited;
  const at = stepsDone(b);
  assert.ok(at >= 4 && at < STEPS, `killed mid-run (checkpoint at step ${at})`);
  const resumed = spawnSync(process.execPath, [child, b, String(STEPS), 'resume'], { encoding: 'utf8' });
  assert.is(resumed.status, 0, resumed.stderr);
  assert.is(stepsDone(b), STEPS);
  for (const f of files) {
    assert.ok(existsSync(path.join(b, f)), f);
    assert.ok(readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f))), `${f} differs after resume from step ${at}`);
  }
  const strip = (file: string) => readFileSync(file, 'utf8').trim().split('\n').slice(1)
    .map((l) => { const r = JSON.parse(l); delete r.imagesPerSec; delete r.seconds; return JSON.stringify(r); });
  assert.equal(strip(trainLogPath(b)), strip(trainLogPath(a)), 'training logs agree');
});

test.run();
