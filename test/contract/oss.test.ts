// OSS through the unmodified ali-oss SDK against the in-process emulator (IP endpoint, bucket in the Host), plus
// handler-level checks for what a single-account emulator cannot reach over HTTP (a bucket owned by another account).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { startInProcessEmulator, LOCAL_CREDS, type TestEmulator } from '../helpers/emulator';
import { makeTmpDir } from '../helpers/tmp';
import { FileStore } from '../../src/emulator/store';
import { createOssService, ossTarget, readObject, getBucket } from '../../src/emulator/services/oss';
import type { EmuRequest, Identity } from '../../src/emulator/types';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const OSS = require('ali-oss');

type Client = any; // ali-oss ships no types

function client(emu: TestEmulator, bucket: string, extra: Record<string, unknown> = {}): Client {
  return new OSS({ endpoint: emu.url, region: `oss-${LOCAL_CREDS.region}`, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret, bucket, ...extra });
}

async function rejects(p: Promise<unknown>, code: string, status: number): Promise<any> {
  try {
    await p;
  } catch (e: any) {
    assert.equal(e.code, code, `expected ${code}, got ${e.code} (${e.message})`);
    assert.equal(e.status, status);
    return e;
  }
  assert.fail(`expected ${code}`);
}

describe('OSS with ali-oss', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startInProcessEmulator();
  });
  after(async () => {
    await emu.close();
  });

  test('bucket: create (again as owner = 200), info, location, delete only when empty', async () => {
    const c = client(emu, 'code-bucket');
    const first = await c.putBucket('code-bucket');
    assert.equal(first.res.status, 200);
    assert.equal(first.res.headers.location, '/code-bucket');
    assert.equal((await c.putBucket('code-bucket')).res.status, 200);
    const info = await c.getBucketInfo('code-bucket');
    assert.equal(info.bucket.Location, 'oss-cn-hangzhou');
    assert.equal(info.bucket.Name, 'code-bucket');
    assert.equal((await c.getBucketLocation('code-bucket')).location, 'oss-cn-hangzhou');
    await c.put('keep.txt', Buffer.from('x'));
    await rejects(c.deleteBucket('code-bucket'), 'BucketNotEmpty', 409);
    await c.delete('keep.txt');
    assert.equal((await c.deleteBucket('code-bucket')).res.status, 204);
    await rejects(c.getBucketInfo('code-bucket'), 'NoSuchBucket', 404);
  });

  test('objects: put/head/get/list/delete with an awkward key, user meta, MD5 ETag and CRC64', async () => {
    const c = client(emu, 'objs');
    await c.putBucket('objs');
    const key = 'dir a/ü+x 1.txt';
    const data = Buffer.from('hello world');
    const put = await c.put(key, data, { meta: { owner: 'fcx' } });
    assert.equal(put.res.status, 200);
    assert.equal(put.res.headers.etag, `"${createHash('md5').update(data).digest('hex').toUpperCase()}"`);
    assert.equal(put.res.headers['x-oss-hash-crc64ecma'], '5981764153023615706');
    const head = await c.head(key);
    assert.equal(head.status, 200);
    assert.deepEqual(head.meta, { owner: 'fcx' });
    assert.equal(head.res.headers['content-length'], '11');
    assert.equal((await c.get(key)).content.toString(), 'hello world');
    const part = await c.get(key, { headers: { Range: 'bytes=6-' } });
    assert.equal(part.res.status, 206);
    assert.equal(part.content.toString(), 'world');
    await c.put('dir a/second.txt', Buffer.from('2'));
    await c.put('other.txt', Buffer.from('3'));
    const list = await c.list({ prefix: 'dir a/', 'max-keys': 1 });
    assert.deepEqual(list.objects.map((o: any) => o.name), ['dir a/second.txt']);
    assert.equal(list.isTruncated, true);
    const rest = await c.list({ prefix: 'dir a/', marker: list.nextMarker });
    assert.deepEqual(rest.objects.map((o: any) => o.name), [key]);
    const del = await c.delete(key);
    assert.equal(del.res.status, 204);
    await rejects(c.head(key), 'NoSuchKey', 404);
    const e = await rejects(c.get(key), 'NoSuchKey', 404);
    assert.match(e.requestId, /^[0-9a-f-]{36}$/);
    assert.equal((await c.delete('never-existed')).res.status, 204);
  });

  test('errors: unknown bucket, bad Content-MD5', async () => {
    await rejects(client(emu, 'no-such-bucket').get('x'), 'NoSuchBucket', 404);
    await rejects(client(emu, 'no-such-bucket').put('x', Buffer.from('1')), 'NoSuchBucket', 404);
    const c = client(emu, 'md5-bucket');
    await c.putBucket('md5-bucket');
    await rejects(c.put('x', Buffer.from('1'), { headers: { 'Content-MD5': createHash('md5').update('2').digest('base64') } }), 'InvalidDigest', 400);
  });

  test('multipart: a 12 MB buffer in 1 MB parts, uploaded in parallel and out of order, reads back identical', async () => {
    const c = client(emu, 'big-bucket');
    await c.putBucket('big-bucket');
    const big = Buffer.alloc(12 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
    const res = await c.multipartUpload('big/file.bin', big, { partSize: 1024 * 1024, parallel: 5 });
    assert.equal(res.res.status, 200);
    assert.match(res.etag, /^"[0-9A-F]{32}-12"$/);
    const back = await c.get('big/file.bin');
    assert.ok(back.content.equals(big));
    const calls = (await emu.requests()).filter((r) => r.service === 'oss' && r.action === 'UploadPart');
    assert.equal(calls.length, 12);
  });

  test('multipart: abort, and completing an unknown upload', async () => {
    const c = client(emu, 'mp-abort');
    await c.putBucket('mp-abort');
    const init = await c.initMultipartUpload('x.bin');
    await c.uploadPart('x.bin', init.uploadId, 1, Buffer.alloc(200 * 1024, 1), 0, 200 * 1024);
    await c.abortMultipartUpload('x.bin', init.uploadId);
    await rejects(c.completeMultipartUpload('x.bin', init.uploadId, [{ number: 1, etag: '"X"' }]), 'NoSuchUpload', 404);
  });

  test('sldEnable (path-style) addressing reaches the same objects', async () => {
    const c = client(emu, 'sld-bucket', { sldEnable: true });
    await c.putBucket('sld-bucket');
    await c.put('k/1.txt', Buffer.from('sld'));
    assert.equal((await client(emu, 'sld-bucket').get('k/1.txt')).content.toString(), 'sld');
  });

  test('the request log names OSS actions', async () => {
    const actions = new Set((await emu.requests()).filter((r) => r.service === 'oss').map((r) => r.action));
    for (const a of ['PutBucket', 'GetBucketInfo', 'PutObject', 'HeadObject', 'GetObject', 'DeleteObject', 'InitiateMultipartUpload', 'CompleteMultipartUpload', 'AbortMultipartUpload']) {
      assert.ok(actions.has(a), `missing ${a}`);
    }
  });
});

