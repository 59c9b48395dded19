// loadManifest(): defaults, paths, region, certificates, and the missing-file message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { findManifestPath, loadManifest, parseManifestText } from '../../src/manifest/load';
import { FUNCTION_DEFAULTS, HTTP_DEFAULTS } from '../../src/manifest/defaults';
import { UsageError } from '../../src/core/errors';
import { makeTmpDir } from '../helpers/tmp';
import { fixture, load, MINIMAL, problemsOf, lines } from './manifest-fixtures';

test('a minimal manifest gets every default', async () => {
  const f = fixture(MINIMAL);
  try {
    const m = await loadManifest(f.file, { env: {} });
    assert.equal(m.file, f.file);
    assert.equal(m.dir, f.dir);
    assert.equal(m.name, 'hello-api');
    assert.equal(m.region, undefined);
    assert.deepEqual(m.service, { name: 'hello-api', role: { kind: 'auto' }, logs: { kind: 'auto' }, internetAccess: true });
    assert.deepEqual(m.codeBucket, { kind: 'auto' });
    assert.deepEqual(m.domains, []);
    assert.deepEqual(m.functions, [
      {
        name: 'web',
        runtime: 'python3.10',
        handler: 'index.handler',
        source: f.dir,
        memory: FUNCTION_DEFAULTS.memory,
        timeout: FUNCTION_DEFAULTS.timeout,
        concurrency: 1,
        env: {},
        build: 'auto',
      },
    ]);
  } finally {
    f.cleanup();
  }
});

test('every field is carried over; --region wins over region:', async () => {
  const m = await load(
    `name: shop
region: cn-shanghai
service:
  name: shop-svc
  role: acs:ram::1234567890123456:role/my-fc-role
  logs: { project: shop-logs, logstore: fc-logs }
  internetAccess: false
  description: the shop
codeBucket: my-code-bucket
functions:
  api:
    runtime: nodejs18
    handler: src/index.handler
    source: ./app
    memory: 512
    timeout: 120
    concurrency: 10
    initializer: src/index.init
    env: { MODE: prod }
    build: none
    description: API
    http: true
  worker:
    runtime: custom.debian10
    port: 8080
    http: { auth: function, methods: [POST] }
  plain:
    runtime: custom
`,
    { region: 'ap-southeast-1', extra: { 'app/': '' } },
  );
  assert.equal(m.region, 'ap-southeast-1');
  assert.deepEqual(m.service, {
    name: 'shop-svc',
    role: { kind: 'arn', arn: 'acs:ram::1234567890123456:role/my-fc-role' },
    logs: { kind: 'explicit', project: 'shop-logs', logstore: 'fc-logs' },
    internetAccess: false,
    description: 'the shop',
  });
  assert.deepEqual(m.codeBucket, { kind: 'named', name: 'my-code-bucket' });
  const [api, worker, plain] = m.functions;
  assert.equal(api.source, join(m.dir, 'app'));
  assert.equal(api.initializer, 'src/index.init');
  assert.equal(api.initializationTimeout, FUNCTION_DEFAULTS.initializationTimeout);
  assert.deepEqual(api.http, { auth: 'anonymous', methods: HTTP_DEFAULTS.methods });
  assert.equal(api.port, undefined);
  assert.equal(api.build, 'none');
  assert.equal(worker.port, 8080);
  assert.equal(worker.handler, FUNCTION_DEFAULTS.customHandler);
  assert.deepEqual(worker.http, { auth: 'function', methods: ['POST'] });
  assert.equal(plain.port, FUNCTION_DEFAULTS.port, 'custom runtimes default to port 9000');
  assert.equal(plain.http, undefined);
  assert.deepEqual(
    m.functions.map((f) => f.name),
    ['api', 'worker', 'plain'],
    'manifest order is kept',
  );
});

test('role names, logs: none and http: false', async () => {
  const m = await load(`${MINIMAL}    http: false
service: { role: my-role, logs: none }
`);
  assert.deepEqual(m.service.role, { kind: 'name', name: 'my-role' });
  assert.deepEqual(m.service.logs, { kind: 'none' });
  assert.equal(m.functions[0].http, undefined);
});

test('an empty optional mapping (every line commented out) means none', async () => {
  const m = await load(`${MINIMAL}    env:
      # GREETING: hi
domains:
`);
  assert.deepEqual(m.functions[0].env, {});
  assert.deepEqual(m.domains, []);
});

