// Turns a function process's stdout/stderr into SLS rows the way FC writes them: one row per line, or per
// multi-line block when the service's logConfig.logBeginRule is "DefaultRegex" (a line that starts with a
// date/time begins a new entry; other lines continue the previous one, so a Python traceback stays whole).
// Rows are batched and flushed right after each "FC Invoke End" line (so `fcx logs` just after a response
// sees them) or within 100 ms otherwise. It also keeps the lines of single invocations for x-fc-log-result.
import type { FunctionLogMeta, LogSink } from '../types';

const START_RE = /^FC (Invoke|Initialize) Start RequestId: (\S+)/;
const END_RE = /^FC (Invoke|Initialize) End RequestId: (\S+)/;
const FRAMING_RE = /^FC (Invoke|Initialize) (Start|End) RequestId: /;
// DefaultRegex: an entry begins with a date and time, e.g. "2017-07-05T05:13:35.920Z" or "2017-07-05 05:13:35".
const ENTRY_BEGIN_RE = /^\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/;
const FLUSH_DELAY_MS = 100;
const CAPTURE_LIMIT = 64 * 1024;

export interface FunctionLogOptions {
  sink: LogSink;
  logConfig?: { project: string; logstore: string; logBeginRule?: string };
  serviceName: string;
  functionName: string;
  qualifier: string;
  /** Also hands every row to this callback (e.g. `fcx dev` prints function output). */
  echo?: (row: { instanceID: string; message: string; timeMs: number }) => void;
}

/** The rows of one function (all its instances) on their way to the log sink. */
export class FunctionLog {
  private pending = new Map<string, Array<{ timeMs: number; message: string }>>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private readonly instances = new Set<InstanceLog>();
  readonly multiline: boolean;

  constructor(private readonly opts: FunctionLogOptions) {
    this.multiline = opts.logConfig?.logBeginRule === 'DefaultRegex';
  }

  forInstance(instanceID: string): InstanceLog {
    const log = new InstanceLog(this, instanceID);
    this.instances.add(log);
    return log;
  }

  detach(log: InstanceLog): void {
    this.instances.delete(log);
  }

  addRow(instanceID: string, timeMs: number, message: string): void {
    this.opts.echo?.({ instanceID, message, timeMs });
    if (!this.opts.logConfig) return;
    let rows = this.pending.get(instanceID);
    if (!rows) this.pending.set(instanceID, (rows = []));
    rows.push({ timeMs, message });
    if (!this.timer && !this.immediate) this.timer = setTimeout(() => this.flush(), FLUSH_DELAY_MS).unref();
  }

  /** Flush before the next incoming request is read (used right after an invocation ends). */
  flushSoon(): void {
    if (this.immediate) return;
    this.immediate = setImmediate(() => this.flush());
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
    for (const inst of this.instances) inst.closeGroup();
    const cfg = this.opts.logConfig;
    if (!cfg || this.pending.size === 0) return;
    const batches = this.pending;
    this.pending = new Map();
    for (const [instanceID, lines] of batches) {
      const meta: FunctionLogMeta = {
        serviceName: this.opts.serviceName,
        functionName: this.opts.functionName,
        qualifier: this.opts.qualifier,
        versionId: '',
        instanceID,
      };
      try {
        this.opts.sink.writeFunctionLogs({ project: cfg.project, logstore: cfg.logstore }, meta, lines);
      } catch {
        // A broken log store must never fail the function's response; FC drops such logs too.
      }
    }
  }
}

interface Capture {
  lines: string[];
  bytes: number;
  started: boolean;
  ended: boolean;
}

/** The output of one instance: line splitting, multi-line grouping, invocation captures. */
export class InstanceLog {
  private partial = { out: '', err: '' };
  private group: { timeMs: number; lines: string[] } | undefined;
  private captures = new Map<string, Capture>();
  private endWaiters = new Map<string, () => void>();
  private ended = new Set<string>();
  private platformFramed = new Set<string>();
  private appFramed = new Set<string>();
  private active = new Set<string>();
  /** Requests whose "FC Invoke Start" line was read (so an abnormal end does not write a second one). */
  private invokeStarted = new Set<string>();

  constructor(private readonly fn: FunctionLog, readonly instanceID: string) {}

