// RAM 2015-05-01 (roles and their policy attachments) as @alicloud/pop-core RPC calls reach it (wire-protocol §4).
//   collection "ram-roles"  key <accountId>/<roleName lower-case>  → RoleRecord
// Roles are per account; names are unique case-insensitively (as in RAM) but kept as written.
import { randomInt } from 'node:crypto';
import type { EmulatorConfig, EmuRequest, EmuResponse, Identity, Store } from '../types';
import { rpcError, rpcOk, rpcParams, rpcTime } from './ram-rpc';

export interface AttachedPolicy {
  PolicyName: string;
  PolicyType: 'System' | 'Custom';
  AttachDate: string;
}

export interface RoleRecord {
  RoleId: string;
  RoleName: string;
  Arn: string;
  Description: string;
  AssumeRolePolicyDocument: string;
  MaxSessionDuration: number;
  CreateDate: string;
  UpdateDate: string;
  policies: AttachedPolicy[];
}

const ROLES = 'ram-roles';
const HOST = 'ram.aliyuncs.com';

/** System policies the emulator knows (attaching any other System policy fails like RAM does). */
export const SYSTEM_POLICIES: Record<string, string> = {
  AliyunFCDefaultRolePolicy: 'Default policy for Function Compute role',
  AliyunFCFullAccess: 'Full access to Function Compute',
  AliyunFCReadOnlyAccess: 'Read-only access to Function Compute',
  AliyunFCInvocationAccess: 'Permission to invoke Function Compute functions',
  AliyunLogFullAccess: 'Full access to Log Service',
  AliyunLogReadOnlyAccess: 'Read-only access to Log Service',
  AliyunOSSFullAccess: 'Full access to OSS',
  AliyunOSSReadOnlyAccess: 'Read-only access to OSS',
  AliyunRAMFullAccess: 'Full access to RAM',
  AliyunRAMReadOnlyAccess: 'Read-only access to RAM',
  AliyunSTSAssumeRoleAccess: 'Permission to call STS AssumeRole',
  AliyunVPCFullAccess: 'Full access to VPC',
  AliyunVPCReadOnlyAccess: 'Read-only access to VPC',
  AliyunECSNetworkInterfaceManagementAccess: 'Manage ECS elastic network interfaces',
  AliyunContainerRegistryReadOnlyAccess: 'Read-only access to Container Registry',
  AliyunLogSimpleUserRole: 'Simple user role for Log Service',
  AdministratorAccess: 'Full access to all Alibaba Cloud resources',
  ReadOnlyAccess: 'Read-only access to all Alibaba Cloud resources',
};

const roleKey = (accountId: string, name: string) => `${accountId}/${name.toLowerCase()}`;

/** The role of an account, or undefined (STS AssumeRole uses this). */
export function getRole(store: Store, accountId: string, roleName: string): RoleRecord | undefined {
  return store.get<RoleRecord>(ROLES, roleKey(accountId, roleName));
}

function publicRole(r: RoleRecord, withUpdate = true): Record<string, unknown> {
  const { policies: _p, UpdateDate, ...rest } = r;
  void _p;
  return withUpdate ? { ...rest, UpdateDate } : rest;
}

