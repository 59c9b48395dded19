// Shared set-up for the `fcx logs` end-to-end tests: an emulator in this process (so a test can make its next
// GetLogs answer Incomplete), apps whose FC service points at a logstore, and rows written through SLS PutLogs
// with the official @alicloud/log SDK — exactly the shape FC writes (wire-protocol §5.1). The CLI runs as a child.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startInProcessEmulator, LOCAL_CREDS, type TestEmulator } from '../helpers/emulator';
import { emulatorEnv } from '../helpers/cli';
import { makeTmpDir } from '../helpers/tmp';
import { SlsApi, FC_LOG_INDEX } from '../../src/cloud/sls';
import { FcApi } from '../../src/cloud/fc';
import { endpointsFor, type CloudTarget } from '../../src/cloud/target';

export const FULL_TEXT_ONLY_INDEX = {
  // Full text only, and '-' splits tokens: the phrase "<id>" then also matches ids that merely contain its tokens.
  line: { token: [',', ' ', "'", '"', ';', '=', '(', ')', '[', ']', '{', '}', '?', '@', '&', '<', '>', '/', ':', '-', '\n', '\t', '\r'], caseSensitive: false, chn: false },
};

export interface Row {
  t: number; // unix seconds
  fn?: string;
  inst: string;
  msg: string;
}

export interface App {
  dir: string;
  service: string;
  project: string;
  logstore: string;
  put(rows: Row[]): Promise<void>;
}

export interface LogsFixture {
  emu: TestEmulator;
  sls: SlsApi;
  fc: FcApi;
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  makeApp(service: string, o: { index?: 'fields' | 'fulltext' | 'fieldsonly'; logging?: boolean; deployed?: boolean }): Promise<App>;
  close(): Promise<void>;
}

export async function startLogsFixture(): Promise<LogsFixture> {
  const tmp = makeTmpDir('fcx-logs-');
  const emu = await startInProcessEmulator();
  const target: CloudTarget = {
    region: LOCAL_CREDS.region,
    accountId: LOCAL_CREDS.accountId,
    credentials: { accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret, source: 'emulator defaults' },
    endpoint: emu.url,
    local: true,
    endpoints: endpointsFor(LOCAL_CREDS.region, LOCAL_CREDS.accountId, emu.url),
  };
  const sls = new SlsApi(target, undefined);
  const fc = new FcApi(target, undefined);
  return {
    emu,
    sls,
    fc,
    env: (extra = {}) => emulatorEnv(emu.url, tmp.dir, { FCX_ACCOUNT_ID: LOCAL_CREDS.accountId, ...extra }),
    async makeApp(service, o) {
      const dir = join(tmp.dir, service);
      mkdirSync(join(dir, 'src'), { recursive: true });
      writeFileSync(join(dir, 'src', 'index.py'), 'def handler(environ, start_response):\n    pass\n');
      const fnYaml = (name: string) => `  ${name}:\n    runtime: python3.10\n    handler: index.handler\n    source: ./src\n`;
      writeFileSync(join(dir, 'fcx.yaml'), `name: ${service}\nregion: cn-hangzhou\nservice:\n  logs: auto\nfunctions:\n${fnYaml('web')}${fnYaml('api')}`);
      const project = `${service}-proj`;
      const logstore = 'function-log';
      if (o.logging !== false) {
        await sls.createProject(project, 'fcx logs tests');
        await sls.createLogStore(project, logstore, { ttl: 7, shardCount: 1 });
        await sls.createIndex(project, logstore, o.index === 'fulltext' ? FULL_TEXT_ONLY_INDEX : o.index === 'fieldsonly' ? { keys: FC_LOG_INDEX.keys } : FC_LOG_INDEX);
      }
      if (o.deployed !== false) await fc.createService(service, o.logging === false ? {} : { logConfig: { project, logstore } });
      return {
        dir,
        service,
        project,
        logstore,
        async put(rows) {
          for (let i = 0; i < rows.length; i += 1000) {
            await sls.putLogs(project, logstore, {
              topic: service,
              logs: rows.slice(i, i + 1000).map((r) => ({
                timestamp: r.t,
                content: { serviceName: service, functionName: r.fn ?? 'web', qualifier: 'LATEST', versionId: '', instanceID: r.inst, message: r.msg },
              })),
            });
          }
        },
      };
    },
    async close() {
      await emu.close();
      tmp.cleanup();
    },
  };
}

/** Python logging's line shape: 2024-01-01T00:00:00.000Z <rid> [INFO] msg */
export const pyLog = (t: number, rid: string, msg: string, level = 'INFO') => `${new Date(t * 1000).toISOString()} ${rid} [${level}] ${msg}`;
export const start = (rid: string) => `FC Invoke Start RequestId: ${rid}`;
export const end = (rid: string) => `FC Invoke End RequestId: ${rid}`;
