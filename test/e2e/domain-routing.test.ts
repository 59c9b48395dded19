// Route matching on custom domains, end to end: `fcx deploy` applies the manifest's domains (through
// planDomains) and the emulator serves them by Host header with FC's rules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { startInProcessEmulator, type TestEmulator } from '../helpers/emulator';
import { emulatorEnv, runFcx } from '../helpers/cli';
import { makeTmpDir } from '../helpers/tmp';
import { hostRequest, writeApp, CNAME } from './domain-helpers';

const DOMAINS = `domains:
  api.example.com:
    routes:
      /*: a
      /api/*: b
      /api/v1/*: c
      /exact: c
      /a: b
      /post-only/*: { function: b, methods: [POST] }
  narrow.example.com:
    routes:
      /only/*: c
`;

let emu: TestEmulator;
let tmp: { dir: string; cleanup: () => void };
let app: string;
let deployJson: any;

before(async () => {
  emu = await startInProcessEmulator();
  tmp = makeTmpDir('fcx-domain-routing-');
  app = join(tmp.dir, 'app');
  mkdirSync(join(tmp.dir, 'home'));
  writeApp(app, { functions: ['a', 'b', 'c'], domains: DOMAINS });
  const r = await runFcx(['deploy', '--yes', '--json'], { cwd: app, env: emulatorEnv(emu.url, join(tmp.dir, 'home')) });
  assert.equal(r.code, 0, r.stderr);
  deployJson = JSON.parse(r.stdout);
});

after(async () => {
  await emu?.close();
  tmp?.cleanup();
});

describe('custom domain routing (emulator, by Host header)', () => {
  test('deploy --json lists every domain with its URL and CNAME', () => {
    const names = deployJson.domains.map((d: any) => d.name).sort();
    assert.deepEqual(names, ['api.example.com', 'narrow.example.com']);
    for (const d of deployJson.domains) {
      assert.equal(d.url, `http://${d.name}/`);
      assert.equal(d.cname, CNAME);
    }
  });

  const table: Array<[string, string, string]> = [
    ['GET', '/anything', 'a'], // catch-all
    ['GET', '/', 'a'],
    ['GET', '/api/x', 'b'], // wildcard
    ['GET', '/api/v1', 'b'], // "/api/v1" is under /api/*, not /api/v1/*
    ['GET', '/api/v1/x', 'c'], // the longest wildcard wins
    ['GET', '/api/v1/x/y', 'c'],
    ['GET', '/exact', 'c'], // exact beats wildcard
    ['GET', '/exact/', 'a'], // ...and only the exact path
    ['GET', '/a', 'b'],
    ['GET', '/a/', 'a'], // /a does not match /a/
    ['POST', '/post-only/x', 'b'], // methods per route
    ['OPTIONS', '/api/x', 'b'], // a route without methods accepts what the trigger accepts, OPTIONS included
    ['DELETE', '/api/x', 'b'],
  ];
  for (const [method, path, fn] of table) {
    test(`${method} ${path} → ${fn}`, async () => {
      const r = await hostRequest(emu.url, 'api.example.com', path, method);
      assert.equal(r.status, 200, r.body);
      assert.equal(r.json.fn, fn);
      assert.equal(r.json.method, method);
      assert.equal(r.json.path, path, 'the function sees the full original path');
    });
  }

  test('a method the route does not list is not served by that route', async () => {
    const r = await hostRequest(emu.url, 'api.example.com', '/post-only/x', 'GET');
    assert.notEqual(r.json?.fn, 'b', r.body);
  });

  test('a path no route matches is a 404 with an error body', async () => {
    const r = await hostRequest(emu.url, 'narrow.example.com', '/elsewhere');
    assert.equal(r.status, 404);
    assert.ok(r.body.length > 0);
    assert.match(r.body, /elsewhere|not ?found|PathNotFound/i);
    const ok = await hostRequest(emu.url, 'narrow.example.com', '/only/yes');
    assert.equal(ok.json.fn, 'c');
  });

  test('the Host header may carry a port and upper case', async () => {
    const r = await hostRequest(emu.url, 'API.example.com:80', '/exact');
    assert.equal(r.json?.fn, 'c', r.body);
  });

  test('a redeploy with nothing changed makes no custom-domain write', async () => {
    const before = (await emu.requests()).length;
    const r = await runFcx(['deploy', '--yes'], { cwd: app, env: emulatorEnv(emu.url, join(tmp.dir, 'home')) });
    assert.equal(r.code, 0, r.stderr);
    const calls = (await emu.requests()).slice(before);
    assert.equal(calls.filter((c) => c.action === 'GetCustomDomain').length, 2, 'each domain is read');
    assert.deepEqual(calls.filter((c) => /^(Create|Update|Delete)CustomDomain$/.test(c.action)), []);
  });
});
