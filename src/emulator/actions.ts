// Names the API action of an OSS or SLS request from its method, path and query, before the service runs it,
// so that injected faults can match by action. (The services set the action they report on their responses.)
import type { EmuRequest } from './types';
import { bucketFromHost } from './auth/oss';
import { projectFromRequest } from './services/sls';

export function ossActionOf(req: EmuRequest): string {
  const q = req.query;
  const hostBucket = bucketFromHost(req.host);
  const parts = req.path.split('/').slice(1);
  const bucket = hostBucket ?? parts[0] ?? '';
  const object = hostBucket ? req.path.slice(1) : parts.slice(1).join('/');
  const m = req.method;
  if (!bucket) return m === 'GET' ? 'ListBuckets' : 'Unknown';
  if (!object) {
    if (q.has('bucketInfo')) return 'GetBucketInfo';
    if (q.has('location')) return 'GetBucketLocation';
    if (q.has('acl')) return m === 'PUT' ? 'PutBucketAcl' : 'GetBucketAcl';
    if (q.has('delete') && m === 'POST') return 'DeleteMultipleObjects';
    if (q.has('uploads')) return 'ListMultipartUploads';
    switch (m) {
      case 'PUT':
        return 'PutBucket';
      case 'DELETE':
        return 'DeleteBucket';
      case 'HEAD':
        return 'GetBucketInfo';
      case 'GET':
        return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    }
    return 'Unknown';
  }
  switch (m) {
    case 'PUT':
      if (q.has('partNumber') && q.has('uploadId')) return 'UploadPart';
      if (q.has('acl')) return 'PutObjectAcl';
      if (q.has('tagging')) return 'PutObjectTagging';
      if (req.headers['x-oss-copy-source']) return 'CopyObject';
      return 'PutObject';
    case 'POST':
      if (q.has('uploads')) return 'InitiateMultipartUpload';
      if (q.has('uploadId')) return 'CompleteMultipartUpload';
      if (q.has('append')) return 'AppendObject';
      return 'PostObject';
    case 'GET':
      if (q.has('uploadId')) return 'ListParts';
      if (q.has('acl')) return 'GetObjectAcl';
      if (q.has('tagging')) return 'GetObjectTagging';
      return 'GetObject';
    case 'HEAD':
      return q.has('objectMeta') ? 'GetObjectMeta' : 'HeadObject';
    case 'DELETE':
      return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  }
  return 'Unknown';
}

export function slsActionOf(req: EmuRequest): string {
  const m = req.method;
  const p = req.path.replace(/\/+$/, '') || '/';
  const segs = p.split('/').filter(Boolean);
  const q = req.query;
  if (segs.length === 0) {
    if (projectFromRequest(req) === undefined) return m === 'POST' ? 'CreateProject' : m === 'GET' ? 'ListProject' : 'Unknown';
    return ({ GET: 'GetProject', PUT: 'UpdateProject', DELETE: 'DeleteProject', POST: 'CreateProject' } as Record<string, string>)[m] ?? 'Unknown';
  }
  if (segs[0] === 'logstores') {
    if (segs.length === 1) return m === 'POST' ? 'CreateLogStore' : 'ListLogStores';
    if (segs.length === 2) {
      if (m === 'GET' && q.get('type') === 'log') return 'GetLogs';
      if (m === 'GET' && q.get('type') === 'histogram') return 'GetHistograms';
      return ({ GET: 'GetLogStore', PUT: 'UpdateLogStore', DELETE: 'DeleteLogStore' } as Record<string, string>)[m] ?? 'Unknown';
    }
    if (segs[2] === 'index') return ({ POST: 'CreateIndex', GET: 'GetIndex', PUT: 'UpdateIndex', DELETE: 'DeleteIndex' } as Record<string, string>)[m] ?? 'Unknown';
    if (segs[2] === 'shards') {
      if (segs[3] === 'lb' || (segs.length === 4 && m === 'POST')) return 'PutLogs';
      if (segs.length === 3) return 'ListShards';
      if (q.get('type') === 'cursor') return 'GetCursor';
      return 'PullLogs';
    }
    if (segs[2] === 'histograms') return 'GetHistograms';
  }
  return 'Unknown';
}
