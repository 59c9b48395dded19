// OSS multipart upload: initiate, parts (out of order, in parallel), complete, abort, list.
// Each part is a durable Store blob; the upload record lists them; complete concatenates them into one object.
import { createHash, randomUUID } from 'node:crypto';
import type { EmuResponse, Store } from '../types';
import { UPLOADS, type ObjectRecord, type PartRecord, type UploadRecord } from './oss-model';
import type { OssContext } from './oss';
import { parseCompleteParts, xmlDocument } from './oss-xml';

const MIN_PART_SIZE = 100 * 1024; // every part but the last, as OSS requires

export function createMultipartHandlers(store: Store) {
  const xml = (c: OssContext, body: string, extra: Record<string, string> = {}): EmuResponse => ({
    status: 200,
    headers: { 'x-oss-request-id': c.req.id, 'content-type': 'application/xml', ...extra },
    body,
    action: c.action,
  });

  function findUpload(c: OssContext): UploadRecord | undefined {
    const id = c.req.query.get('uploadId') ?? '';
    const up = id ? store.get<UploadRecord>(UPLOADS, id) : undefined;
    return up && up.bucket === c.bucket && up.key === c.key ? up : undefined;
  }

  function dropUpload(up: UploadRecord): void {
    for (const p of Object.values(up.parts)) if (store.hasBlob(p.blobId)) store.deleteBlob(p.blobId);
    store.delete(UPLOADS, up.uploadId);
  }

  return {
    hasUploads(bucket: string): boolean {
      return store.list<UploadRecord>(UPLOADS).some(([, u]) => u.bucket === bucket);
    },

    initiate(c: OssContext): EmuResponse {
      const uploadId = randomUUID().replace(/-/g, '').toUpperCase();
      const meta: Record<string, string> = {};
      for (const [k, v] of Object.entries(c.req.headers)) if (k.startsWith('x-oss-meta-')) meta[k.slice(11)] = v;
      const up: UploadRecord = {
        uploadId,
        bucket: c.bucket,
        key: c.key,
        initiated: new Date().toISOString(),
        contentType: c.req.headers['content-type'] || 'application/octet-stream',
        meta,
        parts: {},
      };
      store.put(UPLOADS, uploadId, up);
      return xml(c, xmlDocument({ InitiateMultipartUploadResult: { Bucket: c.bucket, Key: c.key, UploadId: uploadId } }));
    },

    uploadPart(c: OssContext): EmuResponse {
      const n = Number(c.req.query.get('partNumber'));
      if (!Number.isInteger(n) || n < 1 || n > 10000) return c.err(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive.');
      const up = findUpload(c);
      if (!up) return c.err(404, 'NoSuchUpload');
      const md5 = createHash('md5').update(c.req.body).digest('hex');
      const blobId = `oss-part-${up.uploadId}-${n}`;
      store.writeBlob(blobId, c.req.body);
      // Re-read: another part of this upload may have been recorded since (handlers interleave across awaits).
      const latest = store.get<UploadRecord>(UPLOADS, up.uploadId) ?? up;
      const part: PartRecord = { blobId, etag: `"${md5.toUpperCase()}"`, size: c.req.body.length, md5 };
      store.put(UPLOADS, up.uploadId, { ...latest, parts: { ...latest.parts, [n]: part } });
      return { status: 200, headers: { 'x-oss-request-id': c.req.id, etag: part.etag }, body: '', action: c.action };
    },

    complete(c: OssContext, save: (data: Buffer, contentType: string, meta: Record<string, string>, etag: string) => ObjectRecord): EmuResponse {
      const up = findUpload(c);
      if (!up) return c.err(404, 'NoSuchUpload');
      let list: Array<{ partNumber: number; etag: string }> | undefined;
      if ((c.req.headers['x-oss-complete-all'] ?? '').toLowerCase() === 'yes') {
        list = Object.keys(up.parts).map(Number).sort((a, b) => a - b).map((n) => ({ partNumber: n, etag: up.parts[n].etag }));
      } else {
        list = parseCompleteParts(c.req.body.toString('utf8'));
      }
      if (!list || list.length === 0) return c.err(400, 'MalformedXML');
      const chunks: Buffer[] = [];
      const md5s: Buffer[] = [];
      for (let i = 0; i < list.length; i++) {
        const { partNumber, etag } = list[i];
        if (i > 0 && partNumber <= list[i - 1].partNumber) return c.err(400, 'InvalidPartOrder');
        const part = up.parts[partNumber];
        const want = etag.replace(/"/g, '').toUpperCase();
        if (!part || part.md5.toUpperCase() !== want || !store.hasBlob(part.blobId)) return c.err(400, 'InvalidPart');
        if (i < list.length - 1 && part.size < MIN_PART_SIZE) return c.err(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size.');
        chunks.push(store.readBlob(part.blobId));
        md5s.push(Buffer.from(part.md5, 'hex'));
      }
      const etag = `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex').toUpperCase()}-${list.length}"`;
      const rec = save(Buffer.concat(chunks), up.contentType, up.meta, etag);
      dropUpload(up);
      const body = xmlDocument({
        CompleteMultipartUploadResult: {
          Location: `http://${c.bucket}.oss.local/${encodeURIComponent(c.key).replace(/%2F/g, '/')}`,
          Bucket: c.bucket,
          Key: c.key,
          ETag: rec.etag,
        },
      });
      return xml(c, body, { etag: rec.etag, 'x-oss-hash-crc64ecma': rec.crc64 });
    },

    abort(c: OssContext): EmuResponse {
      const up = findUpload(c);
      if (!up) return c.err(404, 'NoSuchUpload');
      dropUpload(up);
      return { status: 204, headers: { 'x-oss-request-id': c.req.id }, body: '', action: c.action };
    },

    listParts(c: OssContext): EmuResponse {
      const up = findUpload(c);
      if (!up) return c.err(404, 'NoSuchUpload');
      const nums = Object.keys(up.parts).map(Number).sort((a, b) => a - b);
      const body = xmlDocument({
        ListPartsResult: {
          Bucket: c.bucket,
          Key: c.key,
          UploadId: up.uploadId,
          PartNumberMarker: 0,
          NextPartNumberMarker: nums.length ? nums[nums.length - 1] : 0,
          MaxParts: 1000,
          IsTruncated: false,
          Part: nums.map((n) => ({ PartNumber: n, LastModified: up.initiated, ETag: up.parts[n].etag, Size: up.parts[n].size })),
        },
      });
      return xml(c, body);
    },

    listUploads(c: OssContext): EmuResponse {
      const ups = store.list<UploadRecord>(UPLOADS).map(([, u]) => u).filter((u) => u.bucket === c.bucket);
      const body = xmlDocument({
        ListMultipartUploadsResult: {
          Bucket: c.bucket,
          KeyMarker: '',
          UploadIdMarker: '',
          NextKeyMarker: '',
          NextUploadIdMarker: '',
          MaxUploads: 1000,
          IsTruncated: false,
          Upload: ups.map((u) => ({ Key: u.key, UploadId: u.uploadId, Initiated: u.initiated })),
        },
      });
      return xml(c, body);
    },
  };
}
