/**
 * The registry of subcommands. Each lives in its own file and exports a yargs CommandModule; add a
 * new one here. Modules load lazily, so that `ber` never starts tfjs and the like.
 */
import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;

export const commands: { name: string; load: () => Promise<AnyCommand> }[] = [
  { name: 'ber', load: async () => (await import('./ber.js')).berCommand },
  { name: 'link', load: async () => (await import('./link.js')).linkCommand },
  { name: 'info', load: async () => (await import('./info.js')).infoCommand },
  { name: 'dataset', load: async () => (await import('./dataset.js')).datasetCommand },
  { name: 'train', load: async () => (await import('./train.js')).trainCommand },
  { name: 'eval', load: async () => (await import('./eval.js')).evalCommand },
  { name: 'compare', load: async () => (await import('./compare.js')).compareCommand },
  { name: 'report', load: async () => (await import('./report.js')).reportCommand },
  { name: 'merge', load: async () => (await import('./merge.js')).mergeCommand },
];
