// FC 2016-08-15 request signatures (wire-protocol §1.1): `Authorization: FC <AccessKeyID>:<base64 HMAC-SHA256>`,
// or the URL-signed variant (x-fc-access-key-id / x-fc-expires / x-fc-signature in the query, Go SDK).
import type { EmulatorConfig, EmuRequest, Store } from '../types';
import { fcError } from './errors';
import { hmac, queryPairs, sameSignature, uniq, type AuthResult } from './common';
import { lookupKey, MAX_SKEW_MS } from './keys';

export function isProxyPath(path: string): boolean {
  return path.startsWith('/2016-08-15/proxy/');
}

/** The CanonicalizedResource candidates: decoded path first (docs, Python SDK), then the path as sent (fc2). */
function resources(req: EmuRequest, urlSigned: boolean): string[] {
  const paths = uniq([req.path, req.rawPath]);
  if (!isProxyPath(req.path)) return paths;
  // A signed URL covers its own x-fc-access-key-id/-expires/-security-token parameters, not x-fc-signature
  // (aliyun/fc-go-sdk signature vector: resource "…\na=123 45\nx-fc-access-key-id=akID\nx-fc-expires=…").
  const pairs = queryPairs(req.rawQuery).filter(([k]) => !(urlSigned && k === 'x-fc-signature'));
  // fc2 writes "k=v" for every value; the Python and Go SDKs write a bare "k" for a key without a value.
  const withEq = pairs.map(([k, v]) => `${k}=${v}`).sort();
  const bare = pairs.map(([k, v, hadEq]) => (v === '' && !hadEq ? k : `${k}=${v}`)).sort();
  const bareAll = pairs.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).sort();
  const out: string[] = [];
  for (const p of paths) for (const q of uniq([withEq.join('\n'), bare.join('\n'), bareAll.join('\n')])) out.push(`${p}\n${q}`);
  return out;
}

function canonicalHeaders(req: EmuRequest): string {
  return Object.keys(req.headers)
    .filter((h) => h.startsWith('x-fc-'))
    .sort()
    .map((h) => `${h}:${req.headers[h]}\n`)
    .join('');
}

export function fcStringsToSign(req: EmuRequest, dateOrExpires: string, urlSigned: boolean): string[] {
  const head = `${req.method}\n${req.headers['content-md5'] ?? ''}\n${req.headers['content-type'] ?? ''}\n${dateOrExpires}\n${canonicalHeaders(req)}`;
  return resources(req, urlSigned).map((r) => head + r);
}

export function fcSign(secret: string, stringToSign: string): string {
  return hmac('sha256', secret, stringToSign).toString('base64');
}

export function hasFcUrlSignature(req: EmuRequest): boolean {
  return req.query.has('x-fc-signature') && req.query.has('x-fc-access-key-id');
}

export function verifyFc(req: EmuRequest, store: Store, config: EmulatorConfig): AuthResult {
  const fail = (status: number, code: string, message: string): AuthResult => ({ ok: false, response: fcError(req, status, code, message) });
  const urlSigned = !req.headers['authorization'] && hasFcUrlSignature(req);
  let accessKeyId: string;
  let signature: string;
  let token: string | undefined;
  if (urlSigned) {
    accessKeyId = req.query.get('x-fc-access-key-id') ?? '';
    signature = req.query.get('x-fc-signature') ?? '';
    token = req.query.get('x-fc-security-token') ?? undefined;
  } else {
    const auth = req.headers['authorization'] ?? '';
    const m = /^FC ([^:]+):(.+)$/.exec(auth);
    if (!m) return fail(400, 'InvalidArgument', `the Authorization header '${auth.slice(0, 40)}' is malformed; expected 'FC <AccessKeyID>:<Signature>'`);
    accessKeyId = m[1];
    signature = m[2].trim();
    token = req.headers['x-fc-security-token'];
  }
  const key = lookupKey(store, config, accessKeyId, token);
  if (!key.ok) {
    if (key.reason === 'unknown-key') return fail(403, 'InvalidAccessKeyID', `invalid access key ID '${accessKeyId}'`);
    // Codes for token problems are not documented for FC 2.0 (unverified): InvalidSecurityToken is our choice.
    if (key.reason === 'token-expired') return fail(403, 'InvalidSecurityToken', `the security token of access key ID '${accessKeyId}' has expired`);
    if (key.reason === 'token-missing') return fail(400, 'MissingRequiredHeader', 'required HTTP header x-fc-security-token was not specified');
    return fail(403, 'InvalidSecurityToken', `the security token does not belong to access key ID '${accessKeyId}'`);
  }
  let dateValue: string;
  if (urlSigned) {
    dateValue = req.query.get('x-fc-expires') ?? '';
    const expires = Number(dateValue) * 1000;
    if (!Number.isFinite(expires) || expires < Date.now()) return fail(403, 'RequestTimeExpired', `the signed URL expired at ${new Date(expires || 0).toISOString()}`);
  } else {
    dateValue = req.headers['date'] ?? '';
    if (!dateValue) return fail(400, 'MissingRequiredHeader', 'required HTTP header Date was not specified');
    const t = Date.parse(dateValue);
    if (!Number.isFinite(t)) return fail(400, 'InvalidArgument', `the Date header '${dateValue}' is not an RFC 1123 date`);
    // FC documents the 15-minute window; the exact code for a stale Date is unverified (RequestTimeExpired chosen).
    if (Math.abs(Date.now() - t) > MAX_SKEW_MS) return fail(403, 'RequestTimeExpired', `the Date header '${dateValue}' is more than 15 minutes away from the server time ${new Date().toUTCString()}`);
  }
  // fc2's content-md5 is base64 of the hex digest (a quirk): it is only a signed header here, never checked.
  for (const sts of fcStringsToSign(req, dateValue, urlSigned)) {
    if (!sameSignature(fcSign(key.secret, sts), signature)) continue;
    // The account endpoint (<accountId>.<region>.fc.aliyuncs.com) only serves its own account; fc2 also names it in
    // x-fc-account-id. The code FC answers a mismatch with is unverified (AccessDenied chosen).
    const claimed = req.headers['x-fc-account-id'];
    if (claimed && claimed !== key.identity.accountId) return fail(403, 'AccessDenied', `the account id '${claimed}' does not match the account of access key ID '${accessKeyId}'`);
    return { ok: true, identity: key.identity };
  }
  return fail(403, 'SignatureNotMatch', 'The request signature we calculated does not match the signature you provided. Check your access key and signing method');
}

