import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../core/errors.js';
import { commonOptions, resolveModel, runAndPrint } from '../../compare/cli.js';
import { splitSchemeList } from '../../compare/spec-list.js';
import { commonBuilder } from './compare.js';

type Args = Record<string, unknown>;

/** `jscc-sim eval --model DIR --scheme SPEC --snr RANGE`: mAP@0.5 and mIoU per SNR point. */
export const evalCommand: CommandModule<object, Args> = {
  command: 'eval',
  describe: 'mAP@0.5 and mIoU per SNR point of a trained model through a transmission scheme',
  builder: (y: Argv) => commonBuilder(y)
    .option('scheme', { type: 'string', describe: 'scheme SPEC(s): none, jscc (the JSCC of --model), jscc:DIR, separate:..., ideal:jpeg (repeatable or comma-separated)' }) as unknown as Argv<Args>,
  handler: async (a) => {
    const modelDir = resolveModel(a.model);
    const raw = a.scheme === undefined ? ['none'] : (Array.isArray(a.scheme) ? a.scheme : [a.scheme]).map(String);
    const schemes = raw.flatMap(splitSchemeList).map((s) => (s === 'jscc' ? `jscc:${modelDir}` : s));
    if (schemes.length === 0) throw new UsageError('--scheme names no scheme: use none, jscc, jscc:DIR, separate:... or ideal:jpeg');
    const o = await commonOptions(a, 'eval', schemes, modelDir);
    await runAndPrint(o, a.format);
  },
};
