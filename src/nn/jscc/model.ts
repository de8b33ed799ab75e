/**
 * The deep JSCC autoencoder for D1 (paper Sec. II-C, Fig. 4; docs/architecture.md, "Models and checkpoints").
 *
 *   encoder (device): downsample by s -> Conv 3x3 to C' -> GDN -> PowerNorm
 *   decoder (edge):   Conv 3x3 -> IGDN / upsample by s -> Conv 3x3 to C -> ReLU
 *
 * The paper names neither resampling method; two pairs are built (JsccConfig.downsample/upsample):
 *   'avgpool' + 'bilinear' (jscc-sim 0.1/0.2): AveragePool s x s, then Conv to C'; decoder Conv to
 *     `hidden` -> IGDN -> bilinear x s -> Conv to C.
 *   'space-to-depth' + 'depth-to-space' (the default for new models since 0.3): space-to-depth by s
 *     (every D1 value reaches the conv, so position inside each s x s cell survives), Conv to C';
 *     decoder Conv to hidden*s^2 -> depth-to-space (sub-pixel upsampling) -> IGDN -> Conv to C.
 *     Measured on the default FFMNet at ratio 512: see models/default/README.md.
 *
 * Downsampling by average pooling (the first pair): the paper needs a stride-4 reduction that a 3x3 strided conv
 * cannot do without skipping pixels, and it keeps the device side light (asymmetric design). Pooling
 * is parameter-free, looks at every pixel, and costs H*W*C adds; the 3x3 conv after it then acts on
 * a 16x smaller map (stride 4) than a conv-then-pool order would. The decoder mirrors it with a
 * bilinear resize (gradients present on wasm) between its two convs, recovering the channels
 * gradually (C' -> hidden -> C). The final ReLU keeps D1' in D1's range (D1 is post-ReLU).
 *
 * The power-normalized encoder output [N, H/s, W/s, C'] is the channel input: each image's values in
 * NHWC order, paired (re, im), give channelUses = (H/s)(W/s)C'/2 complex symbols with Es = 1.
 */
