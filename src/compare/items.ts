/**
 * One work item of a comparison: (scheme, SNR point, repetition) -> task accuracy over the
 * evaluation images. Runs in-process or on a worker thread (setup once, then items). Every random
 * draw of an item comes from Rng(seed).split(schemeIndex, snrIndex, rep, image), so numbers do not
 * depend on the worker count, the shard, or the order of completion.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng.js';
import type { Channel, ChannelParams, Feature, Scheme, TransmitResult } from '../core/types.js';
import { UsageError } from '../core/errors.js';
import { initBackend, type BackendName } from '../nn/backend.js';
import { loadFFMNet } from '../nn/ffmnet/load.js';
import type { FFMNet } from '../nn/ffmnet/model.js';
import { evaluateFFMNet } from '../nn/ffmnet/evaluate.js';
import { loadJsccModel, jsccLabel } from '../nn/jscc/load.js';
import { JsccScheme } from '../nn/jscc/scheme.js';
import { openDataset } from '../data/open.js';
import type { Dataset } from '../data/types.js';
import { createChannel } from '../../channels/registry.js';
import { createScheme } from '../../baselines/registry.js';
import { schemeLabel } from './schemes.js';

export interface CompareContext {
  /** FFMNet checkpoint used by every non-JSCC scheme. */
  modelDir: string;
  dataDir: string;
  split: 'train' | 'val';
  images: number;
  seed: number;
  schemes: string[];
  channel: { name: string; params: ChannelParams };
  backend: BackendName;
  batch: number;
}

export interface CompareItem {
  key: string;
  index: number;
  schemeIndex: number;
  snrIndex: number;
  snrDb: number;
  rep: number;
}

interface Prepared {
  spec: string;
  label: string;
  net: FFMNet;
  scheme: Scheme;
  /** SNR-independent and deterministic (none): evaluate once, reuse. */
  constant: boolean;
  cached?: Record<string, unknown>;
}

let ctx: CompareContext;
let data: Dataset;
let channel: Channel;
let baseNet: FFMNet | undefined;
const prepared = new Map<number, Prepared>();

export async function setup(context: CompareContext): Promise<void> {
  // A new sweep in the same process (in-process runs, tests, benches) starts from nothing cached.
  ctx = context;
  prepared.clear();
  baseNet = undefined;
  await initBackend(ctx.backend);
  channel = await createChannel(ctx.channel.name, ctx.channel.params);
  data = openDataset(ctx.dataDir, { split: ctx.split });
}

async function base(): Promise<FFMNet> {
  if (!baseNet) baseNet = (await loadFFMNet(ctx.modelDir)).net;
  return baseNet;
}

function d1Shape(net: FFMNet): [number, number, number] {
  return net.device.outputs[0].shape.slice(1) as [number, number, number];
}

/** Mean channel uses of scheme `ref` over the evaluation images (its source coding only). */
async function referenceUses(refIndex: number): Promise<number> {
  const ref = await prepare(refIndex);
  let total = 0;
  const rng = new Rng(ctx.seed).split(refIndex, 1e6);
  await evaluateFFMNet(ref.net, data, {
    limit: ctx.images, batch: ctx.batch,
    transform: (d1) => {
      for (const f of splitBatch(d1)) total += (ref.scheme.transmit(f, channel, 100, rng) as TransmitResult).channelUses;
      return d1.clone();
    },
  });
  return total / Math.min(ctx.images, data.size);
}

async function prepare(i: number): Promise<Prepared> {
  const have = prepared.get(i);
  if (have) return have;
  let spec = ctx.schemes[i];
  let p: Prepared;
  if (spec.startsWith('jscc:')) {
    const dir = spec.slice(5);
    const { net, scheme, meta } = await loadJsccModel(dir, spec);
    p = { spec, label: jsccLabel(meta, scheme.compressionRatio), net, scheme, constant: false };
  } else {
    const net = await base();
    let extra: string | undefined;
    let channelUses: number | undefined;
    const ref = /(^ideal:[^]*?),ref=(\d+)(,|$)/.exec(spec);
    if (ref) {
      const k = Number(ref[2]) - 1;
      if (!(k >= 0 && k < ctx.schemes.length) || !ctx.schemes[k].startsWith('separate:')) {
        throw new UsageError(`scheme ${JSON.stringify(spec)}: ref=${ref[2]} must name a separate scheme by its position (1-based) in --schemes`);
      }
      channelUses = Math.round(await referenceUses(k));
      extra = `${channelUses} channel uses, as scheme ${k + 1}`;
      spec = spec.replace(`,ref=${ref[2]}`, '');
    }
    const scheme = await createScheme(spec, { shape: d1Shape(net), channelUses });
    p = { spec: ctx.schemes[i], label: schemeLabel(spec, extra), net, scheme, constant: spec === 'none' };
  }
  prepared.set(i, p);
  return p;
}

function splitBatch(d1: tf.Tensor4D): Feature[] {
  const [n, h, w, c] = d1.shape;
  const all = d1.dataSync() as Float32Array;
  const size = h * w * c;
  return Array.from({ length: n }, (_, k) => ({ data: all.subarray(k * size, (k + 1) * size), shape: [h, w, c] as [number, number, number] }));
}

export async function runItem(item: CompareItem): Promise<Record<string, unknown>> {
  const p = await prepare(item.schemeIndex);
  const common = { scheme: p.spec, label: p.label, snrDb: item.snrDb, rep: item.rep, seed: ctx.seed };
  if (p.constant && p.cached) return { ...p.cached, ...common };
  let image = 0;
  let failures = 0, uses = 0, bits = 0, blocks = 0, blockErrors = 0, rawBitErrors = 0, codeBits = 0;
  const root = new Rng(ctx.seed).split(item.schemeIndex, item.snrIndex, item.rep);
  const result = await evaluateFFMNet(p.net, data, {
    limit: ctx.images, batch: ctx.batch,
    transform: (d1) => {
      const feats = splitBatch(d1);
      const rngs = feats.map(() => root.split(image++));
      const res: TransmitResult[] = p.scheme instanceof JsccScheme
        ? p.scheme.transmitBatch(feats, channel, item.snrDb, rngs)
        : feats.map((f, k) => {
          const r = p.scheme.transmit(f, channel, item.snrDb, rngs[k]);
          if (r instanceof Promise) throw new Error(`scheme ${p.spec} is asynchronous; compare needs a synchronous transmit`);
          return r;
        });
      const out = new Float32Array(d1.size);
      const size = d1.size / feats.length;
      res.forEach((r, k) => {
        out.set(r.feature, k * size);
        failures += r.failed ? 1 : 0;
        uses += r.channelUses;
        bits += r.bits ?? 0;
        const s = r.stats;
        blocks += Number(s.blocks ?? 0);
        blockErrors += Number(s.failedBlocks ?? 0);
        rawBitErrors += Number(s.rawBitErrors ?? 0);
        codeBits += Number(s.codeBits ?? 0);
      });
      return tf.tensor4d(out, d1.shape);
    },
  });
  const n = result.images;
  const d1Elements = d1Shape(p.net).reduce((a, b) => a * b, 1);
  const record: Record<string, unknown> = {
    ...common, images: n, mAP: result.mAP, mIoU: result.mIoU, failures,
    channelUses: uses / n, compressionRatio: uses > 0 ? d1Elements / (2 * uses / n) : null,
    payloadBits: bits / n,
    ...(blocks > 0 ? { blocks, blockErrors, rawBitErrors, codeBits } : {}),
  };
  if (p.constant) p.cached = record;
  return record;
}
