// Instances of custom runtimes (custom, custom.debian10): the app's own HTTP server, started from `bootstrap`
// (or customRuntimeConfig.command/args) in the code folder, reached over HTTP/1.1 keep-alive on loopback.
//
// Ports: FC gives every instance its own machine, so each one listens on caPort (default 9000). Here all
// instances share one machine, so each gets its own port through FC_SERVER_PORT / FC_CUSTOM_LISTEN_PORT:
// the first instance gets caPort itself when it is free (apps that hard-code the port work), further
// instances get free ports. If an app ignores FC_SERVER_PORT, a second instance never answers on its port;
// the pool then keeps that function to one instance and queues requests instead (see pool.ts).
//
// Logs: FC tells custom runtimes to print "FC Invoke Start/End RequestId" themselves. The emulator writes
// those framing lines for them (so `fcx logs --request-id` and x-fc-log-result work with any app) and drops
// an identical line if the app prints it too.
import { accessSync, constants, existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { customRuntimeHeaders, functionEnv } from './env';
import { initTimeoutMessage, PlatformError } from './errors';
import { Instance, type EventOutcome } from './instance';
import type { EventInvocation, HttpInvocation, HttpResult } from './manager';

const DROP_REQUEST_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'host']);
const DROP_RESPONSE_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/** The process started but nothing answered on its port (it exited, or listened elsewhere). */
export class NotListeningError extends PlatformError {}

interface Reply {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

export class CustomInstance extends Instance {
  port = 0; // assigned by the pool before start()
  startTimeoutMs = 30_000;
  private agent: Agent | undefined;

  async start(initRequestId: string): Promise<void> {
    const { command, args } = this.commandLine();
    const port = String(this.port);
    const env = functionEnv(this.fn, this.codeDir, this.id, { FC_SERVER_PORT: port, FC_CUSTOM_LISTEN_PORT: port, FC_SERVER_PATH: this.codeDir });
    this.spawnProcess(command, args, env, ['ignore', 'pipe', 'pipe']);
    await this.waitListening();
    this.agent = new Agent({ keepAlive: true, maxSockets: Math.max(1, this.fn.instanceConcurrency) });
    if (this.fn.initializer) {
      const seconds = this.fn.initializationTimeout || 3;
      this.log.platformLine(`FC Initialize Start RequestId: ${initRequestId}`);
      try {
        const r = await this.send('POST', '/initialize', customRuntimeHeaders(this.fn, initRequestId, '/initialize'), Buffer.alloc(0), seconds * 1000, initTimeoutMessage(seconds));
        if (r.status >= 300) throw new PlatformError(`the initializer failed: /initialize answered ${r.status} ${r.body.toString('utf8').slice(0, 500)}`);
      } finally {
        this.log.platformLine(`FC Initialize End RequestId: ${initRequestId}`);
      }
    }
    if (this.state === 'starting') this.state = 'ready';
  }

  private commandLine(): { command: string; args: string[] } {
    const cfg = this.fn.customRuntimeConfig;
    if (cfg?.command && cfg.command.length > 0) return { command: cfg.command[0], args: [...cfg.command.slice(1), ...(cfg.args ?? [])] };
    const bootstrap = join(this.codeDir, 'bootstrap');
    if (!existsSync(bootstrap)) {
      throw new PlatformError('the custom runtime has no start command: the code has no "bootstrap" file at its root and customRuntimeConfig.command is not set');
    }
    try {
      accessSync(bootstrap, constants.X_OK);
    } catch {
      throw new PlatformError('"bootstrap" is not executable: package it with mode 755 (chmod +x bootstrap), as FC requires');
    }
    return { command: bootstrap, args: cfg?.args ?? [] };
  }

