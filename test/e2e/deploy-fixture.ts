// A small app on disk for deploy/remove/invoke tests: fcx.yaml written from a plain object (JSON is YAML), and a
// WSGI app that echoes its environment variables so tests can read back exactly what FC passed.
import { after, before } from 'node:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '../helpers/tmp';
import { emulatorEnv, runFcx, type CliResult } from '../helpers/cli';
import { startInProcessEmulator, type RecordedCall, type TestEmulator } from '../helpers/emulator';

export const APP_PY = `import json, os

def init(context):
    pass

def handler(environ, start_response):
    path = environ.get('PATH_INFO') or '/'
    if path == '/fail':
        start_response('500 Internal Server Error', [('Content-Type', 'text/plain')])
        return [b'boom']
    if path == '/binary':
        start_response('200 OK', [('Content-Type', 'application/octet-stream')])
        return [bytes(range(256))]
    body = json.dumps({'path': path, 'method': environ.get('REQUEST_METHOD'), 'query': environ.get('QUERY_STRING', ''),
                       'body': environ['wsgi.input'].read().decode('utf-8', 'replace'),
                       'env': {k: v for k, v in os.environ.items() if k.startswith('T_')}}, ensure_ascii=False).encode('utf-8')
    start_response('200 OK', [('Content-Type', 'application/json; charset=utf-8')])
    return [body]
`;

export type Obj = Record<string, any>;

export function fn(extra: Obj = {}): Obj {
  return { runtime: 'python3.10', handler: 'index.handler', source: './src', build: 'none', http: { auth: 'anonymous', methods: ['GET', 'POST'] }, ...extra };
}

export class App {
  readonly dir: string;
  readonly home: string;
  private readonly cleanupFn: () => void;
  constructor(
    readonly emu: TestEmulator,
    public manifest: Obj,
  ) {
    const t = makeTmpDir('fcx-deploy-');
    this.dir = t.dir;
    this.cleanupFn = t.cleanup;
    this.home = join(t.dir, 'home');
    mkdirSync(this.home);
    mkdirSync(join(this.dir, 'src'));
    this.writeCode(APP_PY);
    this.write();
  }

  write(manifest: Obj = this.manifest): void {
    this.manifest = manifest;
    writeFileSync(join(this.dir, 'fcx.yaml'), JSON.stringify(manifest, null, 2));
  }

  writeCode(py: string, file = 'index.py'): void {
    writeFileSync(join(this.dir, 'src', file), py);
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return emulatorEnv(this.emu.url, this.home, { FCX_RETRY_BASE_MS: '5', FCX_RETRY_MAX_MS: '50', FCX_VISIBILITY_TIMEOUT_MS: '500', ...extra });
  }

  run(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    return runFcx(args, { cwd: this.dir, env: this.env(extra) });
  }

  cleanup(): void {
    this.cleanupFn();
  }
}

export interface DeployTestbed {
  /** The emulator, started before the file's tests. */
  readonly emu: TestEmulator;
  /** An app in cn-hangzhou named `name` with these functions (and `extra` top-level keys of fcx.yaml), removed after the file. */
  app(name: string, functions: Record<string, object>, extra?: object): App;
}

/** One in-process emulator for the calling test file: call at its top level. The emulator starts before the
 * file's tests; after them, the apps made with `app()` are removed and the emulator is closed. */
export function useEmulator(): DeployTestbed {
  let emu: TestEmulator | undefined;
  const apps: App[] = [];
  before(async () => {
    emu = await startInProcessEmulator();
  });
  after(async () => {
    for (const a of apps) a.cleanup();
    await emu?.close();
  });
  const started = (): TestEmulator => {
    if (!emu) throw new Error('the emulator starts before the tests: use it inside a test');
    return emu;
  };
  return {
    get emu() {
      return started();
    },
    app(name, functions, extra = {}) {
      const a = new App(started(), { name, region: 'cn-hangzhou', functions, ...extra });
      apps.push(a);
      return a;
    },
  };
}

/** Calls recorded after `since` (a seq number). */
export async function callsSince(emu: TestEmulator, since: number): Promise<RecordedCall[]> {
  return (await emu.requests()).filter((c) => c.seq > since);
}

export async function lastSeq(emu: TestEmulator): Promise<number> {
  const r = await emu.requests();
  return r.length ? r[r.length - 1].seq : 0;
}

export const isWrite = (c: RecordedCall) => !/^(Get|List|Head)/.test(c.action);

/** The FC 2.0 SDK pointed at the emulator, to read back what deploy wrote. */
export function fcClient(emu: TestEmulator): any {
  const FC = require('@alicloud/fc2');
  return new FC('1234567890123456', { accessKeyID: 'fcx-local-key', accessKeySecret: 'fcx-local-secret', region: 'cn-hangzhou', endpoint: emu.url });
}

export function assertClean(r: CliResult): void {
  for (const bad of ['undefined', '[object Object]', '    at ']) {
    if (r.stdout.includes(bad) || r.stderr.includes(bad)) throw new Error(`output contains "${bad}":\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
}