// One emulator has one account; buckets owned by another account are checked on the handler directly.
describe('OSS handler: ownership across accounts', () => {
  const tmp = makeTmpDir('fcx-oss-');
  const store = new FileStore(tmp.dir);
  const config = { host: '127.0.0.1', port: 0, dataDir: tmp.dir, accessKeyId: 'k', accessKeySecret: 's', accountId: '111', region: 'cn-hangzhou' };
  const oss = createOssService({ store, config });
  const alice: Identity = { accessKeyId: 'a', accountId: '111', kind: 'root' };
  const bob: Identity = { accessKeyId: 'b', accountId: '222', kind: 'root' };
  const req = (method: string, host: string, rawPath = '/', body = Buffer.alloc(0), query = ''): EmuRequest => ({
    id: randomUUID(),
    method,
    rawPath,
    path: decodeURIComponent(rawPath),
    rawQuery: query,
    query: new URLSearchParams(query),
    headers: { host },
    rawHeaders: [],
    body,
    host,
    remoteAddress: '127.0.0.1',
    receivedAt: Date.now(),
  });
  after(() => {
    store.close();
    tmp.cleanup();
  });

  test('a bucket name taken by another account → 409 BucketAlreadyExists; its objects → 403', async () => {
    const host = 'shared-name.oss-cn-hangzhou.aliyuncs.com';
    assert.equal((await oss.handle(req('PUT', host), alice)).status, 200);
    const taken = await oss.handle(req('PUT', host), bob);
    assert.equal(taken.status, 409);
    assert.equal(taken.errorCode, 'BucketAlreadyExists');
    assert.match(String(taken.body), /<Code>BucketAlreadyExists<\/Code>/);
    assert.equal((await oss.handle(req('GET', host, '/x'), bob)).status, 403);
    assert.equal(getBucket(store, 'shared-name')?.ownerAccountId, '111');
  });

  test('bad bucket name → 400 InvalidBucketName with the error XML and request id header', async () => {
    const r = await oss.handle(req('PUT', 'Bad_Name.oss-cn-hangzhou.aliyuncs.com'), alice);
    assert.equal(r.status, 400);
    assert.equal(r.errorCode, 'InvalidBucketName');
    assert.equal(r.action, 'PutBucket');
    assert.match(String(r.body), /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>InvalidBucketName<\/Code><Message>.+<\/Message><RequestId>[0-9a-f-]+<\/RequestId><HostId>/);
    assert.ok((r.headers as Record<string, string>)['x-oss-request-id']);
  });

  test('HEAD errors carry no body and the error document in x-oss-err', async () => {
    const r = await oss.handle(req('HEAD', 'nobody-bucket.oss-cn-hangzhou.aliyuncs.com', '/k'), alice);
    assert.equal(r.status, 404);
    assert.equal(r.body, undefined);
    assert.match(Buffer.from(String((r.headers as Record<string, string>)['x-oss-err']), 'base64').toString(), /<Code>NoSuchBucket<\/Code>/);
  });

  test('readObject and ossTarget, the helpers FC and the auth layer use', async () => {
    await oss.handle(req('PUT', 'shared-name.oss-cn-hangzhou.aliyuncs.com', '/code/a%20b.zip', Buffer.from('zip')), alice);
    assert.equal(readObject(store, 'shared-name', 'code/a b.zip')?.toString(), 'zip');
    assert.equal(readObject(store, 'shared-name', 'missing'), undefined);
    assert.deepEqual(ossTarget({ host: 'b1.oss-cn-hangzhou.aliyuncs.com', rawPath: '/x/y%2B.txt' }), { bucket: 'b1', key: 'x/y+.txt', region: 'cn-hangzhou' });
    assert.deepEqual(ossTarget({ host: 'b1.oss-cn-hangzhou.aliyuncs.com', rawPath: '/b1/x' }), { bucket: 'b1', key: 'x', region: 'cn-hangzhou' });
    assert.deepEqual(ossTarget({ host: '127.0.0.1:9100', rawPath: '/b2/k' }), { bucket: 'b2', key: 'k' });
    assert.deepEqual(ossTarget({ host: 'oss-cn-hangzhou.aliyuncs.com', rawPath: '/' }), { key: '', region: 'cn-hangzhou' });
  });
});
