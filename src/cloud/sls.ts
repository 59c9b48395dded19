// SLS (Log Service) through @alicloud/log. The SDK puts the project in the host name (my-proj.<endpoint>), which
// does not resolve for an emulator on 127.0.0.1, so every call carries an agent whose lookup answers the
// endpoint's own address (sdk-notes §5). @alicloud/log ignores HTTP status and only throws on a JSON error body,
// so callers check the shape of what comes back.
import * as http from 'node:http';
import * as https from 'node:https';
import type { Context } from '../core/context';
import { CloudError } from '../core/errors';
import type { CloudTarget } from './target';
import { cloudCall, httpTimeoutMs } from './call';
import { currentResponse } from './http-capture';

type Ctx = Pick<Context, 'ui' | 'env'> | undefined;

export interface LogRow {
  [field: string]: string | number | undefined;
  __time__: string | number;
}

export interface GetLogsQuery {
  from: number; // unix seconds, inclusive
  to: number; // unix seconds, exclusive
  query?: string;
  topic?: string;
  line?: number; // ≤ 100
  offset?: number;
  reverse?: boolean;
}

export class SlsApi {
  readonly client: any;
  private readonly options: { agent?: http.Agent; timeout?: number };
  private readonly endpoint: string;

  constructor(readonly target: CloudTarget, private readonly ctx: Ctx) {
    const SLS = require('@alicloud/log');
    this.endpoint = target.endpoints.sls;
    const url = new URL(this.endpoint);
    this.client = new SLS({
      accessKeyId: target.credentials.accessKeyId,
      accessKeySecret: target.credentials.accessKeySecret,
      securityToken: target.credentials.securityToken,
      endpoint: url.host,
      region: target.region,
    });
    if (url.protocol === 'https:') this.client.use_https = true;
    // httpx's default read timeout is 3 s, too short for a GetLogs scan: a bounded one, retried like a reset.
    this.options = { timeout: httpTimeoutMs(ctx?.env) };
    if (target.endpoint) {
      // Every <project>.<endpoint host> resolves to the endpoint's own address.
      const address = url.hostname;
      const family = address.includes(':') ? 6 : 4;
      const lookup = (_host: string, opts: any, cb: any) => {
        if (typeof opts === 'function') return opts(null, address, family);
        return opts && opts.all ? cb(null, [{ address, family }]) : cb(null, address, family);
      };
      this.options.agent = url.protocol === 'https:' ? new https.Agent({ lookup, keepAlive: true } as any) : new http.Agent({ lookup, keepAlive: true } as any);
    }
  }

  call<T>(operation: string, fn: (client: any, options: object) => Promise<T>): Promise<T> {
    return cloudCall(this.ctx, 'sls', operation, this.endpoint, () => fn(this.client, { ...this.options }));
  }

  private async getOrUndefined<T>(operation: string, notFound: string, fn: (client: any, options: object) => Promise<T>): Promise<T | undefined> {
    try {
      return await this.call(operation, async (c, o) => {
        const r = await fn(c, o);
        // A body that is not JSON (an HTML page, say) comes back as a string: fail inside the call, where the
        // HTTP status is still known, in the words every SDK's non-Alibaba answer gets.
        if (typeof r === 'string') throw Object.assign(new Error('not JSON'), { name: 'SyntaxError', text: r });
        return r;
      });
    } catch (err) {
      if (err instanceof CloudError && err.code === notFound) return undefined;
      throw err;
    }
  }

