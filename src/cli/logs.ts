import type { CommandSpec } from '../cli/command';
import { FcxError } from '../core/errors';

// Placeholder until the command is built.
export const logsCommand: CommandSpec = {
  name: 'logs',
  args: '[function]',
  summary: '(not built yet)',
  async run() {
    throw new FcxError('fcx logs is not built yet');
  },
};
