// FC custom domains: control plane (wire-protocol §2.6) and route matching for Host-routed traffic.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { EmuRequest, EmuResponse } from '../types';
import { COLL, DOMAIN_SCHEMA, HTTP_METHODS, domainView, type DomainRecord, type RouteRecord } from './fc-model';
import type { FcDeps } from './fc-resources';
import { FcApiError, canonicalKeys, checkIfMatch, etagOf, invalid, isoNow, jsonResponse, noContent, notFound, pageBody, paginate, parseBody } from './fc-util';

const DOMAIN_RE = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function domainKey(name: string): string {
  return name.toLowerCase();
}

export function findDomain(deps: Pick<FcDeps, 'store'>, hostname: string): DomainRecord | undefined {
  return deps.store.get<DomainRecord>(COLL.domains, domainKey(hostname));
}

function getDomain(deps: FcDeps, name: string): DomainRecord {
  const d = findDomain(deps, name);
  if (!d) throw notFound.domain(name);
  return d;
}

function protocolOf(v: unknown): string {
  const p = String(v ?? 'HTTP').toUpperCase().replace(/\s+/g, '');
  if (p !== 'HTTP' && p !== 'HTTPS' && p !== 'HTTP,HTTPS') throw invalid(`protocol '${v}' must be HTTP, HTTPS or HTTP,HTTPS`);
  return p;
}

function routesOf(v: unknown): RouteRecord[] {
  const rc = (v ?? {}) as { routes?: unknown };
  if (rc.routes === undefined || rc.routes === null) return [];
  if (!Array.isArray(rc.routes)) throw invalid('routeConfig.routes must be a list');
  const seen = new Set<string>();
  return rc.routes.map((r: Record<string, unknown>, i: number) => {
    const path = String(r?.path ?? '');
    if (!path.startsWith('/')) throw invalid(`routeConfig.routes[${i}].path '${path}' must start with '/'`);
    if (path.indexOf('*') >= 0 && !(path.endsWith('/*') && path.indexOf('*') === path.length - 1)) throw invalid(`routeConfig.routes[${i}].path '${path}': a wildcard is only allowed as the last segment ('/prefix/*')`);
    if (seen.has(path)) throw invalid(`routeConfig.routes: path '${path}' appears twice`);
    seen.add(path);
    if (!r.serviceName || !r.functionName) throw invalid(`routeConfig.routes[${i}] needs serviceName and functionName`);
    const methods = r.methods === undefined || r.methods === null ? [] : (r.methods as unknown[]);
    if (!Array.isArray(methods)) throw invalid(`routeConfig.routes[${i}].methods must be a list`);
    const upper = methods.map((m) => String(m).toUpperCase());
    for (const m of upper) if (!HTTP_METHODS.includes(m)) throw invalid(`routeConfig.routes[${i}].methods: '${m}' is not one of ${HTTP_METHODS.join(', ')}`);
    const route: RouteRecord = { path, serviceName: String(r.serviceName), functionName: String(r.functionName), qualifier: String(r.qualifier ?? '') || 'LATEST', methods: upper };
    if (r.rewriteConfig) route.rewriteConfig = r.rewriteConfig;
    return route;
  });
}

function certOf(v: unknown, existing?: DomainRecord['certConfig']): DomainRecord['certConfig'] {
  if (!v) return existing;
  const c = v as Record<string, unknown>;
  const certificate = String(c.certificate ?? '');
  const privateKey = String(c.privateKey ?? '');
  if (!certificate && !privateKey && !c.certName) return undefined;
  if (!certificate || !privateKey) throw invalid('certConfig needs both certificate and privateKey (PEM)');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certificate);
  } catch {
    throw invalid('certConfig.certificate is not a valid PEM certificate');
  }
  let key;
  try {
    key = createPrivateKey(privateKey);
  } catch {
    throw invalid('certConfig.privateKey is not a valid PEM private key');
  }
  if (!x509.checkPrivateKey(key)) throw invalid('certConfig.privateKey does not match certConfig.certificate');
  // FC requires certName; the emulator falls back to the certificate's subject when it is missing (lenient).
  const certName = String(c.certName ?? '') || (x509.subject.match(/CN=([^\n,]+)/)?.[1] ?? 'certificate');
  return { certName, certificate, privateKey };
}

