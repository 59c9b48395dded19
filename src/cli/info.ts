// fcx info: what is deployed for the app (URLs, checksums, log location).
import type { CommandSpec } from './command';

export const infoCommand: CommandSpec = {
  name: 'info',
  summary: 'show what is deployed: service, functions, URLs, checksums, domains, log location',
  help: `Examples:
  fcx info                 a readable summary
  fcx info --json          {"app","region","accountId","service","functions":[…],"domains":[…],"logs"}
  fcx info --local         what the local emulator has`,
  async run(ctx) {
    const { runInfo } = await import('../deploy/info.js');
    return runInfo(ctx);
  },
};
