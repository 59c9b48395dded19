// `fcx info`: what is deployed for the app — service, functions (runtime, memory, checksum, last change, URL),
// custom domains routing to it, and where its logs are. Read-only.
import type { Context } from '../core/context';
import { FcxError } from '../core/errors';
import { triggerUrl } from '../cloud/fc';
import { loadApp, targetFor } from './app';
import { makeApis } from './apis';
import { triggerConfigOf } from './diff';
import { HTTP_TRIGGER_NAME } from './names';
import { mapLimit } from './wait';

type Obj = Record<string, any>;

export interface AppInfo {
  app: string;
  region: string;
  accountId: string;
  service: { name: string; role: string; description: string; internetAccess: boolean; lastModified: string | null };
  functions: Array<{ name: string; runtime: string; memory: number; timeout: number; codeChecksum: string; codeSize: number | null; lastModified: string | null; url: string | null; auth: string | null }>;
  domains: Array<{ name: string; url: string; cname: string; routes: Array<{ path: string; function: string }> }>;
  logs: { project: string; logstore: string } | null;
}

export async function runInfo(ctx: Context): Promise<number> {
  const m = await loadApp(ctx);
  const target = await targetFor(ctx, m);
  const { fc } = await makeApis(ctx, target);
  const svc = m.service.name;
  const service = await fc.getService(svc);
  if (!service)
    throw new FcxError(`${m.name} is not deployed in ${target.region}: FC has no service ${svc}${target.endpoint ? ` at ${target.endpoint}` : ''}.`, { hint: 'Deploy it with `fcx deploy`.' });

  const fnList = await fc.listFunctions(svc);
  const functions: AppInfo['functions'] = new Array(fnList.length);
  const results = await mapLimit(fnList, 8, async (f: Obj, i) => {
    const name = String(f.functionName);
    const t = await fc.getTrigger(svc, name, HTTP_TRIGGER_NAME);
    functions[i] = {
      name,
      runtime: String(f.runtime ?? ''),
      memory: Number(f.memorySize ?? 0),
      timeout: Number(f.timeout ?? 0),
      codeChecksum: String(f.codeChecksum ?? ''),
      codeSize: typeof f.codeSize === 'number' ? f.codeSize : null,
      lastModified: f.lastModifiedTime ? String(f.lastModifiedTime) : null,
      url: t ? String(t.urlInternet || triggerUrl(target, svc, name)) : null,
      auth: t ? String(triggerConfigOf(t).authType ?? '') || null : null,
    };
  });
  for (const r of results) if (r?.status === 'rejected') throw r.reason;

  const { cnameTarget, domainUrl } = await import('../domain/names.js');
  const domains: AppInfo['domains'] = [];
  for (const d of await fc.listCustomDomains()) {
    const routes = ((d.routeConfig?.routes as Obj[]) ?? []).filter((r) => r.serviceName === svc);
    if (!routes.length) continue;
    domains.push({
      name: String(d.domainName),
      url: domainUrl(String(d.domainName), d.protocol),
      cname: cnameTarget(target.accountId, target.region),
      routes: routes.map((r) => ({ path: String(r.path), function: String(r.functionName) })),
    });
  }
  const lc: Obj = service.logConfig ?? {};
  const info: AppInfo = {
    app: m.name,
    region: target.region,
    accountId: target.accountId,
    service: { name: svc, role: String(service.role ?? ''), description: String(service.description ?? ''), internetAccess: service.internetAccess !== false, lastModified: service.lastModifiedTime ? String(service.lastModifiedTime) : null },
    functions,
    domains,
    logs: lc.project && lc.logstore ? { project: String(lc.project), logstore: String(lc.logstore) } : null,
  };
  if (ctx.ui.json) ctx.ui.data(info);
  else ctx.ui.data(renderInfo(info));
  return 0;
}

export function renderInfo(i: AppInfo): string {
  const lines = [`${i.app} in ${i.region} (account ${i.accountId})`, `service   ${i.service.name}${i.service.role ? `  role ${i.service.role}` : ''}`];
  if (i.domains.length) {
    lines.push('domains');
    for (const d of i.domains) {
      lines.push(`  ${d.url}  (CNAME ${d.name} → ${d.cname})`);
      for (const r of d.routes) lines.push(`    ${r.path} → ${r.function}`);
    }
  }
  lines.push(i.functions.length ? 'functions' : 'functions (none)');
  for (const f of i.functions) {
    lines.push(`  ${f.name}  ${f.runtime}, ${f.memory} MB, timeout ${f.timeout} s`);
    lines.push(`    url       ${f.url ?? '(no HTTP trigger)'}${f.auth && f.auth !== 'anonymous' ? `  (auth: ${f.auth})` : ''}`);
    lines.push(`    checksum  ${f.codeChecksum || '(unknown)'}${f.codeSize !== null ? `  (${f.codeSize} bytes)` : ''}`);
    if (f.lastModified) lines.push(`    modified  ${f.lastModified}`);
  }
  lines.push(i.logs ? `logs      SLS project ${i.logs.project}, logstore ${i.logs.logstore}  (fcx logs)` : 'logs      off (service.logs: none)');
  return lines.join('\n');
}
