// OSS service of the emulator (what ali-oss@6.23.0 sends; wire-protocol.md §0 and §3, sdk-notes.md §3).
//
// Public API for other emulator modules:
//   createOssService({store, config}).handle(req, identity) → EmuResponse
//   readObject(store, bucket, key): Buffer | undefined      — FC reads function code from OSS with this
//   getBucket(store, bucket): BucketRecord | undefined      — {name, ownerAccountId, location:"oss-<region>", …}
//   getObjectRecord(store, bucket, key)                      — metadata (size, etag, crc64, …)
//   ossTarget(req) → {bucket?, key}; bucketFromRequest(req)  — what the auth layer needs for the canonical resource
//
// Addressing: with an IP endpoint ali-oss sends `PUT /<key>` and a synthetic `Host: <bucket>.oss-<region>.aliyuncs.com`;
// with sldEnable it sends `/<bucket>/<key>` and the same Host; a bare IP/localhost Host means path style.
import { createHash, randomUUID } from 'node:crypto';
import { crc64 } from '../../core/crc64';
import type { EmulatorConfig, EmuRequest, EmuResponse, Identity, Store } from '../types';
import { BUCKETS, OBJECTS, getBucket, getObjectRecord, objectDocKey, readObject, type BucketRecord, type ObjectRecord } from './oss-model';
import { createMultipartHandlers } from './oss-multipart';
import { ossError, xmlDocument, type OssErrorContext } from './oss-xml';

export { getBucket, readObject, getObjectRecord };
export type { BucketRecord, ObjectRecord };

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const i = host.lastIndexOf(':');
  return i >= 0 && host.indexOf(':') === i ? host.slice(0, i) : host;
}

function isIpOrLocal(h: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':') || h === 'localhost' || h === '';
}

function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Bucket and object key of an OSS request (key '' for bucket-level calls). */
export function ossTarget(req: Pick<EmuRequest, 'host' | 'rawPath'>): { bucket?: string; key: string; region?: string } {
  const host = hostWithoutPort(req.host ?? '').toLowerCase();
  const raw = req.rawPath || '/';
  const pathStyle = () => {
    const rest = raw.replace(/^\//, '');
    if (!rest) return { key: '' };
    const slash = rest.indexOf('/');
    if (slash < 0) return { bucket: decodePath(rest), key: '' };
    return { bucket: decodePath(rest.slice(0, slash)), key: decodePath(rest.slice(slash + 1)) };
  };
  if (isIpOrLocal(host)) return pathStyle();
  const labels = host.split('.');
  const region = labels.find((l) => /^oss-[a-z0-9-]+$/.test(l))?.replace(/-internal$/, '').slice(4);
  if (labels[0].startsWith('oss-')) return { ...pathStyle(), region }; // the region endpoint itself
  const bucket = labels[0];
  // sldEnable: path-style path under a virtual-host Host.
  if (raw === `/${bucket}` || raw.startsWith(`/${bucket}/`)) return { bucket, key: decodePath(raw.slice(bucket.length + 2)), region };
  return { bucket, key: decodePath(raw.slice(1)), region };
}

/** The bucket an OSS request addresses, if any. */
export function bucketFromRequest(req: Pick<EmuRequest, 'host' | 'rawPath'>): string | undefined {
  return ossTarget(req).bucket;
}

export const md5Hex = (b: Buffer) => createHash('md5').update(b).digest('hex');

function userMeta(headers: Record<string, string>): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.startsWith('x-oss-meta-')) meta[k.slice(11)] = v;
  return meta;
}

function objectHeaders(rec: ObjectRecord, requestId: string): Record<string, string> {
  const h: Record<string, string> = {
    'x-oss-request-id': requestId,
    'content-type': rec.contentType,
    etag: rec.etag,
    'last-modified': new Date(rec.lastModified).toUTCString(),
    'x-oss-hash-crc64ecma': rec.crc64,
    'x-oss-object-type': rec.type,
    'x-oss-storage-class': 'Standard',
    'accept-ranges': 'bytes',
  };
  for (const [k, v] of Object.entries(rec.meta)) h[`x-oss-meta-${k}`] = v;
  return h;
}

/** Parses a single `bytes=a-b` range against a size; undefined = serve the whole object (as OSS does for bad ranges). */
function parseRange(header: string | undefined, size: number): [number, number] | undefined {
  const m = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number, end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return undefined;
  return [start, end];
}

export interface OssContext {
  req: EmuRequest;
  identity: Identity;
  bucket: string;
  key: string;
  err(status: number, code: string, message?: string): EmuResponse;
  action: string;
}

