import type { CommandSpec } from '../../cli/command';
import { FcxError } from '../../core/errors';

// Placeholder until the command is built.
export const domainUnbindCommand: CommandSpec = {
  name: 'domain unbind',
  args: '<domain>',
  summary: '(not built yet)',
  async run() {
    throw new FcxError('fcx domain unbind is not built yet');
  },
};
