// `fcx domain bind|unbind|list` end to end: the built CLI against the emulator, with fcx.yaml on disk.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startInProcessEmulator, type TestEmulator } from '../helpers/emulator';
import { emulatorEnv, runFcx, type CliResult } from '../helpers/cli';
import { makeTmpDir } from '../helpers/tmp';
import { makePki, type TestPki } from '../unit/domain-pki';
import { CNAME, fcFor, hostRequest, writeApp } from './domain-helpers';

const HEADER = `# yaml-language-server: $schema=./schema.json
# My API.   Comments, blank lines and alignment must survive fcx domain bind.

`;

let emu: TestEmulator;
let tmp: { dir: string; cleanup: () => void };
let pki: TestPki;
let app: string;
let env: NodeJS.ProcessEnv;
const fcx = (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> => runFcx(args, { cwd: app, env: { ...env, ...extra } });
const manifest = () => readFileSync(join(app, 'fcx.yaml'), 'utf8');
const fcCalls = async (since: number) => (await emu.requests()).slice(since).filter((c) => c.service === 'fc');
const writes = async (since: number) => (await fcCalls(since)).filter((c) => /^(Create|Update|Delete)CustomDomain$/.test(c.action));

before(async () => {
  emu = await startInProcessEmulator();
  tmp = makeTmpDir('fcx-domain-bind-');
  pki = makePki();
  mkdirSync(join(tmp.dir, 'home'));
  env = emulatorEnv(emu.url, join(tmp.dir, 'home'));
  app = join(tmp.dir, 'app');
  writeApp(app, { functions: ['web', 'api'], header: HEADER });
  const r = await runFcx(['deploy', '--yes'], { cwd: app, env });
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  await emu?.close();
  tmp?.cleanup();
  pki?.cleanup();
});

describe('fcx domain bind', () => {
  let original: string;
  beforeEach(() => {
    original = writeApp(app, { functions: ['web', 'api'], header: HEADER });
  });

  test('adds the route keeping the commented fcx.yaml intact, applies it, prints the CNAME and curl', async () => {
    const r = await fcx(['domain', 'bind', 'one.example.com', '--function', 'api', '--path', '/api/*', '--methods', 'GET,post', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const after = manifest();
    assert.ok(after.startsWith(original), 'the original text is kept byte for byte');
    assert.equal(after.slice(original.length), '\ndomains:\n  one.example.com:\n    routes:\n      /api/*:\n        function: api\n        methods: [GET, POST]\n');
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.routes, [{ path: '/api/*', function: 'api', methods: ['GET', 'POST'] }]);
    assert.equal(out.name, 'one.example.com');
    assert.equal(out.url, 'http://one.example.com/');
    assert.equal(out.cname, CNAME);
    assert.match(r.stderr, new RegExp(`CNAME  one\\.example\\.com → ${CNAME.replace(/\./g, '\\.')}`));
    assert.match(r.stderr, new RegExp(`curl -H 'Host: one\\.example\\.com' ${emu.url}/api/`));
    const served = await hostRequest(emu.url, 'one.example.com', '/api/x');
    assert.equal(served.json?.fn, 'api', served.body);
  });

  test('binding the same route again changes nothing and makes no write call', async () => {
    assert.equal((await fcx(['domain', 'bind', 'same.example.com', '--function', 'web'])).code, 0);
    const text = manifest();
    const since = (await emu.requests()).length;
    const r = await fcx(['domain', 'bind', 'same.example.com', '--function', 'web']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(manifest(), text);
    assert.deepEqual(await writes(since), []);
    assert.match(r.stderr, /nothing sent/);
  });

  test('--function may be omitted only when one function has an HTTP trigger', async () => {
    const r = await fcx(['domain', 'bind', 'two.example.com']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /several with an HTTP trigger: web, api/);
    assert.equal(manifest(), original);
  });

  test('bad input is refused before any cloud call and fcx.yaml stays untouched', async () => {
    const since = (await emu.requests()).length;
    for (const args of [
      ['--function', 'web', '--path', '/a*/b'],
      ['--function', 'nope'],
      ['--function', 'web', '--methods', 'GET,FETCH'],
      ['--function', 'web', '--protocol', 'HTTPS'],
      ['--function', 'web', '--cert', 'x.pem'],
    ]) {
      const r = await fcx(['domain', 'bind', 'bad.example.com', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /undefined|\[object Object\]|    at /);
    }
    assert.equal((await fcx(['domain', 'bind', 'not_a_domain', '--function', 'web'])).code, 2);
    assert.equal(manifest(), original);
    assert.deepEqual(await emu.requests().then((l) => l.slice(since)), []);
  });

  test('a function that is not deployed yet: recorded in fcx.yaml, not applied, exit 3 with the next step', async () => {
    writeApp(app, { functions: ['web', 'api', 'later'], header: HEADER });
    const since = (await emu.requests()).length;
    const r = await fcx(['domain', 'bind', 'later.example.com', '--function', 'later']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /later is not deployed/);
    assert.match(r.stderr, /fcx deploy/);
    assert.match(manifest(), /later\.example\.com:\n {4}routes:\n {6}\/\*: later\n$/);
    assert.deepEqual(await writes(since), []);
  });

  test('route methods outside the trigger methods are refused', async () => {
    writeFileSync(join(app, 'fcx.yaml'), original.replace('  api:\n    runtime: python3.10\n    handler: index.handler\n    source: ./src\n    env: { NAME: api }\n    http:\n      auth: anonymous\n', '  api:\n    runtime: python3.10\n    handler: index.handler\n    source: ./src\n    env: { NAME: api }\n    http:\n      auth: anonymous\n      methods: [GET]\n'));
    const before = manifest();
    const r = await fcx(['domain', 'bind', 'm.example.com', '--function', 'api', '--methods', 'GET,DELETE']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /does not accept it \(it accepts GET\)/);
    assert.equal(manifest(), before);
  });

  test('a certificate: checked locally first, sent as certConfig, the key never printed', async () => {
    mkdirSync(join(app, 'certs'), { recursive: true });
    const good = pki.leaf(['secure.example.com'], { file: 'secure' });
    writeFileSync(join(app, 'certs', 'secure.crt'), good.cert + pki.ca.cert);
    writeFileSync(join(app, 'certs', 'secure.key.txt'), good.key);
    const other = pki.otherKey();
    writeFileSync(join(app, 'certs', 'other.key'), other.key);

    const since = (await emu.requests()).length;
    const bad = await fcx(['domain', 'bind', 'secure.example.com', '--function', 'web', '--cert', 'certs/secure.crt', '--key', 'certs/other.key']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /private key does not belong to the certificate/);
    assert.equal(manifest(), original);
    assert.deepEqual(await emu.requests().then((l) => l.slice(since)), [], 'no cloud call at all');

    const wrongName = await fcx(['domain', 'bind', 'other.example.com', '--function', 'web', '--cert', 'certs/secure.crt', '--key', 'certs/secure.key.txt']);
    assert.equal(wrongName.code, 2);
    assert.match(wrongName.stderr, /does not cover other\.example\.com/);

    const r = await fcx(['domain', 'bind', 'secure.example.com', '--function', 'web', '--cert', 'certs/secure.crt', '--key', 'certs/secure.key.txt', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).url, 'https://secure.example.com/');
    const keyBody = good.key.split('\n')[1];
    assert.ok(!r.stdout.includes(keyBody) && !r.stderr.includes(keyBody), 'the private key is never printed');
    assert.ok(manifest().endsWith('\ndomains:\n  secure.example.com:\n    routes:\n      /*: web\n    certificate: ./certs/secure.crt\n    privateKey: ./certs/secure.key.txt\n    protocol: HTTPS\n'), manifest());
    const remote = await fcFor(emu.url).getCustomDomain('secure.example.com');
    assert.equal(remote!.protocol, 'HTTP,HTTPS');
    assert.match(remote!.certConfig.certName, /^secure-example-com-[0-9a-f]{8}$/);
    assert.equal(remote!.certConfig.privateKey, null);

    const list = await fcx(['domain', 'list', '--json']);
    const d = JSON.parse(list.stdout).domains.find((x: any) => x.name === 'secure.example.com');
    assert.equal(d.certificate.source, 'FC');
    assert.ok(d.certificate.daysLeft > 80);
    const text = await fcx(['domain', 'list']);
    assert.match(text.stdout, /secure\.example\.com {2}HTTP,HTTPS {2}certificate expires \d{4}-\d\d-\d\d \(\d+ days\)/);
    assert.ok(!text.stdout.includes(keyBody));
  });

  test('an expired certificate is refused with its dates', async () => {
    mkdirSync(join(app, 'certs'), { recursive: true });
    const old = pki.leaf(['old.example.com'], { start: '20200101000000Z', end: '20200301000000Z' });
    writeFileSync(join(app, 'certs', 'old.pem'), old.cert);
    writeFileSync(join(app, 'certs', 'old.key'), old.key);
    const r = await fcx(['domain', 'bind', 'old.example.com', '--function', 'web', '--cert', 'certs/old.pem', '--key', 'certs/old.key']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /expired on 2020-03-01 00:00:00 UTC \(valid from 2020-01-01 00:00:00 UTC\)/);
    assert.equal(manifest(), original);
  });
});

describe('shared domains', () => {
  let original: string;
  beforeEach(() => {
    original = writeApp(app, { functions: ['web', 'api'], header: HEADER });
  });

  test("another app's routes and a console certificate are kept; only routes are sent", async () => {
    const fc = fcFor(emu.url);
    const console = pki.leaf(['shared.example.com']);
    await fc.createCustomDomain('shared.example.com', {
      protocol: 'HTTP,HTTPS',
      certConfig: { certName: 'console-cert', certificate: console.cert, privateKey: console.key },
      routeConfig: { routes: [{ path: '/legacy/*', serviceName: 'other-app', functionName: 'old' }] },
    });
    const r = await fcx(['domain', 'bind', 'shared.example.com', '--function', 'api', '--path', '/api/*']);
    assert.equal(r.code, 0, r.stderr);
    const d = await fc.getCustomDomain('shared.example.com');
    assert.deepEqual(d!.routeConfig.routes.map((x: any) => `${x.path} ${x.serviceName}/${x.functionName}`), ['/legacy/* other-app/old', '/api/* hello/api']);
    assert.equal(d!.certConfig.certName, 'console-cert');
    assert.equal(d!.protocol, 'HTTP,HTTPS');

    const list = JSON.parse((await fcx(['domain', 'list', '--json'])).stdout).domains.find((x: any) => x.name === 'shared.example.com');
    assert.deepEqual(list.routes.map((x: any) => [x.path, x.owner, x.state]), [['/legacy/*', 'another app', 'foreign'], ['/api/*', 'this app', 'deployed']]);

    // unbind: needs --yes without a terminal; removes only this app's route; the domain stays for the other app.
    const refused = await fcx(['domain', 'unbind', 'shared.example.com']);
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /--yes/);
    const un = await fcx(['domain', 'unbind', 'shared.example.com', '--yes']);
    assert.equal(un.code, 0, un.stderr);
    assert.equal(manifest(), original, 'fcx.yaml is back to the original text');
    const after = await fc.getCustomDomain('shared.example.com');
    assert.deepEqual(after!.routeConfig.routes.map((x: any) => x.path), ['/legacy/*']);
  });

  test('a path another app serves is a conflict (exit 3, fcx.yaml untouched); --force takes it over', async () => {
    const fc = fcFor(emu.url);
    await fc.createCustomDomain('taken.example.com', {
      routeConfig: { routes: [{ path: '/*', serviceName: 'site', functionName: 'home' }, { path: '/blog/*', serviceName: 'site', functionName: 'blog' }] },
    });
    const since = (await emu.requests()).length;
    const r = await fcx(['domain', 'bind', 'taken.example.com', '--function', 'web']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /\/\* is served by site\/home, not by this app \(hello\)/);
    assert.match(r.stderr, /--force/);
    assert.equal(manifest(), original);
    assert.deepEqual(await writes(since), []);

    const f = await fcx(['domain', 'bind', 'taken.example.com', '--function', 'web', '--force']);
    assert.equal(f.code, 0, f.stderr);
    const d = await fc.getCustomDomain('taken.example.com');
    assert.deepEqual(d!.routeConfig.routes.map((x: any) => `${x.path} ${x.serviceName}/${x.functionName}`), ['/* hello/web', '/blog/* site/blog']);
  });

  test('a path fcx.yaml already sends to another function needs --force', async () => {
    assert.equal((await fcx(['domain', 'bind', 'swap.example.com', '--function', 'web'])).code, 0);
    const text = manifest();
    const r = await fcx(['domain', 'bind', 'swap.example.com', '--function', 'api']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /already routes swap\.example\.com\/\* to web/);
    assert.equal(manifest(), text);
    const f = await fcx(['domain', 'bind', 'swap.example.com', '--function', 'api', '--force']);
    assert.equal(f.code, 0, f.stderr);
    assert.equal(manifest(), text.replace('/*: web', '/*: api'));
    assert.equal((await hostRequest(emu.url, 'swap.example.com', '/')).json?.fn, 'api');
  });

  test('unbinding the last route deletes a domain fcx created', async () => {
    assert.equal((await fcx(['domain', 'bind', 'gone.example.com', '--function', 'web'])).code, 0);
    const r = await fcx(['domain', 'unbind', 'gone.example.com', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await fcFor(emu.url).getCustomDomain('gone.example.com'), undefined);
    assert.equal(manifest(), original);
  });
});

describe('DNS not pointing at FC yet', () => {
  const FAULT = (action: string) => ({
    service: 'fc',
    action,
    status: 400,
    errorCode: 'DomainNameNotResolved',
    message: `domain name 'dns.example.com' has not been resolved to your FC endpoint, the expected endpoint is '${CNAME}.'`,
    times: 1,
  });

  test('deploy: exit 3, the record to create is printed, the functions stay deployed', async () => {
    writeApp(app, { functions: ['web', 'api'], domains: 'domains:\n  dns.example.com:\n    routes:\n      /*: web\n' });
    await emu.faults([FAULT('CreateCustomDomain')]);
    const r = await fcx(['deploy', '--yes']);
    await emu.clearFaults();
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`CNAME  dns\\.example\\.com → ${CNAME.replace(/\./g, '\\.')}`));
    const fc = fcFor(emu.url);
    assert.ok(await fc.getFunction('hello', 'web'));
    assert.equal(await fc.getCustomDomain('dns.example.com'), undefined);
    const again = await fcx(['deploy', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(await fc.getCustomDomain('dns.example.com'));
  });

  test('bind: exit 3 with the record; the route is already recorded in fcx.yaml, no retry', async () => {
    const original = writeApp(app, { functions: ['web', 'api'] });
    await emu.faults([{ ...FAULT('CreateCustomDomain'), message: "domain name 'dns2.example.com' has not been resolved" }]);
    const since = (await emu.requests()).length;
    const r = await fcx(['domain', 'bind', 'dns2.example.com', '--function', 'web']);
    await emu.clearFaults();
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /CNAME  dns2\.example\.com → /);
    assert.match(r.stderr, /fcx domain verify dns2\.example\.com/);
    assert.ok(manifest().startsWith(original) && manifest().includes('dns2.example.com'));
    assert.equal((await fcCalls(since)).filter((c) => c.action === 'CreateCustomDomain').length, 1, 'not retried');
  });
});
