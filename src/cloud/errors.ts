// Turns whatever an SDK throws into a CloudError that names the operation, HTTP status, error code and the
// cloud's request id, with a hint a person can act on. SDKs disagree on where they put these, so each has a reader.
import { CloudError, type CloudService } from '../core/errors';
import type { CapturedResponse } from './http-capture';

const NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'EHOSTUNREACH', 'ResponseTimeoutError', 'ConnectionTimeoutError', 'RequestError', 'RequestTimeout', 'EPROTO']);
/** What httpx (fc2, pop-core, @alicloud/log) and urllib (ali-oss) name a request that got no answer in time;
 * httpx sets no `code`, only `name` ("RequestTimeoutError" for both its connect and read timeouts). */
const TIMEOUT_NAMES = new Set(['RequestTimeoutError', 'ReadTimeoutError', 'ConnectTimeoutError', 'ResponseTimeoutError', 'ConnectionTimeoutError']);
const THROTTLING = /throttl|toomanyrequests|qpslimit|ServiceUnavailable|ConcurrentUpdateError|Busy|InternalServerError|InternalError/i;

export function isRetryable(status: number | undefined, code: string | undefined): boolean {
  if (code && NETWORK_CODES.has(code)) return code !== 'ECONNREFUSED' && code !== 'ENOTFOUND' && code !== 'EPROTO';
  // Something that is not an Alibaba Cloud API answered: asking again will not change that.
  if (code === 'InvalidResponse') return false;
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  return Boolean(code && THROTTLING.test(code));
}

function hintFor(service: CloudService, operation: string, status: number | undefined, code: string, endpoint?: string): string | undefined {
  if (code === 'ECONNREFUSED') {
    return endpoint
      ? `Nothing answers at ${endpoint}. If you meant the local emulator, start it first: fcx emulator`
      : 'The cloud endpoint refused the connection; check your network and --endpoint.';
  }
  if (code === 'EPROTO') return 'The endpoint does not speak HTTPS; use http:// in --endpoint / FCX_ENDPOINT (for the local emulator: http://127.0.0.1:<port>).';
  if (code === 'InvalidResponse') return 'Check --endpoint / FCX_ENDPOINT: it must be an Alibaba Cloud API endpoint or the fcx emulator (fcx emulator).';
  if (code === 'RequestTimeout' || TIMEOUT_NAMES.has(code)) return 'The endpoint did not answer in time, even after retries. Check your network and run the command again; FCX_HTTP_TIMEOUT_MS=<ms> sets how long fcx waits.';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'The endpoint host name did not resolve; check --endpoint, --region and your network.';
  if (/AccessDenied|NoPermission|Forbidden|NotAuthorized/i.test(code) || status === 403) {
    if (/Signature|AccessKey/i.test(code)) return 'The access key or secret is wrong. Check ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET or your profile (--profile).';
    return `Your credentials may not perform ${service.toUpperCase()} ${operation}. Grant the RAM user a policy that allows it (for example AliyunFCFullAccess, AliyunRAMFullAccess, AliyunLogFullAccess, AliyunOSSFullAccess), or use another profile.`;
  }
  if (/InvalidAccessKey|Unauthorized/i.test(code)) return 'The access key id is not known. Check your credentials (--profile, ALIBABA_CLOUD_ACCESS_KEY_ID).';
  if (/RequestTimeExpired|TimeTooSkewed|InvalidTimeStamp/i.test(code)) return "This machine's clock is more than 15 minutes off; fix the clock and retry.";
  if (isRetryable(status, code)) return 'The cloud was busy or failing; fcx retried. Run the command again.';
  return undefined;
}

export interface NormalizeContext {
  service: CloudService;
  operation: string;
  endpoint?: string;
  /** What the call's HTTP response said, read off the wire (src/cloud/http-capture.ts): pop-core and
   * @alicloud/log leave the status out of their errors. */
  response?: CapturedResponse;
}

/** The first characters of what the endpoint answered, on one line. */
function snippet(text: unknown): string {
  const t = String(text ?? '').replace(/\s+/g, ' ').trim();
  if (!t) return 'an empty body';
  return t.length > 80 ? `${t.slice(0, 80)}…` : t;
}

const notAlibaba = (status: number | undefined, what: string) =>
  `the endpoint answered${status ? ` HTTP ${status}` : ''} with something that is not an Alibaba Cloud API response (${what})`;

