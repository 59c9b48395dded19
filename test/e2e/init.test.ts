// `fcx init` as a user runs it (the built CLI in a child process), and the template code itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emulatorEnv, runFcx } from '../helpers/cli';
import { startInProcessEmulator } from '../helpers/emulator';
import { makeTmpDir } from '../helpers/tmp';
import { repoRoot } from '../helpers/paths';

const env = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' });

const PYTHON_WEB_FILES = ['.fcignore', 'README.md', 'fcx.yaml', '.gitignore', 'index.py', 'requirements.txt'];

test('fcx init hello: writes the python-web app, lists the files on stdout, next steps on stderr', async () => {
  const { dir, cleanup } = makeTmpDir('fcx-init-');
  try {
    const r = await runFcx(['init', 'hello'], { cwd: dir, env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), PYTHON_WEB_FILES.map((f) => `hello/${f}`).sort());
    assert.match(r.stderr, /cd hello/);
    assert.match(r.stderr, /fcx emulator/);
    assert.match(r.stderr, /fcx deploy --local/);
    const yaml = readFileSync(join(dir, 'hello', 'fcx.yaml'), 'utf8');
    assert.match(yaml, /^name: hello$/m);
    assert.match(yaml, /^region: cn-hangzhou$/m);
    assert.doesNotMatch(yaml, /\{\{/, 'every placeholder is filled');
    assert.doesNotMatch(readFileSync(join(dir, 'hello', 'index.py'), 'utf8'), /\{\{name\}\}/);
    assert.ok(!existsSync(join(dir, 'hello', 'gitignore')), 'gitignore is renamed to .gitignore');
    assert.ok(!existsSync(join(dir, 'hello', 'template.json')));
  } finally {
    cleanup();
  }
});

test('fcx init --json, --name, --region, --template', async () => {
  const { dir, cleanup } = makeTmpDir('fcx-init-');
  try {
    const r = await runFcx(['init', 'svc', '--template', 'nodejs-web', '--name', 'shop-api', '--region', 'cn-shanghai', '--json'], { cwd: dir, env: env() });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.dir, join(dir, 'svc'));
    assert.equal(out.template, 'nodejs-web');
    assert.ok(out.files.includes('fcx.yaml') && out.files.includes('index.js') && out.files.includes('package.json'));
    const yaml = readFileSync(join(dir, 'svc', 'fcx.yaml'), 'utf8');
    assert.match(yaml, /^name: shop-api$/m);
    assert.match(yaml, /^region: cn-shanghai$/m);
    assert.equal(JSON.parse(readFileSync(join(dir, 'svc', 'package.json'), 'utf8')).name, 'shop-api');
  } finally {
    cleanup();
  }
});

test('without a dir, init writes into the current folder and names the app after it', async () => {
  const { dir, cleanup } = makeTmpDir('fcx-init-');
  try {
    const cwd = join(dir, 'My Cool_App');
    mkdirSync(join(cwd, '.git'), { recursive: true }); // a fresh git repo still counts as empty
    const r = await runFcx(['init'], { cwd, env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(cwd, 'fcx.yaml'), 'utf8'), /^name: my-cool-app$/m);
    assert.doesNotMatch(r.stderr, /\bcd /, 'no cd step when the app is in the current folder');
  } finally {
    cleanup();
  }
});

test('a non-empty folder is refused (exit 2) naming the folder and --force; --force overwrites only template files', async () => {
  const { dir, cleanup } = makeTmpDir('fcx-init-');
  try {
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'notes.txt'), 'mine');
    writeFileSync(join(app, 'index.py'), 'old');
    const refused = await runFcx(['init', 'app'], { cwd: dir, env: env() });
    assert.equal(refused.code, 2);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /The folder app is not empty/);
    assert.match(refused.stderr, /--force/);
    assert.equal(readFileSync(join(app, 'index.py'), 'utf8'), 'old', 'nothing was written');
    assert.ok(!existsSync(join(app, 'fcx.yaml')));

    const forced = await runFcx(['init', 'app', '--force'], { cwd: dir, env: env() });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(join(app, 'index.py'), 'utf8'), /def handler\(environ, start_response\)/);
    assert.equal(readFileSync(join(app, 'notes.txt'), 'utf8'), 'mine', 'other files are kept');
    assert.match(forced.stderr, /overwrote index\.py/);
  } finally {
    cleanup();
  }
});

