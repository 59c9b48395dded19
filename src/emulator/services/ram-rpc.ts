// Shared by the RAM and STS services: reading POP/RPC parameters (GET query or POST form body, wire-protocol §1.4)
// and answering the way @alicloud/pop-core expects (JSON always; errors carry `Code`, sdk-notes §4).
import type { EmuRequest, EmuResponse } from '../types';

/** All RPC parameters of a request: query first, then an x-www-form-urlencoded body. */
export function rpcParams(req: EmuRequest): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of req.query) params.set(k, v);
  const ct = req.headers['content-type'] ?? '';
  if (req.method === 'POST' && req.body.length > 0 && (ct.includes('x-www-form-urlencoded') || ct === '')) {
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.set(k, v);
  }
  return params;
}

export function rpcOk(req: EmuRequest, action: string, body: Record<string, unknown>): EmuResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': req.id },
    body: JSON.stringify({ RequestId: req.id, ...body }),
    action,
  };
}

export function rpcError(req: EmuRequest, action: string, status: number, code: string, message: string, host: string): EmuResponse {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': req.id },
    body: JSON.stringify({
      RequestId: req.id,
      HostId: host,
      Code: code,
      Message: message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=${host.split('.')[0].toUpperCase()}`,
    }),
    action,
    errorCode: code,
  };
}

/** ISO time without milliseconds, as RAM and STS print it. */
export function rpcTime(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
