// STS 2015-04-01: GetCallerIdentity and AssumeRole (wire-protocol §4).
// AssumeRole issues temporary credentials and stores them where the auth layer looks them up:
//   collection "sts-credentials"  key <AccessKeyId, "STS." prefix>  → StsCredentialRecord
import { randomBytes } from 'node:crypto';
import type { EmulatorConfig, EmuRequest, EmuResponse, Identity, Store } from '../types';
import { getRole } from './ram';
import { rpcError, rpcOk, rpcParams, rpcTime } from './ram-rpc';

export const STS_CREDENTIALS = 'sts-credentials';

export interface StsCredentialRecord {
  accessKeySecret: string;
  securityToken: string;
  accountId: string;
  expiration: string; // ISO
  roleName: string;
  roleId: string;
  roleArn: string;
  sessionName: string;
}

const HOST = 'sts.aliyuncs.com';
const alnum = (n: number) => randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n);

/** Parses `acs:ram::<uid>:role/<name>`. */
function parseRoleArn(arn: string): { accountId: string; roleName: string } | undefined {
  const m = /^acs:ram::(\d+):role\/([A-Za-z0-9.@-]+)$/.exec(arn);
  return m ? { accountId: m[1], roleName: m[2] } : undefined;
}

/**
 * The role behind temporary credentials: AssumeRole records name it; credentials the FC service issues to
 * functions carry `issuedFor: "fc-role:<service>:<role arn>"` (the session is then named after the service).
 */
function assumedRoleOf(store: Store, cred: Partial<StsCredentialRecord> & { accountId: string; issuedFor?: string }): { roleName: string; roleId: string; sessionName: string } {
  if (cred.roleName && cred.roleId && cred.sessionName) return { roleName: cred.roleName, roleId: cred.roleId, sessionName: cred.sessionName };
  const m = /^fc-role:([^:]+):(acs:ram::\d+:role\/.+)$/.exec(cred.issuedFor ?? '');
  const parsed = m ? parseRoleArn(m[2]) : undefined;
  if (m && parsed) {
    const role = getRole(store, parsed.accountId, parsed.roleName);
    return { roleName: parsed.roleName, roleId: role?.RoleId ?? '0', sessionName: m[1] };
  }
  return { roleName: 'unknown', roleId: '0', sessionName: 'session' };
}

export function createStsService(deps: { store: Store; config: EmulatorConfig }) {
  const { store } = deps;

  async function handle(req: EmuRequest, identity: Identity): Promise<EmuResponse> {
    const p = rpcParams(req);
    const action = p.get('Action') ?? '';
    const err = (status: number, code: string, message: string) => rpcError(req, action || 'Unknown', status, code, message, HOST);

    if (action === 'GetCallerIdentity') {
      const cred = identity.kind === 'sts' ? store.get<Partial<StsCredentialRecord> & { accountId: string; issuedFor?: string }>(STS_CREDENTIALS, identity.accessKeyId) : undefined;
      if (cred) {
        const who = assumedRoleOf(store, cred);
        const principal = `${who.roleId}:${who.sessionName}`;
        return rpcOk(req, action, {
          AccountId: cred.accountId,
          UserId: principal,
          PrincipalId: principal,
          RoleId: who.roleId,
          Arn: `acs:ram::${cred.accountId}:assumed-role/${who.roleName.toLowerCase()}/${who.sessionName}`,
          IdentityType: 'AssumedRoleUser',
        });
      }
      return rpcOk(req, action, {
        AccountId: identity.accountId,
        UserId: identity.accountId,
        PrincipalId: identity.accountId,
        Arn: `acs:ram::${identity.accountId}:root`,
        IdentityType: 'Account',
      });
    }

    if (action === 'AssumeRole') {
      const arn = p.get('RoleArn');
      const session = p.get('RoleSessionName');
      if (!arn) return err(400, 'MissingRoleArn', 'RoleArn is mandatory for this action.');
      if (!session) return err(400, 'MissingRoleSessionName', 'RoleSessionName is mandatory for this action.');
      if (!/^[A-Za-z0-9._@-]{2,64}$/.test(session)) return err(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
      const parsed = parseRoleArn(arn);
      if (!parsed) return err(400, 'InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.');
      const role = getRole(store, parsed.accountId, parsed.roleName);
      if (!role) return err(404, 'EntityNotExist.Role', 'The role not exists.');
      if (parsed.accountId !== identity.accountId) return err(403, 'NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.');
      const duration = Number(p.get('DurationSeconds') ?? 3600);
      if (!Number.isInteger(duration) || duration < 900 || duration > role.MaxSessionDuration) {
        return err(400, 'InvalidParameter.DurationSeconds', `The Min/Max value of DurationSeconds is 15min/${role.MaxSessionDuration / 3600}hr.`);
      }
      const accessKeyId = `STS.${alnum(24)}`;
      const rec: StsCredentialRecord = {
        accessKeySecret: alnum(44),
        securityToken: `CAIS${randomBytes(96).toString('base64')}`,
        accountId: parsed.accountId,
        expiration: rpcTime(new Date(Date.now() + duration * 1000)),
        roleName: role.RoleName,
        roleId: role.RoleId,
        roleArn: role.Arn,
        sessionName: session,
      };
      store.put(STS_CREDENTIALS, accessKeyId, rec);
      return rpcOk(req, action, {
        AssumedRoleUser: { Arn: `${role.Arn}/${session}`, AssumedRoleId: `${role.RoleId}:${session}` },
        Credentials: { AccessKeyId: accessKeyId, AccessKeySecret: rec.accessKeySecret, SecurityToken: rec.securityToken, Expiration: rec.expiration },
      });
    }

    if (!action) return err(400, 'MissingParameter', 'The input parameter "Action" that is mandatory for processing this request is not supplied.');
    return err(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
  }

  return { handle };
}
