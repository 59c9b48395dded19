// RAM and STS through the unmodified @alicloud/pop-core RPC client against the in-process emulator.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcessEmulator, LOCAL_CREDS, type TestEmulator } from '../helpers/emulator';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const RPC = require('@alicloud/pop-core');

const TRUST = JSON.stringify({ Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }], Version: '1' });

async function rejects(p: Promise<unknown>, code: string): Promise<any> {
  try {
    await p;
  } catch (e: any) {
    assert.equal(e.code, code, `expected ${code}, got ${e.code} (${e.message})`);
    assert.equal(e.name, `${code}Error`);
    assert.match(String(e.data?.RequestId), /^[0-9a-f-]{36}$/);
    return e;
  }
  assert.fail(`expected ${code}`);
}

describe('RAM and STS with @alicloud/pop-core', () => {
  let emu: TestEmulator;
  let ram: any;
  let sts: any;
  before(async () => {
    emu = await startInProcessEmulator();
    const creds = { endpoint: emu.url, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret };
    ram = new RPC({ ...creds, apiVersion: '2015-05-01' });
    sts = new RPC({ ...creds, apiVersion: '2015-04-01' });
  });
  after(async () => {
    await emu.close();
  });

  test('CreateRole / GetRole / UpdateRole / ListRoles and their errors', async () => {
    const created = await ram.request('CreateRole', { RoleName: 'fcx-app-role', AssumeRolePolicyDocument: TRUST, Description: 'made by fcx' });
    assert.match(created.RequestId, /^[0-9a-f-]{36}$/);
    assert.equal(created.Role.RoleName, 'fcx-app-role');
    assert.equal(created.Role.Arn, `acs:ram::${LOCAL_CREDS.accountId}:role/fcx-app-role`);
    assert.equal(created.Role.AssumeRolePolicyDocument, TRUST);
    await rejects(ram.request('CreateRole', { RoleName: 'fcx-app-role', AssumeRolePolicyDocument: TRUST }), 'EntityAlreadyExists.Role');
    await rejects(ram.request('CreateRole', { RoleName: 'bad name!', AssumeRolePolicyDocument: TRUST }), 'InvalidParameter.RoleName.InvalidChars');
    await rejects(ram.request('CreateRole', { RoleName: 'x'.repeat(65), AssumeRolePolicyDocument: TRUST }), 'InvalidParameter.RoleName.Length');
    await rejects(ram.request('CreateRole', { RoleName: 'r2', AssumeRolePolicyDocument: 'not json' }), 'MalformedPolicyDocument');
    const got = await ram.request('GetRole', { RoleName: 'fcx-app-role' });
    assert.equal(got.Role.Description, 'made by fcx');
    assert.ok(got.Role.UpdateDate);
    await rejects(ram.request('GetRole', { RoleName: 'nope' }), 'EntityNotExist.Role');
    const upd = await ram.request('UpdateRole', { RoleName: 'fcx-app-role', NewDescription: 'changed' });
    assert.equal(upd.Role.Description, 'changed');
    const list = await ram.request('ListRoles', {});
    assert.deepEqual(list.Roles.Role.map((r: any) => r.RoleName), ['fcx-app-role']);
  });

  test('policy attachments: attach (GET and POST form), already attached, unknown policy, list, delete conflict, detach', async () => {
    await ram.request('CreateRole', { RoleName: 'policy-role', AssumeRolePolicyDocument: TRUST });
    // pop-core upper-cases the first letter of every parameter; the raw action in x-acs-action stays as passed.
    await ram.request('AttachPolicyToRole', { policyType: 'System', policyName: 'AliyunFCDefaultRolePolicy', roleName: 'policy-role' });
    await ram.request('AttachPolicyToRole', { PolicyType: 'System', PolicyName: 'AliyunLogFullAccess', RoleName: 'policy-role' }, { method: 'POST' });
    await rejects(ram.request('AttachPolicyToRole', { PolicyType: 'System', PolicyName: 'AliyunLogFullAccess', RoleName: 'policy-role' }), 'EntityAlreadyExists.Role.Policy');
    await rejects(ram.request('AttachPolicyToRole', { PolicyType: 'System', PolicyName: 'NoSuchPolicy', RoleName: 'policy-role' }), 'EntityNotExist.Policy');
    await rejects(ram.request('AttachPolicyToRole', { PolicyType: 'System', PolicyName: 'AliyunOSSReadOnlyAccess', RoleName: 'ghost' }), 'EntityNotExist.Role');
    const listed = await ram.request('ListPoliciesForRole', { RoleName: 'policy-role' });
    assert.deepEqual(listed.Policies.Policy.map((p: any) => [p.PolicyName, p.PolicyType]), [
      ['AliyunFCDefaultRolePolicy', 'System'],
      ['AliyunLogFullAccess', 'System'],
    ]);
    assert.ok(listed.Policies.Policy[0].AttachDate);
    await rejects(ram.request('DeleteRole', { RoleName: 'policy-role' }), 'DeleteConflict.Role.Policy');
    await ram.request('DetachPolicyFromRole', { PolicyType: 'System', PolicyName: 'AliyunFCDefaultRolePolicy', RoleName: 'policy-role' });
    await ram.request('DetachPolicyFromRole', { PolicyType: 'System', PolicyName: 'AliyunLogFullAccess', RoleName: 'policy-role' });
    await rejects(ram.request('DetachPolicyFromRole', { PolicyType: 'System', PolicyName: 'AliyunLogFullAccess', RoleName: 'policy-role' }), 'EntityNotExist.Role.Policy');
    assert.match((await ram.request('DeleteRole', { RoleName: 'policy-role' })).RequestId, /^[0-9a-f-]{36}$/);
    await rejects(ram.request('GetRole', { RoleName: 'policy-role' }), 'EntityNotExist.Role');
  });

  test('unknown action and missing parameters', async () => {
    await rejects(ram.request('MakeCoffee', {}), 'InvalidAction.NotFound');
    await rejects(ram.request('GetRole', {}), 'MissingParameter');
  });

  test('STS GetCallerIdentity with the root key', async () => {
    const me = await sts.request('GetCallerIdentity', {});
    assert.equal(me.IdentityType, 'Account');
    assert.equal(me.AccountId, LOCAL_CREDS.accountId);
    assert.equal(me.Arn, `acs:ram::${LOCAL_CREDS.accountId}:root`);
    assert.equal(me.UserId, LOCAL_CREDS.accountId);
  });

  test('STS AssumeRole issues STS. credentials that sign later calls as the assumed role', async () => {
    await ram.request('CreateRole', { RoleName: 'assume-me', AssumeRolePolicyDocument: TRUST });
    const arn = `acs:ram::${LOCAL_CREDS.accountId}:role/assume-me`;
    const r = await sts.request('AssumeRole', { RoleArn: arn, RoleSessionName: 'fcx-test', DurationSeconds: 900 });
    assert.match(r.Credentials.AccessKeyId, /^STS\./);
    assert.ok(r.Credentials.AccessKeySecret && r.Credentials.SecurityToken);
    const ttl = Date.parse(r.Credentials.Expiration) - Date.now();
    assert.ok(ttl > 800_000 && ttl <= 900_000, `expiration ${r.Credentials.Expiration}`);
    assert.equal(r.AssumedRoleUser.Arn, `${arn}/fcx-test`);
    const temp = new RPC({ endpoint: emu.url, apiVersion: '2015-04-01', accessKeyId: r.Credentials.AccessKeyId, accessKeySecret: r.Credentials.AccessKeySecret, securityToken: r.Credentials.SecurityToken });
    const who = await temp.request('GetCallerIdentity', {});
    assert.equal(who.IdentityType, 'AssumedRoleUser');
    assert.equal(who.AccountId, LOCAL_CREDS.accountId);
    assert.equal(who.Arn, `acs:ram::${LOCAL_CREDS.accountId}:assumed-role/assume-me/fcx-test`);
    await rejects(sts.request('AssumeRole', { RoleArn: `acs:ram::${LOCAL_CREDS.accountId}:role/missing`, RoleSessionName: 's1' }), 'EntityNotExist.Role');
    await rejects(sts.request('AssumeRole', { RoleArn: 'not-an-arn', RoleSessionName: 's1' }), 'InvalidParameter.RoleArn');
    await rejects(sts.request('AssumeRole', { RoleArn: arn, RoleSessionName: 's1', DurationSeconds: 60 }), 'InvalidParameter.DurationSeconds');
  });

  test('the request log names RAM and STS actions and error codes', async () => {
    const calls = await emu.requests();
    const ramCalls = calls.filter((c) => c.service === 'ram');
    assert.ok(ramCalls.some((c) => c.action === 'CreateRole' && c.status === 200));
    assert.ok(ramCalls.some((c) => c.action === 'AttachPolicyToRole' && c.status === 409 && c.errorCode === 'EntityAlreadyExists.Role.Policy'));
    assert.ok(calls.some((c) => c.service === 'sts' && c.action === 'AssumeRole' && c.status === 200));
  });
});

