/** Worker thread of src/data/prefetch.ts: opens the data source and loads index lists on request. */
import { parentPort, workerData } from 'node:worker_threads';
import { openSource, type DataSource } from './prefetch.js';

const data = openSource(workerData as DataSource);
parentPort!.on('message', (m: { id: number; indices: number[] }) => {
  try {
    const samples = m.indices.map((i) => data.load(i));
    parentPort!.postMessage({ id: m.id, samples }, samples.flatMap((s) => [s.image.buffer as ArrayBuffer, s.segMask.buffer as ArrayBuffer]).filter((b, i, a) => a.indexOf(b) === i && b.byteLength > 0));
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message });
  }
});
