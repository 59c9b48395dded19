// `fcx domain list`: the app's domains as FC has them, merged with fcx.yaml — routes (whose they are, whether
// deployed), protocol and certificate expiry. Without fcx.yaml it lists every custom domain of the region.
import type { Context } from '../core/context';
import { existsSync } from 'node:fs';
import { findManifestPath, loadManifest } from '../manifest/load';
import type { Manifest } from '../manifest/types';
import { describeCertificate, formatDate, registerPrivateKey } from './certificate';
import { remoteRoutes, sameRoute, toRemoteRoute, type RemoteDomain } from './merge';
import { cnameTarget, domainUrl, isWildcardDomain } from './names';

export interface ListedRoute {
  path: string;
  service: string;
  function: string;
  methods?: string[];
  qualifier?: string;
  owner: 'this app' | 'another app';
  /** deployed: FC has it as fcx.yaml says; not deployed: in fcx.yaml only or different in FC; not in fcx.yaml: FC only. */
  state: 'deployed' | 'not deployed' | 'not in fcx.yaml' | 'foreign';
}

export interface ListedDomain {
  name: string;
  protocol: string;
  /** For a wildcard domain a pattern (http://*.example.com/), and `wildcard: true` says so. */
  url: string;
  wildcard?: true;
  cname: string;
  inManifest: boolean;
  inCloud: boolean;
  routes: ListedRoute[];
  certificate?: { source: 'FC' | 'fcx.yaml'; names: string[]; expires: string; daysLeft: number; certName?: string };
}

const DAY = 86_400_000;

/** fcx.yaml when there is one; undefined when there is none and none was asked for with -c. */
export async function loadOptionalManifest(ctx: Context): Promise<Manifest | undefined> {
  const file = findManifestPath(ctx.cwd, ctx.global.config);
  if (!existsSync(file) && ctx.global.config === 'fcx.yaml') return undefined;
  return loadManifest(file, { env: ctx.env, region: ctx.global.region, cwd: ctx.cwd, warn: (m) => ctx.ui.warn(m) });
}

export async function listDomains(ctx: Context): Promise<{ service?: string; region: string; accountId: string; domains: ListedDomain[] }> {
  const manifest = await loadOptionalManifest(ctx);
  for (const d of manifest?.domains ?? []) registerPrivateKey(d.privateKey);
  const { resolveTarget } = await import('../cloud/target.js');
  const { FcApi } = await import('../cloud/fc.js');
  const target = await resolveTarget(ctx, { region: manifest?.region });
  const fc = new FcApi(target, ctx);
  const remote = (await fc.listCustomDomains()) as RemoteDomain[];
  const svc = manifest?.service.name;
  const cname = cnameTarget(target.accountId, target.region);

  const names = new Set<string>(manifest?.domains.map((d) => d.name) ?? []);
  for (const r of remote) {
    if (!svc || remoteRoutes(r).some((x) => x.serviceName === svc)) names.add(r.domainName);
  }
  const domains: ListedDomain[] = [];
  for (const name of [...names].sort()) {
    const spec = manifest?.domains.find((d) => d.name === name);
    const rd = remote.find((r) => r.domainName === name);
    const routes: ListedRoute[] = [];
    const rr = remoteRoutes(rd);
    for (const r of rr) {
      const mine = Boolean(svc) && r.serviceName === svc;
      const want = spec?.routes.find((x) => x.path === r.path);
      const state: ListedRoute['state'] = !mine ? 'foreign' : !want ? 'not in fcx.yaml' : sameRoute(r, toRemoteRoute(want, svc!)) ? 'deployed' : 'not deployed';
      routes.push({
        path: r.path,
        service: r.serviceName ?? '',
        function: r.functionName ?? '',
        ...(Array.isArray(r.methods) && r.methods.length ? { methods: r.methods } : {}),
        ...(r.qualifier && r.qualifier !== 'LATEST' ? { qualifier: r.qualifier } : {}),
        owner: mine ? 'this app' : 'another app',
        state: svc ? state : 'deployed',
      });
    }
    for (const w of spec?.routes ?? []) {
      if (rr.some((r) => r.path === w.path)) continue;
      routes.push({ path: w.path, service: svc!, function: w.function, ...(w.methods ? { methods: w.methods } : {}), ...(w.qualifier ? { qualifier: w.qualifier } : {}), owner: 'this app', state: 'not deployed' });
    }
    const pem = rd?.certConfig?.certificate || spec?.certificate;
    const facts = describeCertificate(pem);
    const protocol = rd?.protocol ?? spec?.protocol ?? 'HTTP';
    domains.push({
      name,
      protocol,
      url: domainUrl(name, protocol),
      ...(isWildcardDomain(name) ? { wildcard: true as const } : {}),
      cname,
      inManifest: Boolean(spec),
      inCloud: Boolean(rd),
      routes,
      ...(facts
        ? {
            certificate: {
              source: rd?.certConfig?.certificate ? 'FC' : 'fcx.yaml',
              names: facts.names,
              expires: facts.validTo.toISOString(),
              daysLeft: Math.floor((facts.validTo.getTime() - Date.now()) / DAY),
              ...(rd?.certConfig?.certName ? { certName: rd.certConfig.certName } : {}),
            },
          }
        : {}),
    });
  }
  return { service: svc, region: target.region, accountId: target.accountId, domains };
}

/** Human text for stdout. */
export function renderDomainList(r: Awaited<ReturnType<typeof listDomains>>): string {
  if (!r.domains.length) return r.service ? `No custom domain routes to service ${r.service} in ${r.region}. Add one with: fcx domain bind DOMAIN\n` : `No custom domains in ${r.region}.\n`;
  const out: string[] = [];
  for (const d of r.domains) {
    const where = d.inCloud ? (d.inManifest ? '' : '  (not in fcx.yaml)') : '  (not deployed)';
    let cert = '';
    if (d.certificate) {
      const c = d.certificate;
      cert = c.daysLeft < 0 ? `  certificate EXPIRED ${formatDate(new Date(c.expires))}` : `  certificate expires ${formatDate(new Date(c.expires)).slice(0, 10)} (${c.daysLeft} days)`;
    }
    out.push(`${d.name}  ${d.protocol}${cert}${where}`);
    const width = Math.max(...d.routes.map((x) => x.path.length), 1);
    for (const x of d.routes) {
      const target = x.owner === 'another app' ? `${x.service}/${x.function}` : x.function;
      const extra = `${x.qualifier ? `:${x.qualifier}` : ''}${x.methods ? ` [${x.methods.join(',')}]` : ''}`;
      const state = x.state === 'deployed' || (x.state === 'foreign' && !r.service) ? '' : x.state === 'foreign' ? '  (another app)' : `  (${x.state})`;
      out.push(`  ${x.path.padEnd(width)}  → ${target}${extra}${state}`);
    }
  }
  return out.join('\n') + '\n';
}