test('fcx init --list (text and --json); an unknown template lists the available ones', async () => {
  const { dir, cleanup } = makeTmpDir('fcx-init-');
  try {
    const list = await runFcx(['init', '--list'], { cwd: dir, env: env() });
    assert.equal(list.code, 0);
    const names = list.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    assert.deepEqual(names, ['python-web', 'custom-web', 'nodejs-web']);
    assert.match(list.stdout, /^python-web\s+Python 3\.10 web API/m);

    const json = await runFcx(['init', '--list', '--json'], { cwd: dir, env: env() });
    assert.equal(json.code, 0, json.stderr);
    const arr = JSON.parse(json.stdout);
    assert.deepEqual(arr[0], { name: 'python-web', description: arr[0].description, runtime: 'python3.10' });
    assert.ok(arr.every((t: any) => t.description.length > 10));

    const bad = await runFcx(['init', 'x', '--template', 'pyhton-web'], { cwd: dir, env: env() });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /no template named 'pyhton-web' \(did you mean 'python-web'\?\)/);
    assert.match(bad.stderr, /Available: python-web, custom-web, nodejs-web/);
    assert.ok(!existsSync(join(dir, 'x')), 'nothing created');
  } finally {
    cleanup();
  }
});

test('a bad --name or --region is a usage error before anything is written', async () => {
  const { dir, cleanup } = makeTmpDir('fcx-init-');
  try {
    const r = await runFcx(['init', 'x', '--name', 'Bad_Name'], { cwd: dir, env: env() });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'Bad_Name' is not a valid app name/);
    assert.match(r.stderr, /--name bad-name/);
    const g = await runFcx(['init', 'x', '--region', 'Hangzhou'], { cwd: dir, env: env() });
    assert.equal(g.code, 2);
    assert.match(g.stderr, /'Hangzhou' is not a region id/);
    assert.ok(!existsSync(join(dir, 'x')));
  } finally {
    cleanup();
  }
});

// The template's code itself: import the created index.py under python3 and call it the way FC's
// Python runtime does (WSGI environ + fc.context with request_id). No emulator involved.
const WSGI_CALL = String.raw`
import io, json, logging, sys
logging.basicConfig(stream=sys.stderr, format='LOG %(message)s')
sys.path.insert(0, sys.argv[1])
import index
class Ctx: request_id = 'req-123'
def call(method, path, query, accept):
    got = {}
    def start_response(status, headers):
        got['status'] = status; got['headers'] = dict(headers)
    environ = {'REQUEST_METHOD': method, 'PATH_INFO': path, 'QUERY_STRING': query, 'HTTP_ACCEPT': accept,
               'wsgi.input': io.BytesIO(b''), 'fc.context': Ctx(), 'fc.request_uri': path + '?' + query}
    body = b''.join(index.handler(environ, start_response))
    return {'status': got['status'], 'type': got['headers']['Content-Type'], 'length': got['headers']['Content-Length'], 'body': body.decode('utf-8')}
print(json.dumps([call('GET', '/hello', 'a=1&b=x&b=y', 'application/json'), call('POST', '/p', '', 'text/html'), call('HEAD', '/', '', '')]))
`;

test('the python-web handler answers JSON or HTML with method, path, query and request id, and logs one line', async (t) => {
  const py = spawnSync('python3', ['--version']);
  if (py.status !== 0) {
    t.skip('python3 is not installed');
    return;
  }
  const { dir, cleanup } = makeTmpDir('fcx-init-');
  try {
    const r = await runFcx(['init', 'app', '--name', 'demo-app'], { cwd: dir, env: env() });
    assert.equal(r.code, 0, r.stderr);
    const run = spawnSync('python3', ['-c', WSGI_CALL, join(dir, 'app')], { encoding: 'utf8', env: { PATH: process.env.PATH, GREETING: 'Hi' } });
    assert.equal(run.status, 0, run.stderr);
    const [json, html, head] = JSON.parse(run.stdout);
    assert.equal(json.status, '200 OK');
    assert.equal(json.type, 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(json.body), { message: 'Hi from demo-app', method: 'GET', path: '/hello', query: 'a=1&b=x&b=y', params: { a: '1', b: ['x', 'y'] }, requestId: 'req-123' });
    assert.equal(Number(json.length), Buffer.byteLength(json.body));
    assert.equal(html.type, 'text/html; charset=utf-8');
    assert.match(html.body, /<h1>Hi from demo-app<\/h1>/);
    assert.match(html.body, /<code>POST<\/code>/);
    assert.match(html.body, /<code>req-123<\/code>/);
    assert.match(html.body, /<code>\/p<\/code>/);
    assert.equal(head.body, '', 'HEAD has no body');
    assert.deepEqual(run.stderr.trim().split('\n'), ['LOG GET /hello', 'LOG POST /p', 'LOG HEAD /']);
  } finally {
    cleanup();
  }
});

