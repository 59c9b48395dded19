// What the emulator adds to a request: a warm Python WSGI hello-world behind an HTTP trigger, against the same
// app served directly by Python's wsgiref; and the cold start of a new instance (first request after a deploy).
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index';
import { makeZip } from '../helpers/zip';
import { median, timeIt, type BenchReporter } from './reporter';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const FC = require('@alicloud/fc2');

const APP = `def handler(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'hello world']
`;

const WSGIREF = `import sys
from wsgiref.simple_server import make_server, WSGIRequestHandler
from index import handler
class Quiet(WSGIRequestHandler):
    def log_message(self, *a): pass
srv = make_server('127.0.0.1', 0, handler, handler_class=Quiet)
print(srv.server_port, flush=True)
srv.serve_forever()
`;

function get(agent: http.Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function latencies(agent: http.Agent, port: number, path: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await timeIt(() => get(agent, port, path)));
  return out;
}

/** Requests per second with `concurrency` clients in a loop for `ms`. */
async function throughput(agent: http.Agent, port: number, path: string, concurrency: number, ms: number): Promise<number> {
  let done = 0;
  const end = Date.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        await get(agent, port, path);
        done++;
      }
    }),
  );
  return done / (ms / 1000);
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
}

export default async function emulatorBench(r: BenchReporter): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fcx-bench-'));
  let py: ChildProcess | undefined;
  const emu = await startEmulator({ port: 0, dataDir: join(dir, 'emu'), quiet: true });
  try {
    const fc = new FC('1234567890123456', { endpoint: emu.url, accessKeyID: 'fcx-local-key', accessKeySecret: 'fcx-local-secret', region: 'cn-hangzhou' });
    await fc.createService('bench');
    const code = { zipFile: makeZip([{ name: 'index.py', data: APP }]).toString('base64') };
    await fc.createFunction('bench', { functionName: 'hello', runtime: 'python3.10', handler: 'index.handler', instanceConcurrency: 1, code });
    await fc.createTrigger('bench', 'hello', { triggerName: 'http', triggerType: 'http', triggerConfig: { authType: 'anonymous', methods: ['GET'] } });

    // The same app straight on wsgiref (HTTP/1.0: one connection per request, as wsgiref does).
    writeFileSync(join(dir, 'index.py'), APP);
    writeFileSync(join(dir, 'serve.py'), WSGIREF);
    py = spawn('python3', ['serve.py'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    const pyPort: number = await new Promise((resolve) => py!.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));

    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const fresh = new http.Agent({ keepAlive: false });
    const trigger = '/2016-08-15/proxy/bench/hello/';
    await latencies(keepAlive, emu.port, trigger, 50); // warm the instance
    await latencies(fresh, pyPort, '/', 50);

    r.section('Emulator: HTTP trigger to a warm Python WSGI hello world vs the app on wsgiref directly');
    const n = 300;
    const direct = await latencies(fresh, pyPort, '/', n);
    const viaNew = await latencies(fresh, emu.port, trigger, n);
    const viaKeep = await latencies(keepAlive, emu.port, trigger, n);
    r.row('wsgiref directly, latency', `${median(direct).toFixed(2)} ms`, `p95 ${p95(direct).toFixed(2)} ms, new connection per request`);
    r.row('emulator trigger, latency', `${median(viaNew).toFixed(2)} ms`, `p95 ${p95(viaNew).toFixed(2)} ms, new connection per request`);
    r.row('emulator trigger, keep-alive', `${median(viaKeep).toFixed(2)} ms`, `p95 ${p95(viaKeep).toFixed(2)} ms`);
    r.row('added latency (median)', `${(median(viaNew) - median(direct)).toFixed(2)} ms`, 'same connection handling on both sides');
    const rpsDirect = await throughput(fresh, pyPort, '/', 1, 3000);
    const rpsEmu1 = await throughput(keepAlive, emu.port, trigger, 1, 3000);
    const rpsEmu8 = await throughput(keepAlive, emu.port, trigger, 8, 3000);
    r.row('wsgiref directly, 1 client', `${rpsDirect.toFixed(0)} req/s`);
    r.row('emulator trigger, 1 client', `${rpsEmu1.toFixed(0)} req/s`, 'keep-alive');
    r.row('emulator trigger, 8 clients', `${rpsEmu8.toFixed(0)} req/s`, 'instanceConcurrency 1: more instances start');

    r.section('Emulator: cold start (first request after a code or config change)');
    const cold: number[] = [];
    for (let i = 0; i < 5; i++) {
      await fc.updateFunction('bench', 'hello', { environmentVariables: { ROUND: String(i) } }); // retires the warm instances
      cold.push(await timeIt(() => get(keepAlive, emu.port, trigger)));
    }
    r.row('cold start, python3.10 hello world', `${median(cold).toFixed(0)} ms`, `median of 5; min ${Math.min(...cold).toFixed(0)}, max ${Math.max(...cold).toFixed(0)} ms`);
    keepAlive.destroy();
  } finally {
    py?.kill();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
