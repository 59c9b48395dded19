// Instance lifecycle (idle stop, retire, configuration changes, async invocations), the single-port fallback
// for custom runtimes that ignore FC_SERVER_PORT, and the zip reader that unpacks deployed code.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { lstatSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractZip } from '../../src/emulator/runtimes/code-cache';
import { freePort } from '../../src/emulator/runtimes/custom-instance';
import { RuntimeManager } from '../../src/emulator/runtimes/manager';
import { repoRoot } from '../helpers/paths';
import { readZip } from '../../src/core/zip/read';
import { makeTmpDir } from '../helpers/tmp';
import { makeZip } from '../helpers/zip';
import { harness, httpInv, waitFor, type Harness } from './runtime-fixtures';

const PID_APP = `import os\ndef handler(environ, start_response):\n    start_response('200 OK', [])\n    return [str(os.getpid()).encode()]\n`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runtime manager lifecycle', () => {
  let h: Harness;
  before(() => (h = harness()));
  after(() => h.close());

  it('stops idle instances after the idle period', async () => {
    const quick = harness({ idleMs: 150 });
    try {
      const spec = quick.spec([{ name: 'index.py', data: PID_APP }]);
      const pid = Number((await quick.manager.invokeHttp(spec, httpInv())).body.toString());
      assert.ok(alive(pid));
      await waitFor(() => !alive(pid));
      await waitFor(() => quick.manager.instancesOf('svc', spec.functionName).length === 0);
    } finally {
      await quick.close();
    }
  });

  it('retire() stops a function\'s instances; the next request starts a fresh one', async () => {
    const spec = h.spec([{ name: 'index.py', data: PID_APP }]);
    const pid = Number((await h.manager.invokeHttp(spec, httpInv())).body.toString());
    await h.manager.retire('svc', spec.functionName);
    assert.ok(!alive(pid));
    const pid2 = Number((await h.manager.invokeHttp(spec, httpInv())).body.toString());
    assert.notEqual(pid2, pid);
  });

  it('a changed configuration (new code, env) gets new instances', async () => {
    const spec = h.spec([{ name: 'index.py', data: PID_APP }]);
    const pid = Number((await h.manager.invokeHttp(spec, httpInv())).body.toString());
    const same = Number((await h.manager.invokeHttp({ ...spec }, httpInv())).body.toString());
    assert.equal(same, pid);
    const changed = Number((await h.manager.invokeHttp({ ...spec, environmentVariables: { A: '1' } }, httpInv())).body.toString());
    assert.notEqual(changed, pid);
    await waitFor(() => !alive(pid));
  });

  it('rotated role credentials reach a running instance without restarting it', async () => {
    const code = `import os\ndef handler(environ, start_response):\n    start_response('200 OK', [])\n    c = environ['fc.context'].credentials\n    return [('%d %s %s' % (os.getpid(), c.access_key_id, c.security_token)).encode()]\n`;
    const spec = h.spec([{ name: 'index.py', data: code }]);
    const [pid, key] = (await h.manager.invokeHttp(spec, httpInv())).body.toString().split(' ');
    assert.equal(key, 'STS.key');
    const rotated = { ...spec, credentials: { accessKeyId: 'STS.new', accessKeySecret: 's2', securityToken: 't2' } };
    assert.deepEqual((await h.manager.invokeHttp(rotated, httpInv())).body.toString().split(' '), [pid, 'STS.new', 't2']);
  });

  it('async invocations return at once and still run (their logs arrive)', async () => {
    const code = 'import time\ndef handler(event, context):\n    time.sleep(0.2)\n    print("async done " + context.request_id)\n    return b"ignored"\n';
    const spec = h.spec([{ name: 'index.py', data: code }]);
    const started = Date.now();
    const r = await h.manager.invokeEvent(spec, { requestId: 'async-1', payload: Buffer.from('x'), logTail: false, async: true });
    assert.ok(Date.now() - started < 150);
    assert.equal(r.body.length, 0);
    await waitFor(() => h.sink.messages().includes('async done async-1'), 5000);
  });

  it('stops function processes left behind by an emulator that was killed with -9', async () => {
    const tmp = makeTmpDir('fcx-orphans-');
    try {
      const app = `import os\nfrom http.server import BaseHTTPRequestHandler, HTTPServer\nclass H(BaseHTTPRequestHandler):\n    def do_GET(self):\n        b = str(os.getpid()).encode()\n        self.send_response(200)\n        self.send_header('Content-Length', str(len(b)))\n        self.end_headers()\n        self.wfile.write(b)\nHTTPServer(('127.0.0.1', int(os.environ['FC_SERVER_PORT'])), H).serve_forever()\n`;
      writeFileSync(join(tmp.dir, 'code.zip'), makeZip([{ name: 'bootstrap', data: '#!/bin/sh\nexec python3 app.py\n', mode: 0o755 }, { name: 'app.py', data: app }]));
      const script = `
        const { RuntimeManager } = require(${JSON.stringify(join(repoRoot, 'dist/src/emulator/runtimes/manager.js'))});
        const m = new RuntimeManager({ workDir: ${JSON.stringify(join(tmp.dir, 'work'))}, logSink: { writeFunctionLogs() {} } });
        const spec = { serviceName: 's', functionName: 'f', qualifier: 'LATEST', runtime: 'custom', handler: 'x', initializationTimeout: 3, timeout: 5,
          memorySize: 128, instanceConcurrency: 1, environmentVariables: {}, caPort: 0, codeChecksum: 'orphan', codeBlobPath: ${JSON.stringify(join(tmp.dir, 'code.zip'))},
          region: 'r', accountId: '1' };
        m.invokeHttp(spec, { requestId: 'r', method: 'GET', path: '/', rawQuery: '', requestURI: '/', headers: [], body: Buffer.alloc(0), clientIP: '' })
          .then((r) => console.log('PID ' + r.body.toString()));`;
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const pid: number = await new Promise((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /PID (\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', () => reject(new Error('child exited: ' + out)));
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      assert.ok(alive(pid), 'the app outlives a killed emulator');
      const next = new RuntimeManager({ workDir: join(tmp.dir, 'work'), logSink: { writeFunctionLogs() {} } });
      await waitFor(() => !alive(pid));
      await next.shutdown();
    } finally {
      tmp.cleanup();
    }
  });

  it('rejects runtimes the emulator cannot run with a clear message', async () => {
    const r = await h.manager.invokeHttp(h.spec([{ name: 'a.txt', data: 'x' }], { runtime: 'java11' }), httpInv());
    assert.equal(r.status, 502);
    assert.match(JSON.parse(r.body.toString()).errorMessage, /runtime "java11" is not supported by the local emulator/);
  });

  it('keeps a custom runtime that ignores FC_SERVER_PORT to one instance and queues', async () => {
    const caPort = await freePort();
    const server = `import os, time
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *a):
        pass
    def do_GET(self):
        time.sleep(0.2)
        body = str(os.getpid()).encode()
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
HTTPServer(('0.0.0.0', int(os.environ['APP_PORT'])), H).serve_forever()
`;
    const spec = h.spec(
      [
        { name: 'bootstrap', data: '#!/bin/sh\nexec python3 server.py\n', mode: 0o755 },
        { name: 'server.py', data: server },
      ],
      { runtime: 'custom', caPort, environmentVariables: { APP_PORT: String(caPort) } },
    );
    const rs = await Promise.all([1, 2, 3].map(() => h.manager.invokeHttp(spec, httpInv())));
    assert.deepEqual(rs.map((r) => r.status), [200, 200, 200], rs.map((r) => r.body.toString()).join('\n'));
    assert.equal(new Set(rs.map((r) => r.body.toString())).size, 1);
  });
});

describe('zip reader', () => {
  it('unpacks stored and deflated entries with their Unix modes', () => {
    const tmp = makeTmpDir();
    try {
      for (const deflate of [false, true]) {
        const dest = join(tmp.dir, deflate ? 'deflated' : 'stored');
        const big = Buffer.alloc(100_000, 'abc');
        extractZip(
          makeZip(
            [
              { name: 'bootstrap', data: '#!/bin/sh\n', mode: 0o755 },
              { name: 'dir/sub/file.txt', data: big },
              { name: 'ünïcode.txt', data: 'u' },
            ],
            { deflate },
          ),
          dest,
        );
        assert.equal(statSync(join(dest, 'bootstrap')).mode & 0o777, 0o755);
        assert.equal(statSync(join(dest, 'dir/sub/file.txt')).mode & 0o777, 0o644);
        assert.ok(readFileSync(join(dest, 'dir/sub/file.txt')).equals(big));
        assert.equal(readFileSync(join(dest, 'ünïcode.txt'), 'utf8'), 'u');
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('keeps symlinks and refuses entries that escape the folder', () => {
    const tmp = makeTmpDir();
    try {
      const zip = makeZip([{ name: 'real.txt', data: 'r' }, { name: 'link.txt', data: 'real.txt', mode: 0o777 }]);
      // Mark link.txt as a symlink (S_IFLNK) in its external attributes.
      const entries = readZip(zip);
      assert.equal(entries.length, 2);
      const cdStart = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      const second = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), cdStart + 4);
      zip.writeUInt32LE(((0o120777 << 16) >>> 0), second + 38);
      extractZip(zip, join(tmp.dir, 'links'));
      assert.ok(lstatSync(join(tmp.dir, 'links', 'link.txt')).isSymbolicLink());
      assert.equal(readlinkSync(join(tmp.dir, 'links', 'link.txt')), 'real.txt');

      assert.throws(() => extractZip(makeZip([{ name: '../evil.txt', data: 'x' }]), join(tmp.dir, 'evil')), /outside the code folder/);
      assert.throws(() => readZip(Buffer.from('not a zip at all, not even close')), /not a zip file/);
    } finally {
      tmp.cleanup();
    }
  });
});
