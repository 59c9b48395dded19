import type { CommandSpec } from '../cli/command';
import { FcxError } from '../core/errors';

// Placeholder until the command is built.
export const devCommand: CommandSpec = {
  name: 'dev',
  
  summary: '(not built yet)',
  async run() {
    throw new FcxError('fcx dev is not built yet');
  },
};
