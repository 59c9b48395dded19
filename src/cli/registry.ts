// Every command fcx has, in the order --help lists them.
import type { CommandSpec } from './command';
import { initCommand } from './init';
import { deployCommand } from './deploy';
import { planCommand } from './plan';
import { invokeCommand } from './invoke';
import { logsCommand } from './logs';
import { infoCommand } from './info';
import { removeCommand } from './remove';
import { domainBindCommand } from './domain/bind';
import { domainListCommand } from './domain/list';
import { domainUnbindCommand } from './domain/unbind';
import { domainVerifyCommand } from './domain/verify';
import { emulatorCommand } from './emulator';
import { devCommand } from './dev';

export const commands: CommandSpec[] = [
  initCommand,
  deployCommand,
  planCommand,
  invokeCommand,
  logsCommand,
  infoCommand,
  removeCommand,
  domainBindCommand,
  domainListCommand,
  domainUnbindCommand,
  domainVerifyCommand,
  emulatorCommand,
  devCommand,
];
