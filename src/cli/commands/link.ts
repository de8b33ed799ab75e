/**
 * `jscc-sim link --scheme SPEC (--feature FILE.npy | --random H,W,C) --snr RANGE [--reps N]
 *  [--seed S] [--channel NAME|./file.js] [--channel-param k=v ...] [--mean FILE.npy]
 *  [--save-received DIR] [--format table|csv|json]`
 *
 * One feature through one scheme at each SNR point (baselines/link.ts). Streams: the random
 * feature comes from Rng(seed).split(1), repetition r at SNR index i from Rng(seed).split(2, i, r).
 */
import type { CommandModule } from 'yargs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { UsageError, parseCount } from '../../core/errors.js';
import { parseRange } from '../../core/range.js';
import { Rng } from '../../core/rng.js';
import { versions } from '../../core/version.js';
import type { Feature } from '../../core/types.js';
import { readNpyFloat32, writeNpy } from '../../io/npy.js';
import { createChannel, parseChannelParams } from '../../../channels/registry.js';
import { createScheme } from '../../../baselines/registry.js';
import { runLink, type LinkRow } from '../../../baselines/link.js';
import { randomFeature, toFeature } from '../../../baselines/feature.js';

interface LinkArgs {
  scheme: string;
  feature?: string;
  random?: string;
  snr: string;
  reps: string | number;
  seed: string | number;
  channel: string;
  'channel-param'?: (string | number)[];
  mean?: string;
  'save-received'?: string;
  format: string;
}

const MAX_ELEMENTS = 1 << 26;

export function parseShape(spec: string): [number, number, number] {
  const parts = String(spec).split(',').map((t) => t.trim());
  const dims = parts.map((t) => (/^\d+$/.test(t) ? Number(t) : NaN));
  if (dims.length !== 3 || dims.some((d) => !Number.isSafeInteger(d) || d < 1)) {
    throw new UsageError(`--random ${JSON.stringify(spec)} is not allowed: use H,W,C with positive integers, e.g. 16,16,128`);
  }
  if (dims[0] * dims[1] * dims[2] > MAX_ELEMENTS) {
    throw new UsageError(`--random ${JSON.stringify(spec)} is not allowed: at most ${MAX_ELEMENTS} elements`);
  }
  return [dims[0], dims[1], dims[2]];
}

function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined) return '';
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

const COLUMNS: [string, (r: LinkRow) => string][] = [
  ['snrDb', (r) => fmt(r.snrDb, 6)],
  ['ebn0Db', (r) => fmt(r.ebn0Db)],
  ['mse', (r) => fmt(r.mse)],
  ['psnrDb', (r) => (r.psnrDb === null ? 'inf' : fmt(r.psnrDb))],
  ['failures', (r) => `${r.failures}/${r.reps}`],
  ['failureRate', (r) => fmt(r.failureRate)],
  ['ci95', (r) => `${fmt(r.failureCi95[0], 3)}..${fmt(r.failureCi95[1], 3)}`],
  ['channelUses', (r) => fmt(r.channelUses, 8)],
  ['compressionRatio', (r) => fmt(r.compressionRatio)],
  ['quality', (r) => fmt(r.quality)],
  ['rawBitErrors', (r) => (r.rawBitErrors === undefined ? '' : String(r.rawBitErrors))],
];

export function formatTable(rows: LinkRow[]): string {
  const cells = rows.map((r) => COLUMNS.map(([, f]) => f(r)));
  const widths = COLUMNS.map(([h], j) => Math.max(h.length, ...cells.map((c) => c[j].length)));
  const line = (c: string[]) => c.map((v, j) => v.padStart(widths[j])).join('  ');
  return [line(COLUMNS.map(([h]) => h)), ...cells.map(line)].join('\n') + '\n';
}

export function formatCsv(rows: LinkRow[]): string {
  const head = 'snrDb,ebn0Db,mse,psnrDb,failures,reps,failureRate,ci95Low,ci95High,channelUses,compressionRatio,quality,rawBitErrors';
  const v = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));
  return [head, ...rows.map((r) => [
    r.snrDb, r.ebn0Db, r.mse, r.psnrDb, r.failures, r.reps, r.failureRate, r.failureCi95[0], r.failureCi95[1],
    r.channelUses, r.compressionRatio, r.quality, r.rawBitErrors,
  ].map(v).join(','))].join('\n') + '\n';
}

