// Gathers the facts for `fcx domain verify`: DNS answers, FC's view of the domain, and fcx.yaml's.
import type { Context } from '../../core/context';
import { FcxError } from '../../core/errors';
import type { FcApi } from '../../cloud/fc';
import type { CloudTarget } from '../../cloud/target';
import type { Manifest } from '../../manifest/types';
import { checkCertificate, registerPrivateKey } from '../certificate';
import { mergeDomain, remoteRoutes, type RemoteDomain } from '../merge';
import { cnameTarget } from '../names';
import type { DnsResolver } from '../resolver';
import type { VerifyFacts } from './facts';

const bare = (n: string) => n.toLowerCase().replace(/\.$/, '');

export async function lookupDns(resolver: DnsResolver, domain: string, expected: string): Promise<VerifyFacts['dns']> {
  const dns: VerifyFacts['dns'] = { source: resolver.source, cnameChain: [], a: [], aaaa: [], expectedA: [] };
  try {
    let name = domain;
    for (let hops = 0; hops < 8; hops++) {
      const [next] = await resolver.resolveCname(name);
      if (!next || dns.cnameChain.includes(bare(next))) break;
      dns.cnameChain.push(bare(next));
      if (bare(next) === bare(expected)) break;
      name = next;
    }
    [dns.a, dns.aaaa, dns.expectedA] = await Promise.all([resolver.resolve4(domain), resolver.resolve6(domain), resolver.resolve4(expected)]);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    dns.error = `${e.code ?? 'error'}: ${e.message}`;
  }
  return dns;
}

export async function acquireFacts(o: {
  ctx: Context;
  domain: string;
  target: CloudTarget;
  fc: FcApi;
  manifest?: Manifest;
  resolver: DnsResolver;
  now?: Date;
}): Promise<VerifyFacts> {
  const { domain, target, fc, manifest } = o;
  const now = o.now ?? new Date();
  const expected = cnameTarget(target.accountId, target.region);
  const [dns, remote] = await Promise.all([lookupDns(o.resolver, domain, expected), fc.getCustomDomain(domain) as Promise<RemoteDomain | undefined>]);

  const remoteCert = remote?.certConfig?.certificate ? { ...checkCertificate(domain, remote.certConfig.certificate, undefined, now), certName: remote.certConfig.certName } : undefined;
  const facts: VerifyFacts = {
    domain,
    region: target.region,
    accountId: target.accountId,
    local: target.local || Boolean(target.endpoint),
    endpoint: target.endpoint,
    cliFlags: o.ctx.global.local ? ' --local' : '',
    expectedCname: expected,
    now: now.toISOString(),
    dns,
    serviceName: manifest?.service.name,
    remote: { exists: Boolean(remote), protocol: remote?.protocol, routes: remoteRoutes(remote), certificate: remoteCert },
  };
  for (const d of manifest?.domains ?? []) registerPrivateKey(d.privateKey);
  if (manifest) {
    const spec = manifest.domains.find((d) => d.name === domain);
    if (!spec) facts.manifest = { present: false, routes: [], inSync: true };
    else {
      let inSync = false;
      try {
        const m = mergeDomain({ desired: spec, remote, serviceName: manifest.service.name });
        inSync = m.action === 'unchanged';
      } catch (err) {
        if (!(err instanceof FcxError)) throw err;
      }
      facts.manifest = {
        present: true,
        protocol: spec.protocol,
        routes: spec.routes.map((r) => ({ path: r.path, function: r.function })),
        inSync,
        certificate: spec.certificate && spec.privateKey ? checkCertificate(domain, spec.certificate, spec.privateKey, now) : undefined,
        source: spec.certificateSource,
      };
    }
  }
  return facts;
}
