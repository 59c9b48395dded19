// OSS request signatures: V1 header (`OSS ak:sig`, HMAC-SHA1), V1 signed URL (OSSAccessKeyId/Expires/Signature),
// and V4 (`OSS4-HMAC-SHA256 Credential=…`). wire-protocol §1.2–1.3.
import { createHash, createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { EmulatorConfig, EmuRequest, EmuResponse, Identity, Store } from '../types';
import { ossError } from './errors';
import { hmac, queryPairs, sameSignature, uniq, type AuthResult } from './common';
import { lookupKey, MAX_SKEW_MS } from './keys';

/** Query keys that are part of the V1 CanonicalizedResource (all other query params are not signed). */
const SUB_RESOURCES = new Set(
  (
    'acl uploads location cors logging website referer lifecycle delete append tagging uploadId partNumber security-token ' +
    'position img style styleName replication replicationProgress replicationLocation cname bucketInfo comp qos live status ' +
    'vod startTime endTime symlink x-oss-process response-content-type response-content-language response-content-disposition ' +
    'response-content-encoding response-expires response-cache-control restore callback callback-var stat encryption versions ' +
    'versioning versionId inventory worm wormId wormExtend requestPayment objectMeta policy sequential x-oss-traffic-limit ' +
    'resourceGroup regionList accessPoint transferAcceleration httpsConfig'
  ).split(' '),
);

/** Hostname of the Host header without the port. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/**
 * The bucket named by a virtual-hosted Host (`bucket.oss-cn-hangzhou.aliyuncs.com`, which ali-oss synthesises for
 * IP endpoints), or undefined when Host is an IP or localhost.
 */
export function bucketFromHost(host: string): string | undefined {
  const h = hostName(host);
  if (!h || isIP(h.replace(/^\[|\]$/g, '')) || h === 'localhost' || !h.includes('.')) return undefined;
  const label = h.split('.')[0];
  return label.startsWith('oss-') ? undefined : label;
}

/** Candidate CanonicalizedResource paths: virtual-hosted (`/bucket` + path) and path-style (path as is). */
function resourcePaths(req: EmuRequest): Array<{ bucket: string; object: string }> {
  const out: Array<{ bucket: string; object: string }> = [];
  const hostBucket = bucketFromHost(req.host);
  if (hostBucket) out.push({ bucket: hostBucket, object: req.path.slice(1) });
  const m = /^\/([^/]+)(?:\/(.*))?$/.exec(req.path);
  if (m) out.push({ bucket: m[1], object: m[2] ?? '' });
  if (!out.length) out.push({ bucket: '', object: '' });
  return out;
}

function v1Resource(bucket: string, object: string, req: EmuRequest): string {
  const base = bucket ? `/${bucket}/${object}` : '/';
  const sub = queryPairs(req.rawQuery)
    .filter(([k]) => SUB_RESOURCES.has(k))
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => (v === '' ? k : `${k}=${v}`));
  return sub.length ? `${base}?${sub.join('&')}` : base;
}

function ossHeaderLines(req: EmuRequest): string[] {
  return Object.keys(req.headers)
    .filter((h) => h.startsWith('x-oss-'))
    .sort()
    .map((h) => `${h}:${req.headers[h].trim()}`);
}

export function ossV1StringsToSign(req: EmuRequest, date: string): string[] {
  const head = [req.method, req.headers['content-md5'] ?? '', req.headers['content-type'] ?? '', date, ...ossHeaderLines(req)];
  return uniq(resourcePaths(req).map(({ bucket, object }) => [...head, v1Resource(bucket, object, req)].join('\n')));
}

function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

type Fail = (status: number, code: string, message: string, extra?: Record<string, string>) => AuthResult;

type KeyOrFail = { ok: true; secret: string; identity: Identity } | { ok: false; response: EmuResponse };

