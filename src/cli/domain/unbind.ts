import type { CommandSpec } from '../../cli/command';

export const domainUnbindCommand: CommandSpec = {
  name: 'domain unbind',
  args: '<domain>',
  summary: "remove this app's route(s) of a custom domain from fcx.yaml and from FC",
  help: `Examples:
  fcx domain unbind api.example.com --path '/api/*'   one route
  fcx domain unbind api.example.com --yes             every route of this app (no prompt)

Routes that other apps serve on the same domain are kept. The custom domain itself is deleted from FC when
no route is left (unless it carries a certificate fcx did not set). Asks first; without a terminal it needs
--yes (exit 3 otherwise, nothing changed).`,
  configure(cmd) {
    cmd.option('--path <path>', 'only this route path (default: every route of this app)');
  },
  async run(ctx, args, opts) {
    const { unbindDomain } = await import('../../domain/unbind.js');
    const r = await unbindDomain(ctx, args[0], { path: opts.path });
    if (ctx.global.json) ctx.ui.data(r);
    return 0;
  },
};
