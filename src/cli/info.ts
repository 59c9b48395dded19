import type { CommandSpec } from '../cli/command';
import { FcxError } from '../core/errors';

// Placeholder until the command is built.
export const infoCommand: CommandSpec = {
  name: 'info',
  
  summary: '(not built yet)',
  async run() {
    throw new FcxError('fcx info is not built yet');
  },
};
