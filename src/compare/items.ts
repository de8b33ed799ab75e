/**
 * One work item of a comparison: (scheme, SNR point, repetition) -> task accuracy over the
 * evaluation images, with 95 % bootstrap intervals. Runs in-process or on a worker thread (setup
 * once, then items). Every random draw of an item comes from its stream (keys.ts: named by the
 * scheme's canonical spec, the SNR and the repetition) split by image, so numbers do not depend on
 * the worker count, the shard, the order of completion, or the order or number of schemes and SNRs. D1 and the ground truth are computed once per image per
 * worker (d1-cache.ts); the ideal bound's reference bandwidth once per worker.
 */
import { Rng } from '../core/rng.js';
import type { Channel, ChannelParams, Feature, Scheme, TransmitResult } from '../core/types.js';
import { initBackend, type BackendName } from '../nn/backend.js';
import { loadFFMNet } from '../nn/ffmnet/load.js';
import type { FFMNet } from '../nn/ffmnet/model.js';
import { loadJsccModel, jsccLabel } from '../nn/jscc/load.js';
import { JsccScheme } from '../nn/jscc/scheme.js';
import { openDataset } from '../data/open.js';
import type { Dataset } from '../data/types.js';
import { createChannel } from '../../channels/registry.js';
import { createScheme, idealReference } from '../../baselines/registry.js';
import { schemeLabel } from './schemes.js';
import { D1Cache, type D1CacheStats } from './d1-cache.js';
import { EdgeCache } from './edge-cache.js';
import { LatentCache } from './latent-cache.js';
import { evaluateFromD1, type ItemEval } from './evaluate.js';
import { bootstrapCi, cocoTable, resampleWeights, weightedCocoAp } from './bootstrap.js';
import { canonicalSchemeSpec } from './spec-list.js';
import { itemStream, type CompareItem } from './keys.js';

export type { CompareItem } from './keys.js';

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
  /** Bootstrap resamples per record (0: none). */
  bootstrap: number;
  /** D1 cache bound in bytes (0: recompute D1 in every item, as before the cache). */
  d1CacheBytes: number;
}


