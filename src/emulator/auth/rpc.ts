// RPC/POP signatures for RAM (2015-05-01) and STS (2015-04-01), wire-protocol §1.4: every parameter (query for
// GET, form body for POST) sorted, percent-encoded, HMAC-SHA1 with key `secret&`; Timestamp within 15 minutes;
// each SignatureNonce accepted once.
import type { EmulatorConfig, EmuRequest, Store } from '../types';
import { rpcError } from './errors';
import { hmac, queryPairs, sameSignature, type AuthResult } from './common';
import { lookupKey, MAX_SKEW_MS } from './keys';

/** The parameters of an RPC call: query plus a form-encoded body. */
export function rpcParams(req: EmuRequest): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of queryPairs(req.rawQuery)) params.set(k, v);
  const ct = req.headers['content-type'] ?? '';
  if (req.body.length && (ct.startsWith('application/x-www-form-urlencoded') || !ct)) {
    for (const [k, v] of queryPairs(req.body.toString('utf8'))) params.set(k, v);
  }
  return params;
}

/**
 * RPC calls go to `/` (pop-core appends nothing to the endpoint), with Action and Signature in the query or in a
 * form body. Limiting this to `/` keeps an HTTP trigger or custom domain that receives such a form out of RAM/STS.
 */
export function isRpcRequest(req: EmuRequest): boolean {
  if (req.rawPath !== '/') return false;
  if (req.query.has('Action') && req.query.has('Signature')) return true;
  if (req.method !== 'POST' || !req.body.length || req.body.length > 1024 * 1024) return false;
  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return false;
  const p = rpcParams(req);
  return p.has('Action') && p.has('Signature');
}

export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function rpcStringToSign(method: string, params: Map<string, string>): string {
  const canonical = [...params.entries()]
    .filter(([k]) => k !== 'Signature')
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
  return `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

/** Nonces seen within the timestamp window (kept in memory; a restart forgets them, as the window allows). */
export class NonceCache {
  private seen = new Map<string, number>();
  /** True when the nonce is new; remembers it. */
  claim(nonce: string, now = Date.now()): boolean {
    if (this.seen.size > 10_000) for (const [n, t] of this.seen) if (now - t > 2 * MAX_SKEW_MS) this.seen.delete(n);
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now);
    return true;
  }
  clear(): void {
    this.seen.clear();
  }
}

export function verifyRpc(req: EmuRequest, store: Store, config: EmulatorConfig, nonces: NonceCache, host: string): AuthResult {
  // RPC error texts follow POP conventions; their exact wording and statuses are unverified.
  const fail = (status: number, code: string, message: string): AuthResult => ({ ok: false, response: rpcError(req, status, code, message, host) });
  const params = rpcParams(req);
  for (const required of ['AccessKeyId', 'Signature', 'SignatureNonce', 'Timestamp', 'SignatureMethod', 'SignatureVersion', 'Format']) {
    if (!params.get(required)) return fail(400, 'MissingParameter', `The input parameter "${required}" that is mandatory for processing this request is not supplied.`);
  }
  const ak = params.get('AccessKeyId')!;
  const key = lookupKey(store, config, ak, params.get('SecurityToken'));
  if (!key.ok) {
    if (key.reason === 'unknown-key') return fail(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    if (key.reason === 'token-expired') return fail(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
    if (key.reason === 'token-missing') return fail(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
    return fail(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
  }
  const ts = params.get('Timestamp')!;
  const t = Date.parse(ts);
  if (!Number.isFinite(t) || !/Z$|[+-]\d\d:?\d\d$/.test(ts)) return fail(400, 'InvalidTimeStamp.Format', `Specified time stamp or date value is not well formatted: ${ts}`);
  if (Math.abs(Date.now() - t) > MAX_SKEW_MS) return fail(400, 'InvalidTimeStamp.Expired', `Specified time stamp or date value is expired. Timestamp ${ts} differs from the server time ${new Date().toISOString()} by more than 15 minutes.`);
  const method = params.get('SignatureMethod')!;
  const alg = method === 'HMAC-SHA1' ? 'sha1' : method === 'HMAC-SHA256' ? 'sha256' : undefined;
  if (!alg) return fail(400, 'InvalidParameter.SignatureMethod', `Specified signature method "${method}" is not supported.`);
  const expected = hmac(alg, key.secret + '&', rpcStringToSign(req.method, params)).toString('base64');
  if (!sameSignature(expected, params.get('Signature')!)) {
    return fail(400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${rpcStringToSign(req.method, params)}`);
  }
  if (!nonces.claim(`${ak}/${params.get('SignatureNonce')}`)) return fail(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  return { ok: true, identity: key.identity };
}
