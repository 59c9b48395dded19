import type { Context } from '../core/context';
import type { CloudTarget } from './target';
import { rpcCall } from './rpc';
import { expectShape } from './ram';

export interface CallerIdentity {
  accountId: string;
  arn: string;
  identityType: string;
}

export async function getCallerIdentity(target: Pick<CloudTarget, 'credentials' | 'endpoints'>, ctx?: Pick<Context, 'ui' | 'env'>): Promise<CallerIdentity> {
  const r = expectShape(await rpcCall(target, ctx, 'sts', 'GetCallerIdentity'), 'GetCallerIdentity', 'AccountId', 'sts');
  return { accountId: String(r.AccountId), arn: String(r.Arn ?? ''), identityType: String(r.IdentityType ?? '') };
}
