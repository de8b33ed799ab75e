/** Worker thread for the BER engine: builds the chain once, then runs chunks on request. */
import { parentPort, workerData } from 'node:worker_threads';
import { Rng } from '../core/rng.js';
import { buildChain, type ChainSpec } from './chain.js';

interface Task { id: number; point: number; chunk: number; snrDb: number; frames: number }

const { spec, seed } = workerData as { spec: ChainSpec; seed: number };
const port = parentPort;
if (!port) throw new Error('src/sim/worker must run in a worker thread');

const ready = buildChain(spec);
const root = new Rng(seed);
port.on('message', (t: Task | { close: true }) => {
  if ('close' in t) {
    // Stop a plug-in's thread before this one is terminated (nested threads stop in order).
    ready.then((chain) => (chain.channel as { close?: () => Promise<void> }).close?.())
      .catch(() => undefined)
      .then(() => port.postMessage({ closed: true }));
    return;
  }
  ready.then((chain) => {
    const counts = chain.run(t.snrDb, t.frames, root.split(t.point, t.chunk));
    port.postMessage({ id: t.id, counts });
  }).catch((e: unknown) => {
    port.postMessage({ id: t.id, error: String((e as Error)?.message ?? e), usage: (e as Error)?.name === 'UsageError' });
  });
});
