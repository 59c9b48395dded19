// The error results FC gives when the platform (not the function) ends an invocation. Messages follow FC's
// wording where it is known: "Process exited unexpectedly before completing request" (fc-nodejs-sdk tests),
// "Function time out after N seconds" (FC 2.0 doc "How to handle an execution timeout error").
// HTTP status 502 for timeouts and start failures on HTTP triggers is [unverified]: FC's docs do not show it.
import type { Instance } from './instance';
import type { EventResult, HttpResult } from './manager';

export type InvocationErrorType = 'UnhandledInvocationError' | 'HandledInvocationError';

export class PlatformError extends Error {
  /** The instance that failed to start, when the request never got one (its output holds the reason). */
  instance?: Instance;
  constructor(message: string, readonly errorType: InvocationErrorType = 'UnhandledInvocationError') {
    super(message);
  }
}

export const crashMessage = 'Process exited unexpectedly before completing request';
export const timeoutMessage = (seconds: number) => `Function time out after ${seconds} seconds`;
export const initTimeoutMessage = (seconds: number) => `Function initialization time out after ${seconds} seconds`;

export function httpError(message: string, errorType: InvocationErrorType = 'UnhandledInvocationError', status = 502): HttpResult {
  return {
    status,
    headers: [['content-type', 'application/json']],
    body: Buffer.from(JSON.stringify({ errorMessage: message })),
    errorType,
  };
}

export function eventError(message: string, durationMs: number, errorType: InvocationErrorType = 'UnhandledInvocationError'): EventResult {
  return { body: Buffer.from(JSON.stringify({ errorMessage: message })), errorType, durationMs };
}