test('a missing fcx.yaml is a usage error that says to run fcx init or pass -c', async () => {
  const { dir, cleanup } = makeTmpDir();
  try {
    await assert.rejects(loadManifest(join(dir, 'fcx.yaml')), (err: unknown) => {
      assert.ok(err instanceof UsageError);
      assert.equal(err.exitCode, 2);
      assert.match(err.message, new RegExp(`There is no fcx.yaml in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      assert.match(err.hint ?? '', /fcx init/);
      assert.match(err.hint ?? '', /-c/);
      return true;
    });
  } finally {
    cleanup();
  }
});

test('findManifestPath: default name, a folder, an explicit file, fcx.yml', () => {
  const { dir, cleanup } = makeTmpDir();
  try {
    assert.equal(findManifestPath(dir), join(dir, 'fcx.yaml'));
    mkdirSync(join(dir, 'app'));
    assert.equal(findManifestPath(dir, 'app'), join(dir, 'app', 'fcx.yaml'));
    assert.equal(findManifestPath(dir, 'other.yaml'), join(dir, 'other.yaml'));
    writeFileSync(join(dir, 'fcx.yml'), MINIMAL);
    assert.equal(findManifestPath(dir), join(dir, 'fcx.yml'));
  } finally {
    cleanup();
  }
});

test('loadManifest accepts a folder', async () => {
  const f = fixture(MINIMAL);
  try {
    const m = await loadManifest(f.dir, { env: {} });
    assert.equal(m.file, f.file);
  } finally {
    f.cleanup();
  }
});

const CERT_BODY = 'MIIBszCCAVmgAwIBAgIUQm9ndXNDZXJ0aWZpY2F0ZUZvclRlc3RzMAoGCCqGSM49BAMCMBQxEjAQBgNVBAMMCWxvY2FsaG9zdDAeFw0yNDAxMDEwMDAwMDBa';
const CERT = `-----BEGIN CERTIFICATE-----\n${CERT_BODY.slice(0, 64)}\n${CERT_BODY.slice(64)}\n-----END CERTIFICATE-----\n`;
const KEY = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';

test('certificates: file paths are read; inline PEM is dedented, even when YAML folded it', async () => {
  const m = await load(
    `${MINIMAL}    http: true
domains:
  api.example.com:
    protocol: HTTP,HTTPS
    certificate: ./certs/fullchain.pem
    privateKey: ./certs/key.pem
    routes:
      /*: web
  www.example.com:
    protocol: HTTPS
    certificate: |
        -----BEGIN CERTIFICATE-----
        ${CERT_BODY.slice(0, 64)}
        ${CERT_BODY.slice(64)}
        -----END CERTIFICATE-----
    privateKey: "${KEY.replace(/\n/g, ' ')}"
    routes:
      /*: web
`,
    { extra: { 'certs/fullchain.pem': CERT.replace(/\n/g, '\r\n'), 'certs/key.pem': KEY } },
  );
  const [api, www] = m.domains;
  assert.equal(api.protocol, 'HTTP,HTTPS');
  assert.equal(api.certificate, CERT);
  assert.equal(api.privateKey, KEY);
  assert.match(api.certificateSource ?? '', /certs\/fullchain\.pem$/);
  assert.equal(www.certificate, CERT);
  assert.equal(www.privateKey, KEY);
  assert.equal(www.certificateSource, 'inline PEM in fcx.yaml');
});

test('routes: a function name or {function, methods, qualifier}', async () => {
  const m = await load(`${MINIMAL}    http: { methods: [GET, POST] }
domains:
  api.example.com:
    routes:
      /*: web
      /api/*: { function: web, methods: [POST], qualifier: LATEST }
      /exact: web
`);
  assert.deepEqual(m.domains[0], {
    name: 'api.example.com',
    protocol: 'HTTP',
    routes: [
      { path: '/*', function: 'web' },
      { path: '/api/*', function: 'web', methods: ['POST'], qualifier: 'LATEST' },
      { path: '/exact', function: 'web' },
    ],
  });
});

test('parseManifestText works on text in memory (for fcx domain bind before it writes)', () => {
  const { dir, cleanup } = makeTmpDir();
  try {
    const ok = parseManifestText(MINIMAL, join(dir, 'fcx.yaml'), { env: {}, cwd: dir });
    assert.equal(ok.problems.length, 0);
    assert.equal(ok.manifest?.functions[0].name, 'web');
    const bad = parseManifestText(MINIMAL.replace('python3.10', 'python9'), join(dir, 'fcx.yaml'), { env: {}, cwd: dir });
    assert.equal(bad.manifest, undefined);
    assert.deepEqual(lines(bad.problems), ['4:14 functions.web.runtime: expected one of python3.9, python3.10, nodejs16, nodejs18, nodejs20, custom, custom.debian10, got "python9"; did you mean \'python3.9\'?']);
  } finally {
    cleanup();
  }
});

test('a missing source folder is reported at its line', async () => {
  const problems = await problemsOf(`${MINIMAL}    source: ./nope
`);
  assert.equal(problems.length, 1);
  assert.equal(`${problems[0].line}:${problems[0].col}`, '6:13');
  assert.match(problems[0].message, /source \.\/nope does not exist/);
});

test('YAML anchors, aliases and merge keys work; x- keys at the top hold anchors', async () => {
  const m = await load(`name: hello-api
x-defaults: &defaults
  runtime: python3.10
  handler: index.handler
  env: { A: "1" }
functions:
  web:
    <<: *defaults
    memory: 512
  api:
    <<: *defaults
    env: *envs
`.replace('    env: *envs\n', '    env: { B: "2" }\n'));
  assert.deepEqual(
    m.functions.map((f) => [f.name, f.runtime, f.handler, f.memory, f.env]),
    [
      ['web', 'python3.10', 'index.handler', 512, { A: '1' }],
      ['api', 'python3.10', 'index.handler', 128, { B: '2' }],
    ],
  );
  const p = await problemsOf(`name: hello-api
functions:
  web:
    <<: *nothing
    runtime: custom
`);
  assert.equal(p.length, 1, JSON.stringify(p));
  assert.equal(`${p[0].line}:${p[0].col}`, '4:9');
  assert.equal(p[0].message, '*nothing refers to no anchor; define &nothing earlier in the file');
});

test('a bad --region is a usage error', async () => {
  await assert.rejects(load(MINIMAL, { region: 'Hangzhou' }), (err: unknown) => err instanceof UsageError && /--region 'Hangzhou' is not a region id/.test(err.message));
});
