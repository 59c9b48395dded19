// The control API (DESIGN §5), loopback only: health, the log of cloud calls, injected faults, reset.
import { defaultFaultCode } from './fault-codes';
import type { EmuRequest, EmuResponse, ServiceName } from './types';

export interface RecordedCall {
  seq: number;
  service: ServiceName;
  action: string;
  method: string;
  path: string;
  status: number;
  errorCode?: string;
  requestId: string;
  time: string;
  durationMs: number;
}

export interface FaultSpec {
  service?: string;
  action?: string;
  status?: number;
  errorCode?: string;
  message?: string;
  /** How many matching calls it affects; default 1. */
  times?: number;
  delayMs?: number;
}

/** What a fault does to one call. */
export type FaultEffect =
  | { kind: 'reset' } // destroy the socket: the client sees ECONNRESET
  | { kind: 'error'; delayMs: number; status: number; errorCode: string; message: string }
  | { kind: 'delay'; delayMs: number };

const MAX_LOG = 100_000;

/** Default messages for fault codes that callers inject often. */
const DEFAULT_MESSAGES: Record<string, string> = {
  DomainNameNotResolved: "domain name '%s' has not been resolved to your FC endpoint; add a CNAME record pointing to it",
  Throttling: 'Request was denied due to request throttling.',
  'Throttling.User': 'Request was denied due to user flow control.',
  ServiceUnavailable: 'The request has failed due to a temporary failure of the server.',
  InternalServerError: 'An internal server error occurred; please retry.',
  InternalError: 'We encountered an internal error. Please try again.',
  ResourceThrottled: 'Too many requests in a short time; please retry later.',
};

export class ControlState {
  private calls: RecordedCall[] = [];
  private seq = 0;
  private faults: Array<FaultSpec & { remaining: number }> = [];

  record(call: Omit<RecordedCall, 'seq'>): RecordedCall {
    const rec = { seq: ++this.seq, ...call };
    this.calls.push(rec);
    if (this.calls.length > MAX_LOG) this.calls.splice(0, this.calls.length - MAX_LOG);
    return rec;
  }

  requests(): RecordedCall[] {
    return this.calls;
  }

