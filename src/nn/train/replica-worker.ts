/**
 * A data-parallel training worker (src/nn/train/parallel.ts): its own tfjs backend (the project's
 * wasm kernels registered by initBackend), a replica built from the spec with the main thread's
 * weights, and the loss and gradients of one shard per request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, parseBackendName } from '../backend.js';
import { buildReplica, type Replica } from './replica.js';
import { shardGradients, unpackWeights, weightsOf, type StepRequest, type WorkerInit, type WorkerReply } from './parallel.js';

const init = workerData as WorkerInit;
const post = (m: WorkerReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
let replica: Replica | undefined;
try {
  await initBackend(parseBackendName(init.backend));
  replica = buildReplica(init.spec);
  unpackWeights(weightsOf(replica.models), init.weights);
  post({ ready: true });
} catch (e) {
  post({ initError: (e as Error).message });
}

parentPort!.on('message', (m: StepRequest) => {
  try {
    unpackWeights(weightsOf(replica!.trained), m.weights);
    const result = shardGradients(replica!, m.batch, m.step, m.shard);
    post({ id: m.id, result }, [result.grads.buffer as ArrayBuffer, result.stats.buffer as ArrayBuffer]);
  } catch (e) {
    post({ id: m.id, error: (e as Error).stack ?? String(e) });
  }
});
