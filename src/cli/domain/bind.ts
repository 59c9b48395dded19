import type { CommandSpec } from '../../cli/command';
import { FcxError } from '../../core/errors';

// Placeholder until the command is built.
export const domainBindCommand: CommandSpec = {
  name: 'domain bind',
  args: '<domain>',
  summary: '(not built yet)',
  async run() {
    throw new FcxError('fcx domain bind is not built yet');
  },
};