  feed(stream: 'out' | 'err', chunk: Buffer): void {
    const text = this.partial[stream] + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const p of parts) this.line(p.endsWith('\r') ? p.slice(0, -1) : p);
  }

  /** Output the runtime returned with an invocation's result (whole lines, in order). */
  feedText(text: string): void {
    if (!text) return;
    const parts = text.split('\n');
    if (parts[parts.length - 1] === '') parts.pop();
    for (const p of parts) this.line(p.endsWith('\r') ? p.slice(0, -1) : p);
  }

  /** The process ended: its unterminated last lines still count. */
  finish(): void {
    for (const s of ['out', 'err'] as const) {
      if (this.partial[s]) this.line(this.partial[s]);
      this.partial[s] = '';
    }
    this.closeGroup();
    for (const resolve of this.endWaiters.values()) resolve();
    this.endWaiters.clear();
    this.fn.flush();
    this.fn.detach(this);
  }

  /** A framing line written by the platform itself (custom runtimes); an identical line the app prints is dropped. */
  platformLine(line: string): void {
    if (this.appFramed.delete(line)) return; // the app printed it already
    this.platformFramed.add(line);
    this.line(line, true);
  }

  /** Keep this invocation's lines for x-fc-log-result. */
  capture(requestId: string): void {
    this.captures.set(requestId, { lines: [], bytes: 0, started: false, ended: false });
  }

  takeCapture(requestId: string): string[] {
    const c = this.captures.get(requestId);
    this.captures.delete(requestId);
    return c ? c.lines : [];
  }

  /** Resolves once "FC Invoke End RequestId: <id>" has been read (or after `ms`). */
  waitForEnd(requestId: string, ms: number): Promise<void> {
    if (this.ended.delete(requestId)) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.endWaiters.delete(requestId);
        resolve();
      }, ms);
      this.endWaiters.set(requestId, () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Forget an invocation that will never end normally (timeout, crash). */
  forget(requestId: string): void {
    this.active.delete(requestId);
    this.ended.delete(requestId);
    const w = this.endWaiters.get(requestId);
    if (w) w();
    this.endWaiters.delete(requestId);
  }

  /**
   * The platform ended an invocation (timeout, crash, failed start): after the output already read, FC writes
   * an error line and the End line, so `fcx logs --request-id` and x-fc-log-result see the request end. A
   * Start line is written first when the runtime's own was lost (a crash before its output left the process).
   * The wording of the error line is FC's style, [unverified] against a real FC log.
   */
  abnormalEnd(requestId: string, message: string): void {
    if (!this.invokeStarted.delete(requestId)) this.platformLine(`FC Invoke Start RequestId: ${requestId}`);
    this.line(`${new Date().toISOString()} ${requestId} [ERROR] ${message}`, true);
    this.platformLine(`FC Invoke End RequestId: ${requestId}`);
    this.forget(requestId);
    this.fn.flush();
  }

  closeGroup(): void {
    if (!this.group) return;
    const g = this.group;
    this.group = undefined;
    this.fn.addRow(this.instanceID, g.timeMs, g.lines.join('\n'));
  }

  private line(line: string, fromPlatform = false): void {
    if (!fromPlatform && FRAMING_RE.test(line)) {
      if (this.platformFramed.delete(line)) return;
      this.appFramed.add(line);
      if (this.appFramed.size > 1000) this.appFramed.clear();
    }
    const now = Date.now();
    const start = START_RE.exec(line);
    const end = start ? null : END_RE.exec(line);
    if (start) this.active.add(start[2]);
    if (start && start[1] === 'Invoke') {
      this.invokeStarted.add(start[2]);
      if (this.invokeStarted.size > 1000) this.invokeStarted.clear();
    }
    this.captureLine(line, start?.[2], end?.[2]);
    if (FRAMING_RE.test(line)) {
      this.closeGroup();
      this.fn.addRow(this.instanceID, now, line);
    } else if (this.fn.multiline) {
      if (this.group && !ENTRY_BEGIN_RE.test(line)) this.group.lines.push(line);
      else {
        this.closeGroup();
        this.group = { timeMs: now, lines: [line] };
      }
    } else {
      this.fn.addRow(this.instanceID, now, line);
    }
    if (end) {
      const rid = end[2];
      this.active.delete(rid);
      if (end[1] === 'Invoke') this.invokeStarted.delete(rid);
      if (end[1] === 'Invoke') {
        const w = this.endWaiters.get(rid);
        if (w) {
          this.endWaiters.delete(rid);
          w();
        } else {
          this.ended.add(rid);
          if (this.ended.size > 1000) this.ended.clear();
        }
      }
      this.fn.flushSoon();
    }
  }

  private captureLine(line: string, startRid?: string, endRid?: string): void {
    if (this.captures.size === 0) return;
    for (const [rid, c] of this.captures) {
      if (startRid === rid) c.started = true;
      if (!c.started || c.ended) continue;
      // With several requests on one instance, keep only lines that are this request's or unattributed.
      if (this.active.size > 1 && !line.includes(rid) && (startRid || endRid || /[0-9a-f]{8}-[0-9a-f]{4}-/.test(line))) continue;
      if (c.bytes < CAPTURE_LIMIT) {
        c.lines.push(line);
        c.bytes += line.length + 1;
      }
      if (endRid === rid && line.startsWith('FC Invoke End')) c.ended = true;
    }
  }
}