test('the custom-web bootstrap serves HTTP on FC_SERVER_PORT with the request id', async (t) => {
  if (spawnSync('python3', ['--version']).status !== 0) {
    t.skip('python3 is not installed');
    return;
  }
  const { dir, cleanup } = makeTmpDir('fcx-init-');
  const { spawn } = await import('node:child_process');
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
  const r = await runFcx(['init', 'app', '--template', 'custom-web', '--name', 'custom-app'], { cwd: dir, env: env() });
  assert.equal(r.code, 0, r.stderr);
  const bootstrap = join(dir, 'app', 'bootstrap');
  assert.ok(statSync(bootstrap).mode & 0o100, 'bootstrap is executable');
  const child = spawn(bootstrap, [], { env: { PATH: process.env.PATH, FC_SERVER_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  try {
    let res: Response | undefined;
    for (let i = 0; i < 100 && !res; i++) {
      res = await fetch(`http://127.0.0.1:${port}/x?q=1`, { headers: { accept: 'application/json', 'x-fc-request-id': 'rid-9' } }).catch(() => undefined);
      if (!res) await new Promise((s) => setTimeout(s, 50));
    }
    assert.ok(res, 'server came up');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { message: 'Hello from custom-app', method: 'GET', path: '/x', query: 'q=1', params: { q: '1' }, requestId: 'rid-9' });
    // The log line is printed before the response is sent, but the pipe may deliver it a moment later.
    for (let i = 0; i < 50 && !/GET \/x/.test(out); i++) await new Promise((s) => setTimeout(s, 20));
    assert.match(out, /GET \/x/);
  } finally {
    child.kill('SIGTERM');
    await new Promise((res) => child.once('exit', res));
    cleanup();
  }
});

test('the nodejs-web handler answers through FC-style req/resp objects', async () => {
  const { dir, cleanup } = makeTmpDir('fcx-init-');
  try {
    const r = await runFcx(['init', 'app', '--template', 'nodejs-web', '--name', 'node-app'], { cwd: dir, env: env() });
    assert.equal(r.code, 0, r.stderr);
    // FC's resp API: setStatusCode, setHeader, send. A stub records the calls (no FC runtime here).
    const mod = require(join(dir, 'app', 'index.js'));
    const sent: { status?: number; headers: Record<string, string>; body?: string } = { headers: {} };
    const resp = { setStatusCode: (s: number) => (sent.status = s), setHeader: (k: string, v: string) => (sent.headers[k] = v), send: (b: string) => (sent.body = b) };
    const logs: string[] = [];
    const orig = console.log;
    console.log = (...a: unknown[]) => logs.push(a.join(' '));
    try {
      mod.handler({ method: 'GET', path: '/hi', queries: { a: '1', b: ['x', 'y'] }, headers: { accept: 'application/json' } }, resp, { requestId: 'r-1' });
    } finally {
      console.log = orig;
    }
    assert.equal(sent.status, 200);
    assert.deepEqual(JSON.parse(sent.body!), { message: 'Hello from node-app', method: 'GET', path: '/hi', query: 'a=1&b=x&b=y', params: { a: '1', b: ['x', 'y'] }, requestId: 'r-1' });
    assert.deepEqual(logs, ['GET /hi']);
  } finally {
    cleanup();
  }
});

test('the shipped schema file exists where the $schema comment and package.json "files" expect it', () => {
  assert.ok(existsSync(join(repoRoot, 'schema', 'fcx.schema.json')));
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  assert.ok(pkg.files.includes('schema') && pkg.files.includes('templates'));
});

// Prompts need a real terminal: python3's pty module gives the CLI one (no TTY mocking in fcx itself).
const PTY_DRIVER = String.raw`
import os, pty, sys, time, select, json
cwd, fcx, keys = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
pid, fd = pty.fork()
if pid == 0:
    os.chdir(cwd)
    os.execvpe('node', ['node', fcx, 'init'], dict(os.environ, NO_COLOR='1'))
out = b''
def pump(sec):
    global out
    end = time.time() + sec
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try: out += os.read(fd, 4096)
            except OSError: return False
    return True
for wait, send in keys:
    end = time.time() + 15
    while wait.encode() not in out and time.time() < end:
        if not pump(0.1): break
    time.sleep(0.2)
    os.write(fd, send.encode())
while pump(0.2):
    pass
_, status = os.waitpid(pid, 0)
print(json.dumps({'status': os.waitstatus_to_exitcode(status), 'out': out.decode('utf8', 'replace')}))
`;

function drivePty(cwd: string, keys: [string, string][]): { status: number; out: string } {
  const r = spawnSync('python3', ['-c', PTY_DRIVER, cwd, join(repoRoot, 'bin', 'fcx.js'), JSON.stringify(keys)], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('at a terminal, init asks for the template and the name (inquirer); Ctrl-C cancels cleanly', async (t) => {
  if (spawnSync('python3', ['--version']).status !== 0) {
    t.skip('python3 is not installed');
    return;
  }
  const { dir, cleanup } = makeTmpDir('fcx-init-');
  try {
    // Down arrow picks the second template (custom-web), then a name.
    const ok = drivePty(dir, [
      ['Template', '\x1b[B'],
      ['custom-web', '\r'],
      ['App name', 'pty-app\r'],
    ]);
    assert.equal(ok.status, 0, ok.out);
    assert.match(readFileSync(join(dir, 'pty-app', 'fcx.yaml'), 'utf8'), /^name: pty-app$/m);
    assert.ok(existsSync(join(dir, 'pty-app', 'bootstrap')), 'the custom-web template was chosen');

    mkdirSync(join(dir, 'empty'));
    const cancelled = drivePty(join(dir, 'empty'), [['Template', '\x03']]);
    assert.equal(cancelled.status, 1, cancelled.out);
    assert.match(cancelled.out, /fcx init was cancelled; nothing was written/);
    assert.doesNotMatch(cancelled.out, /at .*\.js:\d+/, 'no stack trace');
  } finally {
    cleanup();
  }
});

// Each template as a user meets it: init → deploy to the emulator → invoke through the HTTP trigger.
// The emulator runs the real runtimes (Python WSGI, Node.js, custom bootstrap).
test('every template deploys to the emulator and answers through its HTTP trigger', async (t) => {
  if (spawnSync('python3', ['--version']).status !== 0) {
    t.skip('python3 is not installed');
    return;
  }
  const { dir, cleanup } = makeTmpDir('fcx-init-deploy-');
  const emu = await startInProcessEmulator({ dataDir: join(dir, 'data') });
  try {
    const cliEnv = emulatorEnv(emu.url, dir);
    for (const template of ['python-web', 'nodejs-web', 'custom-web']) {
      const init = await runFcx(['init', template, '--template', template], { cwd: dir, env: cliEnv });
      assert.equal(init.code, 0, init.stderr);
      const app = join(dir, template);
      const deploy = await runFcx(['deploy', '--local', '--yes', '--json'], { cwd: app, env: cliEnv, timeoutMs: 120_000 });
      assert.equal(deploy.code, 0, `${template}: ${deploy.stderr}`);
      const url: string = JSON.parse(deploy.stdout).functions[0].url;
      const res = await fetch(`${url}hi/there?a=1&b=2`, { headers: { accept: 'application/json' } });
      const body = await res.text();
      assert.equal(res.status, 200, `${template}: ${body}`);
      const doc = JSON.parse(body);
      assert.equal(doc.message, `Hello from ${template}`, template);
      assert.equal(doc.path, '/hi/there', template);
      assert.equal(doc.query, 'a=1&b=2', template);
      assert.equal(doc.requestId, res.headers.get('x-fc-request-id'), `${template}: the request id the code saw is FC's`);
      const html = await (await fetch(`${url}page`)).text();
      assert.match(html, /<h1>Hello from /, `${template}: HTML by default`);
    }
  } finally {
    await emu.close();
    cleanup();
  }
});