interface Prepared {
  spec: string;
  label: string;
  /** Checkpoint folder of `net` (the D1 cache key). */
  model: string;
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
let cache = new D1Cache(0);
let edge = new EdgeCache(0);
let latents = new LatentCache(0);
/** JSCC symbols kept per worker (about 1 KB per image at the default model's 512x). */
const LATENT_CACHE_BYTES = 64 * 2 ** 20;
/** Edge results kept per worker (batches of D1' seen before; about 16 images' detections each). */
const EDGE_CACHE_ENTRIES = 256;
let weights: Uint32Array[] = [];
/**
 * Metrics and intervals by the item's D1' content (its batch keys): a separate scheme wholly above
 * or below its cliff delivers the same D1' at several SNR points, whose metrics (and bootstrap,
 * the costly part) are then the same numbers. Bounded by entries, oldest dropped.
 */
const metricsMemo = new Map<string, ItemMetrics>();
const METRICS_MEMO_ENTRIES = 1024;
let metricsHits = 0;

interface ItemMetrics {
  mAP?: number;
  mIoU?: number;
  cocoAP?: number;
  ci95: Record<string, unknown>;
}
const prepared = new Map<string, Promise<Prepared>>();
const referenceUsesMemo = new Map<string, Promise<number>>();

export async function setup(context: CompareContext): Promise<void> {
  // A new sweep in the same process (in-process runs, tests, benches) starts from nothing cached.
  ctx = context;
  prepared.clear();
  referenceUsesMemo.clear();
  metricsMemo.clear();
  metricsHits = 0;
  baseNet = undefined;
  cache = new D1Cache(ctx.d1CacheBytes);
  // Both caches or neither: d1CacheBytes 0 is the plain path every number is checked against.
  edge = new EdgeCache(ctx.d1CacheBytes > 0 ? EDGE_CACHE_ENTRIES : 0);
  latents = new LatentCache(ctx.d1CacheBytes > 0 ? LATENT_CACHE_BYTES : 0);
  await initBackend(ctx.backend);
  channel = await createChannel(ctx.channel.name, ctx.channel.params);
  data = openDataset(ctx.dataDir, { split: ctx.split });
  weights = resampleWeights(Math.min(ctx.images, data.size), ctx.bootstrap, ctx.seed);
}

/** Counters of this worker's D1 cache (tests, benches). */
export function d1CacheStats(): D1CacheStats & { edgeHits: number; latentHits: number; metricsHits: number } {
  return { ...cache.counters, edgeHits: edge.hits, latentHits: latents.hits, metricsHits };
}

async function base(): Promise<FFMNet> {
  if (!baseNet) baseNet = (await loadFFMNet(ctx.modelDir)).net;
  return baseNet;
}

function d1Shape(net: FFMNet): [number, number, number] {
  return net.device.outputs[0].shape.slice(1) as [number, number, number];
}

function features(d1: Float32Array, shape: [number, number, number, number]): Feature[] {
  const [n, h, w, c] = shape;
  const size = h * w * c;
  return Array.from({ length: n }, (_, k) => ({ data: d1.subarray(k * size, (k + 1) * size), shape: [h, w, c] as [number, number, number] }));
}

function syncTransmit(scheme: Scheme, spec: string, f: Feature, snrDb: number, rng: Rng): TransmitResult {
  const r = scheme.transmit(f, channel, snrDb, rng);
  if (r instanceof Promise) throw new Error(`scheme ${spec} is asynchronous; compare needs a synchronous transmit`);
  return r;
}

/**
 * Mean channel uses of the separate scheme `ref` over the evaluation images (its source coding
 * only: transmitted at 100 dB on a stream of its own, the uses do not depend on the channel draws).
 */
function referenceUses(ref: string): Promise<number> {
  const c = canonicalSchemeSpec(ref);
  let p = referenceUsesMemo.get(c);
  if (!p) {
    p = (async () => {
      const net = await base();
      const scheme = await createScheme(ref, { shape: d1Shape(net) });
      const rng = new Rng(ctx.seed).split(0x7e5e, 1e6);
      let total = 0;
      const n = Math.min(ctx.images, data.size);
      for (let i0 = 0; i0 < n; i0 += ctx.batch) {
        const b = cache.get(ctx.modelDir, net, data, i0, Math.min(ctx.batch, n - i0));
        for (const f of features(b.d1, b.shape)) total += syncTransmit(scheme, ref, f, 100, rng).channelUses;
      }
      return total / n;
    })();
    referenceUsesMemo.set(c, p);
  }
  return p;
}

function prepare(spec: string): Promise<Prepared> {
  const c = canonicalSchemeSpec(spec);
  let p = prepared.get(c);
  if (!p) {
    p = build(spec);
    prepared.set(c, p);
  }
  return p;
}

async function build(spec0: string): Promise<Prepared> {
  const spec = canonicalSchemeSpec(spec0);
  if (spec.startsWith('jscc:')) {
    const dir = spec.slice(5);
    const { net, scheme, meta } = await loadJsccModel(dir, spec);
    return { spec, label: jsccLabel(meta, scheme.compressionRatio), model: dir, net, scheme, constant: false };
  }
  const net = await base();
  const { reference } = idealReference(spec);
  let extra: string | undefined;
  let channelUses: number | undefined;
  if (reference !== undefined) {
    channelUses = Math.round(await referenceUses(reference));
    extra = `${channelUses} channel uses, as ${schemeLabel(canonicalSchemeSpec(reference))}`;
  }
  const scheme = await createScheme(spec, { shape: d1Shape(net), channelUses });
  return { spec, label: schemeLabel(spec, extra), model: ctx.modelDir, net, scheme, constant: spec === 'none' };
}

/** mAP, mIoU, COCO AP and their bootstrap intervals of one item's per-image results. */
function itemMetrics(result: ItemEval): ItemMetrics {
  const det = result.mAP !== undefined;
  const coco = det ? cocoTable(result.perImage.dets, result.perImage.gts, result.numClasses) : undefined;
  const cocoAP = coco ? weightedCocoAp(coco, new Uint32Array(coco.images).fill(1)) : undefined;
  const ci95 = bootstrapCi(result.perImage, result.numClasses, weights, { det, seg: result.mIoU !== undefined }, coco);
  return { mAP: result.mAP, mIoU: result.mIoU, ...(cocoAP !== undefined && Number.isFinite(cocoAP) ? { cocoAP } : {}), ci95: ci95 as Record<string, unknown> };
}

export async function runItem(item: CompareItem): Promise<Record<string, unknown>> {
  const p = await prepare(item.scheme);
  const common = { scheme: p.spec, label: p.label, snrDb: item.snrDb, rep: item.rep, seed: ctx.seed };
  if (p.constant && p.cached) return { ...p.cached, ...common };
  let image = 0;
  let failures = 0, uses = 0, bits = 0, blocks = 0, blockErrors = 0, rawBitErrors = 0, codeBits = 0;
  const root = itemStream(ctx.seed, item.scheme, item.snrDb, item.rep);
  const result = evaluateFromD1(p.model, p.net, data, cache, {
    limit: ctx.images, batch: ctx.batch, edge: edge.maxEntries > 0 ? edge : undefined,
    transform: (d1, shape, i0) => {
      const feats = features(d1, shape);
      const rngs = feats.map(() => root.split(image++));
      const js = p.scheme instanceof JsccScheme ? p.scheme : undefined;
      const res: TransmitResult[] = js
        ? js.transmitEncoded(latents.get(p.spec, i0, feats.length, () => js.encode(feats)), [shape[1], shape[2], shape[3]], channel, item.snrDb, rngs)
        : feats.map((f, k) => syncTransmit(p.scheme, p.spec, f, item.snrDb, rngs[k]));
      const out = new Float32Array(d1.length);
      const size = d1.length / feats.length;
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
      return out;
    },
  });
  const n = result.images;
  const d1Elements = d1Shape(p.net).reduce((a, b) => a * b, 1);
  const memoKey = result.batchKeys ? `${p.model}\u0000${result.batchKeys.join('\u0000')}` : undefined;
  let m = memoKey !== undefined ? metricsMemo.get(memoKey) : undefined;
  if (m) metricsHits++;
  else {
    m = itemMetrics(result);
    if (memoKey !== undefined) {
      metricsMemo.set(memoKey, m);
      if (metricsMemo.size > METRICS_MEMO_ENTRIES) metricsMemo.delete(metricsMemo.keys().next().value!);
    }
  }
  const { mAP, mIoU, cocoAP, ci95 } = m;
  const record: Record<string, unknown> = {
    ...common, images: n, mAP, mIoU, ...(cocoAP !== undefined ? { cocoAP } : {}), failures,
    channelUses: uses / n, compressionRatio: uses > 0 ? d1Elements / (2 * uses / n) : null,
    payloadBits: bits / n,
    ...(blocks > 0 ? { blocks, blockErrors, rawBitErrors, codeBits } : {}),
    ...(Object.keys(ci95).length ? { ci95 } : {}),
  };
  if (p.constant) p.cached = record;
  return record;
}
