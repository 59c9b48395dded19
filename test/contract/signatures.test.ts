// Signature checks of every service, each failure answered in that service's own shape: wrong secret, changed
// body / path / query, stale date, unknown key, reused RPC nonce, and STS temporary credentials (issued by the
// emulator's STS AssumeRole). SDKs where they can be made to fail; hand-signed requests for tampering.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { startInProcessEmulator, LOCAL_CREDS, type TestEmulator } from '../helpers/emulator';
import { fcClient, fcRejects } from './fc-helpers';
import { signFc } from './fc-sign';
import { fcSign, fcStringsToSign } from '../../src/emulator/auth/fc';
import { rpcStringToSign } from '../../src/emulator/auth/rpc';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const OSS = require('ali-oss');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const RPC = require('@alicloud/pop-core');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const SLS = require('@alicloud/log');

const SKEWED = new Date(Date.now() - 20 * 60 * 1000);
const TRUST = JSON.stringify({ Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }], Version: '1' });

// @alicloud/log puts the project into the host name; this agent resolves every name to 127.0.0.1.
const agent = new http.Agent({ lookup: ((_h: string, o: any, cb: any) => (o && o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4))) as any });

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Plain HTTP with full control of Host and every header (fetch would rewrite Host). */
function raw(url: string, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<Raw> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const xmlCode = (xml: string) => /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];

// ------------------------------------------------------------------------------------------ hand signers

function ossV1(method: string, bucket: string, key: string, opts: { secret?: string; ak?: string; date?: Date; body?: Buffer; md5?: string; token?: string; signedKey?: string } = {}) {
  const headers: Record<string, string> = { host: `${bucket}.oss-${LOCAL_CREDS.region}.aliyuncs.com`, 'x-oss-date': (opts.date ?? new Date()).toUTCString(), 'content-type': 'application/octet-stream' };
  if (opts.body) headers['content-md5'] = opts.md5 ?? createHash('md5').update(opts.body).digest('base64');
  if (opts.token) headers['x-oss-security-token'] = opts.token;
  const ossHeaders = Object.keys(headers).filter((h) => h.startsWith('x-oss-')).sort().map((h) => `${h}:${headers[h]}`);
  const sts = [method, headers['content-md5'] ?? '', headers['content-type'], headers['x-oss-date'], ...ossHeaders, `/${bucket}/${opts.signedKey ?? key}`].join('\n');
  headers.authorization = `OSS ${opts.ak ?? LOCAL_CREDS.accessKeyId}:${createHmac('sha1', opts.secret ?? LOCAL_CREDS.accessKeySecret).update(sts).digest('base64')}`;
  return headers;
}

