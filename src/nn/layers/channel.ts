/**
 * The wireless channel as a tfjs layer, for training and evaluating the JSCC end to end.
 *
 * Input: the power-normalized encoder output [N, h, w, c'] (Es = 1 per complex symbol; symbol i of
 * an image is (v[2i], v[2i+1]) of its NHWC-flattened values, see ./power-norm.ts). The layer
 * flattens each image to that interleaved form, applies the channel, and restores the shape.
 *
 * SNR (Es/N0 in dB; N0 = 10^(-SNR/10) total complex noise variance, N0/2 per real dimension):
 * - fixed: `snrDb`;
 * - per batch: `snrRange: [lo, hi]`, a uniform draw for every call, from Rng(seed).split(call);
 * - `noiseless`: identity.
 * `setSnr()` changes the setting between batches; `lastSnrDb` is the SNR the last call used.
 *
 * The channel: any Channel with a differentiable `applyTensor(x, snrDb, seed)`, given as an object
 * or as a built-in name from channels/registry.ts ('awgn' default, 'rayleigh', 'rayleigh-block')
 * with `channelParams`. The per-call SNR and the channel's noise seed both come from
 * Rng(seed).split(call), so one seed fixes every draw of a training run.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng.js';
import type { Channel, ChannelParams } from '../../core/types.js';
import { createBuiltinChannel } from '../../../channels/registry.js';

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];

/** A number (dB), a [lo, hi] range drawn per batch, or null for noiseless. */
export type SnrSetting = number | readonly [number, number] | null;

export interface ChannelLayerOptions {
  /** A built-in channel name (channels/registry.ts) or a Channel object with applyTensor. Default 'awgn'. */
  channel?: string | Channel;
  /** Parameters for a channel given by name (as `--channel-param k=v`). */
  channelParams?: ChannelParams;
  snrDb?: number;
  snrRange?: [number, number];
  noiseless?: boolean;
  /** Seed for the SNR draws and the noise (default 1). */
  seed?: number;
  name?: string;
  [key: string]: unknown;
}

function checkSetting(s: SnrSetting): SnrSetting {
  if (s === null) return s;
  if (typeof s === 'number') {
    if (!Number.isFinite(s)) throw new RangeError(`ChannelLayer: SNR ${s} dB must be finite`);
    return s;
  }
  const [lo, hi] = s;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) throw new RangeError(`ChannelLayer: SNR range [${lo}, ${hi}] dB must be finite with lo <= hi`);
  return [lo, hi];
}

export class ChannelLayer extends tf.layers.Layer {
  static className = 'ChannelLayer';
  readonly seed: number;
  private readonly channel: Channel;
  private readonly channelParams: ChannelParams;
  private setting: SnrSetting;
  private calls = 0;
  /** The SNR (dB) used by the most recent call; null before any or when noiseless. */
  lastSnrDb: number | null = null;

  constructor(options: ChannelLayerOptions = {}) {
    super({ ...options, trainable: false } as LayerArgs);
    const given0 = options.channel ?? 'awgn';
    this.channelParams = { ...(options.channelParams ?? (typeof given0 === 'string' ? {} : given0.params)) };
    this.channel = typeof given0 === 'string' ? createBuiltinChannel(given0, this.channelParams) : given0;
    this.seed = options.seed ?? 1;
    if (!Number.isSafeInteger(this.seed) || this.seed < 0) throw new RangeError(`ChannelLayer: seed ${this.seed} must be a non-negative integer`);
    const given = [options.snrDb !== undefined, options.snrRange !== undefined, options.noiseless === true].filter(Boolean).length;
    if (given > 1) throw new RangeError('ChannelLayer: give one of snrDb, snrRange or noiseless');
    this.setting = checkSetting(options.noiseless ? null : options.snrRange ? [options.snrRange[0], options.snrRange[1]] : options.snrDb ?? null);
    if (typeof this.channel.applyTensor !== 'function') {
      throw new RangeError(`ChannelLayer: channel ${this.channel.name} has no differentiable applyTensor (use awgn, rayleigh or rayleigh-block)`);
    }
  }

  get channelName(): string {
    return this.channel.name;
  }

  get snrSetting(): SnrSetting {
    return this.setting;
  }

  /** Change the SNR between batches (a number, [lo, hi] drawn per batch, or null: noiseless). */
  setSnr(setting: SnrSetting): void {
    this.setting = checkSetting(setting);
  }

  /** Restart the per-call draws (same seed -> same SNRs and noise again). */
  resetDraws(): void {
    this.calls = 0;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (this.setting === null) {
      this.lastSnrDb = null;
      return tf.clone(x);
    }
    const rng = new Rng(this.seed).split(this.calls++);
    const snrDb = typeof this.setting === 'number' ? this.setting : this.setting[0] + (this.setting[1] - this.setting[0]) * rng.uniform();
    const noiseSeed = rng.uint32();
    this.lastSnrDb = snrDb;
    return tf.tidy(() => {
      const flat = tf.reshape(x, [x.shape[0], -1]);
      const y = this.channel.applyTensor!(flat, snrDb, noiseSeed) as tf.Tensor;
      return tf.reshape(y, x.shape);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const s = this.setting;
    return {
      ...super.getConfig(),
      channel: this.channelName,
      channelParams: { ...this.channelParams } as tf.serialization.ConfigDictValue,
      seed: this.seed,
      ...(s === null ? { noiseless: true } : typeof s === 'number' ? { snrDb: s } : { snrRange: [s[0], s[1]] }),
    };
  }
}
