/**
 * The separate baseline: link throughput at the default config's D1 (16 x 16 x 128) and the JPEG
 * codec speed on its mosaic (128 x 256 pixels).
 */
import type { Bench } from './harness.js';
import { Rng } from '../src/core/rng.js';
import type { Channel, Feature, Scheme } from '../src/core/types.js';
import { createScheme } from '../baselines/registry.js';
import { createChannel } from '../channels/registry.js';
import { randomFeature } from '../baselines/feature.js';
import { mosaicLayout, toMosaic } from '../baselines/separate/mosaic.js';
import { quantRange, quantize8 } from '../baselines/separate/quantize.js';
import { encodeGray, encodeGrayViaJpegJs, decodeGrayHardened } from '../baselines/separate/jpeg.js';

const D1: [number, number, number] = [16, 16, 128];
const feature: Feature = randomFeature(D1, new Rng(1).split(1));
const L = mosaicLayout(D1);
const gray = toMosaic(quantize8(feature, quantRange(feature, 'feature')), L);
const mp = (L.imageWidth * L.imageHeight) / 1e6;
const file50 = encodeGray(gray, L.imageWidth, L.imageHeight, 50);

function linkBench(spec: string, snrDb: number, n: number): Bench {
  let scheme: Scheme;
  let channel: Channel;
  let rep = 0;
  return {
    name: `link ${spec}, D1 16x16x128 (random), AWGN ${snrDb} dB`,
    unit: 'features/s',
    setup: async () => {
      scheme = await createScheme(spec, { shape: D1 });
      channel = await createChannel('awgn', {});
    },
    run: async () => {
      for (let i = 0; i < n; i++) await scheme.transmit(feature, channel, snrDb, new Rng(7).split(rep++));
      return n;
    },
    repeats: 5,
  };
}

export const benchmarks: Bench[] = [
  linkBench('separate:jpeg=50,code=ldpc:80211n:1944:1/2,mod=16qam', 10, 3),
  linkBench('separate:jpeg=50,code=conv:1/2,mod=qpsk', 10, 3),
  {
    name: `JPEG encode (gray baseline, q50), ${L.imageWidth}x${L.imageHeight} mosaic`,
    unit: 'MPixel/s',
    run: () => { for (let i = 0; i < 20; i++) encodeGray(gray, L.imageWidth, L.imageHeight, 50); return 20 * mp; },
  },
  {
    name: `JPEG encode (jpeg-js YCbCr, q50, for comparison), ${L.imageWidth}x${L.imageHeight} mosaic`,
    unit: 'MPixel/s',
    run: () => { for (let i = 0; i < 5; i++) encodeGrayViaJpegJs(gray, L.imageWidth, L.imageHeight, 50); return 5 * mp; },
  },
  {
    name: `JPEG decode (jpeg-js, hardened), ${L.imageWidth}x${L.imageHeight} mosaic`,
    unit: 'MPixel/s',
    run: () => { for (let i = 0; i < 20; i++) decodeGrayHardened(file50, L.imageWidth, L.imageHeight); return 20 * mp; },
  },
];