/** Reads status, code, request id and message off an SDK error of any of the four SDKs. */
export function normalizeError(err: unknown, c: NormalizeContext): CloudError {
  if (err instanceof CloudError) return err;
  const e = (err ?? {}) as Record<string, any>;
  let status: number | undefined = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined && typeof e.entry?.response?.statusCode === 'number') status = e.entry.response.statusCode; // pop-core API errors
  // The status read off the wire: an error status, or whatever came with a body that could not be parsed. (A 200
  // of an earlier request in the same call, e.g. a multipart upload's initiate, does not explain a later reset.)
  const wire = c.response?.status;
  if ((status === undefined || status <= 0) && wire && (wire >= 300 || e.name === 'SyntaxError')) status = wire;
  let code: string | undefined = typeof e.code === 'string' && e.code ? e.code : undefined;
  if (!code && typeof e.name === 'string' && TIMEOUT_NAMES.has(e.name)) code = 'RequestTimeout';
  const operation = c.service === 'oss' && typeof e.partNum === 'number' ? 'UploadPart' : c.operation; // a part of a multipart upload
  let requestId: string | undefined = e.requestId || e.requestid || e.RequestId || e.data?.RequestId;
  let message: string = typeof e.message === 'string' ? e.message : String(err);

  if (c.service === 'fc') {
    // fc2: "GET /services/x failed with 404. requestid: <id>, message: <msg>." and name FC<Code>Error
    const m = /failed with (\d{3})\. requestid: ([^,]*), message: ([\s\S]*)\.$/.exec(message);
    if (m) {
      status = Number(m[1]);
      if (m[2] && m[2] !== 'undefined') requestId = m[2];
      const type = String(c.response?.headers?.['content-type'] ?? '');
      message = m[3] !== 'undefined' ? m[3] : type && !/json/i.test(type) ? notAlibaba(status, `content-type ${type}`) : `the response had no JSON error body (HTTP ${status})`;
      if (m[3] === 'undefined' && type && !/json/i.test(type)) code ??= 'InvalidResponse';
    }
    if (!code && typeof e.name === 'string' && /^FC.+Error$/.test(e.name) && e.name !== 'FCundefinedError') code = e.name.slice(2, -5);
  }
  if (c.service === 'ram' || c.service === 'sts') {
    // pop-core: "<Message>, URL: <full url>" — the URL carries a signature, so drop it
    message = message.replace(/, URL: \S+$/, '');
    if (e.data && typeof e.data === 'object') requestId ??= e.data.RequestId;
  }
  if (status !== undefined && status <= 0) status = undefined; // urllib (ali-oss) reports -1 when there was no response
  if (!status && /socket hang up|ECONNRESET/i.test(message)) code = 'ECONNRESET';
  // urllib appends the URL and a dump of its agent's state: keep the first clause only.
  // httpx (under fc2, pop-core, @alicloud/log) glues "<METHOD> <url> failed." onto the message, without a space.
  message = message.replace(/\.? ?(GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS) https?:\/\/\S+ failed\.$/, '');
  message = message.replace(/ \(connected: [\s\S]*$/, '').replace(/, (GET|PUT|POST|DELETE|HEAD) https?:\/\/\S+ -?\d+$/, '');
  // pop-core parses with json-bigint, which throws a plain object named SyntaxError (not instanceof), with the text.
  if (err instanceof SyntaxError || e.name === 'SyntaxError') {
    message = notAlibaba(status, typeof e.text === 'string' ? snippet(e.text) : `not JSON: ${message}`);
    code = 'InvalidResponse';
  }
  if (operation === 'UploadPart') message = `part ${e.partNum}: ${message.replace(/^Failed to upload some parts with error: /, '').replace(/ part_num: \d+$/, '')}`;
  const finalCode = code ?? (status ? `HTTP${status}` : 'NetworkError');
  // No response at all: say where fcx tried to go; the code is already in the headline.
  if (!status && finalCode === 'EPROTO') message = `the TLS handshake with ${c.endpoint ?? 'the cloud'} failed (${/:([^:]+):\.\.?\//.exec(message)?.[1] ?? 'protocol error'})`;
  else if (!status && finalCode === 'RequestTimeout') message = `no answer from ${c.endpoint ?? 'the cloud'} in time (${message.replace(/\. .*$/, '').replace(/\.$/, '')})`;
  else if (!status && typeof e.code === 'string' && NETWORK_CODES.has(e.code)) message = `no answer from ${c.endpoint ?? 'the cloud'}`;
  return new CloudError({
    service: c.service,
    operation,
    status,
    code: finalCode,
    requestId: requestId && requestId !== 'undefined' ? String(requestId) : undefined,
    message,
    retryable: isRetryable(status, finalCode),
    hint: hintFor(c.service, operation, status, finalCode, c.endpoint),
    cause: err,
  });
}
