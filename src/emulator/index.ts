// startEmulator(): the local cloud on one port. Wires the durable store, the service modules (FC here; OSS, RAM,
// STS, SLS in services/), the function runtime manager and the control API into one HTTP server.
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { FcxError } from '../core/errors';
import { lockDataDir, prepareDataDir } from './data-dir';
import { LOCAL_DEFAULTS, type EmulatorConfig, type ServiceName } from './types';
import { FileStore } from './store';
import { ControlState } from './control';
import { NonceCache } from './auth/rpc';
import { createEmulatorServer } from './server';
import { createFcService } from './services/fc';
import { createOssService, readObject } from './services/oss';
import { createRamService } from './services/ram';
import { createStsService } from './services/sts';
import { createSlsService } from './services/sls';
import { RuntimeManager } from './runtimes/manager';

export interface StartOptions {
  host?: string;
  port?: number;
  dataDir: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  accountId?: string;
  region?: string;
  /** No line per call on stderr. */
  quiet?: boolean;
  /** Receives one line per cloud call when not quiet (default: stderr). */
  log?(line: string): void;
}

export interface RunningEmulator {
  url: string;
  port: number;
  config: EmulatorConfig;
  close(): Promise<void>;
}

export async function startEmulator(opts: StartOptions): Promise<RunningEmulator> {
  const dataDir = resolve(opts.dataDir);
  const config: EmulatorConfig = {
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? LOCAL_DEFAULTS.port,
    dataDir,
    accessKeyId: opts.accessKeyId ?? LOCAL_DEFAULTS.accessKeyId,
    accessKeySecret: opts.accessKeySecret ?? LOCAL_DEFAULTS.accessKeySecret,
    accountId: opts.accountId ?? LOCAL_DEFAULTS.accountId,
    region: opts.region ?? LOCAL_DEFAULTS.region,
  };
  prepareDataDir(dataDir);
  const unlock = lockDataDir(dataDir);
  let store: FileStore;
  try {
    store = new FileStore(dataDir);
  } catch (e) {
    unlock();
    if (e instanceof FcxError) throw e;
    throw new FcxError(`cannot open the emulator data dir ${dataDir}: ${(e as Error).message}`, { hint: 'check the folder permissions, or start with a fresh --data-dir', cause: e });
  }
  const services = { store, config };
  const sls = createSlsService(services);
  const oss = createOssService(services);
  const ram = createRamService(services);
  const sts = createStsService(services);
  const workDir = join(dataDir, 'runtime');
  let runtime = new RuntimeManager({ workDir, logSink: sls.logSink });
  const baseUrl = () => `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${config.port}`;
  const fc = createFcService({ store, config, runtime: () => runtime, baseUrl, readOssObject: (bucket, key) => readObject(store, bucket, key) });
  const control = new ControlState();
  const nonces = new NonceCache();
  const started = new Date().toISOString();
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));

  const server = createEmulatorServer({
    config,
    store,
    control,
    nonces,
    fc,
    oss,
    ram,
    sts,
    sls,
    controlDeps: {
      health: () => ({ url: baseUrl(), accountId: config.accountId, region: config.region, dataDir, startedAt: started, services: ['fc', 'oss', 'ram', 'sts', 'sls'] satisfies ServiceName[] }),
      reset: async () => {
        await runtime.shutdown().catch(() => undefined);
        runtime = new RuntimeManager({ workDir, logSink: sls.logSink });
        store.reset();
        control.reset();
        nonces.clear();
      },
      extra: async (req) => fc.codeDownload(req),
    },
    onCall: opts.quiet
      ? undefined
      : (c) => log(`${new Date().toISOString().slice(11, 23)} ${c.service.padEnd(3)} ${c.action} ${c.method} ${c.path} → ${c.status}${c.errorCode ? ` ${c.errorCode}` : ''} (${c.ms} ms)`),
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      unlock();
      store.close();
      if (err.code === 'EADDRINUSE') reject(new FcxError(`port ${config.port} on ${config.host} is already in use, so the emulator cannot listen there`, { hint: `stop what is using port ${config.port}, or start the emulator on another one with --port (e.g. --port ${config.port + 1}, or --port 0 for any free port)` }));
      else if (err.code === 'EACCES') reject(new FcxError(`not allowed to listen on ${config.host}:${config.port}`, { hint: 'use a port above 1024 with --port' }));
      else reject(new FcxError(`the emulator could not listen on ${config.host}:${config.port}: ${err.message}`, { cause: err }));
    });
    server.listen(config.port, config.host, () => resolveListen());
  });
  config.port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl(),
    port: config.port,
    config,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
        await runtime.shutdown().catch(() => undefined);
        store.close();
        unlock();
      })()),
  };
}
