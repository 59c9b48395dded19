// Running functions: InvokeFunction (wire-protocol §2.7), HTTP triggers under /2016-08-15/proxy/ (§2.8) and
// custom-domain traffic routed by Host. The runtime manager (runtimes/manager.ts) runs the code.
import { randomBytes } from 'node:crypto';
import type { EmuRequest, EmuResponse, Store } from '../types';
import type { FunctionRuntimeSpec, HttpInvocation, HttpResult } from '../runtimes/manager';
import { STS_COLLECTION, type StsCredential } from '../auth/keys';
import { verifyFc } from '../auth/fc';
import { CUSTOM_RUNTIMES, codeBlobId, type DomainRecord, type FunctionRecord, type ServiceRecord, type TriggerRecord } from './fc-model';
import { getFunction, getService, httpTriggerOf, type FcDeps } from './fc-resources';
import { matchRoute } from './fc-domains';
import { FcApiError, checkQualifier, invalid, splitQualifier } from './fc-util';

const MAX_SYNC_PAYLOAD = 32 * 1024 * 1024;
const MAX_ASYNC_PAYLOAD = 128 * 1024;
const MAX_REQUEST_HEADERS = 8 * 1024;
const MAX_URI = 4 * 1024;
const MAX_RESPONSE_HEADERS = 8 * 1024;

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);
const IGNORED_RESPONSE = new Set(['connection', 'content-length', 'date', 'keep-alive', 'server', 'upgrade', 'transfer-encoding']);

// ---------------------------------------------------------------------------------------------- runtime spec

/** Credentials already issued per service role, so a request does not scan the STS collection. */
const issued = new WeakMap<Store, Map<string, string>>();

