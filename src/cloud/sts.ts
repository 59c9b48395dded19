import type { Context } from '../core/context';
import type { CloudTarget } from './target';
import { rpcCall } from './rpc';

export interface CallerIdentity {
  accountId: string;
  arn: string;
  identityType: string;
}

export async function getCallerIdentity(target: Pick<CloudTarget, 'credentials' | 'endpoints'>, ctx?: Pick<Context, 'ui' | 'env'>): Promise<CallerIdentity> {
  const r = await rpcCall(target, ctx, 'sts', 'GetCallerIdentity');
  return { accountId: String(r.AccountId), arn: String(r.Arn ?? ''), identityType: String(r.IdentityType ?? '') };
}
