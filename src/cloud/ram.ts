// The RAM role FC assumes to write logs and read code: looked up before anything is created.
import type { Context } from '../core/context';
import { CloudError } from '../core/errors';
import type { CloudTarget } from './target';
import { rpcCall } from './rpc';

export const FC_TRUST_POLICY = JSON.stringify({
  Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }],
  Version: '1',
});

export interface Role {
  roleName: string;
  arn: string;
  description?: string;
}

export interface AttachedPolicy {
  policyName: string;
  policyType: string;
}

type Ctx = Pick<Context, 'ui' | 'env'> | undefined;

export class RamApi {
  constructor(private readonly target: CloudTarget, private readonly ctx: Ctx) {}

  async getRole(roleName: string): Promise<Role | undefined> {
    try {
      const r = expectShape(await rpcCall(this.target, this.ctx, 'ram', 'GetRole', { RoleName: roleName }), 'GetRole', 'Role');
      return { roleName: r.Role.RoleName, arn: r.Role.Arn, description: r.Role.Description };
    } catch (err) {
      if (err instanceof CloudError && err.code === 'EntityNotExist.Role') return undefined;
      throw err;
    }
  }

  async createRole(roleName: string, description: string): Promise<Role> {
    try {
      const r = expectShape(await rpcCall(this.target, this.ctx, 'ram', 'CreateRole', { RoleName: roleName, AssumeRolePolicyDocument: FC_TRUST_POLICY, Description: description }), 'CreateRole', 'Role');
      return { roleName: r.Role.RoleName, arn: r.Role.Arn };
    } catch (err) {
      // A previous, interrupted run may have created it: converge instead of failing.
      if (err instanceof CloudError && err.code === 'EntityAlreadyExists.Role') {
        const existing = await this.getRole(roleName);
        if (existing) return existing;
      }
      throw err;
    }
  }

  async listPolicies(roleName: string): Promise<AttachedPolicy[]> {
    const r = await rpcCall(this.target, this.ctx, 'ram', 'ListPoliciesForRole', { RoleName: roleName });
    const list: any[] = r?.Policies?.Policy ?? [];
    return list.map((p) => ({ policyName: p.PolicyName, policyType: p.PolicyType }));
  }

  async attachPolicy(roleName: string, policyName: string, policyType = 'System'): Promise<void> {
    try {
      await rpcCall(this.target, this.ctx, 'ram', 'AttachPolicyToRole', { RoleName: roleName, PolicyName: policyName, PolicyType: policyType });
    } catch (err) {
      if (err instanceof CloudError && err.code === 'EntityAlreadyExists.Role.Policy') return;
      throw err;
    }
  }

  async detachPolicy(roleName: string, policyName: string, policyType = 'System'): Promise<void> {
    try {
      await rpcCall(this.target, this.ctx, 'ram', 'DetachPolicyFromRole', { RoleName: roleName, PolicyName: policyName, PolicyType: policyType });
    } catch (err) {
      if (err instanceof CloudError && /EntityNotExist/.test(err.code)) return;
      throw err;
    }
  }

  async deleteRole(roleName: string): Promise<boolean> {
    try {
      await rpcCall(this.target, this.ctx, 'ram', 'DeleteRole', { RoleName: roleName });
      return true;
    } catch (err) {
      if (err instanceof CloudError && err.code === 'EntityNotExist.Role') return false;
      throw err;
    }
  }
}

/** pop-core treats any JSON without `Code` as success, whatever the HTTP status: check the answer has its payload. */
export function expectShape(r: any, operation: string, key: string, service: 'ram' | 'sts' = 'ram'): any {
  if (r && typeof r === 'object' && r[key] !== undefined && r[key] !== null) return r;
  throw new CloudError({
    service,
    operation,
    code: 'InvalidResponse',
    requestId: r?.RequestId ? String(r.RequestId) : undefined,
    message: `the answer has no ${key}: ${JSON.stringify(r ?? null).slice(0, 200)}`,
    hint: 'The endpoint does not behave like Alibaba Cloud RAM/STS; check --endpoint.',
  });
}

/** `role: acs:ram::123:role/name` or `role: name` → the role's name. */
export function roleNameFromArn(arnOrName: string): string {
  const m = /^acs:ram::\d+:role\/(.+)$/i.exec(arnOrName);
  return m ? m[1] : arnOrName;
}

export function roleArn(accountId: string, roleName: string): string {
  return `acs:ram::${accountId}:role/${roleName.toLowerCase()}`;
}
