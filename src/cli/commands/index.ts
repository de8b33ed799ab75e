/**
 * The registry of subcommands. Each lives in its own file and exports a yargs CommandModule; add a
 * new one here.
 */
import type { CommandModule } from 'yargs';
import { berCommand } from './ber.js';
import { linkCommand } from './link.js';
import { infoCommand } from './info.js';
import { datasetCommand } from './dataset.js';
import { trainCommand } from './train.js';
import { evalCommand } from './eval.js';
import { compareCommand } from './compare.js';
import { reportCommand } from './report.js';
import { mergeCommand } from './merge.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: { name: string; module: CommandModule<any, any> }[] = [
  { name: 'ber', module: berCommand },
  { name: 'link', module: linkCommand },
  { name: 'info', module: infoCommand },
  { name: 'dataset', module: datasetCommand },
  { name: 'train', module: trainCommand },
  { name: 'eval', module: evalCommand },
  { name: 'compare', module: compareCommand },
  { name: 'report', module: reportCommand },
  { name: 'merge', module: mergeCommand },
];
