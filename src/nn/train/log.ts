/**
 * The training log: JSON Lines beside the checkpoint (`<out>.train-log.jsonl`). Line 1 is a header
 * `{ kind: 'train-log', trainingStep, config, seed, ... }`; then one record per step
 * `{ step, imagesSeen, lr, loss, parts, imagesPerSec, seconds }` and one per held-out evaluation
 * `{ step, eval: { split, images, mAP, mIoU, ... } }`, appended as they happen. A resumed run first
 * cuts the records after its checkpoint's step, so the log always describes one run. `jscc-sim
 * report` draws it as training curves.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import type { StepReport } from './engine.js';

export const TRAIN_LOG_KIND = 'train-log';

export function trainLogPath(out: string): string {
  return `${out.replace(/[\\/]+$/, '')}.train-log.jsonl`;
}

export class TrainLog {
  readonly path: string;

  /**
   * Start the log of a fresh run (`resumeAt` undefined: replaces an earlier log of this tool at that
   * path) or continue one (`resumeAt` = the checkpoint's step: later records are dropped).
   */
  constructor(file: string, header: Record<string, unknown>, resumeAt?: number) {
    this.path = file;
    const head = JSON.stringify({ kind: TRAIN_LOG_KIND, ...header });
    if (existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
      let first: { kind?: unknown } | undefined;
      try { first = JSON.parse(lines[0] ?? ''); } catch { first = undefined; }
      if (first?.kind !== TRAIN_LOG_KIND) throw new UsageError(`${file} exists and is not a jscc-sim training log: move it away or choose another --out`);
      if (resumeAt !== undefined) {
        const keep = [lines[0]];
        for (const l of lines.slice(1)) {
          try {
            const r = JSON.parse(l) as { step?: number };
            if (typeof r.step === 'number' && r.step <= resumeAt) keep.push(l);
          } catch { /* a torn last line of a killed run */ }
        }
        this.replace(keep.join('\n') + '\n');
        return;
      }
    }
    this.replace(head + '\n');
  }

  private replace(text: string): void {
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, this.path);
  }

  /** The record of an optimizer step; images seen = step x batch (steps are counted from 1). */
  appendStep(r: StepReport, batch: number): void {
    this.append({ step: r.step, imagesSeen: r.step * batch, lr: r.lr, loss: r.loss, parts: r.parts, imagesPerSec: r.examplesPerSec, seconds: r.seconds });
  }

  append(record: Record<string, unknown>): void {
    appendFileSync(this.path, JSON.stringify(record) + '\n');
  }
}
