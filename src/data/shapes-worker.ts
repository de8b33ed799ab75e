/** Worker thread for `makeShapesDataset({ workers })`: renders ranges of images on request. */
import { parentPort, workerData } from 'node:worker_threads';
import { makeShapesImage, type ShapesImageOptions } from './shapes-image.js';

export interface ShapesJob {
  splitId: number;
  start: number;
  end: number;
}

const opts = workerData as ShapesImageOptions;
parentPort!.on('message', (job: ShapesJob) => {
  try {
    const items = [];
    for (let i = job.start; i < job.end; i++) items.push(makeShapesImage(opts, job.splitId, i));
    parentPort!.postMessage({ job, items }); // copied, not transferred: Buffers may share a pooled ArrayBuffer
  } catch (e) {
    parentPort!.postMessage({ job, error: (e as Error).stack ?? String(e) });
  }
});
