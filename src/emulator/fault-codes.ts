// The error code an injected fault gets when it names only a status: each service's own code for that status,
// so a client's retry logic sees what the real cloud would send (a 400 is InvalidArgument, not a retryable
// InternalServerError). Codes come from the error tables in wire-protocol.md (§2.9 FC, §3 OSS, §4 RAM/STS,
// §5 SLS); the 401/403/429 choices for OSS, RAM/STS and SLS are [unverified] guesses in each service's style.
import { STATUS_CODES } from 'node:http';
import type { ServiceName } from './types';

export function defaultFaultCode(service: ServiceName | undefined, action: string | undefined, status: number): string {
  const act = action ?? '';
  const svc = service ?? 'fc';
  if (status >= 500) {
    if (status === 503) return 'ServiceUnavailable';
    return svc === 'oss' || svc === 'ram' || svc === 'sts' ? 'InternalError' : 'InternalServerError';
  }
  switch (status) {
    case 400:
      return svc === 'ram' || svc === 'sts' ? 'InvalidParameter' : svc === 'sls' ? 'ParameterInvalid' : 'InvalidArgument';
    case 401:
      return svc === 'sls' ? 'Unauthorized' : svc === 'ram' || svc === 'sts' ? 'InvalidAccessKeyId.NotFound' : 'AccessDenied';
    case 403:
      return svc === 'sls' ? 'Unauthorized' : svc === 'ram' || svc === 'sts' ? 'NoPermission' : 'AccessDenied';
    case 404:
      return notFoundCode(svc, act);
    case 409:
      return conflictCode(svc, act);
    case 412:
      return 'PreconditionFailed';
    case 429:
      return svc === 'fc' ? 'ResourceThrottled' : svc === 'sls' ? 'WriteQuotaExceed' : 'Throttling';
  }
  // Any other status: its reason phrase as a code ("Payload Too Large" -> PayloadTooLarge).
  return (STATUS_CODES[status] ?? (status < 500 ? 'Bad Request' : 'Internal Server Error')).replace(/[^A-Za-z]/g, '');
}

/** FC names the missing resource; the action says which one (CreateFunction -> the service, GetFunction -> the function). */
function fcResource(action: string): string {
  for (const r of ['CustomDomain', 'Trigger', 'Alias', 'Version', 'Function', 'Service']) if (action.includes(r)) return r;
  return action.includes('Invoke') ? 'Function' : 'Service';
}

function notFoundCode(svc: ServiceName, action: string): string {
  switch (svc) {
    case 'fc': {
      // Creating or listing things misses their parent: CreateFunction -> the service, CreateTrigger -> the function.
      const res = fcResource(action);
      const parent: Record<string, string> = { Function: 'Service', Version: 'Service', Alias: 'Service', Trigger: 'Function', CustomDomain: 'Service' };
      const missing = /^(Create|List|Publish)/.test(action) ? parent[res] ?? res : res;
      return missing === 'CustomDomain' ? 'DomainNameNotFound' : `${missing}NotFound`;
    }
    case 'oss':
      return /Object|Multipart|Upload|Part/.test(action) && !/^(Put|Get|Delete|List)Bucket|ListObjects/.test(action) ? 'NoSuchKey' : 'NoSuchBucket';
    case 'ram':
    case 'sts':
      return /Policy/.test(action) && !/Role$/.test(action) ? 'EntityNotExist.Policy' : 'EntityNotExist.Role';
    case 'sls':
      if (/Index/.test(action)) return 'IndexConfigNotExist';
      return /Project/.test(action) ? 'ProjectNotExist' : 'LogStoreNotExist';
  }
}

function conflictCode(svc: ServiceName, action: string): string {
  if (!action.startsWith('Create')) return 'Conflict';
  switch (svc) {
    case 'fc': {
      const res = fcResource(action);
      return res === 'CustomDomain' ? 'DomainNameAlreadyExists' : `${res}AlreadyExists`;
    }
    case 'oss':
      return 'BucketAlreadyExists';
    case 'ram':
      return /Policy/.test(action) ? 'EntityAlreadyExists.Policy' : 'EntityAlreadyExists.Role';
    case 'sls':
      return /Project/.test(action) ? 'ProjectAlreadyExist' : /Index/.test(action) ? 'IndexAlreadyExist' : 'LogStoreAlreadyExist';
    default:
      return 'Conflict';
  }
}
