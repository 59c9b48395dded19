// SLS signatures (wire-protocol §1.5): `Authorization: LOG ak:sig`, HMAC-SHA1 or -SHA256 (x-log-signaturemethod),
// over VERB, Content-MD5, Content-Type, Date, the x-log-*/x-acs-* headers and path?sorted-query.
import { createHash } from 'node:crypto';
import type { EmulatorConfig, EmuRequest, Store } from '../types';
import { slsError } from './errors';
import { hmac, queryPairs, sameSignature, uniq, type AuthResult } from './common';
import { lookupKey, MAX_SKEW_MS } from './keys';

export function slsStringsToSign(req: EmuRequest): string[] {
  const headers = Object.keys(req.headers)
    .filter((h) => h.startsWith('x-log-') || h.startsWith('x-acs-'))
    .sort()
    .map((h) => `${h}:${req.headers[h].trim()}\n`)
    .join('');
  const head = `${req.method}\n${req.headers['content-md5'] ?? ''}\n${req.headers['content-type'] ?? ''}\n${req.headers['date'] ?? ''}\n${headers}`;
  const pairs = queryPairs(req.rawQuery);
  // @alicloud/log sorts the "k=v" strings, sls20201230 sorts by key: they differ only for prefix-colliding keys.
  const byString = pairs.map(([k, v]) => `${k}=${v}`).sort();
  const byKey = [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
  return uniq([byString, byKey].map((q) => head + req.path + (q.length ? `?${q.join('&')}` : '')));
}

export function verifySls(req: EmuRequest, store: Store, config: EmulatorConfig): AuthResult {
  const fail = (status: number, code: string, message: string): AuthResult => ({ ok: false, response: slsError(req, status, code, message) });
  const m = /^LOG ([^:]+):(.+)$/.exec(req.headers['authorization'] ?? '');
  if (!m) return fail(401, 'Unauthorized', 'The Authorization header is malformed.');
  const [ak, sig] = [m[1], m[2].trim()];
  const key = lookupKey(store, config, ak, req.headers['x-acs-security-token']);
  if (!key.ok) {
    if (key.reason === 'unknown-key') return fail(401, 'Unauthorized', `AccessKeyId not found: ${ak}`);
    // The SLS codes for token problems are unverified.
    if (key.reason === 'token-expired') return fail(401, 'SecurityTokenExpired', 'The security token you provided has expired.');
    return fail(401, 'InvalidSecurityToken', 'The security token you provided is invalid.');
  }
  const date = req.headers['date'] ?? '';
  const t = Date.parse(date);
  if (!Number.isFinite(t) || Math.abs(Date.now() - t) > MAX_SKEW_MS) return fail(400, 'RequestTimeExpired', `Request time ${date} has been expired while server time is ${new Date().toUTCString()}.`);
  const method = (req.headers['x-log-signaturemethod'] ?? 'hmac-sha1').toLowerCase();
  const alg = method === 'hmac-sha256' ? 'sha256' : 'sha1';
  let matched = false;
  for (const sts of slsStringsToSign(req)) if (sameSignature(hmac(alg, key.secret, sts).toString('base64'), sig)) matched = true;
  if (!matched) return fail(401, 'SignatureNotMatch', `Signature ${sig} not matched.`);
  // The body is covered through Content-MD5 (uppercase hex); a body that does not match it is rejected.
  const md5 = req.headers['content-md5'];
  if (md5 && req.body.length && createHash('md5').update(req.body).digest('hex').toUpperCase() !== md5.trim().toUpperCase()) {
    return fail(400, 'InvalidContentMD5', 'The Content-MD5 of the body does not match the Content-MD5 header.');
  }
  return { ok: true, identity: key.identity };
}
