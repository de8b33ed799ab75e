/**
 * Child process for the kill test in checkpoint.test.ts, not a test: with JSCC_SIM_TEST_WRITER=1
 * it saves one model of about 16 MB to DIR over and over, printing `saved i` after each completed
 * save, until killed. Without that variable (e.g. imported by a test runner) it does nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/nn/backend.js';
import { saveCheckpoint } from '../../src/nn/checkpoint.js';

async function main(dir: string): Promise<void> {
  await initBackend('wasm');
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1000], units: 4000, kernelInitializer: 'zeros', name: 'big' })] });
  for (let i = 0; ; i++) {
    await saveCheckpoint(dir, { models: { big: model }, meta: { i } });
    process.stdout.write(`saved ${i}\n`);
  }
}

if (process.env.JSCC_SIM_TEST_WRITER === '1' && process.argv[2]) await main(process.argv[2]);
