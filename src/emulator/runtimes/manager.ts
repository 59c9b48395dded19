// Runs deployed functions for the emulator's FC service: unpacks the code once per checksum, keeps a pool of
// warm instances per function (pool.ts), and turns what the platform does to an invocation (timeouts,
// crashes, failed starts) into FC's error shapes. Function output becomes SLS rows through the LogSink.
//
// What differs from real FC (documented for the README):
// - python3.9/python3.10 functions run on this machine's python3 (or $FCX_PYTHON) and nodejs16/18/20 on the
//   emulator's own node, whatever version the runtime names. No sandbox: functions run as the emulator's user
//   with the host's file system; memorySize is reported, not enforced; no /tmp or /code isolation
//   (FC_FUNC_CODE_PATH points at the unpacked code folder).
// - Custom runtimes share one machine, so each instance gets its own port in FC_SERVER_PORT (the first one
//   caPort when free); an app that hard-codes its port is kept to one instance (see custom-instance.ts).
// - The emulator writes the "FC Invoke Start/End" framing lines for custom runtimes too.
// - Error shapes for timeouts on HTTP triggers (502 + UnhandledInvocationError) and start failures are
//   [unverified]; crash and timeout messages follow FC's wording.
// - Up to 10 instances per function (then requests queue); idle instances stop after 10 minutes.
// - When the platform ends an invocation (timeout, crash, failed start), the log gets the output read so far,
//   an error line "<ISO time> <request id> [ERROR] <message>" and "FC Invoke End" (InstanceLog.abnormalEnd);
//   the error line's exact wording in FC's logs is [unverified].
// - Output printed right before a hard crash (a segfault, a kill) can be lost; Python's os._exit() writes it first.
import { join } from 'node:path';
import type { LogSink } from '../types';
import { ensureCode } from './code-cache';
import { maxMemoryMB, pythonExecutable } from './env';
import { crashMessage, eventError, httpError, PlatformError } from './errors';
import { reapOrphans, type Instance } from './instance';
import { FunctionLog } from './log-stream';
import { FunctionPool } from './pool';

export interface FunctionRuntimeSpec {
  serviceName: string;
  functionName: string;
  qualifier: string;
  runtime: string;
  handler: string;
  initializer?: string;
  initializationTimeout: number;
  timeout: number;
  memorySize: number;
  instanceConcurrency: number;
  environmentVariables: Record<string, string>;
  caPort: number;
  customRuntimeConfig?: { command?: string[]; args?: string[] };
  codeChecksum: string;
  codeBlobPath: string; // the zip on disk
  logConfig?: { project: string; logstore: string; logBeginRule?: string };
  region: string;
  accountId: string;
  credentials?: { accessKeyId: string; accessKeySecret: string; securityToken: string };
}

export interface HttpInvocation {
  requestId: string;
  method: string;
  /** PATH_INFO the function sees: percent-decoded, base path already removed. */
  path: string;
  /** The same path still percent-encoded, when known (forwarded as-is to custom runtimes). */
  rawPath?: string;
  rawQuery: string;
  requestURI: string; // fc.request_uri
  headers: Array<[string, string]>; // already filtered
  body: Buffer;
  clientIP: string;
  basePath?: string;
  host?: string;
}

export interface HttpResult {
  status: number;
  /** Without content-length / transfer-encoding / connection: the server frames the body itself. */
  headers: Array<[string, string]>;
  body: Buffer;
  errorType?: string;
}

export interface EventInvocation {
  requestId: string;
  payload: Buffer;
  logTail: boolean;
  /** Async: invokeEvent resolves at once (the caller answers 202) and the function runs in the background. */
  async: boolean;
}

export interface EventResult {
  body: Buffer;
  errorType?: string;
  logResult?: string; // base64 for x-fc-log-result
  durationMs: number;
  /** Peak memory of the instance in MB (Linux; 0 when unknown), for x-fc-max-memory-usage. */
  maxMemoryMB?: number;
}

export interface RuntimeManagerOptions {
  workDir: string;
  logSink: LogSink;
  /** Instances per function before requests queue (default 10). */
  maxInstancesPerFunction?: number;
  /** Idle instances stop after this long (default 10 minutes; env FCX_INSTANCE_IDLE_MS). */
  idleMs?: number;
  /** How long a custom runtime may take to listen on its port (default 30 s; env FCX_CUSTOM_START_TIMEOUT_MS). */
  customStartTimeoutMs?: number;
  /** Every log row also goes here (e.g. `fcx dev` prints function output). */
  echo?: (row: { serviceName: string; functionName: string; instanceID: string; message: string; timeMs: number }) => void;
}