function applyDomainFields(rec: DomainRecord, body: Record<string, unknown>): void {
  if ('protocol' in body) rec.protocol = protocolOf(body.protocol);
  if ('routeConfig' in body) rec.routeConfig = { routes: routesOf(body.routeConfig) };
  if ('certConfig' in body) rec.certConfig = certOf(body.certConfig, rec.certConfig);
  if ('tlsConfig' in body && body.tlsConfig) rec.tlsConfig = body.tlsConfig as DomainRecord['tlsConfig'];
  if ('wafConfig' in body && body.wafConfig) rec.wafConfig = body.wafConfig as DomainRecord['wafConfig'];
  if (rec.protocol.includes('HTTPS') && !rec.certConfig) throw invalid(`protocol '${rec.protocol}' needs certConfig (certName, certificate, privateKey)`);
}

export function createDomain(req: EmuRequest, deps: FcDeps): EmuResponse {
  const body = canonicalKeys(parseBody(req), DOMAIN_SCHEMA);
  const name = String(body.domainName ?? '').toLowerCase();
  if (!name) throw invalid('domainName is required');
  if (!DOMAIN_RE.test(name)) throw invalid(`domainName '${body.domainName}' is not a valid domain name`);
  if (findDomain(deps, name)) throw new FcApiError(409, 'DomainNameAlreadyExists', `domain name '${name}' already exists`);
  // Real FC checks that the name has a CNAME to the account endpoint (DomainNameNotResolved); the emulator
  // cannot, so it accepts every name. Inject the error through POST /_emulator/faults to test that path.
  const now = isoNow();
  const rec: DomainRecord = { domainName: name, accountId: deps.config.accountId, apiVersion: '2016-08-15', protocol: 'HTTP', routeConfig: { routes: [] }, createdTime: now, lastModifiedTime: now };
  applyDomainFields(rec, body);
  deps.store.put(COLL.domains, domainKey(name), rec);
  return jsonResponse(req, 200, domainView(rec), 'CreateCustomDomain', etagOf(rec));
}

export function readDomain(req: EmuRequest, deps: FcDeps, name: string): EmuResponse {
  const rec = getDomain(deps, name);
  return jsonResponse(req, 200, domainView(rec), 'GetCustomDomain', etagOf(rec));
}

export function updateDomain(req: EmuRequest, deps: FcDeps, name: string): EmuResponse {
  const rec = getDomain(deps, name);
  checkIfMatch(req, etagOf(rec));
  const body = canonicalKeys(parseBody(req), DOMAIN_SCHEMA);
  applyDomainFields(rec, body);
  rec.lastModifiedTime = isoNow();
  deps.store.put(COLL.domains, domainKey(name), rec);
  return jsonResponse(req, 200, domainView(rec), 'UpdateCustomDomain', etagOf(rec));
}

export function deleteDomain(req: EmuRequest, deps: FcDeps, name: string): EmuResponse {
  const rec = getDomain(deps, name);
  checkIfMatch(req, etagOf(rec));
  deps.store.delete(COLL.domains, domainKey(name));
  return noContent(req, 'DeleteCustomDomain');
}

export function listDomains(req: EmuRequest, deps: FcDeps): EmuResponse {
  const entries = deps.store.list<DomainRecord>(COLL.domains).map(([k, d]) => [k, domainView(d)] as [string, Record<string, unknown>]);
  return jsonResponse(req, 200, pageBody('customDomains', paginate(req, entries)), 'ListCustomDomains');
}

/**
 * FC's route matching [doc 90763]: an exact path beats any wildcard; among wildcards (`/prefix/*`) the longest
 * prefix wins; `/a` does not match `/a/`. A route that lists methods only matches those methods (the next best
 * route is tried otherwise — unverified); a route without methods defers to the HTTP trigger's methods.
 */
export function matchRoute(routes: RouteRecord[], path: string, method: string): RouteRecord | undefined {
  const allows = (r: RouteRecord) => r.methods.length === 0 || r.methods.includes(method);
  const exact = routes.find((r) => !r.path.endsWith('*') && r.path === path && allows(r));
  if (exact) return exact;
  let best: RouteRecord | undefined;
  for (const r of routes) {
    if (!r.path.endsWith('*')) continue;
    const prefix = r.path.slice(0, -1); // '/a/*' → '/a/', '/*' → '/'
    if (!path.startsWith(prefix) || !allows(r)) continue;
    if (!best || prefix.length > best.path.length - 1) best = r;
  }
  return best;
}
