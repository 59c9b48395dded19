import type { CommandSpec } from '../cli/command';
import { FcxError } from '../core/errors';

// Placeholder until the command is built.
export const initCommand: CommandSpec = {
  name: 'init',
  args: '[dir]',
  summary: '(not built yet)',
  async run() {
    throw new FcxError('fcx init is not built yet');
  },
};
