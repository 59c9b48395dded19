// Shared pieces of the FC 2016-08-15 service: responses, errors, names, time format, paging and request-body
// normalisation (FC matches JSON keys case-insensitively: `InstanceConcurrency`, `CertConfig{CertName}`).
import { createHash } from 'node:crypto';
import { fcError } from '../auth/errors';
import type { EmuRequest, EmuResponse } from '../types';

export const API_PREFIX = '/2016-08-15';

/** An FC error to return as is (thrown inside handlers, turned into a response by the router). */
export class FcApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = {
  service: (s: string) => new FcApiError(404, 'ServiceNotFound', `service '${s}' does not exist`),
  function: (s: string, f: string) => new FcApiError(404, 'FunctionNotFound', `function '${f}' does not exist in service '${s}'`),
  trigger: (s: string, f: string, t: string) => new FcApiError(404, 'TriggerNotFound', `trigger '${t}' does not exist in service '${s}' and function '${f}'`),
  domain: (d: string) => new FcApiError(404, 'DomainNameNotFound', `domain name '${d}' does not exist`),
};

export function invalid(message: string): FcApiError {
  return new FcApiError(400, 'InvalidArgument', message);
}

export function toResponse(req: EmuRequest, err: FcApiError, action: string): EmuResponse {
  return { ...fcError(req, err.status, err.code, err.message), action };
}

/** ISO-8601 UTC without milliseconds, the way FC writes createdTime/lastModifiedTime. */
export function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function etagOf(value: unknown): string {
  return createHash('md5').update(JSON.stringify(value)).digest('hex');
}

export function jsonResponse(req: EmuRequest, status: number, value: unknown, action: string, etag?: string): EmuResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'x-fc-request-id': req.id };
  if (etag) headers['etag'] = etag;
  return { status, headers, body: JSON.stringify(value), action };
}

export function noContent(req: EmuRequest, action: string): EmuResponse {
  return { status: 204, headers: { 'x-fc-request-id': req.id }, body: '', action };
}

/** If-Match on update/delete: 412 when the resource changed since the caller read it. */
export function checkIfMatch(req: EmuRequest, currentEtag: string): void {
  const want = req.headers['if-match'];
  if (want && want.replace(/"/g, '') !== currentEtag && want !== '*') {
    throw new FcApiError(412, 'PreconditionFailed', `the resource has changed: If-Match '${want}' does not match the current ETag '${currentEtag}'`);
  }
}

const NAME_RE = /^[_a-zA-Z][-_a-zA-Z0-9]*$/;

export function checkName(kind: string, value: unknown, maxLen: number): string {
  if (typeof value !== 'string' || !value) throw invalid(`${kind} is required`);
  if (value.length > maxLen || !NAME_RE.test(value)) {
    throw invalid(`${kind} '${value}' is invalid: it must start with a letter or underscore, contain only letters, digits, '_' and '-', and be 1-${maxLen} characters long`);
  }
  return value;
}

/** The JSON body of a control-plane call, whatever its content-type (some clients send octet-stream, chunked). */
export function parseBody(req: EmuRequest): Record<string, unknown> {
  const text = req.body.toString('utf8').trim();
  if (!text) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw invalid(`the request body is not valid JSON: ${(e as Error).message}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalid('the request body must be a JSON object');
  return v as Record<string, unknown>;
}

/**
 * Request-key schema: canonical key names; nested objects have their own schema; 'opaque' values (such as
 * environment variables) keep their keys as the user wrote them.
 */
export type KeySchema = { [canonical: string]: KeySchema | 'value' | 'opaque' };

/** Renames keys that match the schema case-insensitively to their canonical spelling; drops unknown keys. */
export function canonicalKeys(input: unknown, schema: KeySchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!input || typeof input !== 'object' || Array.isArray(input)) return out;
  const byLower = new Map(Object.keys(schema).map((k) => [k.toLowerCase(), k]));
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    const canonical = byLower.get(k.toLowerCase());
    if (!canonical) continue;
    const sub = schema[canonical];
    if (sub === 'value' || sub === 'opaque' || v === null || typeof v !== 'object') out[canonical] = v;
    else if (Array.isArray(v)) out[canonical] = v.map((x) => (x && typeof x === 'object' && !Array.isArray(x) ? canonicalKeys(x, sub) : x));
    else out[canonical] = canonicalKeys(v, sub);
  }
  return out;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** FC list paging: sorted by name, `prefix`, `startKey` (first name to include), `nextToken`, `limit` (default 20). */
export function paginate<T>(req: EmuRequest, entries: Array<[string, T]>): Page<T> {
  const q = req.query;
  const rawLimit = q.get('limit');
  let limit = 20;
  if (rawLimit !== null && rawLimit !== '') {
    limit = Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 0) throw invalid(`limit '${rawLimit}' must be an integer between 0 and 100`);
    // The maximum of 100 is documented loosely (unverified): larger values are clamped rather than refused.
    if (limit === 0) limit = 20;
    limit = Math.min(limit, 100);
  }
  const prefix = q.get('prefix') ?? '';
  const startKey = q.get('startKey') ?? '';
  const token = q.get('nextToken') ?? '';
  const names = entries.filter(([name]) => name.startsWith(prefix) && (!startKey || name >= startKey) && (!token || name >= token));
  const items = names.slice(0, limit).map(([, v]) => v);
  return { items, nextToken: names.length > limit ? names[limit][0] : undefined };
}

export function pageBody<T>(key: string, page: Page<T>): Record<string, unknown> {
  return page.nextToken ? { [key]: page.items, nextToken: page.nextToken } : { [key]: page.items };
}

/** Splits `svc.qualifier` from a path segment. */
export function splitQualifier(segment: string): { name: string; qualifier?: string } {
  const dot = segment.indexOf('.');
  return dot < 0 ? { name: segment } : { name: segment.slice(0, dot), qualifier: segment.slice(dot + 1) };
}

/** Only LATEST exists in the emulator: versions and aliases are not implemented. */
export function checkQualifier(serviceName: string, qualifier: string | undefined): void {
  if (!qualifier || qualifier === 'LATEST') return;
  if (/^\d+$/.test(qualifier)) throw new FcApiError(404, 'VersionNotFound', `version '${qualifier}' does not exist in service '${serviceName}'`);
  throw new FcApiError(404, 'AliasNotFound', `alias '${qualifier}' does not exist in service '${serviceName}'`);
}
