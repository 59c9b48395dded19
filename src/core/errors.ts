// Every failure the user can see is an FcxError: it knows its exit code and how to say what to do next.
// Exit codes (DESIGN §1): 0 ok; 1 cloud or runtime failure; 2 usage or manifest error (nothing was called);
// 3 a person must act (DNS, or a confirmation needed while non-interactive).

export const ExitCode = { ok: 0, failure: 1, usage: 2, actionNeeded: 3 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class FcxError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;
  /** Extra lines (for example every manifest problem) printed under the message. */
  readonly details: string[];
  constructor(message: string, opts: { exitCode?: ExitCodeValue; hint?: string; details?: string[]; cause?: unknown } = {}) {
    super(message);
    this.name = 'FcxError';
    this.exitCode = opts.exitCode ?? ExitCode.failure;
    this.hint = opts.hint;
    this.details = opts.details ?? [];
    if (opts.cause !== undefined) (this as { cause?: unknown }).cause = opts.cause;
  }
}

/** Bad flags or arguments: exit 2, no cloud call was made. */
export class UsageError extends FcxError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.usage, hint });
    this.name = 'UsageError';
  }
}

/** A person must do something (create a DNS record, pass --yes): exit 3. */
export class ActionNeededError extends FcxError {
  constructor(message: string, hint?: string, details?: string[]) {
    super(message, { exitCode: ExitCode.actionNeeded, hint, details });
    this.name = 'ActionNeededError';
  }
}

/** One problem in fcx.yaml, with its position. */
export interface ManifestProblem {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
  path: string; // key path such as functions.web.memory
  message: string;
}

export class ManifestError extends FcxError {
  readonly problems: ManifestProblem[];
  constructor(problems: ManifestProblem[]) {
    const n = problems.length;
    super(`${n === 1 ? 'There is a problem' : `There are ${n} problems`} in ${problems[0]?.file ?? 'fcx.yaml'}; nothing was sent to the cloud.`, {
      exitCode: ExitCode.usage,
      details: problems.map((p) => `${p.file}:${p.line}:${p.col}  ${p.path ? p.path + ': ' : ''}${p.message}`),
      hint: 'Fix the lines above and run the command again.',
    });
    this.name = 'ManifestError';
    this.problems = problems;
  }
}

export type CloudService = 'fc' | 'oss' | 'ram' | 'sts' | 'sls';

/** A call to Alibaba Cloud (or the emulator) failed. Always names status, code and request id. */
export class CloudError extends FcxError {
  readonly service: CloudService;
  readonly operation: string;
  readonly status?: number;
  readonly code: string;
  readonly requestId?: string;
  readonly cloudMessage: string;
  readonly retryable: boolean;
  constructor(o: {
    service: CloudService;
    operation: string;
    status?: number;
    code?: string;
    requestId?: string;
    message?: string;
    hint?: string;
    retryable?: boolean;
    exitCode?: ExitCodeValue;
    cause?: unknown;
  }) {
    const code = o.code || (o.status ? `HTTP${o.status}` : 'NetworkError');
    const msg = o.message || 'no error message in the response';
    // Without an HTTP status there was no response, so there is no request id to mention either.
    const parts = [o.status ? `HTTP ${o.status}` : undefined, code, o.requestId ? `request id ${o.requestId}` : o.status ? 'no request id' : undefined].filter(Boolean);
    super(`${o.service.toUpperCase()} ${o.operation} failed (${parts.join(', ')}): ${msg}`, {
      exitCode: o.exitCode ?? ExitCode.failure,
      hint: o.hint,
      cause: o.cause,
    });
    this.name = 'CloudError';
    this.service = o.service;
    this.operation = o.operation;
    this.status = o.status;
    this.code = code;
    this.requestId = o.requestId;
    this.cloudMessage = msg;
    this.retryable = o.retryable ?? false;
  }
}

/** Anything thrown that is not an FcxError becomes one, so no stack trace or `[object Object]` reaches the user. */
export function toFcxError(err: unknown): FcxError {
  if (err instanceof FcxError) return err;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') return new FcxError(`${err.message}`, { hint: 'Another program uses that port; pick another with --port.' });
    if (code === 'ENOENT') return new FcxError(err.message, { hint: 'Check the path and run the command again.' });
    return new FcxError(err.message || err.name, { cause: err, hint: 'This looks like a bug in fcx. Run again with --debug and report it with the output.' });
  }
  return new FcxError(typeof err === 'string' ? err : JSON.stringify(err));
}
