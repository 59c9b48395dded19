// A warm Python hello-world behind the emulator's HTTP trigger, against the same WSGI app served directly by
// Python's wsgiref (the simplest way to run it locally). Both are called over keep-alive HTTP from this
// process; wsgiref speaks HTTP/1.0, so it gets a new connection per request (that is how it serves).
import http from 'node:http';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startInProcessEmulator, LOCAL_CREDS } from '../helpers/emulator';
import { makeTmpDir } from '../helpers/tmp';
import { makeZip } from '../helpers/zip';
import { median, timeIt, type BenchReporter } from './reporter';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const FC = require('@alicloud/fc2');

const APP = `def handler(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'hello world']
`;
const WSGIREF = `import sys
sys.path.insert(0, sys.argv[1])
from wsgiref.simple_server import make_server, WSGIRequestHandler
from index import handler
class Quiet(WSGIRequestHandler):
    def log_message(self, *a):
        pass
srv = make_server('127.0.0.1', 0, handler, handler_class=Quiet)
print(srv.server_port, flush=True)
srv.serve_forever()
`;

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

async function measure(url: string, total: number, parallel: number): Promise<{ rps: number; p50: number }> {
  const lat: number[] = [];
  let next = 0;
  const t = await timeIt(() =>
    Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next++ < total) {
          const t0 = process.hrtime.bigint();
          const status = await get(url);
          if (status !== 200) throw new Error(`${url} answered ${status}`);
          lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      }),
    ),
  );
  return { rps: (total / t) * 1000, p50: median(lat) };
}

export default async function runtimeBench(r: BenchReporter): Promise<void> {
  const emu = await startInProcessEmulator();
  const tmp = makeTmpDir('fcx-rt-bench-');
  writeFileSync(join(tmp.dir, 'index.py'), APP);
  const py = spawn('python3', ['-c', WSGIREF, tmp.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const fc = new FC(LOCAL_CREDS.accountId, { endpoint: emu.url, accessKeyID: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret, region: LOCAL_CREDS.region });
    await fc.createService('bench');
    await fc.createFunction('bench', { functionName: 'hello', runtime: 'python3.10', handler: 'index.handler', memorySize: 128, timeout: 10, code: { zipFile: makeZip([{ name: 'index.py', data: APP }]).toString('base64') } });
    await fc.createTrigger('bench', 'hello', { triggerName: 'http', triggerType: 'http', triggerConfig: { authType: 'anonymous', methods: ['GET'] } });
    const trigger = `${emu.url}/2016-08-15/proxy/bench/hello/`;
    const port: number = await new Promise((resolve, reject) => {
      py.stdout!.once('data', (d) => resolve(Number(String(d).trim())));
      py.once('exit', (code) => reject(new Error(`wsgiref server exited with ${code}`)));
    });
    const direct = `http://127.0.0.1:${port}/`;

    r.section('Function runtime: warm Python hello world (HTTP trigger vs wsgiref)');
    const cold = await timeIt(() => get(trigger));
    r.row('first request (unpack code, start python, import app)', `${cold.toFixed(0)} ms`);
    await measure(trigger, 300, 1);
    await measure(direct, 300, 1);
    for (const parallel of [1, 8]) {
      const viaTrigger = await measure(trigger, 3000, parallel);
      const viaWsgiref = await measure(direct, 3000, parallel);
      r.row(`HTTP trigger, ${parallel} client(s)`, `${viaTrigger.rps.toFixed(0)} req/s`, `p50 ${viaTrigger.p50.toFixed(2)} ms`);
      r.row(`wsgiref direct, ${parallel} client(s)`, `${viaWsgiref.rps.toFixed(0)} req/s`, `p50 ${viaWsgiref.p50.toFixed(2)} ms`);
    }
  } finally {
    py.kill();
    agent.destroy();
    await emu.close();
    tmp.cleanup();
  }
}
