import type { CommandModule } from 'yargs';

/** Placeholder until its issue lands: the command exists, says so, and fails with exit 1. */
export const linkCommand: CommandModule = {
  command: 'link',
  describe: '(not yet available in this build)',
  handler: () => {
    throw new Error('the "link" command is not implemented yet in this build');
  },
};
