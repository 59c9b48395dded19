// Starts the real emulator for a test: in-process (fast, for contract tests) or as a separate `fcx emulator`
// process (for end-to-end tests and kill -9 durability). Both speak HTTP on a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { fcxBin } from './paths';
import { makeTmpDir } from './tmp';

export const LOCAL_CREDS = { accessKeyId: 'fcx-local-key', accessKeySecret: 'fcx-local-secret', accountId: '1234567890123456', region: 'cn-hangzhou' };

// The shapes of the control API are the emulator's own.
export type { RecordedCall, FaultSpec as Fault } from '../../src/emulator/control';
import type { RecordedCall, FaultSpec as Fault } from '../../src/emulator/control';

export interface TestEmulator {
  url: string;
  port: number;
  dataDir: string;
  requests(): Promise<RecordedCall[]>;
  faults(list: Fault[]): Promise<void>;
  clearFaults(): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

function controlApi(url: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    requests: async () => {
      const r = await call('GET', '/_emulator/requests');
      return (Array.isArray(r) ? r : r.requests) as RecordedCall[];
    },
    faults: async (list: Fault[]) => void (await call('POST', '/_emulator/faults', list)),
    clearFaults: async () => void (await call('DELETE', '/_emulator/faults')),
    reset: async () => void (await call('POST', '/_emulator/reset')),
  };
}

/** The emulator inside this test process (src/emulator/index.ts startEmulator). */
export async function startInProcessEmulator(opts: { dataDir?: string } = {}): Promise<TestEmulator> {
  const tmp = opts.dataDir ? undefined : makeTmpDir('fcx-emu-');
  const dataDir = opts.dataDir ?? tmp!.dir;
  const { startEmulator } = await import('../../src/emulator/index.js');
  const emu = await startEmulator({ port: 0, dataDir, quiet: true });
  return {
    url: emu.url,
    port: emu.port,
    dataDir,
    ...controlApi(emu.url),
    close: async () => {
      await emu.close();
      tmp?.cleanup();
    },
  };
}

export interface EmulatorProcess extends TestEmulator {
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `fcx emulator --port 0 --data-dir DIR` as a child process; resolves once it prints its URL on stdout. */
export async function startEmulatorProcess(opts: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<EmulatorProcess> {
  const tmp = opts.dataDir ? undefined : makeTmpDir('fcx-emu-');
  const dataDir = opts.dataDir ?? tmp!.dir;
  const child = spawn(process.execPath, [fcxBin, 'emulator', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
  const url: string = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start in 20 s; stderr:\n${stderr}`)), 20_000);
    child.stdout!.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}; stderr:\n${stderr}`)));
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    child,
    ...controlApi(url),
    kill,
    close: async () => {
      await kill('SIGTERM');
      tmp?.cleanup();
    },
  };
}