export function createRamService(deps: { store: Store; config: EmulatorConfig }) {
  const { store } = deps;

  async function handle(req: EmuRequest, identity: Identity): Promise<EmuResponse> {
    const p = rpcParams(req);
    const action = p.get('Action') ?? '';
    const err = (status: number, code: string, message: string) => rpcError(req, action || 'Unknown', status, code, message, HOST);
    const ok = (body: Record<string, unknown> = {}) => rpcOk(req, action, body);
    const account = identity.accountId;
    const need = (name: string): string | EmuResponse => {
      const v = p.get(name);
      return v === undefined || v === '' ? err(400, 'MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`) : v;
    };
    const roleOr404 = (name: string): RoleRecord | EmuResponse => getRole(store, account, name) ?? err(404, 'EntityNotExist.Role', `The role not exists: ${name}.`);
    const isResp = (v: unknown): v is EmuResponse => typeof v === 'object' && v !== null && 'status' in v;

    switch (action) {
      case 'CreateRole': {
        const name = need('RoleName');
        if (isResp(name)) return name;
        const doc = need('AssumeRolePolicyDocument');
        if (isResp(doc)) return doc;
        if (name.length > 64) return err(400, 'InvalidParameter.RoleName.Length', 'The parameter "RoleName" beyond the length limit.');
        if (!/^[a-zA-Z0-9.@-]+$/.test(name)) return err(400, 'InvalidParameter.RoleName.InvalidChars', 'The parameter "RoleName" contains invalid chars.');
        if (!isPolicyDocument(doc)) return err(400, 'MalformedPolicyDocument', 'The policy document is malformed.');
        const desc = p.get('Description') ?? '';
        if (desc.length > 1024) return err(400, 'InvalidParameter.Description.Length', 'The parameter "Description" beyond the length limit.');
        if (getRole(store, account, name)) return err(409, 'EntityAlreadyExists.Role', 'The role does already EXIST.');
        const maxSession = Number(p.get('MaxSessionDuration') ?? 3600);
        if (!Number.isInteger(maxSession) || maxSession < 3600 || maxSession > 43200) return err(400, 'InvalidParameter.MaxSessionDuration', 'The parameter "MaxSessionDuration" must be between 3600 and 43200.');
        const now = rpcTime();
        const role: RoleRecord = {
          RoleId: String(randomInt(10 ** 9, 10 ** 10 - 1)) + String(randomInt(10 ** 8, 10 ** 9 - 1)),
          RoleName: name,
          Arn: `acs:ram::${account}:role/${name.toLowerCase()}`,
          Description: desc,
          AssumeRolePolicyDocument: doc,
          MaxSessionDuration: maxSession,
          CreateDate: now,
          UpdateDate: now,
          policies: [],
        };
        store.put(ROLES, roleKey(account, name), role);
        return ok({ Role: publicRole(role, false) });
      }
      case 'GetRole': {
        const name = need('RoleName');
        if (isResp(name)) return name;
        const role = roleOr404(name);
        if (isResp(role)) return role;
        return ok({ Role: publicRole(role) });
      }
      case 'UpdateRole': {
        const name = need('RoleName');
        if (isResp(name)) return name;
        const role = roleOr404(name);
        if (isResp(role)) return role;
        const doc = p.get('NewAssumeRolePolicyDocument');
        if (doc !== undefined && !isPolicyDocument(doc)) return err(400, 'MalformedPolicyDocument', 'The policy document is malformed.');
        const updated: RoleRecord = {
          ...role,
          AssumeRolePolicyDocument: doc ?? role.AssumeRolePolicyDocument,
          Description: p.get('NewDescription') ?? role.Description,
          MaxSessionDuration: p.has('NewMaxSessionDuration') ? Number(p.get('NewMaxSessionDuration')) : role.MaxSessionDuration,
          UpdateDate: rpcTime(),
        };
        store.put(ROLES, roleKey(account, name), updated);
        return ok({ Role: publicRole(updated) });
      }
      case 'DeleteRole': {
        const name = need('RoleName');
        if (isResp(name)) return name;
        const role = roleOr404(name);
        if (isResp(role)) return role;
        if (role.policies.length > 0) return err(409, 'DeleteConflict.Role.Policy', 'The role still has attached policies. Detach them first.');
        store.delete(ROLES, roleKey(account, name));
        return ok();
      }
      case 'ListRoles': {
        const roles = store.list<RoleRecord>(ROLES, `${account}/`).map(([, r]) => publicRole(r));
        const max = Math.min(Number(p.get('MaxItems') ?? 100) || 100, 1000);
        const start = Number(p.get('Marker') ?? 0) || 0;
        const page = roles.slice(start, start + max);
        const truncated = start + max < roles.length;
        return ok({ IsTruncated: truncated, ...(truncated ? { Marker: String(start + max) } : {}), Roles: { Role: page } });
      }
      case 'AttachPolicyToRole':
      case 'DetachPolicyFromRole': {
        const type = need('PolicyType');
        if (isResp(type)) return type;
        const policy = need('PolicyName');
        if (isResp(policy)) return policy;
        const name = need('RoleName');
        if (isResp(name)) return name;
        if (type !== 'System' && type !== 'Custom') return err(400, 'InvalidParameter.PolicyType', 'The parameter "PolicyType" is invalid.');
        if (type === 'Custom' || !(policy in SYSTEM_POLICIES)) return err(404, 'EntityNotExist.Policy', `The policy not exists: ${policy}.`);
        const role = roleOr404(name);
        if (isResp(role)) return role;
        const i = role.policies.findIndex((x) => x.PolicyName === policy && x.PolicyType === type);
        if (action === 'AttachPolicyToRole') {
          if (i >= 0) return err(409, 'EntityAlreadyExists.Role.Policy', `The policy already attached to the role: ${policy}.`);
          role.policies.push({ PolicyName: policy, PolicyType: type, AttachDate: rpcTime() });
        } else {
          if (i < 0) return err(404, 'EntityNotExist.Role.Policy', `The policy not attached to the role: ${policy}.`);
          role.policies.splice(i, 1);
        }
        store.put(ROLES, roleKey(account, name), role);
        return ok();
      }
      case 'ListPoliciesForRole': {
        const name = need('RoleName');
        if (isResp(name)) return name;
        const role = roleOr404(name);
        if (isResp(role)) return role;
        const Policy = role.policies.map((x) => ({ ...x, Description: SYSTEM_POLICIES[x.PolicyName] ?? '', DefaultVersion: 'v1' }));
        return ok({ Policies: { Policy } });
      }
      case '':
        return err(400, 'MissingParameter', 'The input parameter "Action" that is mandatory for processing this request is not supplied.');
      default:
        return err(404, 'InvalidAction.NotFound', `Specified api is not found, please check your url and method.`);
    }
  }

  return { handle };
}

function isPolicyDocument(doc: string): boolean {
  try {
    const v = JSON.parse(doc);
    return typeof v === 'object' && v !== null && Array.isArray(v.Statement);
  } catch {
    return false;
  }
}
