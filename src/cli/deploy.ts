// fcx deploy: plan against what exists, show it, apply it in dependency order, print the URLs.
import type { Command } from 'commander';
import type { CommandSpec } from './command';

const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

export const deployCommand: CommandSpec = {
  name: 'deploy',
  summary: 'deploy the app in fcx.yaml: plan, confirm, apply, print the URLs',
  help: `Examples:
  fcx deploy                       show the plan, ask, apply
  fcx deploy --yes                 apply without asking (CI; required without a terminal)
  fcx deploy --dry-run             the plan only (same as fcx plan); nothing is changed
  fcx deploy --function web        only the function "web" (repeatable)
  fcx deploy --prune --yes         also delete functions that are no longer in fcx.yaml
  fcx deploy --local --yes         deploy to the local emulator (fcx emulator)
  fcx deploy --dry-run --list-files  the files that go into each package, with sizes

A redeploy with nothing changed makes no write call. An interrupted deploy converges when run again.
Each cloud request waits at most FCX_HTTP_TIMEOUT_MS (default 30000) and is retried on a timeout; requests
that carry code wait up to FCX_UPLOAD_TIMEOUT_MS (default 600000).

Resources fcx creates when fcx.yaml says auto (and only what the app needs):
  RAM role      fcx-<app>-role, with AliyunLogFullAccess (only when logs are on)
  SLS logs      project fcx-<app>-<accountId>, logstore fcx-logs, with an index for fcx logs
  OSS bucket    fcx-code-<accountId>-<region>, shared by your apps in the region, only for code too large to
                send inline (over 50 MB as base64; env FCX_INLINE_CODE_LIMIT=<bytes> changes it);
                objects fcx/<app>/<function>/<checksum>.zip
  FC service    service.name (default: the app name), description marked "(managed by fcx)"; functions fcx
                creates carry the same marker in their description
A service that exists but was not created by fcx stops the deploy (exit 3): pass --force to deploy into it.
fcx then creates or updates only the functions in fcx.yaml, adds no marker to the service, never deletes (or
prunes) its other functions, and fcx remove keeps the service.
fcx remove deletes the service, functions, triggers and the app's domain routes; fcx remove --all also
the role, the log project and the app's code objects — never what fcx did not create.
stdout: the URLs, one per line (custom domains first), or with --json:
  {"app","region","accountId","service":{"name"},"functions":[{"name","url","codeChecksum","action"}],"domains":[{"name","url","cname"}]}`,
  configure(cmd: Command) {
    cmd
      .option('--dry-run', 'show the plan only; change nothing')
      .option('-f, --function <name>', 'only this function (repeatable, or comma-separated)', collect)
      .option('--prune', 'delete functions that are no longer in fcx.yaml (only those fcx created)')
      .option('--force', "deploy into an existing FC service fcx did not create, and take over custom-domain paths that another app's service serves now")
      .option('--list-files', 'with --dry-run: list the files of each package and their sizes');
  },
  async run(ctx, _args, opts) {
    const { runDeploy } = await import('../deploy/run.js');
    return runDeploy(ctx, { dryRun: Boolean(opts.dryRun), functions: opts.function, prune: Boolean(opts.prune), listFiles: Boolean(opts.listFiles), force: Boolean(opts.force) });
  },
};