import * as tf from '@tensorflow/tfjs';
import { BilinearUpsample, type ResizeMode } from '../layers/resize.js';
import { UsageError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { GDN } from '../layers/gdn.js';
import { IGDN } from '../layers/igdn.js';
import { PowerNorm } from '../layers/power-norm.js';
import { DepthToSpace, SpaceToDepth } from '../layers/space-to-depth.js';
import { TABLE_III, jsccChannelUses, jsccCompressionRatio, type JsccRatio } from './ratio.js';

export { TABLE_III, JSCC_RATIOS, parseJsccRatio, jsccChannelUses, jsccCompressionRatio } from './ratio.js';
export type { JsccRatio, TableIIIRow } from './ratio.js';

export interface JsccConfig {
  /** D1 shape (H, W, C). */
  d1: [number, number, number];
  /** Spatial downsampling factor. */
  stride: 2 | 4;
  /** Encoder output channels C' (real values per position). */
  cPrime: number;
  /** Decoder's intermediate channels (default: C/4, at least C'). */
  hidden?: number;
  /** Seed of the weight initializers (default 1). */
  seed?: number;
  /** Layer-name prefix, so several JSCC models can live in one graph (default 'jscc'). */
  name?: string;
  /** Decoder upsampling alignment ('bilinear' upsampling only); absent = 'legacy' (checkpoints of jscc-sim 0.1). */
  resize?: ResizeMode;
  /** Encoder downsampling; absent = 'avgpool' (checkpoints before 0.3). */
  downsample?: JsccDownsample;
  /** Decoder upsampling; absent = 'bilinear' (checkpoints before 0.3). */
  upsample?: JsccUpsample;
}

export type JsccDownsample = 'avgpool' | 'space-to-depth';
export type JsccUpsample = 'bilinear' | 'depth-to-space';
export const JSCC_DOWNSAMPLES: readonly JsccDownsample[] = ['avgpool', 'space-to-depth'];
export const JSCC_UPSAMPLES: readonly JsccUpsample[] = ['bilinear', 'depth-to-space'];

/** The resampling `cfg` builds: its fields, or the 0.2 pair where absent (checkpoints before 0.3). */
export function jsccResampling(cfg: Pick<JsccConfig, 'downsample' | 'upsample'>): { downsample: JsccDownsample; upsample: JsccUpsample } {
  return { downsample: cfg.downsample ?? 'avgpool', upsample: cfg.upsample ?? 'bilinear' };
}

/** Resampling of new models (jsccConfigForRatio's default). */
export const DEFAULT_JSCC_RESAMPLING: { downsample: JsccDownsample; upsample: JsccUpsample } = { downsample: 'space-to-depth', upsample: 'depth-to-space' };

export interface JsccModel {
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
  /** Complex symbols per image. */
  channelUses: number;
  /** H*W*C / (2 * channelUses). */
  compressionRatio: number;
}

function positiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

/** Check a JsccConfig; UsageError naming the bad value. Returns the filled-in hidden width. */
export function validateJsccConfig(cfg: JsccConfig): { hidden: number } {
  const d1 = cfg.d1;
  if (!Array.isArray(d1) || d1.length !== 3 || !d1.every(positiveInt)) {
    throw new UsageError(`JSCC d1 ${JSON.stringify(d1)} is not allowed: use [H, W, C] positive integers`);
  }
  if (cfg.stride !== 2 && cfg.stride !== 4) throw new UsageError(`JSCC stride ${JSON.stringify(cfg.stride)} is not allowed: use 2 or 4`);
  const [h, w, c] = d1;
  if (h % cfg.stride !== 0 || w % cfg.stride !== 0) {
    throw new UsageError(`JSCC stride ${cfg.stride} does not divide D1's ${h}x${w}: H and W must be multiples of the stride`);
  }
  if (!positiveInt(cfg.cPrime)) throw new UsageError(`JSCC cPrime ${JSON.stringify(cfg.cPrime)} is not allowed: use a positive integer`);
  if (((h / cfg.stride) * (w / cfg.stride) * cfg.cPrime) % 2 !== 0) {
    throw new UsageError(`JSCC output ${h / cfg.stride}x${w / cfg.stride}x${cfg.cPrime} has an odd number of reals: cannot pair them into complex symbols`);
  }
  const hidden = cfg.hidden ?? Math.max(cfg.cPrime, Math.round(c / 4));
  if (!positiveInt(hidden)) throw new UsageError(`JSCC hidden ${JSON.stringify(cfg.hidden)} is not allowed: use a positive integer`);
  if (cfg.downsample !== undefined && !JSCC_DOWNSAMPLES.includes(cfg.downsample)) {
    throw new UsageError(`JSCC downsample ${JSON.stringify(cfg.downsample)} is not allowed: use ${JSCC_DOWNSAMPLES.join(' or ')}`);
  }
  if (cfg.upsample !== undefined && !JSCC_UPSAMPLES.includes(cfg.upsample)) {
    throw new UsageError(`JSCC upsample ${JSON.stringify(cfg.upsample)} is not allowed: use ${JSCC_UPSAMPLES.join(' or ')}`);
  }
  if (cfg.seed !== undefined && !(Number.isSafeInteger(cfg.seed) && cfg.seed >= 0)) {
    throw new UsageError(`JSCC seed ${JSON.stringify(cfg.seed)} is not allowed: use a non-negative integer`);
  }
  return { hidden };
}

/** The Table III row for `ratio` applied to D1, with `resampling` (default DEFAULT_JSCC_RESAMPLING). */
export function jsccConfigForRatio(
  d1: [number, number, number],
  ratio: JsccRatio,
  resampling: { downsample?: JsccDownsample; upsample?: JsccUpsample } = {},
): JsccConfig {
  const row = TABLE_III.find((r) => r.ratio === ratio);
  if (!row) throw new UsageError(`JSCC ratio ${JSON.stringify(ratio)} is not allowed: use one of ${TABLE_III.map((r) => r.ratio).join(', ')}`);
  const c = d1[2];
  if (c % row.channelDivisor !== 0) {
    throw new UsageError(`JSCC ratio ${ratio} needs C' = C/${row.channelDivisor}, but D1 has C = ${c} channels (not a multiple of ${row.channelDivisor})`);
  }
  return {
    d1: [d1[0], d1[1], d1[2]], stride: row.stride, cPrime: c / row.channelDivisor, resize: 'half-pixel',
    downsample: resampling.downsample ?? DEFAULT_JSCC_RESAMPLING.downsample,
    upsample: resampling.upsample ?? DEFAULT_JSCC_RESAMPLING.upsample,
  };
}

/** Build the encoder and decoder models for `cfg`. */
export function buildJscc(cfg: JsccConfig): JsccModel {
  const { hidden } = validateJsccConfig(cfg);
  const [h, w, c] = cfg.d1;
  const s = cfg.stride;
  const p = cfg.name ?? 'jscc';
  const rng = new Rng(cfg.seed ?? 1);
  const init = (i: number) => tf.initializers.glorotUniform({ seed: rng.split(i).uint32() });

  const x = tf.input({ shape: [h, w, c], name: `${p}_d1` });
  const { downsample, upsample } = jsccResampling(cfg);
  let e = (downsample === 'space-to-depth'
    ? new SpaceToDepth({ blockSize: s, name: `${p}_enc_s2d` })
    : tf.layers.averagePooling2d({ poolSize: s, strides: s, padding: 'valid', name: `${p}_enc_pool` })).apply(x) as tf.SymbolicTensor;
  e = tf.layers.conv2d({ filters: cfg.cPrime, kernelSize: 3, padding: 'same', kernelInitializer: init(0), name: `${p}_enc_conv` }).apply(e) as tf.SymbolicTensor;
  e = new GDN({ name: `${p}_enc_gdn` }).apply(e) as tf.SymbolicTensor;
  e = new PowerNorm({ name: `${p}_enc_power` }).apply(e) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: x, outputs: e, name: `${p}_encoder` });

  const z = tf.input({ shape: [h / s, w / s, cfg.cPrime], name: `${p}_symbols` });
  let d: tf.SymbolicTensor;
  if (upsample === 'depth-to-space') {
    // IGDN after the shuffle: on hidden channels, not hidden*s^2 (its matrix is channels^2).
    d = tf.layers.conv2d({ filters: hidden * s * s, kernelSize: 3, padding: 'same', kernelInitializer: init(1), name: `${p}_dec_conv1` }).apply(z) as tf.SymbolicTensor;
    d = new DepthToSpace({ blockSize: s, name: `${p}_dec_d2s` }).apply(d) as tf.SymbolicTensor;
    d = new IGDN({ name: `${p}_dec_igdn` }).apply(d) as tf.SymbolicTensor;
  } else {
    d = tf.layers.conv2d({ filters: hidden, kernelSize: 3, padding: 'same', kernelInitializer: init(1), name: `${p}_dec_conv1` }).apply(z) as tf.SymbolicTensor;
    d = new IGDN({ name: `${p}_dec_igdn` }).apply(d) as tf.SymbolicTensor;
    d = new BilinearUpsample({ factor: s, mode: cfg.resize ?? 'legacy', name: `${p}_dec_up` }).apply(d) as tf.SymbolicTensor;
  }
  d = tf.layers.conv2d({ filters: c, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2), name: `${p}_dec_conv2` }).apply(d) as tf.SymbolicTensor;
  const decoder = tf.model({ inputs: z, outputs: d, name: `${p}_decoder` });

  return { encoder, decoder, channelUses: jsccChannelUses(cfg.d1, s, cfg.cPrime), compressionRatio: jsccCompressionRatio(cfg.d1, s, cfg.cPrime) };
}
