import type { CommandSpec } from '../../cli/command';

export const domainBindCommand: CommandSpec = {
  name: 'domain bind',
  args: '<domain>',
  summary: 'route a custom domain (path → function) and record it in fcx.yaml',
  help: `Examples:
  fcx domain bind api.example.com                         route /* to the only function with an HTTP trigger
  fcx domain bind api.example.com --function api --path '/api/*' --methods GET,POST
  fcx domain bind api.example.com --cert certs/fullchain.pem --key certs/key.pem   serve HTTPS
  fcx domain bind api.example.com --local                 try it on the emulator (curl -H 'Host: …')

fcx.yaml keeps its comments and layout; only the lines of this domain change. The result is checked
(manifest rules, certificate, key, chain, names, dates) before any cloud call.
Routes of other apps on the same domain are kept; a path another app serves stops the command unless --force.
FC serves the domain once its DNS has a CNAME to <accountId>.<region>.fc.aliyuncs.com; until then fcx prints
the record to create and exits with 3 (check it with: fcx domain verify DOMAIN).
A wildcard domain (*.example.com) routes every name under it; its URL is printed as a pattern
(http://*.example.com/, JSON adds "wildcard": true): call it with any name in place of *.`,
  configure(cmd) {
    cmd
      .option('-f, --function <name>', 'function to route to (default: the only function with an HTTP trigger)')
      .option('--path <path>', 'route path: exact (/health) or prefix ending in * (/api/*)', '/*')
      .option('--methods <list>', 'comma-separated methods this route accepts (default: every method the trigger accepts)')
      .option('--qualifier <q>', 'version or alias to route to (default LATEST)')
      .option('--protocol <p>', 'HTTP | HTTPS | HTTP,HTTPS (HTTPS when --cert is given)')
      .option('--cert <file>', 'PEM certificate chain, leaf first')
      .option('--key <file>', 'PEM private key of the certificate')
      .option('--force', 'take over a path that another function or app serves');
  },
  async run(ctx, args, opts) {
    const { bindDomain } = await import('../../domain/bind.js');
    const { cnameRecordLine } = await import('../../domain/names.js');
    const r = await bindDomain(ctx, args[0], opts);
    const ui = ctx.ui;
    if (r.changes.length) for (const c of r.changes) ui.info(`  ${c}`);
    ui.success(r.action === 'unchanged' ? `${r.name} is already set up this way in FC (nothing sent).` : `${r.name} ${r.action === 'create' ? 'created' : 'updated'} in FC.`);
    ui.info('');
    ui.info('DNS: create this record at your DNS provider (FC serves the domain only through it):');
    ui.info(`  ${cnameRecordLine(r.name, r.cname)}`);
    if (r.curl) {
      ui.info('');
      ui.info('The local emulator serves the domain by Host header, whatever DNS says:');
      ui.info(`  ${r.curl}`);
    }
    const wildcard = r.name.startsWith('*.') ? { wildcard: true } : {};
    if (ctx.global.json) ui.data({ name: r.name, url: r.url, ...wildcard, cname: r.cname, routes: r.routes, action: r.action });
    else ui.data(r.url);
    return 0;
  },
};