const LOG_TAIL_BYTES = 4096;

export class RuntimeManager {
  private readonly pools = new Map<string, { generation: string; pool: FunctionPool }>();
  private readonly opts: Required<Omit<RuntimeManagerOptions, 'echo'>> & Pick<RuntimeManagerOptions, 'echo'>;
  private readonly reaper: NodeJS.Timeout;
  private readonly background = new Set<Promise<unknown>>();
  private closed = false;

  private get instancesDir(): string {
    return join(this.opts.workDir, 'instances');
  }

  constructor(opts: RuntimeManagerOptions) {
    const envNum = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
    this.opts = {
      workDir: opts.workDir,
      logSink: opts.logSink,
      maxInstancesPerFunction: opts.maxInstancesPerFunction ?? 10,
      idleMs: opts.idleMs ?? envNum('FCX_INSTANCE_IDLE_MS') ?? 10 * 60_000,
      customStartTimeoutMs: opts.customStartTimeoutMs ?? envNum('FCX_CUSTOM_START_TIMEOUT_MS') ?? 30_000,
      echo: opts.echo,
    };
    reapOrphans(this.instancesDir);
    void pythonExecutable(); // resolve python3 (often a slow pyenv shim) before the first cold start needs it
    this.reaper = setInterval(() => {
      for (const { pool } of this.pools.values()) pool.reapIdle(this.opts.idleMs);
    }, Math.min(30_000, Math.max(50, this.opts.idleMs / 2))).unref();
  }

  async invokeHttp(fn: FunctionRuntimeSpec, inv: HttpInvocation): Promise<HttpResult> {
    let used: Instance | undefined;
    try {
      const pool = await this.poolFor(fn);
      const result = await pool.run(inv.requestId, (inst) => inst.invokeHttp(inv), (inst) => (used = inst));
      // The runtime printed "FC Invoke End" before answering; make sure it is read and flushed, so logs
      // asked for right after this response include this request's lines.
      if (used) await used.log.waitForEnd(inv.requestId, 500);
      return result;
    } catch (err) {
      await endAbnormally(used, inv.requestId, err);
      return httpError(messageOf(err));
    }
  }

  async invokeEvent(fn: FunctionRuntimeSpec, inv: EventInvocation): Promise<EventResult> {
    if (inv.async) {
      const run = this.runEvent(fn, { ...inv, logTail: false, async: false }).catch(() => undefined);
      this.background.add(run);
      void run.finally(() => this.background.delete(run));
      return { body: Buffer.alloc(0), durationMs: 0 };
    }
    return this.runEvent(fn, inv);
  }

  private async runEvent(fn: FunctionRuntimeSpec, inv: EventInvocation): Promise<EventResult> {
    let used: Instance | undefined;
    const started = process.hrtime.bigint();
    let result: EventResult;
    try {
      const pool = await this.poolFor(fn);
      let t0 = started;
      const out = await pool.run(
        inv.requestId,
        (inst) => inst.invokeEvent(inv),
        (inst) => {
          used = inst;
          t0 = process.hrtime.bigint();
          if (inv.logTail) inst.log.capture(inv.requestId);
        },
      );
      const durationMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (used) await used.log.waitForEnd(inv.requestId, 500);
      result = { body: out.body, errorType: out.errorType, durationMs, maxMemoryMB: used ? Math.round(maxMemoryMB(used.pid) * 100) / 100 : 0 };
    } catch (err) {
      used ??= err instanceof PlatformError ? err.instance : undefined;
      await endAbnormally(used, inv.requestId, err);
      result = eventError(messageOf(err), Number(process.hrtime.bigint() - started) / 1e6);
    }
    if (inv.logTail) result.logResult = this.logTail(fn, used, inv.requestId, result.durationMs);
    return result;
  }

  private logTail(fn: FunctionRuntimeSpec, inst: Instance | undefined, requestId: string, durationMs: number): string {
    const lines = inst ? inst.log.takeCapture(requestId) : [];
    const mem = maxMemoryMB(inst?.pid);
    lines.push(
      `Duration: ${durationMs.toFixed(2)} ms, Billed Duration: ${Math.max(1, Math.ceil(durationMs))} ms, ` +
        `Memory Size: ${fn.memorySize} MB, Max Memory Used: ${mem.toFixed(2)} MB`,
    );
    let text = lines.join('\n') + '\n';
    let buf = Buffer.from(text, 'utf8');
    if (buf.length > LOG_TAIL_BYTES) {
      // FC returns the last 4 KB; start it at a line boundary when there is one.
      buf = buf.subarray(buf.length - LOG_TAIL_BYTES);
      const nl = buf.indexOf(10);
      if (nl >= 0 && nl < buf.length - 1) buf = buf.subarray(nl + 1);
      text = buf.toString('utf8');
      buf = Buffer.from(text, 'utf8');
    }
    return buf.toString('base64');
  }