export function createOssService(deps: { store: Store; config: EmulatorConfig }) {
  const { store, config } = deps;
  const multipart = createMultipartHandlers(store);

  function putObjectFromBuffer(bucket: string, key: string, data: Buffer, contentType: string, meta: Record<string, string>, type: ObjectRecord['type'], etag?: string): ObjectRecord {
    const blobId = `oss-obj-${randomUUID()}`;
    store.writeBlob(blobId, data);
    const old = getObjectRecord(store, bucket, key);
    const rec: ObjectRecord = {
      bucket,
      key,
      blobId,
      size: data.length,
      etag: etag ?? `"${md5Hex(data).toUpperCase()}"`,
      crc64: crc64(data),
      contentType,
      meta,
      lastModified: new Date().toISOString(),
      type,
    };
    store.put(OBJECTS, objectDocKey(bucket, key), rec);
    if (old && old.blobId !== blobId && store.hasBlob(old.blobId)) store.deleteBlob(old.blobId);
    return rec;
  }

  function ok(action: string, requestId: string, status = 200, body?: string, extra: Record<string, string> = {}): EmuResponse {
    const headers: Record<string, string> = { 'x-oss-request-id': requestId, ...extra };
    if (body !== undefined) headers['content-type'] = 'application/xml';
    return { status, headers, body: body ?? '', action };
  }

  function listBuckets(req: EmuRequest, identity: Identity): EmuResponse {
    const mine = store.list<BucketRecord>(BUCKETS).map(([, b]) => b).filter((b) => b.ownerAccountId === identity.accountId);
    const prefix = req.query.get('prefix') ?? '';
    const body = xmlDocument({
      ListAllMyBucketsResult: {
        Owner: { ID: identity.accountId, DisplayName: identity.accountId },
        Buckets: {
          Bucket: mine
            .filter((b) => b.name.startsWith(prefix))
            .map((b) => ({
              Name: b.name,
              CreationDate: b.createdAt,
              Location: b.location,
              Region: b.location.replace(/^oss-/, ''),
              ExtranetEndpoint: `${b.location}.aliyuncs.com`,
              IntranetEndpoint: `${b.location}-internal.aliyuncs.com`,
              StorageClass: b.storageClass,
            })),
        },
      },
    });
    return ok('ListBuckets', req.id, 200, body);
  }

  function putBucket(c: OssContext, region: string | undefined): EmuResponse {
    const { req, identity, bucket } = c;
    if (!BUCKET_NAME.test(bucket)) return c.err(400, 'InvalidBucketName');
    const existing = getBucket(store, bucket);
    if (existing && existing.ownerAccountId !== identity.accountId) return c.err(409, 'BucketAlreadyExists');
    if (req.query.has('acl')) {
      if (!existing) return c.err(404, 'NoSuchBucket');
      store.put(BUCKETS, bucket, { ...existing, acl: req.headers['x-oss-acl'] ?? existing.acl });
      return ok('PutBucketAcl', req.id);
    }
    const storageClass = /<StorageClass>\s*([A-Za-z]+)\s*<\/StorageClass>/.exec(req.body.toString('utf8'))?.[1] ?? existing?.storageClass ?? 'Standard';
    const rec: BucketRecord = existing
      ? { ...existing, acl: req.headers['x-oss-acl'] ?? existing.acl }
      : {
          name: bucket,
          ownerAccountId: identity.accountId,
          location: `oss-${region ?? config.region}`,
          createdAt: new Date().toISOString(),
          storageClass,
          acl: req.headers['x-oss-acl'] ?? 'private',
        };
    store.put(BUCKETS, bucket, rec);
    return ok('PutBucket', req.id, 200, undefined, { location: `/${bucket}` });
  }

  function bucketInfo(c: OssContext, b: BucketRecord): EmuResponse {
    const body = xmlDocument({
      BucketInfo: {
        Bucket: {
          AccessMonitor: 'Disabled',
          CreationDate: b.createdAt,
          CrossRegionReplication: 'Disabled',
          DataRedundancyType: 'LRS',
          ExtranetEndpoint: `${b.location}.aliyuncs.com`,
          IntranetEndpoint: `${b.location}-internal.aliyuncs.com`,
          Location: b.location,
          Name: b.name,
          ResourceGroupId: 'rg-default',
          StorageClass: b.storageClass,
          TransferAcceleration: 'Disabled',
          Owner: { DisplayName: b.ownerAccountId, ID: b.ownerAccountId },
          AccessControlList: { Grant: b.acl },
          ServerSideEncryptionRule: { SSEAlgorithm: 'None' },
          BucketPolicy: { LogBucket: '', LogPrefix: '' },
        },
      },
    });
    return ok('GetBucketInfo', c.req.id, 200, body);
  }

  function listObjects(c: OssContext): EmuResponse {
    const q = c.req.query;
    const v2 = q.get('list-type') === '2';
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const marker = (v2 ? q.get('continuation-token') ?? q.get('start-after') : q.get('marker')) ?? '';
    const maxKeys = Math.min(Math.max(Number(q.get('max-keys') ?? 100) || 100, 1), 1000);
    const all = store.list<ObjectRecord>(OBJECTS, objectDocKey(c.bucket, prefix)).map(([, o]) => o);
    const contents: ObjectRecord[] = [];
    const prefixes: string[] = [];
    let truncated = false;
    let next = '';
    for (const o of all) {
      if (o.key <= marker) continue;
      let entry: string | ObjectRecord = o;
      if (delimiter) {
        const i = o.key.indexOf(delimiter, prefix.length);
        if (i >= 0) {
          const p = o.key.slice(0, i + delimiter.length);
          if (p <= marker || prefixes.includes(p)) continue;
          entry = p;
        }
      }
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (typeof entry === 'string') prefixes.push(entry);
      else contents.push(entry);
      next = typeof entry === 'string' ? entry : entry.key;
    }
    const body = xmlDocument({
      ListBucketResult: {
        Name: c.bucket,
        Prefix: prefix,
        ...(v2 ? { StartAfter: q.get('start-after') ?? undefined, ContinuationToken: q.get('continuation-token') ?? undefined, KeyCount: contents.length + prefixes.length } : { Marker: marker }),
        MaxKeys: maxKeys,
        Delimiter: delimiter,
        IsTruncated: truncated,
        ...(truncated ? (v2 ? { NextContinuationToken: next } : { NextMarker: next }) : {}),
        Contents: contents.map((o) => ({
          Key: o.key,
          LastModified: o.lastModified,
          ETag: o.etag,
          Type: o.type,
          Size: o.size,
          StorageClass: 'Standard',
          Owner: { ID: c.identity.accountId, DisplayName: c.identity.accountId },
        })),
        CommonPrefixes: prefixes.map((p) => ({ Prefix: p })),
      },
    });
    return ok(v2 ? 'ListObjectsV2' : 'ListObjects', c.req.id, 200, body);
  }

  function putObject(c: OssContext): EmuResponse {
    const { req } = c;
    if (Buffer.byteLength(c.key) > 1023) return c.err(400, 'InvalidObjectName');
    if (req.headers['x-oss-copy-source']) return c.err(501, 'NotImplemented', 'CopyObject is not supported by the fcx emulator.');
    const md5 = createHash('md5').update(req.body).digest();
    const sentMd5 = req.headers['content-md5'];
    if (sentMd5 && sentMd5 !== md5.toString('base64')) return c.err(400, 'InvalidDigest');
    const rec = putObjectFromBuffer(c.bucket, c.key, req.body, req.headers['content-type'] || 'application/octet-stream', userMeta(req.headers), 'Normal');
    return ok('PutObject', req.id, 200, undefined, { etag: rec.etag, 'x-oss-hash-crc64ecma': rec.crc64, 'content-md5': md5.toString('base64') });
  }

  function getOrHeadObject(c: OssContext, head: boolean): EmuResponse {
    const rec = getObjectRecord(store, c.bucket, c.key);
    if (!rec || !store.hasBlob(rec.blobId)) return c.err(404, 'NoSuchKey');
    const headers = objectHeaders(rec, c.req.id);
    const inm = c.req.headers['if-none-match'];
    if (inm && inm.replace(/^W\//, '') === rec.etag) return { status: 304, headers, action: c.action };
    if (head) return { status: 200, headers: { ...headers, 'content-length': String(rec.size) }, action: c.action };
    const data = store.readBlob(rec.blobId);
    const range = parseRange(c.req.headers.range, data.length);
    if (range) {
      const [s, e] = range;
      return { status: 206, headers: { ...headers, 'content-range': `bytes ${s}-${e}/${data.length}` }, body: data.subarray(s, e + 1), action: c.action };
    }
    return { status: 200, headers, body: data, action: c.action };
  }

  function deleteObject(c: OssContext): EmuResponse {
    const rec = getObjectRecord(store, c.bucket, c.key);
    if (rec) {
      store.delete(OBJECTS, objectDocKey(c.bucket, c.key));
      if (store.hasBlob(rec.blobId)) store.deleteBlob(rec.blobId);
    }
    return { status: 204, headers: { 'x-oss-request-id': c.req.id }, body: '', action: 'DeleteObject' };
  }

  function actionOf(req: EmuRequest, hasBucket: boolean, key: string): string {
    const q = req.query;
    const m = req.method;
    if (!hasBucket) return m === 'GET' ? 'ListBuckets' : 'Unknown';
    if (!key) {
      if (m === 'PUT') return q.has('acl') ? 'PutBucketAcl' : 'PutBucket';
      if (m === 'DELETE') return 'DeleteBucket';
      if (m === 'HEAD') return 'HeadBucket';
      if (m === 'GET') {
        if (q.has('bucketInfo')) return 'GetBucketInfo';
        if (q.has('location')) return 'GetBucketLocation';
        if (q.has('acl')) return 'GetBucketAcl';
        if (q.has('uploads')) return 'ListMultipartUploads';
        return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
      }
      return 'Unknown';
    }
    if (m === 'PUT') return q.has('uploadId') ? 'UploadPart' : req.headers['x-oss-copy-source'] ? 'CopyObject' : 'PutObject';
    if (m === 'POST') return q.has('uploads') ? 'InitiateMultipartUpload' : q.has('uploadId') ? 'CompleteMultipartUpload' : 'Unknown';
    if (m === 'DELETE') return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    if (m === 'GET') return q.has('uploadId') ? 'ListParts' : 'GetObject';
    if (m === 'HEAD') return q.has('objectMeta') ? 'GetObjectMeta' : 'HeadObject';
    return 'Unknown';
  }

  async function handle(req: EmuRequest, identity: Identity): Promise<EmuResponse> {
    const target = ossTarget(req);
    const bucket = target.bucket ?? '';
    const key = target.key;
    const action = actionOf(req, !!target.bucket, key);
    const ctx: OssErrorContext = { requestId: req.id, bucket: bucket || undefined, key: key || undefined, method: req.method, action };
    const c: OssContext = { req, identity, bucket, key, action, err: (s, code, msg) => ossError(s, code, ctx, msg) };
    if (action === 'Unknown') return c.err(405, 'MethodNotAllowed');
    if (!target.bucket) return listBuckets(req, identity);
    if (action === 'PutBucket' || action === 'PutBucketAcl') return putBucket(c, target.region);
    if (!BUCKET_NAME.test(bucket)) return c.err(400, 'InvalidBucketName');
    const b = getBucket(store, bucket);
    if (!b) return c.err(404, 'NoSuchBucket');
    if (b.ownerAccountId !== identity.accountId) return c.err(403, 'AccessDenied');
    switch (action) {
      case 'GetBucketInfo':
        return bucketInfo(c, b);
      case 'HeadBucket':
        return ok(action, req.id);
      case 'GetBucketLocation':
        return ok(action, req.id, 200, xmlDocument({ LocationConstraint: b.location }));
      case 'GetBucketAcl':
        return ok(action, req.id, 200, xmlDocument({ AccessControlPolicy: { Owner: { ID: b.ownerAccountId, DisplayName: b.ownerAccountId }, AccessControlList: { Grant: b.acl } } }));
      case 'DeleteBucket': {
        if (store.list(OBJECTS, objectDocKey(bucket, '')).length > 0 || multipart.hasUploads(bucket)) return c.err(409, 'BucketNotEmpty');
        store.delete(BUCKETS, bucket);
        return { status: 204, headers: { 'x-oss-request-id': req.id }, body: '', action };
      }
      case 'ListObjects':
      case 'ListObjectsV2':
        return listObjects(c);
      case 'ListMultipartUploads':
        return multipart.listUploads(c);
      case 'PutObject':
      case 'CopyObject':
        return putObject(c);
      case 'GetObject':
        return getOrHeadObject(c, false);
      case 'HeadObject':
      case 'GetObjectMeta':
        return getOrHeadObject(c, true);
      case 'DeleteObject':
        return deleteObject(c);
      case 'InitiateMultipartUpload':
        return multipart.initiate(c);
      case 'UploadPart':
        return multipart.uploadPart(c);
      case 'CompleteMultipartUpload':
        return multipart.complete(c, (data, contentType, meta, etag) => putObjectFromBuffer(bucket, key, data, contentType, meta, 'Multipart', etag));
      case 'AbortMultipartUpload':
        return multipart.abort(c);
      case 'ListParts':
        return multipart.listParts(c);
    }
    return c.err(405, 'MethodNotAllowed');
  }

  return { handle };
}
