// Instances of the built-in runtimes (python3.x, nodejsN): our runtime script (python/fc_runtime.py,
// node/fc_runtime.js, shipped as-is in the package) loads the function's code and serves invocations sent as
// frames over fd 3. No port is involved, so any number of instances run side by side.
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { packageRoot } from '../../core/paths';
import { functionEnv, pythonExecutable, runtimeConfig } from './env';
import { initTimeoutMessage, PlatformError } from './errors';
import { encodeFrame, readFrames, type Frame } from './frames';
import { Instance, type EventOutcome } from './instance';
import type { EventInvocation, HttpInvocation, HttpResult } from './manager';

export type BuiltinKind = 'python' | 'node';

export class BuiltinInstance extends Instance {
  private channel: Socket | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, (f: Frame) => void>();
  kind: BuiltinKind = 'python';

  async start(initRequestId: string): Promise<void> {
    const env = functionEnv(this.fn, this.codeDir, this.id, { FCX_RUNTIME_CONFIG: runtimeConfig(this.fn, this.codeDir) });
    let command: string;
    let script: string;
    if (this.kind === 'python') {
      command = await pythonExecutable();
      script = join(packageRoot(), 'src', 'emulator', 'runtimes', 'python', 'fc_runtime.py');
    } else {
      command = process.execPath;
      script = join(packageRoot(), 'src', 'emulator', 'runtimes', 'node', 'fc_runtime.js');
    }
    const proc = this.spawnProcess(command, [script], env, ['ignore', 'pipe', 'pipe', 'pipe']);
    const channel = proc.stdio[3] as Socket | null;
    if (!channel) throw this.startFailure(`cannot start ${command}`);
    this.channel = channel;
    channel.on('error', () => {}); // the process exit reports the failure
    const deliver = (f: Frame) => {
      // The invocation's output comes with its result; it is logged before the result is handed on.
      if (f.header.log) this.log.feedText(f.header.log);
      const done = this.waiting.get(f.header.id);
      if (done) {
        this.waiting.delete(f.header.id);
        done(f);
      }
    };
    readFrames(channel, (f) => {
      // Part of a long invocation's output went straight to stdout: read that first, to keep the order.
      if (f.header.flushed) setImmediate(() => deliver(f));
      else deliver(f);
    });
    if (this.fn.initializer) {
      const seconds = this.fn.initializationTimeout || 3;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new PlatformError(initTimeoutMessage(seconds))), seconds * 1000);
      });
      try {
        const res = await Promise.race([this.call({ t: 'init', rid: initRequestId }), timeout]);
        if (res.header.error) {
          const e = res.header.error;
          throw new PlatformError(`${e.errorType ? e.errorType + ': ' : ''}${e.errorMessage}`);
        }
      } finally {
        clearTimeout(timer);
      }
    }
    if (this.state === 'starting') this.state = 'ready';
  }

  private call(header: Record<string, unknown>, body?: Buffer): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      header.creds = this.fn.credentials ?? null; // current role credentials, for the context
      const untrack = this.track((err) => {
        this.waiting.delete(id);
        reject(err);
      });
      this.waiting.set(id, (f) => {
        untrack();
        resolve(f);
      });
      const ch = this.channel!;
      ch.cork();
      for (const b of encodeFrame({ ...header, id }, body)) ch.write(b);
      ch.uncork();
    });
  }

  async invokeHttp(inv: HttpInvocation): Promise<HttpResult> {
    const f = await this.call(
      {
        t: 'http',
        rid: inv.requestId,
        method: inv.method,
        path: inv.path,
        query: inv.rawQuery,
        requestURI: inv.requestURI,
        headers: inv.headers,
        clientIP: inv.clientIP,
        host: inv.host ?? '',
      },
      inv.body,
    );
    if (f.header.error) {
      // An error the function did not handle: FC answers 502 with the error as JSON.
      return {
        status: 502,
        headers: [['content-type', 'application/json']],
        body: Buffer.from(JSON.stringify(f.header.error)),
        errorType: 'UnhandledInvocationError',
      };
    }
    return { status: f.header.status, headers: f.header.headers, body: f.body };
  }

  async invokeEvent(inv: EventInvocation): Promise<EventOutcome> {
    const f = await this.call({ t: 'event', rid: inv.requestId }, inv.payload);
    if (f.header.error) {
      return {
        body: Buffer.from(JSON.stringify(f.header.error)),
        errorType: f.header.handled ? 'HandledInvocationError' : 'UnhandledInvocationError',
      };
    }
    return { body: f.body };
  }
}
