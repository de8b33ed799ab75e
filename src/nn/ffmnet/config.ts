/**
 * FFMNet configurations (paper Sec. II-B; docs/architecture.md, "Models and checkpoints").
 *
 * Naming follows the paper: Res1..Res4 are the four bottleneck stages of the ResNet backbone
 * (ResNet-50's conv2_x..conv5_x), Res5 is the extra stage; Res2..Res5 are fused (FSSD) into D1 at
 * Res2's resolution (input / 8), and the parser derives D2..D7 from D1, halving the size each time
 * (a 1x1 map stays 1x1).
 */
import { UsageError } from '../../core/errors.js';
import type { ResizeMode } from '../layers/resize.js';

export type Task = 'det' | 'seg';

export interface FFMNetConfig {
  /** Config name, stored in checkpoints; a checkpoint only loads into the same name. */
  name: string;
  /** Square input size in pixels (divisible by 8). */
  inputSize: number;
  /** Object classes, background excluded (the heads predict numClasses + 1). */
  numClasses: number;
  /** Stem: 7x7 stride-2 conv to this many channels, then 3x3 stride-2 max pool (input / 4). */
  stemChannels: number;
  /** Bottleneck blocks per stage Res1..Res4 (ResNet-50: [3, 4, 6, 3]). */
  depths: [number, number, number, number];
  /** Output channels of Res1..Res4 (ResNet-50: [256, 512, 1024, 2048]); bottleneck width = out / 4. */
  widths: [number, number, number, number];
  /** Stem kernel size (ResNet: 7). */
  stemKernel: number;
  /** Output channels of the extra stage Res5 (one stride-2 bottleneck). */
  res5Width: number;
  /** D1 channels C (the feature that crosses the channel). */
  d1Channels: number;
  /**
   * Width of the fusion's lateral 1x1 convs, their sum F0 and its 3x3 conv (default: d1Channels,
   * the paper's). When narrower, a 1x1 conv + BN + ReLU expands the fused feature to d1Channels.
   */
  fusionChannels?: number;
  /** Channels of D2..D7 (paper: 512, the same as D1). */
  parserChannels: number;
  /** Bottleneck width inside the parser blocks. */
  parserMid: number;
  /** Dilation rate of the dilated bottlenecks that make D2 and D3. */
  dilation: number;
  /** Number of parser scales D1..D{scales} (paper: 7). */
  scales: number;
  /** Prior boxes per location at each scale (SSD: 4 or 6 aspect-ratio sets). */
  anchorsPerScale: number[];
  /** SSD prior scales (fraction of the input side) at D1 and at the last scale, linear between. */
  priorScales: [number, number];
  /**
   * Explicit prior scale per scale map plus one (the extra square prior of map k is
   * sqrt(s_k s_{k+1})); overrides priorScales. Fitted to a data set's boxes by src/nn/ssd/fit.ts.
   */
  priorSizes?: number[];
  /**
   * Bilinear resize alignment of every upsampling in the model: 'half-pixel' (PyTorch / TF2
   * centres) or 'legacy' (tfjs' UpSampling2D rule). A checkpoint without this field was trained
   * with 'legacy' (jscc-sim 0.1) and is rebuilt so.
   */
  resize?: ResizeMode;
  /** Channels of each scale after the segmentation head's 1x1 conv (paper: 64). */
  segChannels: number;
  /** Batch-norm momentum for the moving statistics. */
  bnMomentum: number;
}

/** The paper's FFMNet: 512x512 input, ResNet-50, D1 = 64x64x512, 117 classes (Open Images subset). */
export const paperConfig: FFMNetConfig = {
  name: 'paper',
  inputSize: 512,
  numClasses: 117,
  stemChannels: 64,
  stemKernel: 7,
  depths: [3, 4, 6, 3],
  widths: [256, 512, 1024, 2048],
  res5Width: 2048,
  d1Channels: 512,
  parserChannels: 512,
  parserMid: 128,
  dilation: 2,
  scales: 7,
  anchorsPerScale: [4, 6, 6, 6, 6, 4, 4],
  priorScales: [0.1, 0.9],
  segChannels: 64,
  bnMomentum: 0.99,
  resize: 'half-pixel',
};

/**
 * The default config: the same architecture, narrow and shallow, on the shapes data set's 128x128
 * images, sized so that the paper's experiments keep their meaning (issue 11):
 * - D1 = 16x16x512 (the paper's C = 512): JSCC at ratio 512, (H/4, W/4, C/32) = 4x4x16, sends 128
 *   complex channel uses per image (16x16x128 left 32, about 66 bits at 5 dB); Table III's four
 *   ratios stay valid shapes (128: 8x8x16, 256: 8x8x8, 512: 4x4x16, 1024: 4x4x8). The fusion
 *   runs at 128 channels and a 1x1 conv expands to 512: a full-width 3x3 fusion conv at C = 512
 *   would be 2.4M of the model's parameters and most of its cost.
 * - 5 scales D1..D5 (16, 8, 4, 2, 1): with 7, three 1x1 maps held 14 priors, all centred on the
 *   image, that received 5 % of the matches.
 * - Prior scales fitted to the shapes set's boxes (src/nn/ssd/fit.ts on 800 images of
 *   `dataset make --seed 7`: objects span 0.15 / 0.29 / 0.47 of the side at the 5th / 50th / 95th
 *   percentile): 99.8 % of the boxes have a prior at IoU >= 0.5 and 15 priors each, where the
 *   linear 0.08..0.7 rule left 3.5 % uncovered with 5 (7 scales: 16 %, 2.7).
 * - Half-pixel bilinear resizes (src/nn/layers/resize.ts).
 */
