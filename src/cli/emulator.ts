import type { CommandSpec } from '../cli/command';
import { FcxError } from '../core/errors';

// Placeholder until the command is built.
export const emulatorCommand: CommandSpec = {
  name: 'emulator',
  
  summary: '(not built yet)',
  async run() {
    throw new FcxError('fcx emulator is not built yet');
  },
};
