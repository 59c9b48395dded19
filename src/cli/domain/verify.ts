import type { CommandSpec } from '../../cli/command';

export const domainVerifyCommand: CommandSpec = {
  name: 'domain verify',
  args: '<domain>',
  summary: 'diagnose a custom domain: the CNAME FC needs, what the name resolves to now, certificate, ICP',
  help: `Examples:
  fcx domain verify api.example.com
  fcx domain verify api.example.com --json    {domain, ok, status, exitCode, expected, resolved, fc, certificate,
                                               icpFilingRequired, issues:[{area, code, severity, message, fix}],
                                               recommendedDnsRecords, next}

Exit code 0 only when everything is right; 3 while something needs doing (the report says what).
With --local, DNS findings are notes: the emulator serves the domain by Host header whatever DNS says.
FCX_DNS_FIXTURE=<file.json> answers DNS from a file instead of the system resolver (offline checks).`,
  async run(ctx, args) {
    const { verifyDomain } = await import('../../domain/verify/run.js');
    const d = await verifyDomain(ctx, args[0]);
    if (ctx.global.json) ctx.ui.data(d);
    else {
      const { renderDiagnosis } = await import('../../domain/verify/render.js');
      ctx.ui.data(renderDiagnosis(d, ctx.ui.cOut));
    }
    return d.exitCode;
  },
};
