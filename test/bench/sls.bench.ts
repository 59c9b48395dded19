// SLS GetLogs over 100,000 function log lines: finding one request id (what `fcx logs --request-id` does), a
// full-scan query, and the first query after a restart (log file reload + index build).
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { startInProcessEmulator, LOCAL_CREDS } from '../helpers/emulator';
import { makeTmpDir } from '../helpers/tmp';
import { DEFAULT_TOKENS } from '../../src/emulator/services/sls-query';
import { median, timeIt, type BenchReporter } from './reporter';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const SLS = require('@alicloud/log');

const agent = new http.Agent({ lookup: ((_h: string, o: any, cb: any) => (o && o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4))) as any });
const opt = { agent };
const LINES = 100_000;
const T0 = 1_700_000_000;

export default async function slsBench(r: BenchReporter): Promise<void> {
  const tmp = makeTmpDir('fcx-sls-bench-');
  let emu = await startInProcessEmulator({ dataDir: tmp.dir });
  try {
    let c = new SLS({ endpoint: `http://cn-hangzhou.log.aliyuncs.com:${emu.port}`, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret });
    await c.createProject('bench-logs', { description: '' }, opt);
    await c.createLogStore('bench-logs', 'fc', { ttl: 7, shardCount: 2 }, opt);
    await c.createIndex('bench-logs', 'fc', { line: { token: DEFAULT_TOKENS, caseSensitive: false }, keys: { functionName: { type: 'text', token: DEFAULT_TOKENS } } }, opt);

    // 4 lines per invocation, FC framing around two application lines.
    const ids: string[] = [];
    const write = await timeIt(async () => {
      for (let start = 0; start < LINES; start += 4000) {
        const logs = [];
        for (let i = start; i < Math.min(start + 4000, LINES); i += 4) {
          const rid = randomUUID();
          ids.push(rid);
          const t = T0 + Math.floor(i / 4);
          const iso = new Date(t * 1000).toISOString();
          const base = { serviceName: 'bench-svc', functionName: `fn-${i % 7}`, qualifier: 'LATEST', versionId: '', instanceID: 'c-1' };
          logs.push(
            { timestamp: t, content: { ...base, message: `FC Invoke Start RequestId: ${rid}` } },
            { timestamp: t, content: { ...base, message: `${iso} ${rid} [INFO] GET /api/items?page=${i % 50} user=${i % 997}` } },
            { timestamp: t, content: { ...base, message: `${iso} ${rid} [INFO] answered 200 in ${i % 300} ms` } },
            { timestamp: t, content: { ...base, message: `FC Invoke End RequestId: ${rid}` } },
          );
        }
        await c.postLogStoreLogs('bench-logs', 'fc', { topic: 'bench-svc', source: '127.0.0.1', logs }, opt);
      }
    });
    r.section(`SLS GetLogs over ${LINES.toLocaleString('en')} lines (in-process emulator, @alicloud/log over HTTP)`);
    r.row('PutLogs 100k lines (25 batches)', `${write.toFixed(0)} ms`, 'append + fsync per batch');
    const to = T0 + LINES;
    const query = (q: string, extra = {}) => c.getLogs('bench-logs', 'fc', new Date(T0 * 1000), new Date(to * 1000), { query: q, ...extra }, opt);
    const pick = () => ids[Math.floor(Math.random() * ids.length)];
    r.row('first request-id query', `${(await timeIt(() => query(`"${pick()}"`))).toFixed(1)} ms`, 'the index was kept current while writing');
    const times: number[] = [];
    for (let i = 0; i < 20; i++) times.push(await timeIt(() => query(`"${pick()}"`)));
    r.row('request-id query', `${median(times).toFixed(1)} ms`, 'median of 20, 4 rows each');
    const scans: number[] = [];
    for (let i = 0; i < 5; i++) scans.push(await timeIt(() => query('functionName: fn-3 and not "answered 200"', { line: 100 })));
    r.row('field + not query (full scan)', `${median(scans).toFixed(1)} ms`, 'median of 5');
    await emu.close();
    emu = await startInProcessEmulator({ dataDir: tmp.dir });
    c = new SLS({ endpoint: `http://cn-hangzhou.log.aliyuncs.com:${emu.port}`, accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret });
    r.row('first query after restart', `${(await timeIt(() => query(`"${pick()}"`))).toFixed(1)} ms`, 'reloads the log file and rebuilds the index');
  } finally {
    await emu.close();
    tmp.cleanup();
  }
}
