// Small pieces shared by the signature verifiers.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EmuResponse, Identity } from '../types';

export type AuthResult = { ok: true; identity: Identity } | { ok: false; response: EmuResponse };

export function hmac(alg: 'sha1' | 'sha256', key: string | Buffer, msg: string): Buffer {
  return createHmac(alg, key).update(msg, 'utf8').digest();
}

/** Constant-time comparison of two signature strings. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Query pairs decoded the way the signers see them ('+' is a space, as URLSearchParams and Python do). */
export function queryPairs(rawQuery: string): Array<[string, string, boolean]> {
  const out: Array<[string, string, boolean]> = [];
  if (!rawQuery) return out;
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    out.push([safeDecode(k.replace(/\+/g, ' ')), safeDecode(v.replace(/\+/g, ' ')), eq >= 0]);
  }
  return out;
}

export function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
