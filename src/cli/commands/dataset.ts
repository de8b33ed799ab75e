/**
 * `jscc-sim dataset make`: write the synthetic shapes data set (COCO format, train and val splits).
 * `jscc-sim dataset info`: open and validate a data folder (shapes or any COCO folder) and print
 * its classes, images and instances per class, without decoding images.
 */
import type { Argv, CommandModule } from 'yargs';
import { UsageError, parseCount } from '../../core/errors.js';
import { versions } from '../../core/version.js';
import { makeShapesDataset } from '../../data/shapes.js';
import { openDataset, type SplitName } from '../../data/open.js';
import { checkOutputPath } from '../../io/output.js';
import { parseFormat } from '../output.js';
import { Progress } from '../progress.js';

function str(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return String(v[v.length - 1]);
  return String(v);
}

interface MakeArgs {
  name?: string;
  count?: string;
  out?: string;
  seed?: string;
  size?: string;
  val?: string;
  'max-objects'?: string;
  quality?: string;
  force?: boolean;
  workers?: string;
  format?: string;
  quiet?: boolean;
}

const DATASET_NAMES = ['shapes'];

const makeCommand: CommandModule<object, MakeArgs> = {
  command: 'make',
  describe: 'write a synthetic data set (images + COCO JSON, train and val splits) from a seed',
  builder: (y: Argv) => y
    .option('name', { type: 'string', default: 'shapes', describe: `data set: ${DATASET_NAMES.join('|')}` })
    .option('count', { type: 'string', describe: 'total number of images (train + val)', demandOption: 'give the number of images with --count N' })
    .option('out', { type: 'string', describe: 'output folder (DIR/train, DIR/val, DIR/dataset.json)', demandOption: 'name the output folder with --out DIR' })
    .option('seed', { type: 'string', default: '1', describe: 'random seed (same seed, byte-identical files)' })
    .option('size', { type: 'string', default: '128', describe: 'image side in pixels (32..1024)' })
    .option('val', { type: 'string', default: '0.2', describe: 'fraction of the images held out as the val split' })
    .option('max-objects', { type: 'string', default: '5', describe: 'shapes per image: 1..N before occlusion culling' })
    .option('quality', { type: 'string', default: '95', describe: 'JPEG quality 1..100' })
    .option('force', { type: 'boolean', default: false, describe: 'replace a non-empty output folder' })
    .option('workers', { type: 'string', describe: 'worker threads (default: all cores, at most 8; same files for any value)' })
    .option('format', { type: 'string', default: 'table', describe: 'summary as table or json' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' }) as unknown as Argv<MakeArgs>,
  handler: async (argv) => {
    const name = (str(argv.name) ?? 'shapes').trim().toLowerCase();
    if (!DATASET_NAMES.includes(name)) {
      throw new UsageError(`--name ${JSON.stringify(argv.name)} is not allowed: use ${DATASET_NAMES.join(', ')}`);
    }
    if (argv.count === undefined) throw new UsageError('--count is required: give the number of images, e.g. --count 3000');
    if (argv.out === undefined || str(argv.out) === '') throw new UsageError('--out is required: name the output folder, e.g. --out data/shapes');
    const count = parseCount('--count', str(argv.count), { min: 1 });
    const seed = parseCount('--seed', str(argv.seed) ?? '1');
    const size = parseCount('--size', str(argv.size) ?? '128', { min: 1 });
    const maxObjects = parseCount('--max-objects', str(argv['max-objects']) ?? '5', { min: 1 });
    const quality = parseCount('--quality', str(argv.quality) ?? '95', { min: 1 });
    const workers = argv.workers === undefined ? undefined : parseCount('--workers', str(argv.workers), { min: 1 });
    const valStr = (str(argv.val) ?? '0.2').trim();
    const val = /^(0(\.\d+)?|\.\d+)$/.test(valStr) ? Number(valStr) : NaN;
    if (!(val >= 0 && val < 1)) throw new UsageError(`--val ${JSON.stringify(argv.val)} is not allowed: use a fraction in [0, 1), e.g. 0.2`);
    const format = parseFormat(argv.format);
    if (format === 'csv') throw new UsageError('--format csv is not allowed here: use table or json');
    const out = str(argv.out) ?? '';
    checkOutputPath(out, '--out', { kind: 'folder' }); // before any work (issue 13)

    const progress = new Progress({ label: `dataset ${name}`, total: count, quiet: !!argv.quiet });
    const t0 = Date.now();
    let summary;
    try {
      summary = await makeShapesDataset({
        count, out, seed, size, val, maxObjects, quality, force: !!argv.force, workers,
        onProgress: (done, total) => (done === total ? progress.step(done, 'images') : progress.update(done, 'images')),
      });
    } finally {
      progress.stop();
    }
    const seconds = (Date.now() - t0) / 1000;
    if (format === 'json') {
      process.stdout.write(JSON.stringify({
        command: 'dataset make', config: { name, count, seed, size, val, maxObjects, quality }, seed,
        versions: versions(), out: summary.out, splits: { train: summary.train, val: summary.val },
        instances: summary.instances, seconds,
      }, null, 2) + '\n');
    } else {
      process.stdout.write(`wrote ${summary.out}: train ${summary.train} images, val ${summary.val} images, `
        + `${summary.instances} instances, ${size}x${size}, seed ${seed} (${seconds.toFixed(1)} s)\n`);
    }
  },
};

interface InfoArgs {
  data?: string;
  split?: string;
  annotations?: string;
  format?: string;
}

const infoCommand: CommandModule<object, InfoArgs> = {
  command: 'info',
  describe: 'validate a data folder (shapes or COCO) and print classes, images and instances per class',
  builder: (y: Argv) => y
    .option('data', { type: 'string', describe: 'data folder', demandOption: 'name the data folder with --data DIR' })
    .option('split', { type: 'string', default: 'train', describe: 'train or val, for a folder with splits' })
    .option('annotations', { type: 'string', describe: 'COCO annotation file, if not DIR/annotations.json' })
    .option('format', { type: 'string', default: 'table', describe: 'table or json' }) as unknown as Argv<InfoArgs>,
  handler: (argv) => {
    const format = parseFormat(argv.format);
    if (format === 'csv') throw new UsageError('--format csv is not allowed here: use table or json');
    const split = (str(argv.split) ?? 'train').trim().toLowerCase();
    if (split !== 'train' && split !== 'val') throw new UsageError(`--split ${JSON.stringify(argv.split)} is not allowed: use train or val`);
    if (argv.data === undefined) throw new UsageError('--data is required: name the data folder');
    const ds = openDataset(str(argv.data) ?? '', { split: split as SplitName, annotations: str(argv.annotations) });
    const perClass = new Array<number>(ds.numClasses + 1).fill(0);
    let crowd = 0;
    const sizes = new Set<string>();
    for (let i = 0; i < ds.size; i++) {
      const t = ds.targets(i);
      sizes.add(`${t.width}x${t.height}`);
      t.labels.forEach((l, k) => { perClass[l]++; if (t.iscrowd[k]) crowd++; });
    }
    const instances = perClass.reduce((a, b) => a + b, 0);
    const classes = ds.classNames.slice(1).map((name, k) => ({ label: k + 1, name, instances: perClass[k + 1] }));
    if (format === 'json') {
      process.stdout.write(JSON.stringify({
        data: ds.name, annotations: ds.annotationFile, images: ds.size, instances, crowd,
        imageSizes: [...sizes].sort(), classes,
      }, null, 2) + '\n');
      return;
    }
    const lines = [
      `data         ${ds.name}`,
      `annotations  ${ds.annotationFile}`,
      `images       ${ds.size} (${sizes.size === 1 ? [...sizes][0] : `${sizes.size} sizes`})`,
      `instances    ${instances} (${crowd} crowd), ${(instances / Math.max(1, ds.size)).toFixed(2)} per image`,
      '',
      'label  class                 instances',
      ...classes.map((c) => `${String(c.label).padStart(5)}  ${c.name.padEnd(20)}  ${String(c.instances).padStart(9)}`),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  },
};

export const datasetCommand: CommandModule = {
  command: 'dataset <action>',
  describe: 'make the synthetic shapes data set, or inspect a data folder',
  builder: (y: Argv) => y
    .command(makeCommand as unknown as CommandModule)
    .command(infoCommand as unknown as CommandModule)
    .demandCommand(1, 'name an action: make or info'),
  handler: () => { /* the subcommands do the work */ },
};
