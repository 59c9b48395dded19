import type { CommandSpec } from '../cli/command';
import { FcxError } from '../core/errors';

// Placeholder until the command is built.
export const removeCommand: CommandSpec = {
  name: 'remove',
  
  summary: '(not built yet)',
  async run() {
    throw new FcxError('fcx remove is not built yet');
  },
};