// Credentials the FC service hands to functions are stored by FC, not by AssumeRole: checked on the handler.
describe('STS handler: GetCallerIdentity with credentials FC issued to a function', () => {
  test('names the service role and the service as the session', async () => {
    const { makeTmpDir } = await import('../helpers/tmp.js');
    const { FileStore } = await import('../../src/emulator/store.js');
    const { createStsService } = await import('../../src/emulator/services/sts.js');
    const { createRamService } = await import('../../src/emulator/services/ram.js');
    const tmp = makeTmpDir('fcx-sts-');
    const store = new FileStore(tmp.dir);
    try {
      const config = { host: '127.0.0.1', port: 0, dataDir: tmp.dir, accessKeyId: 'k', accessKeySecret: 's', accountId: '111', region: 'cn-hangzhou' };
      const root = { accessKeyId: 'k', accountId: '111', kind: 'root' as const };
      const rpc = (query: string) => ({ id: '00000000-0000-4000-8000-000000000000', method: 'GET', rawPath: '/', path: '/', rawQuery: query, query: new URLSearchParams(query), headers: {}, rawHeaders: [], body: Buffer.alloc(0), host: '127.0.0.1', remoteAddress: '127.0.0.1', receivedAt: Date.now() });
      await createRamService({ store, config }).handle(rpc(`Action=CreateRole&RoleName=fn-role&AssumeRolePolicyDocument=${encodeURIComponent(TRUST)}`), root);
      store.put('sts-credentials', 'STS.fromfc', { accessKeySecret: 'x', securityToken: 't', accountId: '111', expiration: new Date(Date.now() + 3600_000).toISOString(), issuedFor: 'fc-role:my-svc:acs:ram::111:role/fn-role' });
      const out = await createStsService({ store, config }).handle(rpc('Action=GetCallerIdentity'), { accessKeyId: 'STS.fromfc', accountId: '111', kind: 'sts', securityToken: 't' });
      const body = JSON.parse(String(out.body));
      assert.equal(body.IdentityType, 'AssumedRoleUser');
      assert.equal(body.Arn, 'acs:ram::111:assumed-role/fn-role/my-svc');
      assert.match(body.RoleId, /^\d+$/);
    } finally {
      store.close();
      tmp.cleanup();
    }
  });
});
