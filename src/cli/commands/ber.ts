import type { CommandModule } from 'yargs';

/** Placeholder until its issue lands: the command exists, says so, and fails with exit 1. */
export const berCommand: CommandModule = {
  command: 'ber',
  describe: '(not yet available in this build)',
  handler: () => {
    throw new Error('the "ber" command is not implemented yet in this build');
  },
};