export const defaultConfig: FFMNetConfig = {
  name: 'default',
  inputSize: 128,
  numClasses: 6,
  stemChannels: 24,
  stemKernel: 5,
  depths: [1, 1, 2, 1],
  widths: [48, 96, 160, 192],
  res5Width: 192,
  d1Channels: 512,
  fusionChannels: 128,
  parserChannels: 96,
  parserMid: 32,
  dilation: 2,
  scales: 5,
  anchorsPerScale: [4, 6, 6, 6, 4],
  priorScales: [0.17, 0.485],
  priorSizes: [0.17, 0.447, 0.447, 0.447, 0.447, 0.485],
  segChannels: 32,
  bnMomentum: 0.9,
  resize: 'half-pixel',
};

export const configs: Record<string, FFMNetConfig> = { paper: paperConfig, default: defaultConfig };

/** Look up a config by name (`paper`, `default`), optionally overriding the class count. */
export function getConfig(name: string, overrides: Partial<FFMNetConfig> = {}): FFMNetConfig {
  const base = configs[name];
  if (!base) throw new UsageError(`config ${JSON.stringify(name)} is not allowed: use one of ${Object.keys(configs).join(', ')}`);
  // Fitted prior scales belong to the base's maps: overriding the maps without new ones drops them.
  const refit = !('priorSizes' in overrides) && ['scales', 'inputSize', 'anchorsPerScale', 'priorScales'].some((k) => k in overrides);
  return validateConfig({ ...base, ...(refit ? { priorSizes: undefined } : {}), ...overrides, name: overrides.name ?? base.name });
}

/** Check the structural parameters; throws a UsageError naming the bad one. */
export function validateConfig(c: FFMNetConfig): FFMNetConfig {
  const posInt = (v: number) => Number.isInteger(v) && v > 0;
  const d1 = c.inputSize / 8;
  // Power-of-two D1 keeps every resize between scales an integer factor.
  if (!posInt(c.inputSize) || !Number.isInteger(d1) || (d1 & (d1 - 1)) !== 0) {
    throw new UsageError(`inputSize ${c.inputSize} is not allowed: use 8 times a power of two (e.g. 128, 256, 512)`);
  }
  if (!posInt(c.numClasses)) throw new UsageError(`numClasses ${c.numClasses} is not allowed: use an integer >= 1`);
  for (const [k, v] of Object.entries({ stemChannels: c.stemChannels, res5Width: c.res5Width, d1Channels: c.d1Channels, parserChannels: c.parserChannels, parserMid: c.parserMid, segChannels: c.segChannels, dilation: c.dilation, stemKernel: c.stemKernel })) {
    if (!posInt(v)) throw new UsageError(`${k} ${v} is not allowed: use a positive integer`);
  }
  if (c.depths.length !== 4 || !c.depths.every(posInt)) throw new UsageError(`depths ${JSON.stringify(c.depths)} is not allowed: use 4 positive integers`);
  if (c.widths.length !== 4 || !c.widths.every((w) => posInt(w) && w % 4 === 0)) throw new UsageError(`widths ${JSON.stringify(c.widths)} is not allowed: use 4 positive multiples of 4`);
  if (!Number.isInteger(c.scales) || c.scales < 3) throw new UsageError(`scales ${c.scales} is not allowed: use an integer >= 3 (D2, D3 are dilated)`);
  if (c.anchorsPerScale.length !== c.scales || !c.anchorsPerScale.every((a) => a === 4 || a === 6)) {
    throw new UsageError(`anchorsPerScale ${JSON.stringify(c.anchorsPerScale)} is not allowed: use ${c.scales} entries, each 4 or 6`);
  }
  const [s0, s1] = c.priorScales ?? [];
  if (!(s0 > 0 && s1 >= s0 && s1 <= 1)) throw new UsageError(`priorScales ${JSON.stringify(c.priorScales)} is not allowed: use [min, max] with 0 < min <= max <= 1`);
  if (c.priorSizes !== undefined && (!Array.isArray(c.priorSizes) || c.priorSizes.length !== c.scales + 1 || !c.priorSizes.every((v) => v > 0 && v <= 1.5))) {
    throw new UsageError(`priorSizes ${JSON.stringify(c.priorSizes)} is not allowed: use ${c.scales + 1} scales in (0, 1.5]`);
  }
  if (c.fusionChannels !== undefined && !posInt(c.fusionChannels)) throw new UsageError(`fusionChannels ${c.fusionChannels} is not allowed: use a positive integer`);
  if (c.resize !== undefined && c.resize !== 'half-pixel' && c.resize !== 'legacy') throw new UsageError(`resize ${JSON.stringify(c.resize)} is not allowed: use half-pixel or legacy`);
  return c;
}

/** Spatial sizes of D1..D{scales}: input / 8, then halved (ceil) each scale. */
export function scaleSizes(c: FFMNetConfig): number[] {
  const sizes = [c.inputSize / 8];
  for (let i = 1; i < c.scales; i++) sizes.push(Math.ceil(sizes[i - 1] / 2));
  return sizes;
}

/** Parse `--tasks det,seg|det|seg`. */
export function parseTasks(spec: string | undefined): Task[] {
  const s = (spec ?? 'det,seg').trim();
  const parts = s.split(',').map((t) => t.trim()).filter(Boolean);
  const ok = parts.length > 0 && parts.every((t) => t === 'det' || t === 'seg') && new Set(parts).size === parts.length;
  if (!ok) throw new UsageError(`--tasks ${JSON.stringify(spec)} is not allowed: use det,seg, det or seg`);
  return (['det', 'seg'] as Task[]).filter((t) => parts.includes(t));
}
