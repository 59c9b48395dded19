// How many GetLogs calls and how long it takes to find one request's lines in a logstore of 100,000 lines,
// through the library (fcx's own calls only) and through the CLI (a child process, start-up included).
// The rows are FC-shaped (Start, a logging line, a plain print, End per request; 20 instances, concurrency 1),
// written with SLS PutLogs in batches into the emulator running in this process.
import { spawn } from 'node:child_process';
import { fcxBin } from '../helpers/paths';
import { median, timeIt, type BenchReporter } from './reporter';
import { startLogsFixture, pyLog, start, end, type Row } from '../e2e/logs-fixture';
import { SlsLogSource } from '../../src/logs/source';
import { findRequest } from '../../src/logs/search';
import { indexedFieldsOf } from '../../src/logs/query';

const TOTAL = 100_000;
const PER_REQUEST = 5;
const INSTANCES = 20;

const rid = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export default async function logsBench(r: BenchReporter): Promise<void> {
  const fx = await startLogsFixture();
  try {
    r.section(`fcx logs --request-id in a logstore of ${TOTAL.toLocaleString('en-US')} lines (emulator in-process)`);
    const now = Math.floor(Date.now() / 1000);
    const requests = TOTAL / PER_REQUEST;
    const spanSec = 2 * 3600; // the last two hours
    const rowsOf = (n: number): Row[] => {
      const t = now - spanSec + Math.floor((n * spanSec) / requests);
      const inst = `i-${n % INSTANCES}`;
      const id = rid(n);
      return [
        { t, inst, msg: start(id) },
        { t, inst, msg: pyLog(t, id, `GET /items/${n}`) },
        { t, inst, msg: `plain print ${n}` },
        { t, inst, msg: pyLog(t, id, `done ${n}`) },
        { t, inst, msg: end(id) },
      ];
    };
    for (const kind of ['fields', 'fulltext'] as const) {
      const app = await fx.makeApp(`bench-${kind === 'fields' ? 'fi' : 'ft'}`, { index: kind });
      const batch: Row[] = [];
      const putMs = await timeIt(async () => {
        for (let n = 0; n < requests; n++) {
          batch.push(...rowsOf(n));
          if (batch.length >= 4000) await app.put(batch.splice(0));
        }
        if (batch.length) await app.put(batch.splice(0));
      });
      r.row(`PutLogs ${TOTAL.toLocaleString('en-US')} rows (${kind} index)`, `${(putMs / 1000).toFixed(1)} s`, `${Math.ceil(TOTAL / 4000)} batches`);

      const target = Math.floor(requests / 2) + 7;
      const src = new SlsLogSource(fx.sls, app.project, app.logstore);
      const indexed = indexedFieldsOf(await fx.sls.getIndex(app.project, app.logstore));
      const times: number[] = [];
      let lines = 0;
      for (let i = 0; i < 5; i++) {
        src.calls = 0;
        times.push(
          await timeIt(async () => {
            const found = await findRequest(src, { from: now - 86_400, to: now + 1 }, { service: app.service, indexedFields: indexed }, rid(target), { instanceLookbackSec: async () => 60 });
            lines = found.records.length;
          }),
        );
      }
      r.row(`findRequest, library (${kind} index)`, `${median(times).toFixed(0)} ms`, `${src.calls} GetLogs calls, ${lines} lines (median of 5)`);

      const cli: number[] = [];
      const seen = (await fx.emu.requests()).length;
      for (let i = 0; i < 3; i++) {
        cli.push(
          // Asynchronous spawn: the emulator answering it runs in this process's event loop.
          await timeIt(
            () =>
              new Promise<void>((resolve, reject) => {
                const child = spawn(process.execPath, [fcxBin, 'logs', '--request-id', rid(target), '--json'], { cwd: app.dir, env: fx.env(), stdio: ['ignore', 'ignore', 'pipe'] });
                let err = '';
                child.stderr.on('data', (d) => (err += d));
                child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`fcx logs exited ${code}: ${err}`))));
              }),
          ),
        );
      }
      const made = (await fx.emu.requests()).slice(seen);
      const perRun = (pred: (a: string) => boolean) => made.filter((c) => pred(c.action)).length / 3;
      r.row(
        `fcx logs --request-id, CLI (${kind} index)`,
        `${median(cli).toFixed(0)} ms`,
        `child process, start-up included (median of 3); per run ${perRun((a) => a === 'GetLogs')} GetLogs + ${perRun((a) => a !== 'GetLogs')} other calls (GetService, GetIndex, GetFunction)`,
      );
    }
  } finally {
    await fx.close();
  }
}
