// fcx plan: what deploy would do, per resource (create / update with the changed fields / unchanged).
import type { Command } from 'commander';
import type { CommandSpec } from './command';

const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

export const planCommand: CommandSpec = {
  name: 'plan',
  summary: 'show what deploy would change (same as deploy --dry-run); changes nothing',
  help: `Examples:
  fcx plan                         the plan for every function
  fcx plan --function web          only the function "web"
  fcx plan --json                  the plan as JSON
  fcx plan --list-files            the files that go into each package, with sizes

Reads only (Get/List calls). Env values are never shown, only their names.`,
  configure(cmd: Command) {
    cmd
      .option('-f, --function <name>', 'only this function (repeatable, or comma-separated)', collect)
      .option('--list-files', 'list the files of each package and their sizes');
  },
  async run(ctx, _args, opts) {
    const { runDeploy } = await import('../deploy/run.js');
    return runDeploy(ctx, { dryRun: true, planOnly: true, functions: opts.function, prune: false, listFiles: Boolean(opts.listFiles) });
  },
};
