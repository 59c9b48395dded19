// One FC instance: a warm process that serves invocations until it crashes, times out, idles or is retired.
// This base class owns the process (its own process group, so a bootstrap's children die with it), feeds its
// output to the log stream and fails the calls in flight when it exits. Subclasses speak the runtime's
// protocol: frames for the built-in runtimes (builtin-instance.ts), HTTP for custom ones (custom-instance.ts).
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crashMessage, PlatformError } from './errors';
import type { InstanceLog } from './log-stream';
import type { EventInvocation, FunctionRuntimeSpec, HttpInvocation, HttpResult } from './manager';

export type InstanceState = 'starting' | 'ready' | 'draining' | 'dead';

export interface EventOutcome {
  body: Buffer;
  errorType?: string;
}

const KILL_GRACE_MS = 300;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
/** If the emulator itself exits, its function processes go with it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) killGroup(p, 'SIGKILL');
  });
}

function killGroup(p: ChildProcess, signal: NodeJS.Signals): void {
  if (p.pid === undefined || p.exitCode !== null || p.signalCode !== null) return;
  try {
    process.kill(-p.pid, signal);
  } catch {
    try {
      p.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Function processes of an emulator that was killed outright (kill -9) outlive it; custom runtimes in
 * particular keep their port. Every instance is recorded as <dir>/<pid> holding its instance id, and the
 * next emulator on the same data dir stops the recorded processes that still carry that id (FC_INSTANCE_ID
 * in their environment, so a reused pid is never hit).
 */
export function reapOrphans(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name);
    try {
      const id = readFileSync(join(dir, name), 'utf8').trim();
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (pid > 1 && id && environ.split('\0').includes(`FC_INSTANCE_ID=${id}`)) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          process.kill(pid, 'SIGKILL');
        }
      }
    } catch {
      /* gone already, or not ours */
    }
    rmSync(join(dir, name), { force: true });
  }
}

export abstract class Instance {
  /** Where this instance records its pid (see reapOrphans); set by the pool. */
  instancesDir: string | undefined;
  state: InstanceState = 'starting';
  inFlight = 0;
  lastUsed = Date.now();
  /** Settles when the instance has started and run its initializer. */
  ready!: Promise<void>;
  protected proc: ChildProcess | undefined;
  private exitPromise: Promise<void> | undefined;
  /** The last lines of output, for error messages about failed starts. */
  protected recentOutput: string[] = [];
  private readonly failers = new Set<(err: Error) => void>();
  private spawnError: string | undefined;
  /** How the process ended, for the log line about a crash ("exit code 3", "signal SIGSEGV"). */
  exitReason: string | undefined;
  private stopRequested = false;