  getProject = (project: string) => this.getOrUndefined('GetProject', 'ProjectNotExist', (c, o) => c.getProject(project, o));
  createProject = (project: string, description: string) => this.call('CreateProject', (c, o) => c.createProject(project, { description }, o));
  deleteProject = (project: string) => this.call('DeleteProject', (c, o) => c.deleteProject(project, o));
  getLogStore = (project: string, logstore: string) => this.getOrUndefined('GetLogStore', 'LogStoreNotExist', (c, o) => c.getLogStore(project, logstore, o));
  createLogStore = (project: string, logstore: string, opts: { ttl: number; shardCount: number }) =>
    this.call('CreateLogStore', (c, o) => c.createLogStore(project, logstore, opts, o));
  getIndex = (project: string, logstore: string) => this.getOrUndefined('GetIndex', 'IndexConfigNotExist', (c, o) => c.getIndexConfig(project, logstore, o));
  createIndex = (project: string, logstore: string, index: object) => this.call('CreateIndex', (c, o) => c.createIndex(project, logstore, index, o));

  async getLogs(project: string, logstore: string, q: GetLogsQuery): Promise<LogRow[]> {
    const rows = await this.call('GetLogs', (c, o) =>
      c.getLogs(project, logstore, new Date(q.from * 1000), new Date(q.to * 1000), { query: q.query, topic: q.topic, line: q.line ?? 100, offset: q.offset ?? 0, reverse: q.reverse ?? false }, o),
    );
    if (!Array.isArray(rows)) throw new CloudError({ service: 'sls', operation: 'GetLogs', code: 'InvalidResponse', message: `expected a list of log rows, got: ${JSON.stringify(rows).slice(0, 200)}`, retryable: true });
    return rows as LogRow[];
  }

  /** getLogs plus the response headers that say whether the answer is complete. */
  async getLogsPage(project: string, logstore: string, q: GetLogsQuery): Promise<GetLogsPage> {
    let headers: http.IncomingHttpHeaders | undefined;
    const rows = await this.call('GetLogs', async (c, o) => {
      const r = await c.getLogs(project, logstore, new Date(q.from * 1000), new Date(q.to * 1000), { query: q.query, topic: q.topic, line: q.line ?? 100, offset: q.offset ?? 0, reverse: q.reverse ?? false }, o);
      headers = currentResponse()?.headers; // cloudCall captures each call's response (src/cloud/http-capture.ts)
      return r;
    });
    if (!Array.isArray(rows)) throw new CloudError({ service: 'sls', operation: 'GetLogs', code: 'InvalidResponse', message: `expected a list of log rows, got: ${JSON.stringify(rows).slice(0, 200)}`, retryable: true });
    const progress = headers?.['x-log-progress'];
    const count = headers?.['x-log-count'];
    return { rows: rows as LogRow[], progress: typeof progress === 'string' ? progress : undefined, count: count !== undefined ? Number(count) : undefined };
  }

  /** PutLogs (one batch, ≤ 4096 rows): used by tests and benchmarks to fill a logstore the way FC does. */
  putLogs(project: string, logstore: string, batch: { topic?: string; source?: string; logs: Array<{ timestamp: number; content: Record<string, string> }> }) {
    return this.call('PutLogs', (c, o) => c.postLogStoreLogs(project, logstore, { topic: batch.topic, source: batch.source, logs: batch.logs }, o));
  }
}

/** One GetLogs page with what only the response headers say (read through src/cloud/http-capture.ts). */
export interface GetLogsPage {
  rows: LogRow[];
  /** `x-log-progress`: "Complete" or "Incomplete" (undefined if the server sent none). */
  progress?: string;
  /** `x-log-count`, when sent. */
  count?: number;
}

/** The index fcx creates for function logs: full text plus the FC fields (wire-protocol §5.1). */
export const FC_LOG_INDEX = {
  line: { token: [',', ' ', "'", '"', ';', '=', '(', ')', '[', ']', '{', '}', '?', '@', '&', '<', '>', '/', ':', '\n', '\t', '\r'], caseSensitive: false, chn: false },
  keys: Object.fromEntries(
    ['serviceName', 'functionName', 'qualifier', 'versionId', 'instanceID'].map((k) => [k, { type: 'text', token: [',', ' ', ';', '=', '/', ':', '\n', '\t', '\r'], caseSensitive: false, doc_value: true }]),
  ),
};
