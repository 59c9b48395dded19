// FC 2016-08-15 service: routes a verified control-plane call to its handler, names each call's action (for the
// request log and faults), and serves HTTP-trigger and custom-domain traffic.
import type { EmuRequest, EmuResponse, Identity } from '../types';
import { fcError } from '../auth/errors';
import type { DomainRecord } from './fc-model';
import * as R from './fc-resources';
import * as D from './fc-domains';
import { customDomainRequest, invokeFunction, proxyRequest } from './fc-invoke';
import { API_PREFIX, FcApiError, checkQualifier, splitQualifier, toResponse } from './fc-util';

export type { FcDeps } from './fc-resources';

interface Route {
  action: string;
  run(req: EmuRequest, deps: R.FcDeps, p: string[]): EmuResponse | Promise<EmuResponse>;
}

/** Path segments after /2016-08-15, percent-decoded. */
function segments(req: EmuRequest): string[] {
  return req.rawPath
    .slice(API_PREFIX.length)
    .split('/')
    .filter((s, i) => i > 0 || s)
    .filter((s, i, all) => !(i === all.length - 1 && s === '' && all.length > 1))
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

const noQualifier = (seg: string, what: string) => {
  const { name, qualifier } = splitQualifier(seg);
  if (qualifier) throw new FcApiError(400, 'InvalidArgument', `${what} cannot be called with a qualifier ('${seg}')`);
  return name;
};
/** Service name of a read path; only the LATEST qualifier exists in the emulator. */
const svcName = (seg: string) => {
  const { name, qualifier } = splitQualifier(seg);
  checkQualifier(name, qualifier);
  return name;
};

/** Finds the handler for METHOD + path shape. */
function route(req: EmuRequest): Route | undefined {
  if (!req.rawPath.startsWith(API_PREFIX + '/')) return undefined;
  const p = segments(req);
  const m = req.method;
  const shape = p.map((s, i) => (i % 2 === 0 ? s : '{}')).join('/');
  switch (`${m} ${shape}`) {
    case 'GET services':
      return { action: 'ListServices', run: (r, d) => R.listServices(r, d) };
    case 'POST services':
      return { action: 'CreateService', run: (r, d) => R.createService(r, d) };
    case 'GET services/{}':
      return { action: 'GetService', run: (r, d, p) => R.readService(r, d, svcName(p[1])) };
    case 'PUT services/{}':
      return { action: 'UpdateService', run: (r, d, p) => R.updateService(r, d, noQualifier(p[1], 'UpdateService')) };
    case 'DELETE services/{}':
      return { action: 'DeleteService', run: (r, d, p) => R.deleteService(r, d, noQualifier(p[1], 'DeleteService')) };
    case 'GET services/{}/functions':
      return { action: 'ListFunctions', run: (r, d, p) => R.listFunctions(r, d, svcName(p[1])) };
    case 'POST services/{}/functions':
      return { action: 'CreateFunction', run: (r, d, p) => R.createFunction(r, d, noQualifier(p[1], 'CreateFunction')) };
    case 'GET services/{}/functions/{}':
      return { action: 'GetFunction', run: (r, d, p) => R.readFunction(r, d, svcName(p[1]), p[3]) };
    case 'PUT services/{}/functions/{}':
      return { action: 'UpdateFunction', run: (r, d, p) => R.updateFunction(r, d, noQualifier(p[1], 'UpdateFunction'), p[3]) };
    case 'DELETE services/{}/functions/{}':
      return { action: 'DeleteFunction', run: (r, d, p) => R.deleteFunction(r, d, noQualifier(p[1], 'DeleteFunction'), p[3]) };
    case 'GET services/{}/functions/{}/code':
      return { action: 'GetFunctionCode', run: (r, d, p) => R.readFunctionCode(r, d, svcName(p[1]), p[3]) };
    case 'POST services/{}/functions/{}/invocations':
      return { action: 'InvokeFunction', run: (r, d, p) => invokeFunction(r, d, p[1], p[3]) };
    case 'GET services/{}/functions/{}/triggers':
      return { action: 'ListTriggers', run: (r, d, p) => R.listTriggers(r, d, svcName(p[1]), p[3]) };
    case 'POST services/{}/functions/{}/triggers':
      return { action: 'CreateTrigger', run: (r, d, p) => R.createTrigger(r, d, noQualifier(p[1], 'CreateTrigger'), p[3]) };
    case 'GET services/{}/functions/{}/triggers/{}':
      return { action: 'GetTrigger', run: (r, d, p) => R.readTrigger(r, d, svcName(p[1]), p[3], p[5]) };
    case 'PUT services/{}/functions/{}/triggers/{}':
      return { action: 'UpdateTrigger', run: (r, d, p) => R.updateTrigger(r, d, noQualifier(p[1], 'UpdateTrigger'), p[3], p[5]) };
    case 'DELETE services/{}/functions/{}/triggers/{}':
      return { action: 'DeleteTrigger', run: (r, d, p) => R.deleteTrigger(r, d, noQualifier(p[1], 'DeleteTrigger'), p[3], p[5]) };
    case 'GET custom-domains':
      return { action: 'ListCustomDomains', run: (r, d) => D.listDomains(r, d) };
    case 'POST custom-domains':
      return { action: 'CreateCustomDomain', run: (r, d) => D.createDomain(r, d) };
    case 'GET custom-domains/{}':
      return { action: 'GetCustomDomain', run: (r, d, p) => D.readDomain(r, d, p[1]) };
    case 'PUT custom-domains/{}':
      return { action: 'UpdateCustomDomain', run: (r, d, p) => D.updateDomain(r, d, p[1]) };
    case 'DELETE custom-domains/{}':
      return { action: 'DeleteCustomDomain', run: (r, d, p) => D.deleteDomain(r, d, p[1]) };
    case 'GET account-settings':
      return { action: 'GetAccountSettings', run: (r, d) => ({ status: 200, headers: { 'content-type': 'application/json', 'x-fc-request-id': r.id }, body: JSON.stringify({ availableAZs: [`${d.config.region}-h`, `${d.config.region}-i`] }), action: 'GetAccountSettings' }) };
  }
  return undefined;
}

export function isProxyRequest(req: EmuRequest): boolean {
  return req.rawPath.startsWith('/2016-08-15/proxy/');
}

export function createFcService(deps: R.FcDeps) {
  const guard = async (req: EmuRequest, action: string, fn: () => EmuResponse | Promise<EmuResponse>): Promise<EmuResponse> => {
    try {
      const res = await fn();
      return { ...res, action: res.action ?? action };
    } catch (e) {
      if (e instanceof FcApiError) return toResponse(req, e, action);
      throw e;
    }
  };
  return {
    /** The API action a request will be recorded as (known before it runs, so faults can match it). */
    actionOf(req: EmuRequest): string {
      if (isProxyRequest(req)) return 'HttpTrigger';
      return route(req)?.action ?? 'Unknown';
    },
    /** Signed control-plane call (or InvokeFunction). */
    async handle(req: EmuRequest, _identity: Identity): Promise<EmuResponse> {
      if (isProxyRequest(req)) return guard(req, 'HttpTrigger', () => proxyRequest(req, deps));
      const r = route(req);
      if (!r) return { ...fcError(req, 400, 'PathNotSupported', `'${req.method}' against '${req.path}' is not supported`), action: 'Unknown' };
      return guard(req, r.action, () => r.run(req, deps, segments(req)));
    },
    /** HTTP trigger traffic, signed or not (the trigger's authType decides). */
    proxy(req: EmuRequest): Promise<EmuResponse> {
      return guard(req, 'HttpTrigger', () => proxyRequest(req, deps));
    },
    findDomain(hostname: string): DomainRecord | undefined {
      return D.findDomain(deps, hostname);
    },
    customDomain(req: EmuRequest, domain: DomainRecord): Promise<EmuResponse> {
      return guard(req, 'CustomDomainRequest', () => customDomainRequest(req, deps, domain));
    },
    /** GET /_emulator/code/<svc>/<fn>: the zip behind GetFunctionCode's url. */
    codeDownload(req: EmuRequest): EmuResponse | undefined {
      const m = /^\/_emulator\/code\/([^/]+)\/([^/]+)$/.exec(req.rawPath);
      if (!m || req.method !== 'GET') return undefined;
      try {
        const fn = R.getFunction(deps.store, decodeURIComponent(m[1]), decodeURIComponent(m[2]));
        const body = deps.store.readBlob(`fc-code/${fn.codeChecksum}`);
        return { status: 200, headers: { 'content-type': 'application/zip', 'x-fc-code-checksum': fn.codeChecksum }, body };
      } catch (e) {
        if (e instanceof FcApiError) return fcError(req, e.status, e.code, e.message);
        throw e;
      }
    },
  };
}

export type FcService = ReturnType<typeof createFcService>;