  /** The pool for this function and configuration; a changed configuration retires the old pool. */
  private async poolFor(fn: FunctionRuntimeSpec): Promise<FunctionPool> {
    if (this.closed) throw new PlatformError('the emulator is shutting down');
    const key = poolKey(fn.serviceName, fn.functionName, fn.qualifier);
    const generation = generationOf(fn);
    const current = this.pools.get(key);
    if (current && current.generation === generation) {
      // Temporary role credentials rotate; running instances get the new ones with each request.
      current.pool.fn.credentials = fn.credentials;
      return current.pool;
    }
    let codeDir: string;
    try {
      codeDir = await ensureCode(this.opts.workDir, fn.codeChecksum, fn.codeBlobPath);
    } catch (err) {
      throw new PlatformError(`cannot unpack the function's code: ${messageOf(err)}`);
    }
    const again = this.pools.get(key); // another request may have created it meanwhile
    if (again && again.generation === generation) return again.pool;
    const echo = this.opts.echo;
    const log = new FunctionLog({
      sink: this.opts.logSink,
      logConfig: fn.logConfig?.project && fn.logConfig.logstore ? fn.logConfig : undefined,
      serviceName: fn.serviceName,
      functionName: fn.functionName,
      qualifier: fn.qualifier,
      echo: echo ? (row) => echo({ serviceName: fn.serviceName, functionName: fn.functionName, ...row }) : undefined,
    });
    const pool = new FunctionPool(fn, codeDir, log, {
      maxInstances: this.opts.maxInstancesPerFunction,
      customStartTimeoutMs: this.opts.customStartTimeoutMs,
      instancesDir: this.instancesDir,
    });
    this.pools.set(key, { generation, pool });
    if (again) void again.pool.retire();
    return pool;
  }

  /** The function was updated or deleted: its instances stop (busy ones once their request ends). */
  async retire(serviceName: string, functionName: string): Promise<void> {
    const prefix = poolKey(serviceName, functionName, '');
    const jobs: Array<Promise<void>> = [];
    for (const [key, { pool }] of this.pools) {
      if (key.startsWith(prefix)) {
        this.pools.delete(key);
        jobs.push(pool.retire());
      }
    }
    await Promise.all(jobs);
  }

  /** Stops every instance now. */
  async shutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.reaper);
    const pools = [...this.pools.values()].map((p) => p.pool);
    this.pools.clear();
    await Promise.all(pools.map((p) => p.shutdown()));
    await Promise.all([...this.background]);
  }

  /** For tests and diagnostics: the live instances of a function. */
  instancesOf(serviceName: string, functionName: string, qualifier = 'LATEST'): Array<{ id: string; pid: number | undefined; state: string; inFlight: number }> {
    const entry = this.pools.get(poolKey(serviceName, functionName, qualifier));
    return entry ? entry.pool.instances.map((i) => ({ id: i.id, pid: i.pid, state: i.state, inFlight: i.inFlight })) : [];
  }
}

function poolKey(service: string, fn: string, qualifier: string): string {
  return `${service}\u0000${fn}\u0000${qualifier}`;
}

/**
 * What makes instances reusable: everything but the name and the (rotating) credentials. Key order is stable
 * (callers build specs alike).
 */
function generationOf(fn: FunctionRuntimeSpec): string {
  const { serviceName: _s, functionName: _f, qualifier: _q, credentials: _c, ...rest } = fn;
  return JSON.stringify(rest);
}

/**
 * The platform ended the request (timeout, crash, failed start or initializer): once the instance's own output
 * is read (a stopped runtime writes out what it held), the log gets FC's error line and the End line.
 */
async function endAbnormally(inst: Instance | undefined, requestId: string, err: unknown): Promise<void> {
  inst ??= err instanceof PlatformError ? err.instance : undefined;
  if (!inst) return;
  await inst.whenStopped(1000);
  let message = messageOf(err).split('\n')[0];
  if (message === crashMessage && inst.exitReason) message += ` (${inst.exitReason})`;
  inst.log.abnormalEnd(requestId, message);
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