function checkKey(store: Store, config: EmulatorConfig, ak: string, token: string | undefined, fail: Fail): KeyOrFail {
  const key = lookupKey(store, config, ak, token);
  if (key.ok) return key;
  // OSS codes for STS token problems are unverified; these are the ones OSS documents for its STS errors.
  if (key.reason === 'unknown-key') return fail(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', { OSSAccessKeyId: ak }) as KeyOrFail;
  if (key.reason === 'token-expired') return fail(403, 'SecurityTokenExpired', 'The security token you provided has expired.') as KeyOrFail;
  return fail(403, 'InvalidSecurityToken', 'The security token you provided is invalid.') as KeyOrFail;
}

function verifyMd5(req: EmuRequest, fail: Fail): AuthResult | undefined {
  const md5 = req.headers['content-md5'];
  if (!md5) return undefined;
  if (createHash('md5').update(req.body).digest('base64') !== md5.trim()) return fail(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.');
  return undefined;
}

export function verifyOss(req: EmuRequest, store: Store, config: EmulatorConfig): AuthResult {
  const fail: Fail = (status, code, message, extra) => ({ ok: false, response: ossError(req, status, code, message, extra) });
  const auth = req.headers['authorization'] ?? '';
  if (auth.startsWith('OSS4-HMAC-SHA256')) return verifyV4(req, store, config, auth, fail);
  let ak: string;
  let sig: string;
  let date: string;
  if (auth) {
    const m = /^OSS ([^:]+):(.+)$/.exec(auth);
    if (!m) return fail(400, 'InvalidArgument', 'Authorization header is invalid.');
    [ak, sig] = [m[1], m[2].trim()];
    date = req.headers['x-oss-date'] ?? req.headers['date'] ?? '';
    if (!date) return fail(403, 'AccessDenied', 'Missing Date Header.');
    const t = Date.parse(date);
    if (!Number.isFinite(t) || Math.abs(Date.now() - t) > MAX_SKEW_MS) {
      return fail(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', { RequestTime: date, ServerTime: new Date().toUTCString() });
    }
  } else {
    // Signed URL: the Expires query value replaces the date, the token travels as the security-token sub-resource.
    ak = req.query.get('OSSAccessKeyId') ?? '';
    sig = req.query.get('Signature') ?? '';
    date = req.query.get('Expires') ?? '';
    if (!(Number(date) * 1000 > Date.now())) return fail(403, 'AccessDenied', 'Request has expired.', { Expires: date, ServerTime: new Date().toISOString() });
  }
  const token = auth ? req.headers['x-oss-security-token'] : (req.query.get('security-token') ?? undefined);
  const key = checkKey(store, config, ak, token, fail);
  if (!key.ok) return key;
  const candidates = ossV1StringsToSign(req, date);
  for (const sts of candidates) {
    if (sameSignature(hmac('sha1', key.secret, sts).toString('base64'), sig)) return verifyMd5(req, fail) ?? { ok: true, identity: key.identity };
  }
  return fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
    OSSAccessKeyId: ak,
    SignatureProvided: sig,
    StringToSign: candidates[0],
    StringToSignBytes: Buffer.from(candidates[0]).toString('hex').replace(/(..)/g, '$1 ').trim(),
  });
}

function verifyV4(req: EmuRequest, store: Store, config: EmulatorConfig, auth: string, fail: Fail): AuthResult {
  const fields = new Map<string, string>();
  for (const part of auth.slice('OSS4-HMAC-SHA256'.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential') ?? '';
  const sig = fields.get('Signature') ?? '';
  const [ak, day, region, product, terminator] = credential.split('/');
  if (!ak || !day || !region || !product || terminator !== 'aliyun_v4_request' || !sig) return fail(400, 'InvalidArgument', 'Authorization header is invalid.');
  const date = req.headers['x-oss-date'] ?? '';
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m) return fail(403, 'AccessDenied', 'Missing or invalid x-oss-date header.');
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (Math.abs(Date.now() - t) > MAX_SKEW_MS) return fail(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', { RequestTime: date, ServerTime: new Date().toISOString() });
  const key = checkKey(store, config, ak, req.headers['x-oss-security-token'], fail);
  if (!key.ok) return key;
  const additional = (fields.get('AdditionalHeaders') ?? '').split(';').filter(Boolean).map((h) => h.toLowerCase());
  const signedHeaders = uniq([...Object.keys(req.headers).filter((h) => h === 'content-type' || h === 'content-md5' || h.startsWith('x-oss-')), ...additional]).sort();
  const headerBlock = signedHeaders.map((h) => `${h}:${(req.headers[h] ?? '').trim()}\n`).join('');
  const pairs = queryPairs(req.rawQuery).map(([k, v]) => [rfc3986(k), rfc3986(v)] as const);
  pairs.sort((a, b) => a[0].localeCompare(b[0]));
  const queries = uniq([pairs.map(([k, v]) => (v ? `${k}=${v}` : k)).join('&'), pairs.map(([k, v]) => `${k}=${v}`).join('&')]);
  const kDate = createHmac('sha256', `aliyun_v4${key.secret}`).update(day).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kProduct = createHmac('sha256', kRegion).update(product).digest();
  const signingKey = createHmac('sha256', kProduct).update('aliyun_v4_request').digest();
  const payload = req.headers['x-oss-content-sha256'] || 'UNSIGNED-PAYLOAD';
  for (const { bucket, object } of resourcePaths(req)) {
    const uri = rfc3986(`/${bucket ? `${bucket}/` : ''}${object}`).replace(/%2F/g, '/');
    for (const q of queries) {
      const canonical = [req.method, uri, q, headerBlock, additional.join(';'), payload].join('\n');
      const sts = ['OSS4-HMAC-SHA256', date, `${day}/${region}/${product}/aliyun_v4_request`, createHash('sha256').update(canonical).digest('hex')].join('\n');
      if (sameSignature(createHmac('sha256', signingKey).update(sts).digest('hex'), sig)) return verifyMd5(req, fail) ?? { ok: true, identity: key.identity };
    }
  }
  return fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', { OSSAccessKeyId: ak, SignatureProvided: sig });
}
