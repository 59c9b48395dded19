// Where cloud calls go and as whom: region, account, credentials and one base URL per service.
// --endpoint / FCX_ENDPOINT (or --local) sends every service to one base URL: the emulator serves them all.
import type { Context } from '../core/context';
import { UsageError } from '../core/errors';
import { LOCAL_DEFAULTS } from '../emulator/types';
import { resolveCredentials, type Credentials } from './credentials';

export interface CloudTarget {
  region: string;
  accountId: string;
  credentials: Credentials;
  /** The single base URL when targeting an emulator (or any custom endpoint); undefined for the real cloud. */
  endpoint?: string;
  local: boolean;
  endpoints: { fc: string; oss: string; sls: string; ram: string; sts: string };
}

export const DEFAULT_LOCAL_ENDPOINT = `http://127.0.0.1:${LOCAL_DEFAULTS.port}`;

export function normalizeEndpoint(raw: string): string {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new UsageError(`--endpoint "${raw}" is not a URL`, 'Pass a base URL such as http://127.0.0.1:9100.');
  }
  // The SDKs speak HTTP(S) only (fc2 would otherwise fail with a message of its own, read as a bug in fcx).
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--endpoint "${raw}" uses ${url.protocol.slice(0, -1)}://; fcx talks to the cloud over http:// or https:// only.`, 'Pass a base URL such as http://127.0.0.1:9100 (the local emulator) or https://<your endpoint>.');
  // ali-oss and the SLS SDK put bucket/project names in front of a host name; an IP keeps them reachable.
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  return url.origin;
}

export function endpointsFor(region: string, accountId: string, endpoint?: string): CloudTarget['endpoints'] {
  if (endpoint) return { fc: endpoint, oss: endpoint, sls: endpoint, ram: endpoint, sts: endpoint };
  return {
    fc: `https://${accountId}.${region}.fc.aliyuncs.com`,
    oss: `https://oss-${region}.aliyuncs.com`,
    sls: `https://${region}.log.aliyuncs.com`,
    ram: 'https://ram.aliyuncs.com',
    sts: 'https://sts.aliyuncs.com',
  };
}

let debugHooked = false;
/** --debug: one stderr line per HTTP request the SDKs make (query signatures and tokens redacted by ui). */
function traceRequests(ctx: Context): void {
  if (debugHooked || !ctx.global.debug) return;
  debugHooked = true;
  const dc = require('node:diagnostics_channel') as typeof import('node:diagnostics_channel');
  dc.subscribe('http.client.request.start', (msg: any) => {
    const req = msg.request;
    ctx.ui.debug(`→ ${req.method} ${req.getHeader?.('host') ?? req.host}${req.path}`);
  });
  dc.subscribe('http.client.response.finish', (msg: any) => {
    const res = msg.response;
    const rid = res.headers['x-fc-request-id'] || res.headers['x-oss-request-id'] || res.headers['x-log-requestid'] || '';
    ctx.ui.debug(`← ${res.statusCode} ${msg.request.method} ${msg.request.path?.split('?')[0]} ${rid}`);
  });
}

/** The region_id of the aliyun CLI profile in use (--profile, ALIBABA_CLOUD_PROFILE, else the file's `current`),
 * as the aliyun CLI itself would use it. Undefined when there is no such file, profile or region. */
export function profileRegion(env: NodeJS.ProcessEnv, profile?: string): string | undefined {
  const home = env.HOME || env.USERPROFILE || require('node:os').homedir();
  let config: any;
  try {
    config = JSON.parse(require('node:fs').readFileSync(require('node:path').join(home, '.aliyun', 'config.json'), 'utf8'));
  } catch {
    return undefined; // no aliyun CLI configuration (or not readable): the other sources decide
  }
  const name = profile || env.ALIBABA_CLOUD_PROFILE || config?.current || 'default';
  const p = Array.isArray(config?.profiles) ? config.profiles.find((x: any) => x?.name === name) : undefined;
  return typeof p?.region_id === 'string' && p.region_id.trim() ? p.region_id.trim() : undefined;
}

const accountCache = new Map<string, string>();

export async function resolveTarget(ctx: Context, opts: { region?: string } = {}): Promise<CloudTarget> {
  traceRequests(ctx);
  const env = ctx.env;
  const local = ctx.global.local;
  const rawEndpoint = ctx.global.endpoint ?? (local ? DEFAULT_LOCAL_ENDPOINT : undefined);
  const endpoint = rawEndpoint ? normalizeEndpoint(rawEndpoint) : undefined;
  const region = ctx.global.region ?? opts.region ?? env.ALIBABA_CLOUD_REGION_ID ?? (local ? LOCAL_DEFAULTS.region : undefined) ?? profileRegion(env, ctx.global.profile);
  if (!region)
    throw new UsageError(
      'No region given.',
      'Set `region:` in fcx.yaml, pass --region (e.g. --region cn-hangzhou), set ALIBABA_CLOUD_REGION_ID, or set region_id in your aliyun CLI profile (aliyun configure).',
    );
  const credentials = await resolveCredentials({ env, profile: ctx.global.profile, local });
  let accountId = env.FCX_ACCOUNT_ID || env.ALIBABA_CLOUD_ACCOUNT_ID || accountCache.get(`${endpoint}|${credentials.accessKeyId}`);
  const partial = { region, credentials, endpoint, local, endpoints: endpointsFor(region, accountId ?? 'unknown', endpoint) };
  if (!accountId) {
    const { getCallerIdentity } = await import('./sts.js');
    accountId = (await getCallerIdentity(partial, ctx)).accountId;
    accountCache.set(`${endpoint}|${credentials.accessKeyId}`, accountId);
  }
  return { ...partial, accountId, endpoints: endpointsFor(region, accountId, endpoint) };
}