export const linkCommand: CommandModule<object, LinkArgs> = {
  command: 'link',
  describe: 'send one feature tensor through a scheme and a channel at each SNR: MSE, PSNR, failures, channel uses',
  builder: (y) => y
    .option('scheme', { type: 'string', demandOption: true, describe: 'none | separate:jpeg=Q,code=CODE,mod=MOD[,...] | ideal:jpeg,uses=N | ...' })
    .option('feature', { type: 'string', describe: 'feature tensor (.npy, H x W x C or 1 x H x W x C; float32/float16/uint8/...)' })
    .option('random', { type: 'string', describe: 'draw a post-ReLU-like feature of shape H,W,C from the seed' })
    .option('snr', { type: 'string', demandOption: true, describe: 'Es/N0 in dB: LO..HI, LO..HI:STEP or a list' })
    .option('reps', { type: 'string', default: '1', describe: 'repetitions (channel realizations) per SNR point' })
    .option('seed', { type: 'string', default: '1', describe: 'root random seed' })
    .option('channel', { type: 'string', default: 'awgn', describe: 'channel name or ./module.js' })
    .option('channel-param', { type: 'array', string: true, describe: 'channel parameter k=v (repeatable)' })
    .option('mean', { type: 'string', describe: 'per-channel means (.npy, C values) for fallback=mean' })
    .option('save-received', { type: 'string', describe: 'folder: write each received feature as snr<i>_rep<r>.npy' })
    .option('format', { type: 'string', default: 'table', describe: 'table | csv | json' }),
  handler: async (argv) => {
    const format = String(argv.format);
    if (!['table', 'csv', 'json'].includes(format)) throw new UsageError(`--format ${JSON.stringify(format)} is not allowed: use table, csv or json`);
    if ((argv.feature === undefined) === (argv.random === undefined)) {
      throw new UsageError('give exactly one of --feature FILE.npy or --random H,W,C');
    }
    const snrDb = parseRange(argv.snr, '--snr');
    const reps = parseCount('--reps', argv.reps, { min: 1 });
    const seed = parseCount('--seed', argv.seed);
    const root = new Rng(seed);
    let feature: Feature;
    let source: Record<string, unknown>;
    if (argv.feature !== undefined) {
      const a = readNpyFloat32(argv.feature);
      feature = toFeature(a.data, a.shape, `--feature ${argv.feature}`);
      source = { file: argv.feature, dtype: a.dtype };
    } else {
      feature = randomFeature(parseShape(argv.random!), root.split(1));
      source = { random: feature.shape, stream: [1] };
    }
    let channelMean: Float32Array | undefined;
    if (argv.mean !== undefined) {
      const m = readNpyFloat32(argv.mean);
      if (m.data.length !== feature.shape[2]) throw new UsageError(`--mean ${argv.mean} has ${m.data.length} values: use one per channel (${feature.shape[2]})`);
      channelMean = m.data;
    }
    const scheme = await createScheme(argv.scheme, { shape: feature.shape, channelMean });
    const channelParams = parseChannelParams(argv['channel-param']?.map(String));
    const channel = await createChannel(argv.channel, channelParams);
    const saveDir = argv['save-received'];
    if (saveDir !== undefined) mkdirSync(saveDir, { recursive: true });

    const rows = await runLink({
      scheme, channel, feature, snrDb, reps, rng: root.split(2),
      onRow: (row, i) => process.stderr.write(`link: ${i + 1}/${snrDb.length} SNR ${row.snrDb} dB: failures ${row.failures}/${row.reps}, MSE ${fmt(row.mse)}\n`),
      onReceived: saveDir === undefined ? undefined
        : (i, r, data) => writeNpy(path.join(saveDir, `snr${i}_rep${r}.npy`), data, feature.shape, 'float32'),
    });

    if (format === 'json') {
      const config = {
        scheme: scheme.spec, feature: source, shape: feature.shape, snr: argv.snr, snrDb, reps, seed,
        channel: channel.name, channelParams, streams: 'feature: [1]; repetition r at SNR index i: [2, i, r]',
      };
      process.stdout.write(JSON.stringify({ command: 'link', config, seed, versions: versions(), rows }, null, 2) + '\n');
    } else {
      process.stdout.write(format === 'csv' ? formatCsv(rows) : formatTable(rows));
    }
  },
};
