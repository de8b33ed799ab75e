/**
 * `jscc-sim link --scheme SPEC (--feature FILE.npy | --random H,W,C) --snr RANGE [--reps N]
 *  [--seed S] [--channel NAME|./file.js] [--channel-param k=v ...] [--mean FILE.npy]
 *  [--save-received DIR] [--format table|csv|json]`
 *
 * One feature through one scheme at each SNR point (baselines/link.ts). Streams: the random
 * feature comes from Rng(seed).split(1), repetition r at SNR index i from Rng(seed).split(2, i, r).
 */
import { CHANNEL_TIMEOUT_OPTION, applyChannelTimeoutOption } from '../../../channels/plugin.js';
import type { CommandModule } from 'yargs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { UsageError, parseCount } from '../../core/errors.js';
import { parseRange } from '../../core/range.js';
import { Rng } from '../../core/rng.js';
import { versions } from '../../core/version.js';
import type { Feature } from '../../core/types.js';
import { readNpyFloat32, writeNpy } from '../../io/npy.js';
import type { Column } from '../output.js';
import { RowPrinter, parseStreamFormat } from '../row-stream.js';
import { runPointSweep } from '../point-sweep.js';
import { checkOutputFile } from '../../sweep/output-path.js';
import { pointHeader } from '../../sweep/points.js';
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
  out?: string;
  resume?: boolean;
  quiet?: boolean;
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

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/** Columns for table and CSV (JSON carries every field of the rows, repetitions included). */
export const LINK_COLUMNS: Column<LinkRow>[] = [
  { key: 'snrDb', title: 'SNR dB', value: (r) => r.snrDb },
  { key: 'ebn0Db', title: 'Eb/N0 dB', value: (r) => r.ebn0Db, kind: 'fixed2' },
  { key: 'mse', title: 'MSE', value: (r) => r.mse, kind: 'exp' },
  { key: 'psnrDb', title: 'PSNR dB', value: (r) => (r.psnrDb === null ? 'inf' : r.psnrDb), kind: 'fixed2' },
  { key: 'failures', title: 'failures', value: (r) => r.failures, kind: 'int' },
  { key: 'reps', title: 'reps', value: (r) => r.reps, kind: 'int' },
  { key: 'failureRate', title: 'fail rate', value: (r) => r.failureRate, kind: 'fixed2' },
  { key: 'ci95Low', title: 'CI95 low', value: (r) => r.failureCi95[0], kind: 'fixed2' },
  { key: 'ci95High', title: 'CI95 high', value: (r) => r.failureCi95[1], kind: 'fixed2' },
  { key: 'channelUses', title: 'channel uses', value: (r) => r.channelUses },
  { key: 'compressionRatio', title: 'ratio', value: (r) => r.compressionRatio ?? undefined, kind: 'fixed2' },
  { key: 'quality', title: 'JPEG q', value: (r) => r.quality },
  { key: 'rawBitErrors', title: 'raw bit errors', value: (r) => r.rawBitErrors, kind: 'int' },
];

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
    .option('channel-timeout', CHANNEL_TIMEOUT_OPTION)
    .option('channel-param', { type: 'array', string: true, describe: 'channel parameter k=v (repeatable)' })
    .option('mean', { type: 'string', describe: 'per-channel means (.npy, C values) for fallback=mean' })
    .option('save-received', { type: 'string', describe: 'folder: write each received feature as snr<i>_rep<r>.npy' })
    .option('format', { type: 'string', default: 'table', describe: 'stdout: table | csv | jsonl (rows as they finish) | json (at the end)' })
    .option('out', { type: 'string', describe: 'results file FILE.jsonl for report: header + one record per SNR point, appended as each finishes, resumed on a rerun' })
    .option('resume', { type: 'boolean', default: true, describe: 'resume an existing --out file (--no-resume starts anew)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' }),
  handler: async (argv) => {
    applyChannelTimeoutOption((argv as { 'channel-timeout'?: unknown })['channel-timeout']);
    const format = parseStreamFormat(argv.format);
    if (argv.out !== undefined) checkOutputFile(argv.out);
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

    const config = {
      scheme: scheme.spec, feature: source, shape: feature.shape, snr: argv.snr, snrDb, reps, seed,
      channel: channel.name, channelParams, streams: 'feature: [1]; repetition r at SNR index i: [2, i, r]',
    };
    const header = pointHeader('link', config, seed);
    const out = argv.out;
    const printer = new RowPrinter<LinkRow>(header, LINK_COLUMNS, format);
    await runPointSweep({ label: 'link', out, header, snrDb, resume: argv.resume !== false, quiet: !!argv.quiet, printer }, async (run) => {
      await runLink({
        scheme, channel, feature, snrDb, reps, rng: root.split(2), only: run.todo,
        onRow: (row, i) => run.finish(i, row, `SNR ${row.snrDb} dB: failures ${row.failures}/${row.reps}, MSE ${fmt(row.mse)}`),
        onReceived: saveDir === undefined ? undefined
          : (i, r, data) => writeNpy(path.join(saveDir, `snr${i}_rep${r}.npy`), data, feature.shape, 'float32'),
      });
    });
  },
};
