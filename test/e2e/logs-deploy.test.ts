// `fcx logs --request-id` on lines a real deployed function wrote: `fcx deploy --local` to an emulator process,
// requests through the HTTP trigger, the emulator's Python runtime writing FC's rows. A plain `print` (no id) is
// attributed to its request when the instance serves one request at a time (concurrency 1), and marked uncertain
// when two requests overlap on one instance (concurrency 4).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator';
import { emulatorEnv, runFcx } from '../helpers/cli';
import { makeTmpDir } from '../helpers/tmp';

let emu: EmulatorProcess;
let tmp: ReturnType<typeof makeTmpDir>;
let env: NodeJS.ProcessEnv;
let app: string;
const urls: Record<string, string> = {};

const HANDLER = `import logging, time
from urllib.parse import parse_qs
logging.getLogger().setLevel(logging.INFO)

def handler(environ, start_response):
    q = parse_qs(environ.get('QUERY_STRING', ''))
    tag = q.get('tag', ['-'])[0]
    print('plain print before ' + tag, flush=True)
    logging.info('with id ' + tag)
    time.sleep(float(q.get('sleep', ['0'])[0]))
    print('plain print after ' + tag, flush=True)
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'ok']
`;

const fnYaml = (name: string, concurrency: number) =>
  `  ${name}:\n    runtime: python3.10\n    handler: index.handler\n    source: ./src\n    timeout: 10\n    concurrency: ${concurrency}\n    http:\n      auth: anonymous\n      methods: [GET]\n`;

before(async () => {
  tmp = makeTmpDir('fcx-logs-deploy-');
  emu = await startEmulatorProcess();
  env = emulatorEnv(emu.url, tmp.dir);
  app = join(tmp.dir, 'logsapp');
  mkdirSync(join(app, 'src'), { recursive: true });
  writeFileSync(join(app, 'src', 'index.py'), HANDLER);
  writeFileSync(join(app, 'fcx.yaml'), `name: logsapp\nregion: cn-hangzhou\nservice:\n  role: auto\n  logs: auto\nfunctions:\n${fnYaml('one', 1)}${fnYaml('many', 4)}`);
  const r = await runFcx(['deploy', '--local', '--yes', '--json'], { cwd: app, env, timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  for (const f of JSON.parse(r.stdout).functions) urls[f.name] = f.url;
});

after(async () => {
  await emu?.close();
  tmp?.cleanup();
});

async function call(fn: string, query: string): Promise<string> {
  const res = await fetch(`${urls[fn]}?${query}`);
  await res.text();
  assert.equal(res.status, 200);
  return res.headers.get('x-fc-request-id')!;
}

/** Lines reach SLS in batches: ask again until the End line is there. */
async function requestLines(id: string): Promise<any[]> {
  for (let i = 0; ; i++) {
    const r = await runFcx(['logs', '--request-id', id, '--json', '--local'], { cwd: app, env });
    const lines = r.stdout.trim() ? r.stdout.trim().split('\n').map((l) => JSON.parse(l)) : [];
    if (lines.some((l) => l.message.startsWith('FC Invoke End')) || i >= 20) return lines;
    await new Promise((res) => setTimeout(res, 300));
  }
}

test('concurrency 1: plain prints are inferred for their request; another request on the instance stays out', async () => {
  const a = await call('one', 'tag=A');
  const b = await call('one', 'tag=B');
  const lines = await requestLines(a);
  const by = (m: string) => lines.find((l) => l.message.includes(m));
  assert.ok(by(`FC Invoke Start RequestId: ${a}`), JSON.stringify(lines));
  assert.equal(by('plain print before A')?.attributed, 'inferred', JSON.stringify(lines, null, 1));
  // With logBeginRule DefaultRegex (fcx deploys it) a line that does not start like a log record continues the
  // row before it, so the second print may travel inside the logging line's row: present either way.
  assert.ok(by('plain print after A'), JSON.stringify(lines, null, 1));
  assert.equal(by('with id A')?.attributed, 'id');
  assert.ok(by(`FC Invoke End RequestId: ${a}`));
  assert.ok(!lines.some((l) => l.message.includes(' B') || l.message.includes(b)), JSON.stringify(lines));
  for (const l of lines) assert.equal(l.requestId, a);
});

test('concurrency 4: two overlapping requests on one instance make plain prints uncertain', async () => {
  const [c] = await Promise.all([call('many', 'tag=C&sleep=1'), (async () => {
    await new Promise((r) => setTimeout(r, 300));
    return call('many', 'tag=D&sleep=0.2');
  })()]);
  const lines = await requestLines(c);
  const plain = lines.filter((l) => l.message.startsWith('plain print'));
  assert.ok(plain.some((l) => l.message === 'plain print before C'), JSON.stringify(lines));
  for (const l of plain) assert.equal(l.attributed, 'uncertain', JSON.stringify(l));
  assert.ok(!lines.some((l) => l.message.startsWith('FC Invoke') && !l.message.includes(c)));

  const human = await runFcx(['logs', '--request-id', c, '--local'], { cwd: app, env });
  assert.match(human.stdout, /\? plain print before C/);
  assert.match(human.stderr, /Lines marked \?/);
});

test('the command `fcx invoke` prints for the request works as printed', async () => {
  const inv = await runFcx(['invoke', 'one', '--path', '/?tag=INV', '--local'], { cwd: app, env });
  assert.equal(inv.code, 0, inv.stderr);
  const m = /Logs of this request: fcx (logs .+)$/m.exec(inv.stderr);
  assert.ok(m, inv.stderr);
  const args = m![1].trim().split(/\s+/);
  let r = await runFcx(args, { cwd: app, env });
  for (let i = 0; i < 20 && !r.stdout.includes('FC Invoke End'); i++) {
    await new Promise((res) => setTimeout(res, 300));
    r = await runFcx(args, { cwd: app, env });
  }
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /plain print before INV/);
  assert.match(r.stdout, /\[INFO\] with id INV/);
});
