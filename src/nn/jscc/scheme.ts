/**
 * The JSCC transmission scheme (docs/architecture.md): encoder -> power norm -> channelUses complex
 * symbols -> the shared Channel (the same object as every other scheme) -> decoder. The encoder's
 * output [1, h, w, c'] in NHWC order is read as interleaved (re, im) pairs, exactly as the PowerNorm
 * layer counts them, so Es = 1 per complex symbol and SNR = Es/N0 means the same here as for the
 * separate schemes.
 */
import * as tf from '@tensorflow/tfjs';
import type { Channel, Feature, Scheme, TransmitResult } from '../../core/types.js';
import type { Rng } from '../../core/rng.js';

export class JsccScheme implements Scheme {
  readonly name = 'jscc';
  readonly channelUses: number;
  readonly compressionRatio: number;
  /** D1 shape [H, W, C] the encoder takes. */
  readonly inputShape: number[];
  private readonly latentShape: number[];

  constructor(readonly spec: string, private readonly encoder: tf.LayersModel, private readonly decoder: tf.LayersModel) {
    const out = encoder.outputs[0].shape;
    this.latentShape = out.slice(1) as number[];
    const reals = this.latentShape.reduce((a, b) => a * b, 1);
    if (reals % 2 !== 0) throw new Error(`JSCC encoder output ${JSON.stringify(out)} holds an odd number of reals`);
    this.channelUses = reals / 2;
    this.inputShape = encoder.inputs[0].shape.slice(1) as number[];
    this.compressionRatio = this.inputShape.reduce((a, b) => a * b, 1) / reals;
  }

  /** Encode a batch of features to channel symbols (one Float32Array of 2*channelUses reals each). */
  encode(features: Feature[]): Float32Array[] {
    const [h, w, c] = features[0].shape;
    const buf = new Float32Array(features.length * h * w * c);
    features.forEach((f, i) => buf.set(f.data, i * h * w * c));
    const z = tf.tidy(() => this.encoder.predict(tf.tensor4d(buf, [features.length, h, w, c])) as tf.Tensor);
    const data = z.dataSync() as Float32Array;
    z.dispose();
    const m = 2 * this.channelUses;
    return features.map((_, i) => data.slice(i * m, (i + 1) * m));
  }

  /** Decode a batch of received symbol vectors to features of shape `shape`. */
  decode(received: Float32Array[], shape: [number, number, number]): Feature[] {
    const m = 2 * this.channelUses;
    const buf = new Float32Array(received.length * m);
    received.forEach((y, i) => buf.set(y, i * m));
    const d = tf.tidy(() => this.decoder.predict(tf.tensor(buf, [received.length, ...this.latentShape])) as tf.Tensor);
    const data = d.dataSync() as Float32Array;
    d.dispose();
    const size = shape[0] * shape[1] * shape[2];
    return received.map((_, i) => ({ data: data.slice(i * size, (i + 1) * size), shape }));
  }

  transmit(feature: Feature, channel: Channel, snrDb: number, rng: Rng): TransmitResult {
    return this.transmitBatch([feature], channel, snrDb, [rng])[0];
  }

  /** Batched form (one tfjs call per half): rngs[i] drives image i's channel draws. */
  transmitBatch(features: Feature[], channel: Channel, snrDb: number, rngs: Rng[]): TransmitResult[] {
    return this.transmitEncoded(this.encode(features), features[0].shape, channel, snrDb, rngs);
  }

  /**
   * The channel and the decoder for symbols from `encode` (a sweep encodes once and sends at every
   * SNR point): z is left as it is, each image's symbols go to the channel as a copy.
   */
  transmitEncoded(z: Float32Array[], shape: [number, number, number], channel: Channel, snrDb: number, rngs: Rng[]): TransmitResult[] {
    if (z.length !== rngs.length) throw new RangeError(`transmitEncoded: ${z.length} symbol vectors but ${rngs.length} random streams`);
    const y = z.map((zi, i) => channel.apply(zi.slice(), snrDb, rngs[i]).y);
    const out = this.decode(y, shape);
    return out.map((f) => ({
      feature: f.data, channelUses: this.channelUses, failed: false,
      stats: { compressionRatio: this.compressionRatio },
    }));
  }
}
