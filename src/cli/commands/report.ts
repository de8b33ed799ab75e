import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/errors.js';
import { parseRange } from '../../core/range.js';
import { writeReport } from '../../../reports/report.js';

interface Args { results: string[]; out: string; 'bandwidth-snr'?: string; x?: string }

/**
 * `jscc-sim report FILE... --out DIR`: Markdown + self-contained HTML with inline SVG plots from a
 * compare/eval results file, a training log, or ber/link results files (overlaid).
 */
export const reportCommand: CommandModule<object, Args> = {
  command: 'report <results..>',
  describe: 'Markdown and self-contained HTML report (plots as inline SVG) from results files or a training log',
  builder: (y) => y
    .positional('results', { type: 'string', array: true, demandOption: true,
      describe: 'one compare/eval results file, one training log (train-log.jsonl), or several ber/link results files to overlay' })
    .option('out', { type: 'string', demandOption: true,
      describe: 'output folder: report.md, report.html, figures/ (other files there are left alone; only report\'s own are replaced)' })
    .option('bandwidth-snr', { type: 'string', describe: 'SNR points (dB) of the bandwidth figure, e.g. 0,10,20 (default: nearest 0, 10, 20)' })
    .option('x', { type: 'string', describe: 'x axis of ber/link figures: snr or ebn0 (default: ebn0 when the run was swept in Eb/N0)' }) as never,
  handler: async (a) => {
    const x = a.x === undefined ? undefined : String(a.x).trim().toLowerCase();
    if (x !== undefined && x !== 'snr' && x !== 'ebn0') throw new UsageError(`--x ${JSON.stringify(a.x)} is not allowed: use snr or ebn0`);
    const bandwidthSnr = a['bandwidth-snr'] === undefined ? undefined : parseRange(String(a['bandwidth-snr']), '--bandwidth-snr');
    const files = (Array.isArray(a.results) ? a.results : [a.results]).map(String);
    let r;
    try {
      r = await writeReport(files, String(a.out), { bandwidthSnr, x: x as 'snr' | 'ebn0' | undefined });
    } catch (e) {
      if (e instanceof UsageError) throw e;
      // A results file we could not digest is bad input, not a crash: one line, exit 2.
      const msg = e instanceof Error ? e.message : String(e);
      throw new UsageError(`report: cannot draw ${files.map((f) => JSON.stringify(f)).join(', ')}: ${msg.split('\n')[0].slice(0, 200)}`);
    }
    for (const w of r.warnings) process.stderr.write(`report: warning: ${w}\n`);
    process.stderr.write(`report: ${r.points} points, ${r.figures} figure${r.figures === 1 ? "" : "s"} -> ${a.out}/report.html, ${a.out}/report.md\n`);
  },
};
