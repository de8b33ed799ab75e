import type { CommandModule } from 'yargs';

/** Placeholder until its issue lands: the command exists, says so, and fails with exit 1. */
export const mergeCommand: CommandModule = {
  command: 'merge',
  describe: '(not yet available in this build)',
  handler: () => {
    throw new Error('the "merge" command is not implemented yet in this build');
  },
};
