// The instances of one function (one code version and configuration). A request takes a free slot on a warm
// instance (instanceConcurrency slots each); without one it starts a new instance, up to `maxInstances`;
// beyond that it waits in line. Timeouts end the request with FC's error and retire the instance; a crash
// fails the requests on it and the next request starts a fresh one; idle instances are stopped.
import { BuiltinInstance, type BuiltinKind } from './builtin-instance';
import { CustomInstance, freePort, isPortFree, NotListeningError } from './custom-instance';
import { newInstanceId } from './env';
import { PlatformError, timeoutMessage } from './errors';
import type { Instance } from './instance';
import type { FunctionLog } from './log-stream';
import type { FunctionRuntimeSpec } from './manager';

export interface PoolOptions {
  maxInstances: number;
  customStartTimeoutMs: number;
  instancesDir?: string;
}

interface Waiter {
  requestId: string;
  resolve: (inst: Instance) => void;
  reject: (err: Error) => void;
}

export type RuntimeKind = BuiltinKind | 'custom';

export function runtimeKind(runtime: string): RuntimeKind | undefined {
  if (/^python3(\.\d+)?$/.test(runtime)) return 'python';
  if (/^nodejs\d+$/.test(runtime)) return 'node';
  if (runtime === 'custom' || runtime === 'custom.debian10') return 'custom';
  return undefined;
}

function asPlatformError(err: unknown, failedInstance?: Instance): PlatformError {
  const e = err instanceof PlatformError ? err : new PlatformError(String((err as Error)?.message ?? err));
  if (failedInstance) e.instance ??= failedInstance;
  return e;
}

export class FunctionPool {
  readonly instances: Instance[] = [];
  private readonly queue: Waiter[] = [];
  private retired = false;
  private maxInstances: number;
  private customStarts: Promise<unknown> = Promise.resolve();
  readonly kind: RuntimeKind;

  constructor(
    readonly fn: FunctionRuntimeSpec,
    readonly codeDir: string,
    readonly log: FunctionLog,
    private readonly opts: PoolOptions,
  ) {
    const kind = runtimeKind(fn.runtime);
    if (!kind) throw new PlatformError(`runtime "${fn.runtime}" is not supported by the local emulator (it runs python3.9, python3.10, nodejs16/18/20, custom and custom.debian10)`);
    this.kind = kind;
    this.maxInstances = Math.max(1, opts.maxInstances);
  }

  private get slots(): number {
    return Math.max(1, this.fn.instanceConcurrency || 1);
  }

  /**
   * Runs one invocation on an instance, with the function's timeout. `exec` gets the instance; throws a
   * PlatformError when the platform ends the request (start failure, initializer failure, timeout, crash).
   */
  async run<T>(requestId: string, exec: (inst: Instance) => Promise<T>, onInstance?: (inst: Instance) => void): Promise<T> {
    const inst = await this.acquire(requestId);
    onInstance?.(inst);
    let timer: NodeJS.Timeout | undefined;
    const work = exec(inst);
    work.catch(() => {}); // after a timeout nobody waits for it any more
    try {
      const seconds = this.fn.timeout || 3;
      return await Promise.race([
        work,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            inst.log.forget(requestId);
            // The instance may still be busy with this request: take it out of service.
            inst.state = inst.state === 'dead' ? 'dead' : 'draining';
            reject(new PlatformError(timeoutMessage(seconds)));
          }, seconds * 1000);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.release(inst);
    }
  }

  private acquire(requestId: string): Promise<Instance> {
    if (this.retired) return Promise.reject(new PlatformError('the function was updated or deleted; retry the request'));
    const inst = this.freeInstance();
    if (inst) {
      inst.inFlight++;
      return inst.ready.then(() => inst, (err) => Promise.reject(asPlatformError(err, inst)));
    }
    if (this.instances.length < this.maxInstances) return this.startInstance(requestId);
    return new Promise((resolve, reject) => this.queue.push({ requestId, resolve, reject }));
  }

  private freeInstance(): Instance | undefined {
    let best: Instance | undefined;
    for (const inst of this.instances) {
      if ((inst.state === 'ready' || inst.state === 'starting') && inst.inFlight < this.slots) {
        if (inst.state === 'ready') return inst;
        best ??= inst;
      }
    }
    return best;
  }

