import type { CommandSpec } from '../cli/command';
import { FcxError } from '../core/errors';

// Placeholder until the command is built.
export const planCommand: CommandSpec = {
  name: 'plan',
  
  summary: '(not built yet)',
  async run() {
    throw new FcxError('fcx plan is not built yet');
  },
};
