/**
 * `jscc-sim info --model paper|default|DIR [--tasks det,seg|det|seg] [--format table|json]`:
 * the FFMNet architecture of a config or a checkpoint: D1..D7 shapes, parameter counts per part
 * (device, edge, backbone, fusion, parser, det head, seg head; jscc when the checkpoint has one)
 * and a block-level layer summary. `default` is the shipped trained model (models/default) when
 * present, else the untrained default config.
 */
import type { CommandModule } from 'yargs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { packageRoot } from '../../core/version.js';

interface InfoArgs {
  model: string;
  tasks?: string;
  format: string;
  [k: string]: unknown;
}

/** Table I of the paper: FFMNet's parameter count. */
export const PAPER_TABLE_I_PARAMS = 63.2e6;

export interface ModelInfo {
  model: string;
  source: string;
  trained: boolean;
  input: [number, number, number];
  tasks: string[];
  numClasses: number;
  d1: [number, number, number];
  /** Bilinear resize alignment the model computes with ('legacy': a jscc-sim 0.1 checkpoint). */
  resize: 'half-pixel' | 'legacy';
  features: [number, number, number][];
  params: Record<string, number>;
  jscc?: { compressionRatio: number; channelUses: number };
  metrics?: Record<string, unknown>;
  paperTableI?: { params: number; relativeDifference: number };
  blocks: { name: string; output: (number | null)[]; params: number }[];
}

function blockName(layer: string): string {
  return layer.replace(/_(conv\d|proj|add|out|flat)(_bn|_relu)?$/, '').replace(/_(bn|relu)$/, '');
}

export async function modelInfo(modelArg: string, tasksArg?: string): Promise<ModelInfo> {
  const { getConfig, parseTasks } = await import('../../nn/ffmnet/config.js');
  const { buildFFMNet, paramCounts, featureShapes } = await import('../../nn/ffmnet/model.js');
  const { isCheckpointDir, readFFMNetMeta, verifyFFMNetCheckpoint } = await import('../../nn/ffmnet/load.js');
  let dir: string | undefined;
  let source: string;
  if (modelArg === 'paper') {
    source = 'paper config (untrained)';
  } else if (modelArg === 'default') {
    const shipped = path.join(packageRoot(), 'models', 'default');
    if (isCheckpointDir(shipped)) dir = shipped;
    source = dir ? `shipped checkpoint ${path.relative(packageRoot(), shipped)}` : 'default config (untrained: models/default not present)';
  } else {
    if (!existsSync(modelArg)) throw new UsageError(`--model ${JSON.stringify(modelArg)} is not allowed: use paper, default or a checkpoint folder`);
    if (!isCheckpointDir(modelArg)) throw new UsageError(`--model ${modelArg}: no config.json there (not a jscc-sim checkpoint)`);
    dir = modelArg;
    source = `checkpoint ${modelArg}`;
  }
  let config = getConfig(modelArg === 'paper' ? 'paper' : 'default');
  let tasks = parseTasks(tasksArg);
  let meta: Record<string, unknown> | undefined;
  if (dir) {
    const m = readFFMNetMeta(dir);
    config = m.config;
    if (tasksArg !== undefined && parseTasks(tasksArg).join() !== m.tasks.join()) {
      throw new UsageError(`--tasks ${tasksArg} does not match checkpoint ${dir}, trained for ${m.tasks.join(',')}`);
    }
    tasks = m.tasks;
    meta = m;
  }
  const net = buildFFMNet(config, tasks);
  if (dir) {
    // The same checks as every loader (files, sizes, finite weights, shapes), so a checkpoint
    // that eval would refuse is not summarized as if it were sound.
    try {
      verifyFFMNetCheckpoint(dir, net);
    } catch (e) {
      net.device.dispose();
      net.edge.dispose();
      throw e;
    }
  }
  const params = paramCounts(net);
  const info: ModelInfo = {
    model: modelArg === 'paper' || modelArg === 'default' ? modelArg : path.resolve(modelArg),
    source,
    trained: Boolean(dir),
    input: [config.inputSize, config.inputSize, 3],
    tasks,
    numClasses: config.numClasses,
    d1: featureShapes(config)[0],
    resize: config.resize ?? 'legacy',
    features: featureShapes(config),
    params,
    blocks: [],
  };
  if (dir) {
    const { readCheckpointConfig, loadCheckpoint } = await import('../../nn/checkpoint.js');
    const others = readCheckpointConfig(dir).models.filter((n) => n !== 'device' && n !== 'edge');
    if (others.length > 0) {
      const ck = await loadCheckpoint(dir);
      if (ck.models.encoder && ck.models.decoder) {
        const { checkJsccFit } = await import('../../nn/jscc/load.js');
        try {
          checkJsccFit(dir, info.d1, ck.models.encoder, ck.models.decoder);
        } catch (e) {
          for (const m of Object.values(ck.models)) m.dispose();
          net.device.dispose();
          net.edge.dispose();
          throw e;
        }
      }
      let n = 0;
      for (const name of others) {
        n += ck.models[name].trainableWeights.reduce((a, w) => a + w.shape.reduce((x: number, y) => x * (y as number), 1), 0);
        ck.models[name].dispose();
      }
      params.jscc = n;
      params.total += n;
    }
    const j = meta?.jscc as Record<string, unknown> | undefined;
    if (j) {
      const { jsccChannelUses, jsccCompressionRatio } = await import('../../nn/jscc/ratio.js');
      if (typeof j.compressionRatio === 'number' && typeof j.channelUses === 'number') {
        info.jscc = { compressionRatio: j.compressionRatio, channelUses: j.channelUses };
      } else if (typeof j.stride === 'number' && typeof j.cPrime === 'number') {
        info.jscc = { compressionRatio: jsccCompressionRatio(info.d1, j.stride, j.cPrime), channelUses: jsccChannelUses(info.d1, j.stride, j.cPrime) };
      }
    }
    if (meta?.metrics) info.metrics = meta.metrics as Record<string, unknown>;
  }
  if (config.name === 'paper' && config.numClasses === 117) {
    info.paperTableI = { params: PAPER_TABLE_I_PARAMS, relativeDifference: params.total / PAPER_TABLE_I_PARAMS - 1 };
  }
  const blocks = new Map<string, { name: string; output: (number | null)[]; params: number }>();
  for (const model of [net.device, net.edge]) {
    for (const layer of model.layers) {
      if (layer.getClassName() === 'InputLayer') continue;
      const name = blockName(layer.name);
      const b = blocks.get(name) ?? { name, output: [], params: 0 };
      b.output = (layer.outputShape as (number | null)[]).slice(1);
      b.params += layer.trainableWeights.reduce((a, w) => a + w.shape.reduce((x: number, y) => x * (y as number), 1), 0);
      blocks.set(name, b);
    }
  }
  info.blocks = [...blocks.values()];
  net.device.dispose();
  net.edge.dispose();
  return info;
}

