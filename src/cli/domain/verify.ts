import type { CommandSpec } from '../../cli/command';
import { FcxError } from '../../core/errors';

// Placeholder until the command is built.
export const domainVerifyCommand: CommandSpec = {
  name: 'domain verify',
  args: '<domain>',
  summary: '(not built yet)',
  async run() {
    throw new FcxError('fcx domain verify is not built yet');
  },
};
