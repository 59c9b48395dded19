// Turns whatever an SDK throws into a CloudError that names the operation, HTTP status, error code and the
// cloud's request id, with a hint a person can act on. SDKs disagree on where they put these, so each has a reader.
import { CloudError, type CloudService } from '../core/errors';

const NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'EHOSTUNREACH', 'ResponseTimeoutError', 'ConnectionTimeoutError', 'RequestError']);
const THROTTLING = /throttl|toomanyrequests|qpslimit|ServiceUnavailable|ConcurrentUpdateError|Busy|InternalServerError|InternalError/i;

export function isRetryable(status: number | undefined, code: string | undefined): boolean {
  if (code && NETWORK_CODES.has(code)) return code !== 'ECONNREFUSED' && code !== 'ENOTFOUND';
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  return Boolean(code && THROTTLING.test(code));
}

function hintFor(service: CloudService, operation: string, status: number | undefined, code: string, endpoint?: string): string | undefined {
  if (code === 'ECONNREFUSED') {
    return endpoint
      ? `Nothing answers at ${endpoint}. If you meant the local emulator, start it first: fcx emulator`
      : 'The cloud endpoint refused the connection; check your network and --endpoint.';
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'The endpoint host name did not resolve; check --endpoint, --region and your network.';
  if (/AccessDenied|NoPermission|Forbidden|NotAuthorized/i.test(code) || status === 403) {
    if (/Signature|AccessKey/i.test(code)) return 'The access key or secret is wrong. Check ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET or your profile (--profile).';
    return `Your credentials may not perform ${service.toUpperCase()} ${operation}. Grant the RAM user a policy that allows it (for example AliyunFCFullAccess, AliyunRAMFullAccess, AliyunLogFullAccess, AliyunOSSFullAccess), or use another profile.`;
  }
  if (/InvalidAccessKey|Unauthorized/i.test(code)) return 'The access key id is not known. Check your credentials (--profile, ALIBABA_CLOUD_ACCESS_KEY_ID).';
  if (/RequestTimeExpired|TimeTooSkewed|InvalidTimeStamp/i.test(code)) return "This machine's clock is more than 15 minutes off; fix the clock and retry.";
  if (isRetryable(status, code)) return 'The cloud was busy or failing; fcx retried. Run the same command again — it picks up where it stopped.';
  return undefined;
}

export interface NormalizeContext {
  service: CloudService;
  operation: string;
  endpoint?: string;
}

/** Reads status, code, request id and message off an SDK error of any of the four SDKs. */
export function normalizeError(err: unknown, c: NormalizeContext): CloudError {
  if (err instanceof CloudError) return err;
  const e = (err ?? {}) as Record<string, any>;
  let status: number | undefined = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  let code: string | undefined = typeof e.code === 'string' && e.code ? e.code : undefined;
  let requestId: string | undefined = e.requestId || e.requestid || e.RequestId || e.data?.RequestId;
  let message: string = typeof e.message === 'string' ? e.message : String(err);

  if (c.service === 'fc') {
    // fc2: "GET /services/x failed with 404. requestid: <id>, message: <msg>." and name FC<Code>Error
    const m = /failed with (\d{3})\. requestid: ([^,]*), message: ([\s\S]*)\.$/.exec(message);
    if (m) {
      status = Number(m[1]);
      if (m[2] && m[2] !== 'undefined') requestId = m[2];
      message = m[3] === 'undefined' ? `the response had no JSON error body (HTTP ${status})` : m[3];
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
  message = message.replace(/ ?(GET|POST) https?:\/\/\S+ failed\.$/, '') // pop-core glues "<METHOD> <url> failed." on
  message = message.replace(/ \(connected: [\s\S]*$/, '').replace(/, (GET|PUT|POST|DELETE|HEAD) https?:\/\/\S+ -?\d+$/, '');
  if (err instanceof SyntaxError) {
    message = `the response was not valid JSON (${message}); the endpoint may not be an Alibaba Cloud API`;
    code ??= 'InvalidResponse';
  }
  const finalCode = code ?? (status ? `HTTP${status}` : 'NetworkError');
  // No response at all: say where fcx tried to go; the code is already in the headline.
  if (!status && typeof e.code === 'string' && NETWORK_CODES.has(e.code)) message = `no answer from ${c.endpoint ?? 'the cloud'}`;
  return new CloudError({
    service: c.service,
    operation: c.operation,
    status,
    code: finalCode,
    requestId: requestId && requestId !== 'undefined' ? String(requestId) : undefined,
    message,
    retryable: isRetryable(status, finalCode),
    hint: hintFor(c.service, c.operation, status, finalCode, c.endpoint),
    cause: err,
  });
}
