import type { CommandSpec } from '../../cli/command';
import { FcxError } from '../../core/errors';

// Placeholder until the command is built.
export const domainListCommand: CommandSpec = {
  name: 'domain list',
  
  summary: '(not built yet)',
  async run() {
    throw new FcxError('fcx domain list is not built yet');
  },
};
