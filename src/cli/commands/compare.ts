import { CHANNEL_TIMEOUT_OPTION, applyChannelTimeoutOption } from '../../../channels/plugin.js';
import type { Argv, CommandModule } from 'yargs';
import { commonOptions, resolveModel, runAndPrint } from '../../compare/cli.js';
import { defaultSchemes } from '../../compare/schemes.js';
import { splitSchemeList } from '../../compare/spec-list.js';
import { quickSnr } from '../../compare/quick.js';

type Args = Record<string, unknown>;

/** `jscc-sim compare --snr -5..20`: task accuracy vs SNR for JSCC and the separate baselines (Fig. 5). */
export const compareCommand: CommandModule<object, Args> = {
  command: 'compare',
  describe: 'mAP and mIoU vs SNR for JSCC, the separate baselines and the capacity bound (paper Fig. 5)',
  builder: (y: Argv) => commonBuilder(y)
    .option('schemes', { type: 'string', describe: 'comma-separated scheme SPECs (default: the Fig. 5 set on the shipped model)' })
    .option('quick', { type: 'boolean', default: false, describe: 'smoke run: 16 images; a range --snr is thinned to every 5 dB (a list is kept)' })
    .epilog('Results go to ./compare-results.jsonl (or --out), one JSON line per (scheme, SNR, repetition), appended as they finish and resumed when the command is run again. '
      + 'Figures: jscc-sim report compare-results.jsonl --out DIR writes DIR/report.html and DIR/report.md.') as unknown as Argv<Args>,
  handler: async (a) => {
    applyChannelTimeoutOption((a as { 'channel-timeout'?: unknown })['channel-timeout']);
    const modelDir = resolveModel(a.model);
    const schemes = a.schemes === undefined ? defaultSchemes() : splitSchemeList(String(a.schemes));
    const o = await commonOptions(a, 'compare', schemes, modelDir);
    if (a.quick) {
      const q = quickSnr(String(Array.isArray(a.snr) ? a.snr[a.snr.length - 1] : a.snr ?? '-5..20'), o.snr);
      if (q.thinned && !o.quiet) process.stderr.write(`compare: --quick thins --snr ${q.spec} to ${q.snr.join(', ')} dB (give a list to keep every point)\n`);
      o.snr = q.snr;
      if (a.images === undefined) o.images = 16;
    }
    await runAndPrint(o, a.format);
  },
};

export function commonBuilder(y: Argv): Argv {
  return y
    .option('snr', { type: 'string', default: '-5..20', describe: 'test SNR points (Es/N0, dB): LO..HI, LO..HI:STEP or a,b,c' })
    .option('model', { type: 'string', default: 'default', describe: 'FFMNet checkpoint for the non-JSCC schemes (default: the shipped model)' })
    .option('data', { type: 'string', describe: 'evaluation data folder (default: the shipped held-out set)' })
    .option('images', { type: 'string', describe: 'evaluate only the first N images' })
    .option('reps', { type: 'string', default: '1', describe: 'repetitions per (scheme, SNR) with independent channel draws' })
    .option('seed', { type: 'string', default: '1', describe: 'random seed' })
    .option('channel', { type: 'string', default: 'awgn', describe: 'channel name or a plug-in ./file.js' })
    .option('channel-timeout', CHANNEL_TIMEOUT_OPTION)
    .option('channel-param', { type: 'string', describe: 'channel parameter k=v (repeatable)' })
    .option('out', { type: 'string', describe: 'results file, JSON Lines, appended as it goes and resumed if it exists (default ./compare-results.jsonl, eval: ./eval-results.jsonl)' })
    .option('resume', { type: 'boolean', default: true, describe: 'resume an existing results file (--no-resume starts anew)' })
    .option('rerun-changed', { type: 'boolean', default: false, describe: 'on a resume, re-run the items of each jscc:DIR whose model changed since the file was written (a retrained model); other items are kept' })
    .option('workers', { type: 'string', describe: 'worker threads (default: cores, at most 4)' })
    .option('shard', { type: 'string', describe: 'run shard i/n of the work items (0 <= i < n); merge with jscc-sim merge' })
    .option('batch', { type: 'string', default: '16', describe: 'images per forward pass' })
    .option('bootstrap', { type: 'string', default: '1000', describe: 'bootstrap resamples of the images for the 95 % intervals of mAP and mIoU (0: none)' })
    .option('backend', { type: 'string', default: 'wasm', describe: 'tfjs backend: wasm, cpu or tensorflow' })
    .option('format', { type: 'string', default: 'table', describe: 'summary on stdout: table, csv or json' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' });
}