  private startInstance(requestId: string): Promise<Instance> {
    const id = newInstanceId();
    const instLog = this.log.forInstance(id);
    const onExit = (i: Instance) => this.removed(i);
    const inst: Instance =
      this.kind === 'custom'
        ? new CustomInstance(id, this.fn, this.codeDir, instLog, onExit)
        : Object.assign(new BuiltinInstance(id, this.fn, this.codeDir, instLog, onExit), { kind: this.kind });
    inst.inFlight = 1;
    inst.instancesDir = this.opts.instancesDir;
    this.instances.push(inst);
    if (inst instanceof CustomInstance) {
      // Custom instances start one after another: an app that binds caPort instead of FC_SERVER_PORT then
      // reliably holds caPort in the first instance and fails fast in the next (see singlePortFallback).
      const previous = this.customStarts;
      inst.ready = (async () => {
        await previous;
        await this.assignPort(inst);
        inst.startTimeoutMs = this.opts.customStartTimeoutMs;
        await inst.start(requestId);
      })();
      this.customStarts = inst.ready.catch(() => undefined);
    } else {
      inst.ready = inst.start(requestId);
    }
    inst.ready.catch(() => {
      // The instance is unusable: its requests fail with the start error, and it goes away.
      const i = this.instances.indexOf(inst);
      if (i >= 0) this.instances.splice(i, 1);
      void inst.kill();
      this.pump();
    });
    return inst.ready.then(
      () => inst,
      async (err) => {
        if (err instanceof NotListeningError && inst instanceof CustomInstance && this.singlePortFallback(inst)) {
          // The app ignores FC_SERVER_PORT and binds caPort, which another instance already holds:
          // serve this function with that one instance and let the request wait its turn.
          inst.inFlight = 0;
          return this.acquire(requestId);
        }
        throw asPlatformError(err, inst);
      },
    );
  }

  private singlePortFallback(failed: CustomInstance): boolean {
    const caPort = this.fn.caPort || 9000;
    if (failed.port === caPort) return false;
    const holder = this.instances.find((i) => i instanceof CustomInstance && i.port === caPort && i.isAlive);
    if (!holder) return false;
    this.maxInstances = 1;
    return true;
  }

  private async assignPort(inst: CustomInstance): Promise<void> {
    const caPort = this.fn.caPort || 9000;
    const taken = this.instances.some((i) => i !== inst && i instanceof CustomInstance && i.isAlive && i.port === caPort);
    if (!taken) {
      inst.port = caPort; // claimed synchronously, so a parallel start picks another port
      if (await isPortFree(caPort)) return;
    }
    inst.port = await freePort();
  }

  private release(inst: Instance): void {
    inst.inFlight = Math.max(0, inst.inFlight - 1);
    inst.lastUsed = Date.now();
    if (inst.state === 'draining' && inst.inFlight === 0) void inst.kill();
    this.pump();
  }

  private removed(inst: Instance): void {
    const i = this.instances.indexOf(inst);
    if (i >= 0) this.instances.splice(i, 1);
    this.pump();
  }

  /** Hands waiting requests to free slots or new instances. */
  private pump(): void {
    while (this.queue.length > 0 && !this.retired) {
      const inst = this.freeInstance();
      if (inst) {
        const w = this.queue.shift()!;
        inst.inFlight++;
        inst.ready.then(() => w.resolve(inst), (err) => w.reject(asPlatformError(err, inst)));
        continue;
      }
      if (this.instances.length < this.maxInstances) {
        const w = this.queue.shift()!;
        this.startInstance(w.requestId).then(w.resolve, w.reject);
        continue;
      }
      return;
    }
  }

  /** Stops instances idle for longer than `idleMs`. */
  reapIdle(idleMs: number): void {
    const now = Date.now();
    for (const inst of [...this.instances]) {
      if (inst.state === 'ready' && inst.inFlight === 0 && now - inst.lastUsed > idleMs) void inst.kill();
    }
  }

  get idle(): boolean {
    return this.instances.length === 0 && this.queue.length === 0;
  }

  /** No new requests: waiting ones fail, idle instances stop now, busy ones when their request ends. */
  async retire(): Promise<void> {
    this.retired = true;
    for (const w of this.queue.splice(0)) w.reject(new PlatformError('the function was updated or deleted while the request waited; retry it'));
    const idle = this.instances.filter((i) => i.inFlight === 0);
    for (const inst of this.instances) if (inst.inFlight > 0) void inst.drain();
    await Promise.all(idle.map((i) => i.kill()));
    this.log.flush();
  }

  /** Everything stops now. */
  async shutdown(): Promise<void> {
    this.retired = true;
    for (const w of this.queue.splice(0)) w.reject(new PlatformError('the emulator is shutting down'));
    await Promise.all([...this.instances].map((i) => i.kill()));
    this.log.flush();
  }
}