/** Temporary credentials for the service role, issued the way FC hands them to functions (reused while fresh). */
function roleCredentials(store: Store, svc: ServiceRecord, accountId: string): FunctionRuntimeSpec['credentials'] {
  if (!svc.role) return undefined;
  // The STS service reads this marker to answer GetCallerIdentity as the assumed role (session = service name).
  const marker = `fc-role:${svc.serviceName}:${svc.role}`;
  const now = Date.now();
  let byMarker = issued.get(store);
  if (!byMarker) issued.set(store, (byMarker = new Map()));
  const knownId = byMarker.get(marker);
  const known = knownId ? store.get<StsCredential>(STS_COLLECTION, knownId) : undefined;
  if (knownId && known && Date.parse(known.expiration) - now > 10 * 60 * 1000) return { accessKeyId: knownId, accessKeySecret: known.accessKeySecret, securityToken: known.securityToken };
  const accessKeyId = `STS.${randomBytes(12).toString('hex')}`;
  const cred = { accessKeySecret: randomBytes(20).toString('base64url'), securityToken: `CAIS${randomBytes(48).toString('base64url')}`, accountId, expiration: new Date(now + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'), issuedFor: marker };
  store.put(STS_COLLECTION, accessKeyId, cred);
  byMarker.set(marker, accessKeyId);
  return { accessKeyId, accessKeySecret: cred.accessKeySecret, securityToken: cred.securityToken };
}

export function runtimeSpec(deps: FcDeps, svc: ServiceRecord, fn: FunctionRecord, qualifier = 'LATEST'): FunctionRuntimeSpec {
  const lc = svc.logConfig;
  return {
    serviceName: svc.serviceName,
    functionName: fn.functionName,
    qualifier,
    runtime: fn.runtime,
    handler: fn.handler,
    initializer: fn.initializer || undefined,
    initializationTimeout: fn.initializationTimeout,
    timeout: fn.timeout,
    memorySize: fn.memorySize,
    instanceConcurrency: fn.instanceConcurrency,
    environmentVariables: fn.environmentVariables,
    caPort: fn.caPort ?? 9000,
    customRuntimeConfig: CUSTOM_RUNTIMES.has(fn.runtime) ? fn.customRuntimeConfig : undefined,
    codeChecksum: fn.codeChecksum,
    codeBlobPath: deps.store.blobPath(codeBlobId(fn.codeChecksum)),
    logConfig: lc.project && lc.logstore ? { project: lc.project, logstore: lc.logstore, logBeginRule: lc.logBeginRule } : undefined,
    region: deps.config.region,
    accountId: deps.config.accountId,
    credentials: roleCredentials(deps.store, svc, deps.config.accountId),
  };
}

// ---------------------------------------------------------------------------------------------- InvokeFunction

export async function invokeFunction(req: EmuRequest, deps: FcDeps, svcSegment: string, fnName: string): Promise<EmuResponse> {
  const { name: svcName, qualifier } = splitQualifier(svcSegment);
  const svc = getService(deps.store, svcName);
  const fn = getFunction(deps.store, svcName, fnName);
  checkQualifier(svcName, qualifier);
  const type = (req.headers['x-fc-invocation-type'] ?? 'Sync').toLowerCase();
  if (type !== 'sync' && type !== 'async') throw invalid(`x-fc-invocation-type '${req.headers['x-fc-invocation-type']}' must be Sync or Async`);
  const isAsync = type === 'async';
  const limit = isAsync ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
  if (req.body.length > limit) throw new FcApiError(400, 'EntityTooLarge', `payload size exceeds maximum allowed size (${limit} bytes)`);
  const logTail = (req.headers['x-fc-log-type'] ?? '').toLowerCase() === 'tail';
  const spec = runtimeSpec(deps, svc, fn, qualifier ?? 'LATEST');
  const base: Record<string, string> = { 'x-fc-request-id': req.id, 'x-fc-code-checksum': fn.codeChecksum, 'x-fc-invocation-service-version': 'LATEST' };
  if (isAsync) {
    // Async invocations run after the 202; their failures only show in the function's logs.
    void deps
      .runtime()
      .invokeEvent(spec, { requestId: req.id, payload: req.body, logTail: false, async: true })
      .catch(() => undefined);
    return { status: 202, headers: base, body: '', action: 'InvokeFunction' };
  }
  const result = await deps.runtime().invokeEvent(spec, { requestId: req.id, payload: req.body, logTail, async: false });
  const headers: Record<string, string> = { ...base, 'x-fc-invocation-duration': String(Math.round(result.durationMs)), 'x-fc-max-memory-usage': String(result.maxMemoryMB ?? 0) };
  // The content-type of an invocation result is unverified; function errors are JSON, results are raw bytes.
  headers['content-type'] = result.errorType ? 'application/json' : 'application/octet-stream';
  if (result.errorType) headers['x-fc-error-type'] = result.errorType;
  if (logTail && result.logResult) headers['x-fc-log-result'] = result.logResult;
  return { status: 200, headers, body: result.body, action: 'InvokeFunction' };
}

// ---------------------------------------------------------------------------------------------- HTTP

function headerBytes(req: EmuRequest): number {
  let n = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) n += req.rawHeaders[i].length + req.rawHeaders[i + 1].length + 4;
  return n;
}

function checkLimits(req: EmuRequest): void {
  // FC documents 32 MB for an HTTP-trigger request body; the error it answers with is unverified.
  if (req.body.length > MAX_SYNC_PAYLOAD) throw new FcApiError(400, 'EntityTooLarge', `payload size exceeds maximum allowed size (${MAX_SYNC_PAYLOAD} bytes)`);
  if (headerBytes(req) > MAX_REQUEST_HEADERS) throw invalid(`the request headers are larger than ${MAX_REQUEST_HEADERS} bytes`);
  const uriLength = req.rawPath.length + (req.rawQuery ? req.rawQuery.length + 1 : 0);
  if (uriLength > MAX_URI) throw invalid(`the request path and query are ${uriLength} bytes, more than ${MAX_URI} bytes`);
}

function forwardedHeaders(req: EmuRequest): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    const lower = name.toLowerCase();
    if (lower.startsWith('x-fc-') || HOP_BY_HOP.has(lower)) continue;
    out.push([name, req.rawHeaders[i + 1]]);
  }
  return out;
}

function clientIp(req: EmuRequest): string {
  return req.remoteAddress.replace(/^::ffff:/, '');
}

function httpResponse(req: EmuRequest, result: HttpResult, action: string): EmuResponse {
  const headers: Record<string, string | string[]> = {};
  let size = 0;
  for (const [k, v] of result.headers) {
    const lower = k.toLowerCase();
    if (lower.startsWith('x-fc-') || IGNORED_RESPONSE.has(lower)) continue;
    size += k.length + String(v).length + 4;
    const prev = headers[lower];
    headers[lower] = prev === undefined ? String(v) : Array.isArray(prev) ? [...prev, String(v)] : [prev, String(v)];
  }
  if (size > MAX_RESPONSE_HEADERS) throw new FcApiError(502, 'BadResponse', `the function's response headers are larger than ${MAX_RESPONSE_HEADERS} bytes`);
  headers['x-fc-request-id'] = req.id;
  if (result.errorType) headers['x-fc-error-type'] = result.errorType;
  return { status: result.status, headers, body: result.body, action };
}

