import type { CommandModule } from 'yargs';
import { writeReport } from '../../../reports/report.js';

interface Args { results: string; out: string }

/** `jscc-sim report results.jsonl --out DIR`: Markdown + self-contained HTML with inline SVG plots. */
export const reportCommand: CommandModule<object, Args> = {
  command: 'report <results>',
  describe: 'Markdown and self-contained HTML report (plots as inline SVG) from a results file',
  builder: (y) => y
    .positional('results', { type: 'string', demandOption: true, describe: 'results file (JSON Lines from compare/eval/link)' })
    .option('out', { type: 'string', demandOption: true, describe: 'output folder (report.md, report.html, figures/)' }) as never,
  handler: async (a) => {
    const r = await writeReport(a.results, a.out);
    process.stderr.write(`report: ${r.points} points, ${r.figures} figures -> ${a.out}/report.html, ${a.out}/report.md\n`);
  },
};