function fmtCount(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);
}

function table(info: ModelInfo): string {
  const L: string[] = [];
  L.push(`model: ${info.model} (${info.source})`);
  L.push(`input: ${info.input.join('x')}  tasks: ${info.tasks.join(',')}  classes: ${info.numClasses} (+ background)`);
  L.push(`features: ${info.features.map((f, i) => `D${i + 1} ${f.join('x')}`).join(' | ')}`);
  L.push(`split at D1 = ${info.d1.join('x')} (${info.d1[0] * info.d1[1] * info.d1[2]} values per image)`);
  L.push(`bilinear resizes: ${info.resize === 'legacy' ? "legacy tfjs alignment (a jscc-sim 0.1 checkpoint: computed as it was trained)" : 'half-pixel centres'}`);
  const p = info.params;
  L.push(`parameters: total ${fmtCount(p.total)} (${p.total}); device ${fmtCount(p.device)}, edge ${fmtCount(p.edge)}`);
  const parts = ['backbone', 'fusion', 'parser', 'detHead', 'segHead', 'jscc', 'other'].filter((k) => p[k] !== undefined && (p[k] > 0 || k === 'detHead' || k === 'segHead'));
  L.push('  ' + parts.map((k) => `${k} ${fmtCount(p[k])}`).join(', '));
  if (info.paperTableI) {
    L.push(`paper Table I: ${fmtCount(info.paperTableI.params)}; this build ${fmtCount(p.total)} (${(100 * info.paperTableI.relativeDifference).toFixed(1)}%; batch-norm moving statistics not counted)`);
  }
  if (info.jscc) L.push(`jscc: compression ratio ${info.jscc.compressionRatio}, ${info.jscc.channelUses} channel uses per image`);
  if (info.metrics) {
    const m = info.metrics as { mAP50?: number; mIoU?: number; images?: number; split?: string };
    L.push(`held-out metrics (${m.split ?? 'val'}, ${m.images ?? '?'} images): mAP@0.5 ${m.mAP50 !== undefined ? (100 * m.mAP50).toFixed(1) + '%' : '-'}, mIoU ${m.mIoU !== undefined ? (100 * m.mIoU).toFixed(1) + '%' : '-'}`);
  }
  L.push('', 'blocks:');
  const w = Math.max(...info.blocks.map((b) => b.name.length), 5);
  L.push(`  ${'block'.padEnd(w)}  ${'output'.padEnd(14)}  params`);
  for (const b of info.blocks) L.push(`  ${b.name.padEnd(w)}  ${b.output.join('x').padEnd(14)}  ${b.params}`);
  return L.join('\n') + '\n';
}

export const infoCommand: CommandModule<object, InfoArgs> = {
  command: 'info',
  describe: 'FFMNet architecture: D1..D7 shapes, parameters per part, layers',
  builder: (y) => y
    .option('model', { type: 'string', default: 'default', describe: 'paper | default | checkpoint DIR' })
    .option('tasks', { type: 'string', describe: 'det,seg | det | seg (default: det,seg, or the checkpoint\'s)' })
    .option('format', { type: 'string', default: 'table', describe: 'table | json' }),
  handler: async (a) => {
    if (a.format !== 'table' && a.format !== 'json') throw new UsageError(`--format ${JSON.stringify(a.format)} is not allowed: use table or json`);
    const { initBackend } = await import('../../nn/backend.js');
    await initBackend('wasm');
    const info = await modelInfo(a.model, a.tasks);
    process.stdout.write(a.format === 'json' ? JSON.stringify(info) + '\n' : table(info));
  },
};
