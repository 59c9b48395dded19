import type { CommandSpec } from '../../cli/command';

export const domainListCommand: CommandSpec = {
  name: 'domain list',
  summary: "custom domains of this app: routes, protocol, certificate expiry (FC merged with fcx.yaml)",
  help: `Examples:
  fcx domain list
  fcx domain list --json      {service, region, accountId, domains:[{name, protocol, url, wildcard?, cname, inManifest, inCloud,
                               routes:[{path, service, function, methods?, qualifier?, owner, state}], certificate?}]}

For a wildcard domain (*.example.com) url is a pattern, http://*.example.com/, and "wildcard": true is added:
call it with any name in place of *.
Without fcx.yaml, lists every custom domain of the region.`,
  async run(ctx) {
    const { listDomains, renderDomainList } = await import('../../domain/list.js');
    const r = await listDomains(ctx);
    if (ctx.global.json) ctx.ui.data(r);
    else ctx.ui.data(renderDomainList(r));
    return 0;
  },
};
