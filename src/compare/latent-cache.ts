/**
 * The JSCC encoder's output per (model, batch of images): the channel symbols before the channel.
 * They depend on D1 and the encoder only, not on the SNR or the repetition, so a sweep encodes
 * each batch once per worker and every further item runs only the channel and the decoder. Batches
 * are the D1 cache's (same i0 and count), so the symbols are exactly those the encoder gives for
 * that batch and the results stay bit-identical. Bounded by bytes: a batch over the bound is
 * encoded again whenever it is needed.
 */

export class LatentCache {
  private readonly map = new Map<string, Float32Array[]>();
  private bytes = 0;
  hits = 0;

  constructor(readonly maxBytes: number) {
    if (!(maxBytes >= 0)) throw new RangeError(`latent cache bound ${maxBytes} is not allowed: use bytes >= 0`);
  }

  /** The symbols of batch (model, i0, count), from the cache or from `encode` (then kept if they fit). */
  get(model: string, i0: number, count: number, encode: () => Float32Array[]): Float32Array[] {
    const key = `${model}\u0000${i0}\u0000${count}`;
    const have = this.map.get(key);
    if (have) {
      this.hits++;
      return have;
    }
    const z = encode();
    const size = z.reduce((s, a) => s + a.byteLength, 0);
    if (this.bytes + size <= this.maxBytes) {
      this.map.set(key, z);
      this.bytes += size;
    }
    return z;
  }
}
