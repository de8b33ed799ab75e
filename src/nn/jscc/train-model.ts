/**
 * The JSCC training graph (paper Sec. II-C, II-D): image -> device -> D1 -> encoder -> channel ->
 * decoder -> D1' -> edge -> task outputs, with the channel as a differentiable ChannelLayer.
 *
 * The channel of step s is a fresh ChannelLayer seeded from (seed, s), so the SNR drawn for a
 * batch and its noise depend only on (seed, step): a resumed run sees the draws of an
 * uninterrupted one. SNR = Es/N0 in dB with Es = 1 per complex symbol (PowerNorm), as everywhere.
 */
import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Channel } from '../../core/types.js';
import { createBuiltinChannel } from '../../../channels/registry.js';
import { ChannelLayer, type SnrSetting } from '../layers/channel.js';

/** Channels the JSCC trains through (those with a differentiable applyTensor). */
export const JSCC_TRAIN_CHANNELS = ['awgn', 'rayleigh'] as const;
export type JsccTrainChannel = (typeof JSCC_TRAIN_CHANNELS)[number];

/** Parse `--snr-train DB | LO..HI | none` (UsageError naming the value). */
export function parseSnrTrain(value: unknown): SnrSetting {
  const s = String(value ?? '').trim();
  const allowed = 'use a number in dB (5), a range LO..HI drawn per batch (0..10), or none (noiseless)';
  if (s === 'none' || s === 'noiseless') return null;
  const num = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
  const m = /^(.+?)\.\.(.+)$/.exec(s);
  if (m) {
    const lo = m[1].trim(), hi = m[2].trim();
    if (!num.test(lo) || !num.test(hi) || Number(lo) > Number(hi)) throw new UsageError(`--snr-train ${JSON.stringify(value)} is not allowed: ${allowed}`);
    return [Number(lo), Number(hi)];
  }
  if (!num.test(s)) throw new UsageError(`--snr-train ${JSON.stringify(value)} is not allowed: ${allowed}`);
  return Number(s);
}

/** A label for logs and meta: "5 dB", "0..10 dB", "noiseless". */
export function snrLabel(s: SnrSetting): string {
  return s === null ? 'noiseless' : typeof s === 'number' ? `${s} dB` : `${s[0]}..${s[1]} dB`;
}

/** The SNR at which a model trained at `s` is evaluated at the end of training (null: noiseless). */
export function evalSnrOf(s: SnrSetting): number | null {
  return s === null ? null : typeof s === 'number' ? s : (s[0] + s[1]) / 2;
}

export function parseTrainChannel(value: unknown): JsccTrainChannel {
  const s = String(value ?? 'awgn').trim().toLowerCase();
  if (!(JSCC_TRAIN_CHANNELS as readonly string[]).includes(s)) {
    throw new UsageError(`--channel ${JSON.stringify(value)} is not allowed for training: use ${JSCC_TRAIN_CHANNELS.join(' or ')}`);
  }
  return s as JsccTrainChannel;
}

/** The numeric channel object (Float32Array in/out) that `eval` uses for this name. */
export function numericChannel(name: JsccTrainChannel): Channel {
  return createBuiltinChannel(name);
}

/**
 * The channel layer for training step `step`: AWGN from the project's Rng (ChannelLayer's
 * built-in), Rayleigh through channels/rayleigh.ts' applyTensor (fast fading, perfect-CSI ZF).
 */
export function channelLayerFor(name: JsccTrainChannel, snr: SnrSetting, seed: number, step: number): ChannelLayer {
  const layerSeed = new Rng(seed).split(0x6a5c, step).uint32();
  const channel: string | Channel = name === 'awgn' ? 'awgn' : numericChannel(name);
  const setting = snr === null ? { noiseless: true } : typeof snr === 'number' ? { snrDb: snr } : { snrRange: [snr[0], snr[1]] as [number, number] };
  return new ChannelLayer({ channel, seed: layerSeed, name: 'jscc_channel', ...setting });
}

export interface JsccGraph {
  device: tf.LayersModel;
  edge: tf.LayersModel;
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
}

export interface ForwardResult {
  /** D1' (decoder output). */
  d1Hat: tf.Tensor4D;
  /** Edge outputs in the edge model's order. */
  outputs: tf.Tensor[];
}

/** D1 -> encoder -> channel -> decoder -> edge; `trainEdge` runs the edge's batch norm in training mode. */
export function forwardFromD1(g: JsccGraph, d1: tf.Tensor4D, channel: ChannelLayer, trainEdge: boolean): ForwardResult {
  const z = g.encoder.apply(d1, { training: true }) as tf.Tensor;
  const y = channel.apply(z) as tf.Tensor;
  const d1Hat = g.decoder.apply(y, { training: true }) as tf.Tensor4D;
  const out = g.edge.apply(d1Hat, { training: trainEdge }) as tf.Tensor | tf.Tensor[];
  return { d1Hat, outputs: Array.isArray(out) ? out : [out] };
}

/** Mean absolute error between D1 and D1' (the step-2 feature loss). */
export function l1Loss(d1: tf.Tensor, d1Hat: tf.Tensor): tf.Scalar {
  return tf.mean(tf.abs(tf.sub(d1, d1Hat))) as tf.Scalar;
}
