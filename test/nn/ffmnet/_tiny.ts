/** A tiny FFMNet config for fast tests (same architecture, 64x64 input, D1 = 8x8x16). */
import { getConfig, type FFMNetConfig } from '../../../src/nn/ffmnet/config.js';

export function tinyConfig(numClasses = 2): FFMNetConfig {
  return getConfig('default', {
    name: 'tiny', inputSize: 64, numClasses, stemChannels: 8, stemKernel: 3, depths: [1, 1, 1, 1], widths: [16, 16, 32, 32],
    res5Width: 32, d1Channels: 16, fusionChannels: 16, parserChannels: 16, parserMid: 8, segChannels: 8, priorScales: [0.15, 0.8],
  });
}
