import type { CommandSpec } from '../cli/command';
import { FcxError } from '../core/errors';

// Placeholder until the command is built.
export const invokeCommand: CommandSpec = {
  name: 'invoke',
  args: '[function]',
  summary: '(not built yet)',
  async run() {
    throw new FcxError('fcx invoke is not built yet');
  },
};
