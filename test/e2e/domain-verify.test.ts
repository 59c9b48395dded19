// `fcx domain verify` end to end. DNS answers come from a fixture file (FCX_DNS_FIXTURE), so no network is
// needed: this is the one thing mocked, because real DNS cannot point a test name at FC.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startInProcessEmulator, type TestEmulator } from '../helpers/emulator';
import { emulatorEnv, runFcx } from '../helpers/cli';
import { makeTmpDir } from '../helpers/tmp';
import { CNAME, writeApp } from './domain-helpers';

let emu: TestEmulator;
let tmp: { dir: string; cleanup: () => void };
let app: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  emu = await startInProcessEmulator();
  tmp = makeTmpDir('fcx-domain-verify-');
  mkdirSync(join(tmp.dir, 'home'));
  const fixture = join(tmp.dir, 'dns.json');
  writeFileSync(
    fixture,
    JSON.stringify({
      'good.example.com': { CNAME: [CNAME + '.'] },
      'bad.example.com': { CNAME: ['somewhere.else.net'] },
      'somewhere.else.net': { A: ['192.0.2.10'] },
      [CNAME]: { A: ['198.51.100.7'] },
    }),
  );
  env = emulatorEnv(emu.url, join(tmp.dir, 'home'), { FCX_DNS_FIXTURE: fixture });
  app = join(tmp.dir, 'app');
  writeApp(app, { domains: 'domains:\n  good.example.com:\n    routes:\n      /*: web\n  bad.example.com:\n    routes:\n      /*: web\n  missing.example.com:\n    routes:\n      /*: web\n' });
  const r = await runFcx(['deploy', '--yes'], { cwd: app, env });
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  await emu?.close();
  tmp?.cleanup();
});

describe('fcx domain verify', () => {
  test('the right CNAME and a bound domain: exit 0', async () => {
    const r = await runFcx(['domain', 'verify', 'good.example.com'], { cwd: app, env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /good\.example\.com: ready/);
    assert.match(r.stdout, new RegExp(`Resolves to: +CNAME good\\.example\\.com → ${CNAME.replace(/\./g, '\\.')}; A 198\\.51\\.100\\.7`));
    assert.match(r.stdout, /ICP/); // cn-hangzhou is in mainland China: said, not failed
  });

  test('a CNAME elsewhere: exit 3 and the record to create', async () => {
    const r = await runFcx(['domain', 'verify', 'bad.example.com'], { cwd: app, env });
    assert.equal(r.code, 3);
    assert.match(r.stdout, /bad\.example\.com is a CNAME of somewhere\.else\.net/);
    assert.match(r.stdout, new RegExp(`CNAME  bad\\.example\\.com → ${CNAME.replace(/\./g, '\\.')}`));
  });

  test('no record: exit 3; --json has the diagnosis shape', async () => {
    const r = await runFcx(['domain', 'verify', 'missing.example.com', '--json'], { cwd: app, env });
    assert.equal(r.code, 3);
    const d = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(d).sort(), ['accountId', 'certificate', 'domain', 'exitCode', 'expected', 'fc', 'icpFilingRequired', 'issues', 'local', 'next', 'ok', 'recommendedDnsRecords', 'region', 'resolved', 'status'].sort());
    assert.equal(d.ok, false);
    assert.equal(d.status, 'action-needed');
    assert.equal(d.exitCode, 3);
    assert.deepEqual(d.expected, { type: 'CNAME', name: 'missing.example.com', value: CNAME });
    assert.deepEqual(d.resolved.cname, []);
    assert.equal(d.resolved.pointsAtFc, false);
    assert.equal(d.fc.bound, true);
    assert.equal(d.icpFilingRequired, true);
    assert.deepEqual(d.recommendedDnsRecords, [{ type: 'CNAME', name: 'missing.example.com', value: CNAME }]);
    assert.equal(d.issues[0].code, 'dns_missing');
    for (const i of d.issues) assert.ok(['dns', 'fc', 'certificate', 'icp'].includes(i.area) && ['error', 'warning', 'info'].includes(i.severity) && i.message);
  });

  test('a domain FC does not have: exit 3 and how to bind it', async () => {
    const r = await runFcx(['domain', 'verify', 'good.example.com', '--json', '--region', 'ap-southeast-1'], { cwd: app, env });
    assert.equal(r.code, 3);
    const d = JSON.parse(r.stdout);
    assert.equal(d.icpFilingRequired, false);
    assert.equal(d.resolved.pointsAtFc, false, 'the expected CNAME depends on the region');
  });

  test('--local: DNS is a note (the emulator routes by Host header), a bound domain passes', async () => {
    const r = await runFcx(['domain', 'verify', 'missing.example.com', '--local'], { cwd: app, env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /serves missing\.example\.com by Host header whatever DNS says: curl -H 'Host: missing\.example\.com'/);
  });

  test('without fcx.yaml: verify checks DNS and FC, list shows every domain of the region', async () => {
    const bare = join(tmp.dir, 'bare');
    mkdirSync(bare, { recursive: true });
    const r = await runFcx(['domain', 'verify', 'good.example.com', '--region', 'cn-hangzhou'], { cwd: bare, env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const l = await runFcx(['domain', 'list', '--region', 'cn-hangzhou', '--json'], { cwd: bare, env });
    assert.equal(l.code, 0, l.stderr);
    const listed = JSON.parse(l.stdout);
    assert.equal(listed.service, undefined);
    assert.deepEqual(listed.domains.map((d: any) => d.name), ['bad.example.com', 'good.example.com', 'missing.example.com']);
    assert.equal(listed.domains[0].routes[0].service, 'hello');
  });
});