const pct = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function rpcQuery(action: string, version: string, extra: Record<string, string> = {}, opts: { secret?: string; ak?: string; nonce?: string; timestamp?: Date; method?: string } = {}): string {
  const params: Record<string, string> = {
    Action: action,
    Format: 'JSON',
    Version: version,
    AccessKeyId: opts.ak ?? LOCAL_CREDS.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: opts.nonce ?? randomBytes(16).toString('hex'),
    Timestamp: (opts.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...extra,
  };
  const canonical = Object.keys(params).sort().map((k) => `${pct(k)}=${pct(params[k])}`).join('&');
  const sts = `${opts.method ?? 'GET'}&%2F&${pct(canonical)}`;
  const sig = createHmac('sha1', (opts.secret ?? LOCAL_CREDS.accessKeySecret) + '&').update(sts).digest('base64');
  return `${canonical}&Signature=${pct(sig)}`;
}

function slsSigned(method: string, project: string | undefined, path: string, port: number, opts: { body?: string; date?: Date; secret?: string; md5?: string; signedPath?: string } = {}) {
  const headers: Record<string, string> = {
    host: `${project ? project + '.' : ''}${LOCAL_CREDS.region}.log.aliyuncs.com:${port}`,
    date: (opts.date ?? new Date()).toUTCString(),
    'content-type': 'application/json',
    'x-log-apiversion': '0.6.0',
    'x-log-signaturemethod': 'hmac-sha1',
  };
  if (opts.body !== undefined) {
    headers['content-md5'] = opts.md5 ?? createHash('md5').update(opts.body).digest('hex').toUpperCase();
    headers['x-log-bodyrawsize'] = String(Buffer.byteLength(opts.body));
  }
  const logHeaders = Object.keys(headers).filter((h) => h.startsWith('x-log-') || h.startsWith('x-acs-')).sort().map((h) => `${h}:${headers[h]}\n`).join('');
  const sts = `${method}\n${headers['content-md5'] ?? ''}\n${headers['content-type']}\n${headers.date}\n${logHeaders}${opts.signedPath ?? path}`;
  headers.authorization = `LOG ${LOCAL_CREDS.accessKeyId}:${createHmac('sha1', opts.secret ?? LOCAL_CREDS.accessKeySecret).update(sts).digest('base64')}`;
  return headers;
}

// ------------------------------------------------------------------------------------------ tests

describe('signature verification', () => {
  let emu: TestEmulator;
  let sts: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string };
  before(async () => {
    emu = await startInProcessEmulator();
    const creds = { endpoint: emu.url, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret };
    const ram = new RPC({ ...creds, apiVersion: '2015-05-01' });
    await ram.request('CreateRole', { RoleName: 'sig-role', AssumeRolePolicyDocument: TRUST });
    const r = await new RPC({ ...creds, apiVersion: '2015-04-01' }).request('AssumeRole', { RoleArn: `acs:ram::${LOCAL_CREDS.accountId}:role/sig-role`, RoleSessionName: 'sig-test' });
    sts = r.Credentials;
    assert.match(sts.AccessKeyId, /^STS\./);
  });
  after(async () => {
    await emu.close();
  });

  describe('FC', () => {
    test('wrong secret → 403 SignatureNotMatch; unknown key → 403 InvalidAccessKeyID', async () => {
      await fcRejects(fcClient(emu, { accessKeySecret: 'wrong' }).listServices(), 'SignatureNotMatch', 403);
      const e = await fcRejects(fcClient(emu, { accessKeyID: 'nobody' }).listServices(), 'InvalidAccessKeyID', 403);
      assert.match(e.message, /invalid access key ID 'nobody'/);
      await fcRejects(fcClient(emu, { accountId: '999' }).listServices(), 'AccessDenied', 403);
    });

    test('changed path → SignatureNotMatch; the control-plane query is not signed; the body is not signed', async () => {
      const tampered = await fetch(`${emu.url}/2016-08-15/services/other`, { headers: signFc('GET', '/2016-08-15/services/other', {}, { signedPath: '/2016-08-15/services/mine' }) });
      assert.equal(tampered.status, 403);
      assert.equal((await tampered.json()).ErrorCode, 'SignatureNotMatch');
      const query = await fetch(`${emu.url}/2016-08-15/services?limit=5`, { headers: signFc('GET', '/2016-08-15/services') });
      assert.equal(query.status, 200, 'fc2 signs the control-plane path without its query');
      // fc2's content-md5 is base64 of the hex digest and FC does not check it against the body: only the signature counts.
      const body = JSON.stringify({ serviceName: 'sig-body' });
      const headers = signFc('POST', '/2016-08-15/services', { 'content-type': 'application/json', 'content-md5': Buffer.from(createHash('md5').update('something else').digest('hex')).toString('base64') });
      const res = await fetch(`${emu.url}/2016-08-15/services`, { method: 'POST', headers, body });
      assert.equal(res.status, 200);
    });

    test('Date more than 15 minutes off → 403 RequestTimeExpired; missing Date → 400', async () => {
      const res = await fetch(`${emu.url}/2016-08-15/services`, { headers: signFc('GET', '/2016-08-15/services', {}, { date: SKEWED }) });
      assert.equal(res.status, 403);
      assert.equal((await res.json()).ErrorCode, 'RequestTimeExpired');
      const noAuth = await fetch(`${emu.url}/2016-08-15/services`);
      assert.equal(noAuth.status, 400);
      assert.equal((await noAuth.json()).ErrorCode, 'MissingRequiredHeader');
    });

    test('HTTP trigger path: the query is signed', async () => {
      const path = '/2016-08-15/proxy/none/fn/x';
      const res = await fetch(`${emu.url}${path}?a=2`, { headers: signFc('GET', path, {}, { query: [['a', '1']] }) });
      // The function does not exist; a signed request for a missing function is a 404 only once the trigger's authType is known.
      assert.equal(res.status, 404);
    });

    test('canonical string matches the official Go SDK signature vector (signed URL with repeated query keys)', () => {
      // aliyun/fc-go-sdk signature_test.go TestGetSignature: expected QFdNhz0Dl+onUM/MvpX940WFH3H8OHayZHbby1c01aI=
      const rawQuery = 'x=xyz&x=456&a=123%2045&x-fc-expires=1583221068&x-fc-access-key-id=akID&x-fc-security-token=stsToken&x-fc-signature=ignored';
      const req = {
        id: 'r',
        method: 'GET',
        rawPath: '/2016-08-15/proxy/service.LATEST/func/abc%20123',
        path: '/2016-08-15/proxy/service.LATEST/func/abc 123',
        rawQuery,
        query: new URLSearchParams(rawQuery),
        headers: { 'x-fc-trace-id': 'trace-id', 'content-type': 'text/json', 'content-md5': 'ef5b43a0fe1d5b401b62c3ba33a7a3d6' },
        rawHeaders: [],
        body: Buffer.alloc(0),
        host: 'localhost',
        remoteAddress: '127.0.0.1',
        receivedAt: 0,
      };
      const signatures = fcStringsToSign(req, '1583221068', true).map((s) => fcSign('S9MWOBG0AOWHSO9HPASP216QOPHT5YR4NLH3A', s));
      assert.ok(signatures.includes('QFdNhz0Dl+onUM/MvpX940WFH3H8OHayZHbby1c01aI='), signatures.join(' '));
    });

    test('a signed URL (x-fc-access-key-id, x-fc-expires, x-fc-signature) passes; an expired one does not', async () => {
      const path = '/2016-08-15/proxy/none/fn/x';
      const url = (expires: number) => {
        const q: Array<[string, string]> = [['x-fc-access-key-id', LOCAL_CREDS.accessKeyId], ['x-fc-expires', String(expires)]];
        const sig = createHmac('sha256', LOCAL_CREDS.accessKeySecret).update(`GET\n\n\n${expires}\n${path}\n${q.map(([k, v]) => `${k}=${v}`).sort().join('\n')}`).digest('base64');
        return `${emu.url}${path}?${q.map(([k, v]) => `${k}=${v}`).join('&')}&x-fc-signature=${encodeURIComponent(sig)}`;
      };
      // Verified before the trigger lookup only when the function needs signed calls; a control-plane URL shows it.
      const api = '/2016-08-15/services';
      const signedApi = (expires: number) => {
        const sig = createHmac('sha256', LOCAL_CREDS.accessKeySecret).update(`GET\n\n\n${expires}\n${api}`).digest('base64');
        return `${emu.url}${api}?x-fc-access-key-id=${LOCAL_CREDS.accessKeyId}&x-fc-expires=${expires}&x-fc-signature=${encodeURIComponent(sig)}`;
      };
      assert.equal((await fetch(signedApi(Math.floor(Date.now() / 1000) + 60))).status, 200);
      const expired = await fetch(signedApi(Math.floor(Date.now() / 1000) - 60));
      assert.equal(expired.status, 403);
      assert.equal((await expired.json()).ErrorCode, 'RequestTimeExpired');
      assert.equal((await fetch(url(Math.floor(Date.now() / 1000) + 60))).status, 404, 'the trigger path is reached (the function does not exist)');
    });

    test('STS credentials: honoured with their token, refused without it or with another', async () => {
      const ok = await fcClient(emu, { accessKeyID: sts.AccessKeyId, accessKeySecret: sts.AccessKeySecret, securityToken: sts.SecurityToken }).listServices();
      assert.ok(Array.isArray(ok.data.services));
      await fcRejects(fcClient(emu, { accessKeyID: sts.AccessKeyId, accessKeySecret: sts.AccessKeySecret, securityToken: 'CAISforged' }).listServices(), 'InvalidSecurityToken', 403);
      const noToken = await fetch(`${emu.url}/2016-08-15/services`, { headers: signFc('GET', '/2016-08-15/services', {}, { accessKeyId: sts.AccessKeyId, secret: sts.AccessKeySecret }) });
      assert.equal(noToken.status, 400);
      assert.equal((await noToken.json()).ErrorCode, 'MissingRequiredHeader');
    });
  });

  describe('OSS', () => {
    const bucket = 'sig-bucket';
    const client = (extra: Record<string, unknown> = {}) => new OSS({ endpoint: emu.url, region: `oss-${LOCAL_CREDS.region}`, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret, bucket, ...extra });
    before(async () => {
      await client().putBucket(bucket);
    });

    test('ali-oss V1 and V4 pass; wrong secret → 403 SignatureDoesNotMatch; unknown key → 403 InvalidAccessKeyId', async () => {
      await client().put('v1.txt', Buffer.from('one'));
      await client({ authorizationV4: true }).put('v4.txt', Buffer.from('four'));
      assert.equal(String((await client({ authorizationV4: true }).get('v1.txt')).content), 'one');
      for (const extra of [{}, { authorizationV4: true }]) {
        await assert.rejects(client({ ...extra, accessKeySecret: 'wrong' }).put('x.txt', Buffer.from('x')), (e: any) => e.code === 'SignatureDoesNotMatch' && e.status === 403);
        await assert.rejects(client({ ...extra, accessKeyId: 'nobody' }).get('v1.txt'), (e: any) => e.code === 'InvalidAccessKeyId' && e.status === 403);
      }
    });

    test('changed key (path) → SignatureDoesNotMatch; changed body under a Content-MD5 → 400 InvalidDigest; stale date → RequestTimeTooSkewed', async () => {
      const body = Buffer.from('payload');
      const pathRes = await raw(emu.url, 'PUT', '/other.txt', ossV1('PUT', bucket, 'other.txt', { body, signedKey: 'mine.txt' }), body);
      assert.equal(pathRes.status, 403);
      assert.equal(xmlCode(pathRes.body), 'SignatureDoesNotMatch');
      const bodyRes = await raw(emu.url, 'PUT', '/b.txt', ossV1('PUT', bucket, 'b.txt', { body }), Buffer.from('PAYLOAD'));
      assert.equal(bodyRes.status, 400);
      assert.equal(xmlCode(bodyRes.body), 'InvalidDigest');
      const old = await raw(emu.url, 'GET', '/b.txt', ossV1('GET', bucket, 'b.txt', { date: SKEWED }));
      assert.equal(old.status, 403);
      assert.equal(xmlCode(old.body), 'RequestTimeTooSkewed');
      const good = await raw(emu.url, 'PUT', '/b.txt', ossV1('PUT', bucket, 'b.txt', { body }), body);
      assert.equal(good.status, 200);
    });

    test('STS token: honoured (ali-oss stsToken), refused when it does not match', async () => {
      const temp = client({ accessKeyId: sts.AccessKeyId, accessKeySecret: sts.AccessKeySecret, stsToken: sts.SecurityToken });
      await temp.put('sts.txt', Buffer.from('via sts'));
      const bad = await raw(emu.url, 'GET', '/sts.txt', ossV1('GET', bucket, 'sts.txt', { ak: sts.AccessKeyId, secret: sts.AccessKeySecret, token: 'forged' }));
      assert.equal(bad.status, 403);
      assert.equal(xmlCode(bad.body), 'InvalidSecurityToken');
    });

    test('signed URLs (OSSAccessKeyId/Expires/Signature, path-style) pass; a tampered or expired one fails', async () => {
      await client().put('url.txt', Buffer.from('by url'));
      // ali-oss refuses signatureUrl() for an IP endpoint, so the URL is signed here the way it would sign it.
      const url = (key: string, expires: number, signedKey = key) => {
        const sig = createHmac('sha1', LOCAL_CREDS.accessKeySecret).update(`GET\n\n\n${expires}\n/${bucket}/${signedKey}`).digest('base64');
        return `${emu.url}/${bucket}/${key}?OSSAccessKeyId=${LOCAL_CREDS.accessKeyId}&Expires=${expires}&Signature=${encodeURIComponent(sig)}`;
      };
      const soon = Math.floor(Date.now() / 1000) + 60;
      const ok = await fetch(url('url.txt', soon));
      assert.equal(ok.status, 200);
      assert.equal(await ok.text(), 'by url');
      const bad = await fetch(url('v1.txt', soon, 'url.txt'));
      assert.equal(bad.status, 403);
      assert.equal(xmlCode(await bad.text()), 'SignatureDoesNotMatch');
      const expired = await fetch(url('url.txt', Math.floor(Date.now() / 1000) - 5));
      assert.equal(expired.status, 403);
      assert.equal(xmlCode(await expired.text()), 'AccessDenied');
    });
  });

  describe('RPC (RAM, STS)', () => {
    const rpc = (extra: Record<string, unknown> = {}) => new RPC({ endpoint: emu.url, apiVersion: '2015-04-01', accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret, ...extra });

    test('canonical string matches the documented RPC signature example', () => {
      // Alibaba Cloud RPC signature doc: DescribeRegions with secret "testsecret" → OLeaidS1JvxuMvnyHOwuJ+uX5qY=
      const params = new Map(Object.entries({ AccessKeyId: 'testid', Action: 'DescribeRegions', Format: 'XML', SignatureMethod: 'HMAC-SHA1', SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf', SignatureVersion: '1.0', Timestamp: '2016-02-23T12:46:24Z', Version: '2014-05-26' }));
      assert.equal(createHmac('sha1', 'testsecret&').update(rpcStringToSign('GET', params)).digest('base64'), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
    });

    test('wrong secret → SignatureDoesNotMatch; unknown key → InvalidAccessKeyId.NotFound', async () => {
      await assert.rejects(rpc({ accessKeySecret: 'wrong' }).request('GetCallerIdentity', {}), (e: any) => e.code === 'SignatureDoesNotMatch');
      await assert.rejects(rpc({ accessKeyId: 'nobody' }).request('GetCallerIdentity', {}), (e: any) => e.code === 'InvalidAccessKeyId.NotFound');
    });

    test('changed parameter or POST body → SignatureDoesNotMatch; stale Timestamp; reused nonce', async () => {
      const q = rpcQuery('GetRole', '2015-05-01', { RoleName: 'sig-role' });
      const changed = await fetch(`${emu.url}/?${q.replace('RoleName=sig-role', 'RoleName=other')}`);
      assert.equal((await changed.json()).Code, 'SignatureDoesNotMatch');
      const form = rpcQuery('GetRole', '2015-05-01', { RoleName: 'sig-role' }, { method: 'POST' });
      const post = await fetch(`${emu.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      assert.equal(post.status, 200, 'a POST form body signs with POST');
      const tamperedPost = await fetch(`${emu.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.replace('sig-role', 'sig-rolf') });
      assert.equal((await tamperedPost.json()).Code, 'SignatureDoesNotMatch');
      const old = await fetch(`${emu.url}/?${rpcQuery('GetCallerIdentity', '2015-04-01', {}, { timestamp: SKEWED })}`);
      assert.equal((await old.json()).Code, 'InvalidTimeStamp.Expired');
      const once = rpcQuery('GetCallerIdentity', '2015-04-01', {}, { nonce: 'fixed-nonce-1' });
      assert.equal((await fetch(`${emu.url}/?${once}`)).status, 200);
      const again = await fetch(`${emu.url}/?${once}`);
      assert.equal((await again.json()).Code, 'SignatureNonceUsed');
    });

    test('STS credentials with SecurityToken: honoured; a wrong token is refused', async () => {
      const who = await rpc({ accessKeyId: sts.AccessKeyId, accessKeySecret: sts.AccessKeySecret, securityToken: sts.SecurityToken }).request('GetCallerIdentity', {});
      assert.equal(who.AccountId, LOCAL_CREDS.accountId);
      await assert.rejects(rpc({ accessKeyId: sts.AccessKeyId, accessKeySecret: sts.AccessKeySecret, securityToken: 'forged' }).request('GetCallerIdentity', {}), (e: any) => /^InvalidSecurityToken/.test(e.code));
    });
  });

  describe('SLS', () => {
    const sls = (extra: Record<string, unknown> = {}) => new SLS({ endpoint: `http://${LOCAL_CREDS.region}.log.aliyuncs.com:${emu.port}`, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret, ...extra });

    test('@alicloud/log passes; wrong secret → SignatureNotMatch; unknown key → Unauthorized', async () => {
      await sls().createProject('sig-proj', { description: 'signatures' }, { agent });
      await assert.rejects(sls({ accessKeySecret: 'wrong' }).getProject('sig-proj', { agent }), (e: any) => e.code === 'SignatureNotMatch');
      await assert.rejects(sls({ accessKeyId: 'nobody' }).getProject('sig-proj', { agent }), (e: any) => e.code === 'Unauthorized');
    });

    test('changed path → SignatureNotMatch; changed body under Content-MD5 → rejected; stale Date → RequestTimeExpired', async () => {
      const body = JSON.stringify({ logstoreName: 'ls1', ttl: 7, shardCount: 1 });
      const path = await raw(emu.url, 'GET', '/logstores/ls1', slsSigned('GET', 'sig-proj', '/logstores/ls1', emu.port, { signedPath: '/logstores/ls2' }));
      assert.equal(path.status, 401);
      assert.equal(JSON.parse(path.body).errorCode, 'SignatureNotMatch');
      const changed = await raw(emu.url, 'POST', '/logstores', slsSigned('POST', 'sig-proj', '/logstores', emu.port, { body }), body.replace('ls1', 'ls9'));
      assert.equal(changed.status, 400);
      assert.ok(JSON.parse(changed.body).errorCode);
      const old = await raw(emu.url, 'GET', '/', slsSigned('GET', 'sig-proj', '/', emu.port, { date: SKEWED }));
      assert.equal(JSON.parse(old.body).errorCode, 'RequestTimeExpired');
      const ok = await raw(emu.url, 'POST', '/logstores', slsSigned('POST', 'sig-proj', '/logstores', emu.port, { body }), body);
      assert.equal(ok.status, 200, ok.body);
    });

    test('STS token in x-acs-security-token: honoured; refused when wrong', async () => {
      const temp = sls({ accessKeyId: sts.AccessKeyId, accessKeySecret: sts.AccessKeySecret, securityToken: sts.SecurityToken });
      const p = await temp.getProject('sig-proj', { agent });
      assert.ok(p);
      const bad = sls({ accessKeyId: sts.AccessKeyId, accessKeySecret: sts.AccessKeySecret, securityToken: 'forged' });
      await assert.rejects(bad.getProject('sig-proj', { agent }), (e: any) => e.code === 'InvalidSecurityToken');
    });
  });
});
