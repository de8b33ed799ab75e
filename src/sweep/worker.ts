/** Worker thread of runSweep: imports the item module, runs setup once, then one item per message. */
import { parentPort, workerData } from 'node:worker_threads';

const { module, context } = workerData as { module: string; context: unknown };

async function start(): Promise<void> {
  const mod = await import(module);
  await mod.setup?.(context);
  parentPort!.on('message', async (msg: { item: unknown }) => {
    try {
      const result = await mod.runItem(msg.item);
      parentPort!.postMessage({ result });
    } catch (e) {
      parentPort!.postMessage({ error: (e as Error)?.message ?? String(e) });
    }
  });
  parentPort!.postMessage({ ready: true });
}

start().catch((e) => parentPort!.postMessage({ error: (e as Error)?.message ?? String(e) }));