function checkMethod(trigger: TriggerRecord, method: string, allowed?: string[]): void {
  const methods = allowed && allowed.length ? allowed : ((trigger.triggerConfig.methods as string[]) ?? []);
  // Status and code for a method the trigger does not allow are unverified (405 MethodNotAllowed chosen).
  if (!methods.includes(method)) throw new FcApiError(405, 'MethodNotAllowed', `method '${method}' is not allowed; the HTTP trigger accepts ${methods.join(', ')}`);
}

async function runHttp(req: EmuRequest, deps: FcDeps, svc: ServiceRecord, fn: FunctionRecord, inv: Omit<HttpInvocation, 'requestId' | 'method' | 'headers' | 'body' | 'clientIP' | 'host'>, action: string): Promise<EmuResponse> {
  const spec = runtimeSpec(deps, svc, fn);
  const result = await deps.runtime().invokeHttp(spec, {
    requestId: req.id,
    method: req.method,
    headers: forwardedHeaders(req),
    body: req.body,
    clientIP: clientIp(req),
    host: req.host,
    ...inv,
  });
  return httpResponse(req, result, action);
}

/** /2016-08-15/proxy/<svc>[.<qualifier>]/<fn>/<rest>: the function sees /<rest>. */
export async function proxyRequest(req: EmuRequest, deps: FcDeps): Promise<EmuResponse> {
  const action = 'HttpTrigger';
  checkLimits(req);
  const raw = req.rawPath.slice('/2016-08-15/proxy/'.length);
  const parts = raw.split('/');
  if (parts.length < 2 || !parts[0] || !parts[1]) throw new FcApiError(404, 'PathNotFound', `'${req.path}' is not an HTTP trigger path: use /2016-08-15/proxy/<service>/<function>/<path>`);
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const { name: svcName, qualifier } = splitQualifier(dec(parts[0]));
  const fnName = dec(parts[1]);
  const svc = getService(deps.store, svcName);
  const fn = getFunction(deps.store, svcName, fnName);
  checkQualifier(svcName, qualifier);
  const trigger = httpTriggerOf(deps.store, svcName, fnName);
  // Real FC's answer for a function without an HTTP trigger is unverified.
  if (!trigger) throw new FcApiError(404, 'TriggerNotFound', `function '${fnName}' in service '${svcName}' has no HTTP trigger`);
  if (trigger.triggerConfig.authType === 'function') {
    if (!req.headers['authorization'] && !req.query.has('x-fc-signature')) {
      throw new FcApiError(403, 'AccessDenied', `the HTTP trigger of function '${fnName}' requires signed requests (authType: function), and this request has no Authorization header`);
    }
    const auth = verifyFc(req, deps.store, deps.config);
    if (!auth.ok) return { ...auth.response, action };
  }
  checkMethod(trigger, req.method);
  const restRaw = parts.slice(2).join('/');
  // basePath + path = the original path. Whether FC's x-fc-base-path carries a trailing slash is unverified.
  const basePath = `/2016-08-15/proxy/${parts[0]}/${parts[1]}`;
  return runHttp(req, deps, svc, fn, { path: '/' + dec(restRaw), rawPath: '/' + restRaw, rawQuery: req.rawQuery, requestURI: req.rawPath + (req.rawQuery ? `?${req.rawQuery}` : ''), basePath }, action);
}

/** Traffic for a custom domain (matched by Host): the function sees the full original path. */
export async function customDomainRequest(req: EmuRequest, deps: FcDeps, domain: DomainRecord): Promise<EmuResponse> {
  const action = 'CustomDomainRequest';
  checkLimits(req);
  const route = matchRoute(domain.routeConfig.routes, req.path, req.method);
  // The exact 404 body for an unmatched custom-domain path is unverified.
  if (!route) throw new FcApiError(404, 'PathNotFound', `no route of custom domain '${domain.domainName}' matches '${req.method} ${req.path}'`);
  const svc = getService(deps.store, route.serviceName);
  const fn = getFunction(deps.store, route.serviceName, route.functionName);
  checkQualifier(route.serviceName, route.qualifier);
  const trigger = httpTriggerOf(deps.store, route.serviceName, route.functionName);
  if (!trigger) throw new FcApiError(404, 'TriggerNotFound', `function '${route.functionName}' in service '${route.serviceName}' has no HTTP trigger, so custom domain '${domain.domainName}' cannot route to it`);
  checkMethod(trigger, req.method, route.methods);
  return runHttp(req, deps, svc, fn, { path: req.path, rawPath: req.rawPath, rawQuery: req.rawQuery, requestURI: req.rawPath + (req.rawQuery ? `?${req.rawQuery}` : ''), basePath: '' }, action);
}

