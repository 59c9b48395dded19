// Pure merge of the manifest's view of one domain into what FC has: fcx owns the routes that point at its
// service, keeps every other route (another app, the console), and reports a conflict when one of its paths
// is taken by another service. Only what changed is sent; nothing changed means no write call.
import type { DomainSpec, RouteSpec } from '../manifest/types';
import { certNameFor, normalizePem, wireProtocol } from './names';

export interface RemoteRoute {
  path: string;
  serviceName?: string;
  functionName?: string;
  qualifier?: string;
  methods?: string[] | null;
  [extra: string]: unknown; // rewriteConfig and anything newer: kept as FC sent it
}

export interface RemoteDomain {
  domainName: string;
  protocol?: string;
  routeConfig?: { routes?: RemoteRoute[] | null } | null;
  certConfig?: { certName?: string; certificate?: string | null; privateKey?: string | null } | null;
  [extra: string]: unknown;
}

export interface DomainMerge {
  action: 'create' | 'update' | 'unchanged';
  /** One line per change, for the plan: "+ route /api/* → api", "~ certificate …". */
  changes: string[];
  /** Paths fcx wants that another service serves; empty when --force took them over. */
  conflicts: string[];
  /** The request body: everything for create, only the changed parts for update, {} when unchanged. */
  body: Record<string, unknown>;
  /** The route table after the change. */
  routes: RemoteRoute[];
}

export function remoteRoutes(remote: RemoteDomain | undefined): RemoteRoute[] {
  return (remote?.routeConfig?.routes ?? []).filter((r): r is RemoteRoute => Boolean(r && typeof r.path === 'string'));
}

/** The route FC should hold for one manifest route. No methods = every method the trigger accepts. */
export function toRemoteRoute(r: RouteSpec, serviceName: string): RemoteRoute {
  const out: RemoteRoute = { path: r.path, serviceName, functionName: r.function };
  if (r.qualifier) out.qualifier = r.qualifier;
  if (r.methods?.length) out.methods = [...r.methods];
  return out;
}

const normQualifier = (q: unknown) => (typeof q === 'string' && q && q !== 'LATEST' ? q : '');
const normMethods = (m: unknown) => (Array.isArray(m) ? m.map((x) => String(x).toUpperCase()).sort().join(',') : '');

export function sameRoute(a: RemoteRoute, b: RemoteRoute): boolean {
  return (
    a.path === b.path &&
    (a.serviceName ?? '') === (b.serviceName ?? '') &&
    (a.functionName ?? '') === (b.functionName ?? '') &&
    normQualifier(a.qualifier) === normQualifier(b.qualifier) &&
    normMethods(a.methods) === normMethods(b.methods)
  );
}

export function describeRoute(r: RemoteRoute, serviceName?: string): string {
  const target = r.serviceName && r.serviceName !== serviceName ? `${r.serviceName}/${r.functionName}` : `${r.functionName}`;
  const q = normQualifier(r.qualifier) ? `:${r.qualifier}` : '';
  const m = Array.isArray(r.methods) && r.methods.length ? ` [${r.methods.join(',')}]` : '';
  return `${r.path} → ${target}${q}${m}`;
}

export interface MergeInput {
  desired: DomainSpec;
  remote: RemoteDomain | undefined;
  serviceName: string;
  force?: boolean;
  /** Describes the certificate for the plan, e.g. "expires 2027-01-01"; optional. */
  certSummary?: string;
}

export function mergeDomain(input: MergeInput): DomainMerge {
  const { desired, remote, serviceName, force } = input;
  const wanted = desired.routes.map((r) => toRemoteRoute(r, serviceName));
  const changes: string[] = [];
  const conflicts: string[] = [];

  const certConfig = desired.certificate && desired.privateKey
    ? { certName: certNameFor(desired.name, desired.certificate), certificate: desired.certificate, privateKey: desired.privateKey }
    : undefined;
  const certNote = input.certSummary ? ` (${input.certSummary})` : '';

  if (!remote) {
    for (const r of wanted) changes.push(`+ route ${describeRoute(r, serviceName)}`);
    const body: Record<string, unknown> = { protocol: wireProtocol(desired.protocol), routeConfig: { routes: wanted } };
    if (certConfig) {
      body.certConfig = certConfig;
      changes.push(`+ certificate ${certConfig.certName}${certNote}`);
    }
    return { action: 'create', changes, conflicts, body, routes: wanted };
  }

  // Routes: walk the remote table in order, replacing fcx's own and keeping the rest; then append new paths.
  const existing = remoteRoutes(remote);
  const wantedByPath = new Map(wanted.map((r) => [r.path, r]));
  const placed = new Set<string>();
  const routes: RemoteRoute[] = [];
  for (const r of existing) {
    const mine = r.serviceName === serviceName;
    const want = wantedByPath.get(r.path);
    if (want && !placed.has(r.path)) {
      placed.add(r.path);
      if (!mine && !force) {
        conflicts.push(`${r.path} is served by ${r.serviceName || '(no service)'}/${r.functionName || '(no function)'}, not by this app (${serviceName})`);
        routes.push(r);
        continue;
      }
      if (sameRoute(r, want)) routes.push(r);
      else {
        routes.push(want);
        changes.push(mine ? `~ route ${describeRoute(want, serviceName)} (was ${describeRoute(r, serviceName)})` : `~ route ${describeRoute(want, serviceName)} (taken over from ${r.serviceName}/${r.functionName}, --force)`);
      }
      continue;
    }
    if (mine) {
      changes.push(`- route ${describeRoute(r, serviceName)} (no longer in fcx.yaml)`);
      continue;
    }
    routes.push(r); // another app's route, or a duplicate path FC already had: left as it is
  }
  for (const w of wanted) {
    if (placed.has(w.path)) continue;
    routes.push(w);
    changes.push(`+ route ${describeRoute(w, serviceName)}`);
  }

  const body: Record<string, unknown> = {};
  if (changes.length) body.routeConfig = { routes };

  // Certificate and protocol: only when fcx.yaml has a certificate; otherwise what is there stays.
  if (certConfig) {
    const remoteCert = remote.certConfig?.certificate ? normalizePem(remote.certConfig.certificate) : '';
    const proto = wireProtocol(desired.protocol);
    if (remoteCert !== normalizePem(certConfig.certificate)) {
      body.certConfig = certConfig;
      body.protocol = proto;
      changes.push(`${remoteCert ? '~' : '+'} certificate ${certConfig.certName}${certNote}`);
    }
    const remoteProto = remote.protocol ?? 'HTTP';
    // HTTPS-only set elsewhere (FC 3.0, the console) already is what "HTTPS" in fcx.yaml asks for.
    if (remoteProto !== proto && !(desired.protocol === 'HTTPS' && remoteProto === 'HTTPS')) {
      body.protocol = proto;
      if (!body.certConfig) body.certConfig = certConfig; // FC wants the certificate with an HTTPS protocol change
      changes.push(`~ protocol ${proto} (was ${remote.protocol ?? 'HTTP'})`);
    }
  }

  // A conflict is a change fcx wants and cannot make: 'update', so whoever applies it hears about it.
  const action = Object.keys(body).length || conflicts.length ? 'update' : 'unchanged';
  return { action, changes, conflicts, body: action === 'update' ? body : {}, routes };
}