  addFaults(list: FaultSpec[]): void {
    for (const f of list) this.faults.push({ ...f, remaining: f.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  pendingFaults(): FaultSpec[] {
    return this.faults.map(({ remaining, ...f }) => ({ ...f, times: remaining }));
  }

  reset(): void {
    this.calls = [];
    this.seq = 0;
    this.faults = [];
  }

  /** The first fault that matches this call, consumed once. */
  take(service: ServiceName, action: string, resourceName?: string): FaultEffect | undefined {
    const i = this.faults.findIndex((f) => (!f.service || f.service.toLowerCase() === service) && (!f.action || f.action.toLowerCase() === action.toLowerCase()));
    if (i < 0) return undefined;
    const f = this.faults[i];
    if (--f.remaining <= 0) this.faults.splice(i, 1);
    if (f.errorCode === 'ECONNRESET') return { kind: 'reset' };
    if (f.status === undefined && !f.errorCode) return { kind: 'delay', delayMs: f.delayMs ?? 0 };
    const status = f.status ?? 500;
    // A status alone gets the service's own code for it (a 400 must not look like a retryable 500).
    const code = f.errorCode ?? defaultFaultCode(service, action, status);
    const template = f.message ?? DEFAULT_MESSAGES[code] ?? `injected fault ${code}`;
    return { kind: 'error', delayMs: f.delayMs ?? 0, status, errorCode: code, message: template.replace('%s', resourceName ?? '') };
  }
}

function json(status: number, value: unknown): EmuResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

const FAULT_LIST_SHAPE =
  'expected [{"service":"fc|oss|ram|sts|sls","action":"CreateFunction","status":400..599,"errorCode":"...","message":"...","times":1,"delayMs":0}]: each fault needs status/errorCode (fail) or delayMs (stall), times a whole number >= 1 (default 1)';
const FAULT_KEYS = new Set(['service', 'action', 'status', 'errorCode', 'message', 'times', 'delayMs']);
const SERVICES = new Set(['fc', 'oss', 'ram', 'sts', 'sls']);

/** What is wrong with one fault of a POST /_emulator/faults body, or undefined. */
function faultProblem(f: unknown): string | undefined {
  if (!f || typeof f !== 'object' || Array.isArray(f)) return `${JSON.stringify(f)} is not an object`;
  const o = f as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !FAULT_KEYS.has(k));
  if (unknown.length) return `unknown key ${unknown.map((k) => `"${k}"`).join(', ')}`;
  for (const k of ['service', 'action', 'errorCode', 'message']) {
    if (o[k] !== undefined && typeof o[k] !== 'string') return `"${k}" must be a string, got ${JSON.stringify(o[k])}`;
  }
  if (o.service !== undefined && !SERVICES.has((o.service as string).toLowerCase())) return `"service" must be one of fc, oss, ram, sts, sls, got "${o.service}"`;
  if (o.status !== undefined && !(Number.isInteger(o.status) && (o.status as number) >= 400 && (o.status as number) <= 599)) return `"status" must be an error status (a whole number 400..599), got ${JSON.stringify(o.status)}`;
  if (o.times !== undefined && !(Number.isInteger(o.times) && (o.times as number) >= 1)) return `"times" must be a whole number >= 1 (how many matching calls fail), got ${JSON.stringify(o.times)}`;
  if (o.delayMs !== undefined && !(typeof o.delayMs === 'number' && Number.isFinite(o.delayMs) && o.delayMs >= 0)) return `"delayMs" must be a number of milliseconds >= 0, got ${JSON.stringify(o.delayMs)}`;
  // A fault that neither fails nor stalls would be used up silently: almost surely a forgotten "status".
  if (o.status === undefined && o.errorCode === undefined && !o.delayMs) return 'it does nothing: give "status" (and "errorCode") to fail calls, or "delayMs" to stall them';
  return undefined;
}

export interface ControlDeps {
  state: ControlState;
  health(): Record<string, unknown>;
  reset(): Promise<void>;
  /** Serves internal files such as function code downloads (GET /_emulator/code/...). */
  extra?(req: EmuRequest): Promise<EmuResponse | undefined>;
}

export async function handleControl(req: EmuRequest, deps: ControlDeps): Promise<EmuResponse> {
  const route = `${req.method} ${req.path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /_emulator/health':
      return json(200, { ok: true, ...deps.health() });
    case 'GET /_emulator/requests': {
      let calls = deps.state.requests();
      const since = Number(req.query.get('since') ?? 0);
      if (since) calls = calls.filter((c) => c.seq > since);
      const service = req.query.get('service');
      if (service) calls = calls.filter((c) => c.service === service);
      return json(200, calls);
    }
    case 'GET /_emulator/faults':
      return json(200, deps.state.pendingFaults());
    case 'POST /_emulator/faults': {
      let list: unknown;
      try {
        list = JSON.parse(req.body.toString('utf8') || '[]');
      } catch {
        return json(400, { error: `the body is not JSON; ${FAULT_LIST_SHAPE}` });
      }
      if (!Array.isArray(list)) return json(400, { error: `the body must be a JSON list (wrap a single fault in [ ]); ${FAULT_LIST_SHAPE}` });
      for (let i = 0; i < list.length; i++) {
        const problem = faultProblem(list[i]);
        if (problem) return json(400, { error: `fault ${i + 1}: ${problem}; ${FAULT_LIST_SHAPE}` });
      }
      deps.state.addFaults(list as FaultSpec[]);
      return json(200, { ok: true, faults: deps.state.pendingFaults() });
    }
    case 'DELETE /_emulator/faults':
      deps.state.clearFaults();
      return json(200, { ok: true });
    case 'POST /_emulator/reset':
      await deps.reset();
      return json(200, { ok: true });
  }
  const extra = await deps.extra?.(req);
  if (extra) return extra;
  return json(404, { error: `no control endpoint ${req.method} ${req.path}; see GET /_emulator/health, /_emulator/requests, POST /_emulator/faults, DELETE /_emulator/faults, POST /_emulator/reset` });
}