  private async waitListening(): Promise<void> {
    const deadline = Date.now() + this.startTimeoutMs;
    for (;;) {
      if (this.state === 'dead') {
        throw new NotListeningError(this.startFailure(`the custom runtime exited before it listened on port ${this.port} (FC_SERVER_PORT=${this.port})${this.portHint()}`).message);
      }
      if (await canConnect(this.port)) return;
      if (Date.now() >= deadline) {
        void this.kill();
        throw new NotListeningError(
          `${this.startFailure(`Function instance health check failed on port ${this.port} in ${Math.round(this.startTimeoutMs / 100) / 10} seconds: nothing listens there. ` +
            `The app must listen on 0.0.0.0:${this.port} (the port is in the FC_SERVER_PORT environment variable; caPort is ${this.fn.caPort || 9000})`).message}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * What the app printed before answering is already in its stdout pipe, but may be read after the response
   * in the same event-loop turn; let that turn finish so those lines land before the End line.
   */
  private afterOutput(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  private portHint(): string {
    const caPort = this.fn.caPort || 9000;
    if (this.port === caPort) return '';
    return `. Port ${caPort} (caPort) is taken on this machine, so this instance got port ${this.port}: an app that binds ${caPort} itself cannot start here; make it listen on the port in FC_SERVER_PORT`;
  }

  async invokeHttp(inv: HttpInvocation): Promise<HttpResult> {
    const headers: Array<[string, string]> = [];
    for (const [k, v] of inv.headers) if (!DROP_REQUEST_HEADERS.has(k.toLowerCase())) headers.push([k, v]);
    headers.push(['host', inv.host || `127.0.0.1:${this.port}`]);
    for (const [k, v] of Object.entries(customRuntimeHeaders(this.fn, inv.requestId, '/http-invoke'))) headers.push([k, v]);
    headers.push(['x-fc-base-path', inv.basePath ?? '']);
    const path = (inv.rawPath ?? encodeURI(inv.path)) + (inv.rawQuery ? `?${inv.rawQuery}` : '');
    this.log.platformLine(`FC Invoke Start RequestId: ${inv.requestId}`);
    // On failure (timeout, crash, no answer) the manager writes the error and End lines (InstanceLog.abnormalEnd).
    const r = await this.send(inv.method, path, headers, inv.body);
    await this.afterOutput();
    this.log.platformLine(`FC Invoke End RequestId: ${inv.requestId}`);
    return { status: r.status, headers: r.headers, body: r.body };
  }

  async invokeEvent(inv: EventInvocation): Promise<EventOutcome> {
    const headers = { ...customRuntimeHeaders(this.fn, inv.requestId, '/invoke'), 'content-type': 'application/octet-stream' };
    this.log.platformLine(`FC Invoke Start RequestId: ${inv.requestId}`);
    const r = await this.send('POST', '/invoke', headers, inv.payload); // failures: see invokeHttp
    await this.afterOutput();
    this.log.platformLine(`FC Invoke End RequestId: ${inv.requestId}`);
    const xStatus = r.headers.find(([k]) => k.toLowerCase() === 'x-fc-status')?.[1];
    // FC's contract: 200 = success, 404 (or x-fc-status: 404) = the function failed.
    if (r.status >= 300 || xStatus === '404') return { body: r.body, errorType: 'UnhandledInvocationError' };
    return { body: r.body };
  }

  private send(method: string, path: string, headers: Record<string, string> | Array<[string, string]>, body: Buffer, timeoutMs?: number, timeoutMessage?: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        untrack();
        clearTimeout(timer);
        fn();
      };
      const untrack = this.track((err) => settle(() => reject(err)));
      const flat: string[] = [];
      for (const [k, v] of Array.isArray(headers) ? headers : Object.entries(headers)) flat.push(k, v);
      flat.push('content-length', String(body.length));
      const req = request({ host: '127.0.0.1', port: this.port, method, path, headers: flat, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out: Array<[string, string]> = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            if (!DROP_RESPONSE_HEADERS.has(res.rawHeaders[i].toLowerCase())) out.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
          }
          settle(() => resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) }));
        });
        res.on('error', (err) => settle(() => reject(new PlatformError(`the custom runtime's response broke off: ${err.message}`))));
      });
      const timer = timeoutMs
        ? setTimeout(() => {
            req.destroy();
            settle(() => reject(new PlatformError(timeoutMessage ?? 'timed out')));
          }, timeoutMs)
        : undefined;
      req.on('error', (err) => {
        // A connection that breaks because the app died is a crash: give the exit a moment to be seen first.
        setTimeout(() => settle(() => reject(new PlatformError(`the custom runtime on port ${this.port} did not answer: ${err.message}`))), 200);
      });
      req.end(body);
    });
  }

  override kill(): Promise<void> {
    this.agent?.destroy();
    return super.kill();
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A port nothing listens on right now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '0.0.0.0', () => srv.close(() => resolve(true)));
  });
}
