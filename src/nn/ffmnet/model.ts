/**
 * FFMNet as two tf.LayersModels split at D1 (docs/architecture.md, "Models and checkpoints"):
 * `device` (image -> D1) and `edge` (D1 -> task outputs), plus `full`, the same layers applied as
 * one graph (image -> outputs); `forward` runs the two halves in one pass.
 * Outputs of `edge` / `full`, in this order, for the tasks built:
 *   det: cls [B, P, K+1] (logits), loc [B, P, 4] (encoded offsets, src/nn/ssd/coding.ts)
 *   seg: seg [B, H/8, W/8, K+1] (logits at D1's size)
 */
import * as tf from '@tensorflow/tfjs';
import { validateConfig, scaleSizes, type FFMNetConfig, type Task } from './config.js';
import { backbone } from './backbone.js';
import { fusion } from './fusion.js';
import { parser } from './parser.js';
import { detectionHead, segmentationHead } from './heads.js';
import { withInitSeed, type SymT } from './blocks.js';

export interface FFMNet {
  config: FFMNetConfig;
  tasks: Task[];
  device: tf.LayersModel;
  edge: tf.LayersModel;
  full: tf.LayersModel;
  /** Names of the edge outputs, e.g. ['cls', 'loc', 'seg']. */
  outputNames: string[];
}

/** Parts of the network, by layer-name prefix (for `info` and parameter counts). */
export const PARTS: { part: string; prefixes: string[]; half: 'device' | 'edge' }[] = [
  { part: 'backbone', prefixes: ['stem_', 'res1_', 'res2_', 'res3_', 'res4_', 'res5_'], half: 'device' },
  { part: 'fusion', prefixes: ['fuse_'], half: 'device' },
  { part: 'parser', prefixes: ['parse_'], half: 'edge' },
  { part: 'detHead', prefixes: ['det_'], half: 'edge' },
  { part: 'segHead', prefixes: ['seg_'], half: 'edge' },
];

export function buildDevice(c: FFMNetConfig): tf.LayersModel {
  const image = tf.input({ shape: [c.inputSize, c.inputSize, 3], name: 'image' });
  const d1 = fusion(backbone(image, c), c);
  return tf.model({ inputs: image, outputs: d1, name: 'ffmnet_device' });
}

export function buildEdge(c: FFMNetConfig, tasks: Task[]): { model: tf.LayersModel; outputNames: string[] } {
  const s = scaleSizes(c)[0];
  const d1 = tf.input({ shape: [s, s, c.d1Channels], name: 'd1' });
  const scales = parser(d1, c);
  const outputs: SymT[] = [];
  const outputNames: string[] = [];
  if (tasks.includes('det')) {
    const { cls, loc } = detectionHead(scales, c);
    outputs.push(cls, loc);
    outputNames.push('cls', 'loc');
  }
  if (tasks.includes('seg')) {
    outputs.push(segmentationHead(scales, c));
    outputNames.push('seg');
  }
  return { model: tf.model({ inputs: d1, outputs, name: 'ffmnet_edge' }), outputNames };
}

/** Build the device and edge halves (fresh weights) and their composition. */
export function buildFFMNet(config: FFMNetConfig, tasks: Task[] = ['det', 'seg'], opts: { seed?: number } = {}): FFMNet {
  const c = validateConfig(config);
  if (tasks.length === 0) throw new RangeError('tasks must name det, seg or both');
  const seed = opts.seed ?? 1;
  const device = withInitSeed(seed, () => buildDevice(c));
  const { model: edge, outputNames } = withInitSeed(seed + 1, () => buildEdge(c, tasks));
  return { config: c, tasks, device, edge, full: compose(device, edge), outputNames };
}

/**
 * image -> D1 -> outputs in one pass: device, then edge. Use this rather than `full`: tfjs runs a
 * nested model once per output it feeds, so `full` computes the edge half three times (measured:
 * 161 FusedConv2D calls instead of 73 for the default config).
 */
export function forward(net: Pick<FFMNet, 'device' | 'edge'>, x: tf.Tensor4D, training = false): tf.Tensor[] {
  const d1 = net.device.apply(x, { training }) as tf.Tensor4D;
  const y = net.edge.apply(d1, { training }) as tf.Tensor | tf.Tensor[];
  return Array.isArray(y) ? y : [y];
}

/** image -> D1 -> outputs as one model sharing the halves' layers (and weights); see `forward`. */
export function compose(device: tf.LayersModel, edge: tf.LayersModel): tf.LayersModel {
  const out = edge.apply(device.outputs[0]) as SymT | SymT[];
  return tf.model({ inputs: device.inputs, outputs: out, name: 'ffmnet' });
}

/** Shapes [H, W, C] of D1..D{scales}. */
export function featureShapes(c: FFMNetConfig): [number, number, number][] {
  return scaleSizes(c).map((s, i) => [s, s, i === 0 ? c.d1Channels : c.parserChannels]);
}

function countOf(w: tf.LayerVariable): number {
  return w.shape.reduce((a: number, b) => a * (b as number), 1);
}

/** Trainable parameter counts (batch-norm moving statistics excluded, as PyTorch counts). */
export function paramCounts(net: { device: tf.LayersModel; edge: tf.LayersModel }): Record<string, number> {
  const counts: Record<string, number> = { total: 0, device: 0, edge: 0 };
  for (const p of PARTS) counts[p.part] = 0;
  for (const [half, model] of [['device', net.device], ['edge', net.edge]] as const) {
    for (const layer of model.layers) {
      const n = layer.trainableWeights.reduce((a, w) => a + countOf(w), 0);
      if (n === 0) continue;
      counts[half] += n;
      counts.total += n;
      const part = PARTS.find((p) => p.prefixes.some((pre) => layer.name.startsWith(pre)));
      if (part) counts[part.part] += n;
      else counts.other = (counts.other ?? 0) + n;
    }
  }
  return counts;
}
