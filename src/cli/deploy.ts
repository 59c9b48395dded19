import type { CommandSpec } from '../cli/command';
import { FcxError } from '../core/errors';

// Placeholder until the command is built.
export const deployCommand: CommandSpec = {
  name: 'deploy',
  
  summary: '(not built yet)',
  async run() {
    throw new FcxError('fcx deploy is not built yet');
  },
};
