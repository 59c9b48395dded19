// FC 2.0 (2016-08-15) through @alicloud/fc2. get*() answer undefined for "not found"; delete*() answer false
// when there was nothing to delete, so deploy and remove converge on rerun.
import type { Context } from '../core/context';
import { CloudError } from '../core/errors';
import type { CloudTarget } from './target';
import { cloudCall, httpTimeoutMs, uploadTimeoutMs } from './call';

type Ctx = Pick<Context, 'ui' | 'env'> | undefined;
type Obj = Record<string, any>;

const NOT_FOUND = new Set(['ServiceNotFound', 'FunctionNotFound', 'TriggerNotFound', 'DomainNameNotFound']);

export function isNotFound(err: unknown): boolean {
  return err instanceof CloudError && (NOT_FOUND.has(err.code) || (err.status === 404 && err.code.startsWith('HTTP')));
}

export class FcApi {
  readonly client: any;
  private readonly endpoint: string;

  /** The same client with a long timeout, for requests that carry code inline. */
  private readonly uploadClient: any;

  constructor(readonly target: CloudTarget, private readonly ctx: Ctx) {
    const FC = require('@alicloud/fc2');
    this.endpoint = target.endpoints.fc;
    const config = {
      accessKeyID: target.credentials.accessKeyId,
      accessKeySecret: target.credentials.accessKeySecret,
      securityToken: target.credentials.securityToken,
      region: target.region,
      endpoint: target.endpoints.fc,
      secure: target.endpoints.fc.startsWith('https'),
    };
    // fc2 has one timeout per client: a short one so a stalled call fails (and is retried) quickly…
    this.client = new FC(target.accountId, { ...config, timeout: httpTimeoutMs(ctx?.env) });
    // …and a long one for inline code of up to 100 MB in one request.
    this.uploadClient = new FC(target.accountId, { ...config, timeout: uploadTimeoutMs(ctx?.env) });
  }

  async call<T = Obj>(operation: string, fn: (client: any) => Promise<{ data: T }>): Promise<T> {
    const res = await cloudCall(this.ctx, 'fc', operation, this.endpoint, () => fn(this.client));
    return res.data;
  }

  private async getOrUndefined<T = Obj>(operation: string, fn: (client: any) => Promise<{ data: T }>): Promise<T | undefined> {
    try {
      return await this.call(operation, fn);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async deleteIfExists(operation: string, fn: (client: any) => Promise<unknown>): Promise<boolean> {
    try {
      await cloudCall(this.ctx, 'fc', operation, this.endpoint, () => fn(this.client));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Follows nextToken until the list is exhausted. */
  private async listAll(operation: string, key: string, fn: (client: any, query: Obj) => Promise<{ data: Obj }>): Promise<Obj[]> {
    const out: Obj[] = [];
    let nextToken: string | undefined;
    do {
      const query: Obj = { limit: '100' };
      if (nextToken) query.nextToken = nextToken;
      const page = await this.call(operation, (c) => fn(c, query));
      out.push(...((page[key] as Obj[]) ?? []));
      nextToken = page.nextToken || undefined;
    } while (nextToken);
    return out;
  }

  getService = (name: string) => this.getOrUndefined('GetService', (c) => c.getService(name));
  createService = (name: string, body: Obj) => this.call('CreateService', (c) => c.createService(name, body));
  updateService = (name: string, body: Obj) => this.call('UpdateService', (c) => c.updateService(name, body));
  deleteService = (name: string) => this.deleteIfExists('DeleteService', (c) => c.deleteService(name));

  getFunction = (svc: string, fn: string) => this.getOrUndefined('GetFunction', (c) => c.getFunction(svc, fn));
  createFunction = (svc: string, body: Obj) => this.call('CreateFunction', (c) => this.clientFor(body, c).createFunction(svc, { ...body }));
  updateFunction = (svc: string, fn: string, body: Obj) => this.call('UpdateFunction', (c) => this.clientFor(body, c).updateFunction(svc, fn, { ...body }));

  private clientFor(body: Obj, short: any): any {
    return body.code?.zipFile ? this.uploadClient : short;
  }
  deleteFunction = (svc: string, fn: string) => this.deleteIfExists('DeleteFunction', (c) => c.deleteFunction(svc, fn));
  listFunctions = (svc: string) => this.listAll('ListFunctions', 'functions', (c, q) => c.listFunctions(svc, q));

  getTrigger = (svc: string, fn: string, name: string) => this.getOrUndefined('GetTrigger', (c) => c.getTrigger(svc, fn, name));
  createTrigger = (svc: string, fn: string, body: Obj) => this.call('CreateTrigger', (c) => c.createTrigger(svc, fn, body));
  updateTrigger = (svc: string, fn: string, name: string, body: Obj) => this.call('UpdateTrigger', (c) => c.updateTrigger(svc, fn, name, body));
  deleteTrigger = (svc: string, fn: string, name: string) => this.deleteIfExists('DeleteTrigger', (c) => c.deleteTrigger(svc, fn, name));
  listTriggers = (svc: string, fn: string) => this.listAll('ListTriggers', 'triggers', (c, q) => c.listTriggers(svc, fn, q));

  getCustomDomain = (domain: string) => this.getOrUndefined('GetCustomDomain', (c) => c.getCustomDomain(domain));
  createCustomDomain = (domain: string, body: Obj) => this.call('CreateCustomDomain', (c) => c.createCustomDomain(domain, body));
  updateCustomDomain = (domain: string, body: Obj) => this.call('UpdateCustomDomain', (c) => c.updateCustomDomain(domain, body));
  deleteCustomDomain = (domain: string) => this.deleteIfExists('DeleteCustomDomain', (c) => c.deleteCustomDomain(domain));
  listCustomDomains = () => this.listAll('ListCustomDomains', 'customDomains', (c, q) => c.listCustomDomains(q));

  /** Signs a request the way fc2 does (for HTTP triggers with authType "function"). */
  signHeaders(method: string, path: string, query: Record<string, string | string[]>, headers: Obj): Obj {
    const FC = require('@alicloud/fc2');
    const h: Obj = { ...this.client.buildHeaders(), ...headers };
    h.authorization = FC.getSignature(this.target.credentials.accessKeyId, this.target.credentials.accessKeySecret, method, `/2016-08-15${path}`, h, query);
    return h;
  }
}

/** The public URL of a function's HTTP trigger. */
export function triggerUrl(target: CloudTarget, service: string, fn: string): string {
  if (target.endpoint) return `${target.endpoint}/2016-08-15/proxy/${service}/${fn}/`;
  return `https://${target.accountId}.${target.region}.fc.aliyuncs.com/2016-08-15/proxy/${service}/${fn}/`;
}
