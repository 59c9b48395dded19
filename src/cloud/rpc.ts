// RAM and STS speak Alibaba's RPC style; both go through @alicloud/pop-core, loaded only when needed.
import type { Context } from '../core/context';
import type { CloudTarget } from './target';
import { cloudCall, httpTimeoutMs } from './call';

export type RpcService = 'ram' | 'sts';
const API_VERSION: Record<RpcService, string> = { ram: '2015-05-01', sts: '2015-04-01' };

const clients = new Map<string, any>();

function rpcClient(target: Pick<CloudTarget, 'credentials' | 'endpoints'>, service: RpcService, ctx: Pick<Context, 'env'> | undefined): any {
  const endpoint = target.endpoints[service];
  const key = `${service}|${endpoint}|${target.credentials.accessKeyId}`;
  let client = clients.get(key);
  if (!client) {
    const RPCClient = require('@alicloud/pop-core').RPCClient;
    client = new RPCClient({
      accessKeyId: target.credentials.accessKeyId,
      accessKeySecret: target.credentials.accessKeySecret,
      securityToken: target.credentials.securityToken,
      endpoint,
      apiVersion: API_VERSION[service],
      opts: { timeout: httpTimeoutMs(ctx?.env) },
    });
    clients.set(key, client);
  }
  return client;
}

export function rpcCall<T = any>(
  target: Pick<CloudTarget, 'credentials' | 'endpoints'>,
  ctx: Pick<Context, 'ui' | 'env'> | undefined,
  service: RpcService,
  action: string,
  params: Record<string, unknown> = {},
): Promise<T> {
  const client = rpcClient(target, service, ctx);
  return cloudCall(ctx, service, action, target.endpoints[service], () => client.request(action, params, { method: 'POST', timeout: httpTimeoutMs(ctx?.env) }));
}
