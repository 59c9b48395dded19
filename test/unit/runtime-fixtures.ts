// Shared pieces of the runtime tests: a function spec built around a zip made in the test, and a LogSink that
// records rows. The recording sink is the LogSink interface's test double (the real one is the SLS service,
// tested on its own); everything else here is real: real processes, real zips, real pipes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionLogMeta, LogSink } from '../../src/emulator/types';
import { RuntimeManager, type FunctionRuntimeSpec, type HttpInvocation } from '../../src/emulator/runtimes/manager';
import { makeTmpDir } from '../helpers/tmp';
import { makeZip, type ZipInput } from '../helpers/zip';
import { randomUUID } from 'node:crypto';

export interface RecordedRow extends FunctionLogMeta {
  project: string;
  logstore: string;
  timeMs: number;
  message: string;
}

export class RecordingLogSink implements LogSink {
  rows: RecordedRow[] = [];
  writeFunctionLogs(target: { project: string; logstore: string }, meta: FunctionLogMeta, lines: Array<{ timeMs: number; message: string }>): void {
    for (const l of lines) this.rows.push({ ...target, ...meta, ...l });
  }
  messages(): string[] {
    return this.rows.map((r) => r.message);
  }
}

export interface Harness {
  manager: RuntimeManager;
  sink: RecordingLogSink;
  dir: string;
  spec(files: ZipInput[], over?: Partial<FunctionRuntimeSpec>): FunctionRuntimeSpec;
  close(): Promise<void>;
}

export function harness(opts: { customStartTimeoutMs?: number; maxInstancesPerFunction?: number; idleMs?: number } = {}): Harness {
  const tmp = makeTmpDir('fcx-runtime-');
  const sink = new RecordingLogSink();
  const manager = new RuntimeManager({ workDir: join(tmp.dir, 'work'), logSink: sink, ...opts });
  let n = 0;
  return {
    manager,
    sink,
    dir: tmp.dir,
    spec(files, over = {}) {
      const zip = makeZip(files, { deflate: n % 2 === 1 });
      const zipPath = join(tmp.dir, `code-${++n}.zip`);
      writeFileSync(zipPath, zip);
      return {
        serviceName: 'svc',
        functionName: `fn${n}`,
        qualifier: 'LATEST',
        runtime: 'python3.10',
        handler: 'index.handler',
        initializationTimeout: 3,
        timeout: 10,
        memorySize: 128,
        instanceConcurrency: 1,
        environmentVariables: {},
        caPort: 9000,
        codeChecksum: `sum-${n}-${randomUUID()}`,
        codeBlobPath: zipPath,
        logConfig: { project: 'proj', logstore: 'store' },
        region: 'cn-hangzhou',
        accountId: '1234567890123456',
        credentials: { accessKeyId: 'STS.key', accessKeySecret: 'secret', securityToken: 'token' },
        ...over,
      };
    },
    async close() {
      await manager.shutdown();
      tmp.cleanup();
    },
  };
}

export function httpInv(over: Partial<HttpInvocation> = {}): HttpInvocation {
  return {
    requestId: randomUUID(),
    method: 'GET',
    path: '/',
    rawQuery: '',
    requestURI: '/',
    headers: [],
    body: Buffer.alloc(0),
    clientIP: '10.0.0.1',
    ...over,
  };
}

export function header(headers: Array<[string, string]>, name: string): string | undefined {
  return headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

export function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() > deadline) return reject(new Error('condition not met in time'));
      setTimeout(tick, 10);
    };
    tick();
  });
}
