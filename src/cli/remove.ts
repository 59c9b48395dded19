// fcx remove: delete what fcx created for the app, in reverse order of deploy.
import type { Command } from 'commander';
import type { CommandSpec } from './command';

export const removeCommand: CommandSpec = {
  name: 'remove',
  summary: 'remove the app: domain routes, triggers, functions, service (and with --all the role, logs, code objects)',
  help: `Examples:
  fcx remove                ask, then remove the app's service, functions, triggers and its domain routes
  fcx remove --yes          without asking (required without a terminal)
  fcx remove --all --yes    also the RAM role, SLS log project and code objects fcx created for the app

Only what fcx owns is removed: the functions in fcx.yaml and those fcx created; the service only when fcx
created it and no other function is left in it. What stays is listed ("Kept ..."). Routes of other apps on a
shared domain stay. Running it twice is fine.
stdout with --json: {"app","region","removed":[...],"kept":[...]}`,
  configure(cmd: Command) {
    cmd.option('--all', 'also remove the auto-created role, log project (with its logs) and code objects');
  },
  async run(ctx, _args, opts) {
    const { runRemove } = await import('../deploy/remove.js');
    return runRemove(ctx, { all: Boolean(opts.all) });
  },
};
