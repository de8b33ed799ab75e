import type { CommandModule } from 'yargs';
import { mergeResults } from '../../sweep/merge.js';

interface Args { files: string[]; out: string }

/** `jscc-sim merge shard0.jsonl shard1.jsonl ... --out merged.jsonl`: unite the shards of one sweep. */
export const mergeCommand: CommandModule<object, Args> = {
  command: 'merge <files..>',
  describe: 'merge the results files of a sharded sweep (--shard i/n) into one',
  builder: (y) => y
    .positional('files', { type: 'string', array: true, demandOption: true })
    .option('out', { type: 'string', demandOption: true, describe: 'merged results file' }) as never,
  handler: (a) => {
    const s = mergeResults(a.files, a.out);
    process.stderr.write(`merge: ${s.files} files, ${s.records} records -> ${a.out}\n`);
    if (s.missingShards.length) {
      process.stderr.write(`merge: warning: shards ${s.missingShards.join(', ')} are missing; the merged sweep is incomplete\n`);
    }
  },
};