  constructor(
    readonly id: string,
    readonly fn: FunctionRuntimeSpec,
    readonly codeDir: string,
    readonly log: InstanceLog,
    private readonly onExit: (inst: Instance) => void,
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Spawns the process, waits until it can serve, runs the initializer (with the first request's id). */
  abstract start(initRequestId: string): Promise<void>;
  abstract invokeHttp(inv: HttpInvocation): Promise<HttpResult>;
  abstract invokeEvent(inv: EventInvocation): Promise<EventOutcome>;

  protected spawnProcess(command: string, args: string[], env: Record<string, string>, stdio: StdioOptions): ChildProcess {
    installExitHook();
    const proc = spawn(command, args, { cwd: this.codeDir, env, stdio, detached: true });
    this.proc = proc;
    live.add(proc);
    const record = this.instancesDir && proc.pid ? join(this.instancesDir, String(proc.pid)) : undefined;
    if (record) {
      try {
        mkdirSync(this.instancesDir!, { recursive: true });
        writeFileSync(record, this.id);
      } catch {
        /* best effort: only used to clean up after a crash of the emulator */
      }
    }
    proc.stdout?.on('data', (c: Buffer) => this.output('out', c));
    proc.stderr?.on('data', (c: Buffer) => this.output('err', c));
    this.exitPromise = new Promise((resolve) => {
      let done = false;
      const finish = (reason: string) => {
        if (done) return;
        done = true;
        live.delete(proc);
        if (record) rmSync(record, { force: true });
        this.state = 'dead';
        // Read what is left in the pipes before the lines are flushed.
        setImmediate(() => {
          this.log.finish();
          this.failAll(new PlatformError(this.spawnError ?? crashMessage));
          this.onExit(this);
          resolve();
        });
        void reason;
      };
      proc.on('exit', (code, signal) => {
        this.exitReason ??= code !== null ? `exit code ${code}` : `signal ${signal}`;
        finish(`exit ${code ?? signal}`);
      });
      proc.on('error', (err) => {
        this.spawnError = `cannot start ${command}: ${err.message} (is it installed and on PATH? Python functions use python3 or $FCX_PYTHON)`;
        this.recentOutput.push(this.spawnError);
        finish(err.message);
      });
    });
    return proc;
  }

  private output(stream: 'out' | 'err', chunk: Buffer): void {
    this.log.feed(stream, chunk);
    const lines = chunk.toString('utf8').split('\n').filter((l) => l.trim());
    this.recentOutput.push(...lines);
    if (this.recentOutput.length > 20) this.recentOutput.splice(0, this.recentOutput.length - 20);
  }

  /** Registers a call in flight; it fails with `err` if the process exits first. Returns the unregister function. */
  protected track(fail: (err: Error) => void): () => void {
    if (this.state === 'dead') {
      fail(new PlatformError(this.spawnError ?? crashMessage));
      return () => {};
    }
    this.failers.add(fail);
    return () => this.failers.delete(fail);
  }

  private failAll(err: Error): void {
    const list = [...this.failers];
    this.failers.clear();
    for (const f of list) f(err);
  }

  get isAlive(): boolean {
    return this.state !== 'dead';
  }

  /**
   * Stops the process (the whole group) and resolves once it has exited: SIGTERM first, so the runtime can
   * write out the output it still holds (the lines of a timed-out request), SIGKILL shortly after.
   */
  kill(): Promise<void> {
    this.stopRequested = true;
    if (this.state !== 'dead') this.state = 'draining';
    const proc = this.proc;
    if (proc && this.state !== 'dead') {
      killGroup(proc, 'SIGTERM');
      const force = setTimeout(() => killGroup(proc, 'SIGKILL'), KILL_GRACE_MS);
      void this.exitPromise?.then(() => {
        clearTimeout(force);
        // Whatever is left of the group (a bootstrap's children); the leader's pid is not reused while
        // the group has members, so this cannot hit an unrelated process.
        try {
          if (proc.pid) process.kill(-proc.pid, 'SIGKILL');
        } catch {
          /* nothing left */
        }
      });
    }
    return this.exitPromise ?? Promise.resolve();
  }

  /**
   * Resolves once the process has exited and its last output is read, if it is dead or being stopped (at most
   * `ms`); at once if it keeps running (e.g. it still serves other requests).
   */
  whenStopped(ms: number): Promise<void> {
    if (!this.exitPromise || (!this.stopRequested && this.state !== 'dead')) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([this.exitPromise, new Promise<void>((r) => (timer = setTimeout(r, ms)))]).finally(() => clearTimeout(timer));
  }

  /** No new requests; stop once the ones in flight are done. */
  drain(): Promise<void> {
    if (this.state === 'dead') return this.exitPromise ?? Promise.resolve();
    this.state = 'draining';
    if (this.inFlight <= 0) return this.kill();
    return this.exitPromise ?? Promise.resolve();
  }

  protected startFailure(message: string): PlatformError {
    const tail = this.recentOutput.slice(-10).join('\n');
    return new PlatformError(tail ? `${message}\nLogs:\n${tail}` : message);
  }
}
