// Hand-made FC signatures (wire-protocol §1.1) for requests the SDK cannot be made to send: tampering, odd bodies.
import { createHmac } from 'node:crypto';
import { LOCAL_CREDS } from '../helpers/emulator';

export interface FcSignOptions {
  accessKeyId?: string;
  secret?: string;
  date?: Date;
  /** Query values to sign (only for /proxy/ paths), as [key, value] pairs. */
  query?: Array<[string, string]>;
  /** Path to sign when it differs from the one sent (tampering). */
  signedPath?: string;
}

export function fcStringToSign(method: string, path: string, headers: Record<string, string>, query?: Array<[string, string]>): string {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const fcHeaders = Object.keys(lower).filter((h) => h.startsWith('x-fc-')).sort().map((h) => `${h}:${lower[h]}\n`).join('');
  let resource = path;
  if (path.startsWith('/2016-08-15/proxy/')) resource += '\n' + (query ?? []).map(([k, v]) => `${k}=${v}`).sort().join('\n');
  return `${method}\n${lower['content-md5'] ?? ''}\n${lower['content-type'] ?? ''}\n${lower['date']}\n${fcHeaders}${resource}`;
}

/** Headers (date, x-fc-account-id, authorization, plus the given ones) for a signed FC request. */
export function signFc(method: string, path: string, headers: Record<string, string> = {}, opts: FcSignOptions = {}): Record<string, string> {
  const h: Record<string, string> = { date: (opts.date ?? new Date()).toUTCString(), 'x-fc-account-id': LOCAL_CREDS.accountId };
  for (const [k, v] of Object.entries(headers)) if (v !== '') h[k] = v;
  const sts = fcStringToSign(method, opts.signedPath ?? path, h, opts.query);
  const sig = createHmac('sha256', opts.secret ?? LOCAL_CREDS.accessKeySecret).update(sts).digest('base64');
  h.authorization = `FC ${opts.accessKeyId ?? LOCAL_CREDS.accessKeyId}:${sig}`;
  return h;
}

/** A hand-signed FC request (for bodies fc2 would not send as they are). */
export async function fetchFc(emu: { url: string }, method: string, path: string, body?: unknown, opts: { chunked?: boolean; contentType?: string } = {}) {
  const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers = signFc(method, path, { 'content-type': raw === undefined ? '' : (opts.contentType ?? 'application/json') });
  let payload: BodyInit | undefined = raw;
  const init: RequestInit & { duplex?: string } = { method, headers };
  if (raw !== undefined && opts.chunked) {
    const bytes = Buffer.from(raw);
    payload = new ReadableStream({
      start(c) {
        c.enqueue(bytes.subarray(0, 5));
        c.enqueue(bytes.subarray(5));
        c.close();
      },
    });
    init.duplex = 'half';
  }
  init.body = payload;
  const res = await fetch(emu.url + path, init);
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
}
