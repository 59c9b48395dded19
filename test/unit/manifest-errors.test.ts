// Every kind of manifest problem, with its exact line:col, key path and message; all reported at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifest } from '../../src/manifest/load';
import { ManifestError } from '../../src/core/errors';
import { fixture, lines, MINIMAL, problemsOf } from './manifest-fixtures';

test('unknown keys point at the key and suggest the closest one', async () => {
  const p = await problemsOf(`name: hello-api
regoin: cn-hangzhou
functions:
  web:
    runtime: python3.10
    handler: index.handler
    memroy: 256
    flavour: big
`);
  assert.deepEqual(lines(p), [
    "2:1 regoin: unknown key 'regoin'; did you mean 'region'?",
    "7:5 functions.web.memroy: unknown key 'memroy'; did you mean 'memory'?",
    "8:5 functions.web.flavour: unknown key 'flavour'; allowed here: runtime, handler, source, memory, timeout, concurrency, initializer, initializationTimeout, env, port, build, description, http",
  ]);
});

test('bad values point at the value and say what was expected and what was found', async () => {
  const p = await problemsOf(`name: Hello_API
functions:
  web:
    runtime: python3.11
    handler: index
    memory: 100
    timeout: abc
    concurrency: 201
    build: yes
    http:
      auth: public
      methods: GET
`);
  assert.deepEqual(lines(p), [
    '1:7 name: expected 2–40 characters: lowercase letters, digits and -, starting with a letter and not ending with -, got "Hello_API"',
    '4:14 functions.web.runtime: expected one of python3.9, python3.10, nodejs16, nodejs18, nodejs20, custom, custom.debian10, got "python3.11"; did you mean \'python3.10\'?',
    '5:14 functions.web.handler: expected <module path>.<function>, such as index.handler, got "index"',
    '6:13 functions.web.memory: expected a number of MB, a multiple of 64 from 128 to 32768, got 100',
    '7:14 functions.web.timeout: expected a number of seconds from 1 to 86400, got "abc"',
    '8:18 functions.web.concurrency: expected an integer, from 1 to 200, got 201',
    '9:12 functions.web.build: expected one of auto, none, got "yes"',
    '11:13 functions.web.http.auth: expected one of anonymous, function, got "public"',
    '12:16 functions.web.http.methods: expected a list, got "GET"; write a list such as [GET]',
  ]);
});

test('memory that is in range but not a multiple of 64 names the nearest values', async () => {
  const p = await problemsOf(MINIMAL + '    memory: 300\n');
  assert.deepEqual(lines(p), ['6:13 functions.web.memory: expected a number of MB, a multiple of 64 from 128 to 32768, got 300 (nearest allowed: 256 or 320)']);
});

test('a quoted number for a number field says to drop the quotes', async () => {
  const p = await problemsOf(MINIMAL + '    timeout: "30"\n');
  assert.deepEqual(lines(p), ['6:14 functions.web.timeout: expected a number of seconds from 1 to 86400, got "30" (write the number without quotes)']);
});

test('missing required keys point at the mapping that lacks them', async () => {
  const p = await problemsOf(`region: cn-hangzhou
functions:
  web:
    handler: index.handler
  api:
    runtime: nodejs18
`);
  assert.deepEqual(lines(p), [
    "1:1 name: missing required key 'name' (2–40 characters: lowercase letters, digits and -, starting with a letter and not ending with -)",
    "3:3 functions.web: missing required key 'runtime' (one of python3.9, python3.10, nodejs16, nodejs18, nodejs20, custom, custom.debian10)",
    "5:3 functions.api: missing required key 'handler' for runtime nodejs18 (<module path>.<function>, such as index.handler)",
  ]);
});

test('functions: must have at least one entry; a top-level list is refused', async () => {
  assert.deepEqual(lines(await problemsOf('name: hello-api\nfunctions:\n')), ['2:1 functions: has no entries; add at least 1']);
  assert.deepEqual(lines(await problemsOf('name: hello-api\nfunctions: {}\n')), ['2:1 functions: has no entries; add at least 1']);
  assert.deepEqual(lines(await problemsOf('- a\n- b\n')), ['1:1 : expected a mapping at the top (name:, functions:, …)']);
  assert.deepEqual(lines(await problemsOf('')), ['1:1 : the file is empty; expected at least `name:` and `functions:` (run `fcx init` for an example)']);
});

test('bad names for functions and env variables point at the key', async () => {
  const p = await problemsOf(`name: hello-api
functions:
  9lives:
    runtime: custom
    env:
      MY-VAR: x
      OK_1: y
`);
  assert.deepEqual(lines(p), [
    "3:3 functions.9lives: bad name '9lives': expected a function name: letters, digits, - and _, starting with a letter or _, at most 64 characters, got \"9lives\"",
    "6:7 functions.9lives.env.MY-VAR: bad name 'MY-VAR': expected a variable name: letters, digits and _, not starting with a digit, got \"MY-VAR\"",
  ]);
});

test('port is only for custom runtimes; initializationTimeout needs an initializer', async () => {
  const p = await problemsOf(`${MINIMAL}    port: 9000
    initializationTimeout: 10
`);
  assert.deepEqual(lines(p), [
    '6:5 functions.web.port: port is only for custom runtimes (custom, custom.debian10); a python3.10 function is called through its handler — remove port',
    '7:5 functions.web.initializationTimeout: initializationTimeout is set but there is no initializer; add initializer: <module>.<function> or remove it',
  ]);
});

test('function names that differ only in case are refused', async () => {
  const p = await problemsOf(`${MINIMAL}  Web:
    runtime: custom
`);
  assert.deepEqual(lines(p), ["6:3 functions.Web: function 'Web' has the same name as 'web' (FC function names are not case-sensitive); rename one"]);
});

test('duplicate keys and YAML syntax errors come with line:col', async () => {
  const dup = await problemsOf(`${MINIMAL}    memory: 256
    memory: 512
`);
  assert.equal(dup.length, 1);
  assert.equal(`${dup[0].line}:${dup[0].col}`, '7:5');
  assert.match(dup[0].message, /^YAML syntax: Map keys must be unique/);

  const syntax = await problemsOf(`name: hello-api
functions:
  web:
    runtime: [python3.10
    handler: index.handler
`);
  assert.ok(syntax.length >= 1);
  assert.match(syntax[0].message, /^YAML syntax: /);
  assert.ok(syntax[0].line >= 4, `line ${syntax[0].line}`);
  assert.ok(!/\n/.test(syntax[0].message), 'one line per problem');
});

test('role: none with logs is refused (FC could not write the logs)', async () => {
  const p = await problemsOf(`${MINIMAL}service:
  role: none
`);
  assert.deepEqual(lines(p), [
    '7:9 service.role: role: none leaves FC no way to write logs to SLS (logs is auto); use role: auto or a role name, or set logs: none',
  ]);
});

test('domain rules: protocol vs certificate, route paths, targets, triggers and methods', async () => {
  const p = await problemsOf(
    `name: hello-api
functions:
  web:
    runtime: python3.10
    handler: index.handler
    http: { methods: [GET] }
  job:
    runtime: python3.10
    handler: job.handler
domains:
  a.example.com:
    protocol: HTTPS
    routes:
      /*: web
  b.example.com:
    certificate: ./c.pem
    privateKey: ./k.pem
    routes:
      /*: web
  c.example.com:
    protocol: HTTPS
    certificate: ./missing.pem
    privateKey: ./k.pem
    routes:
      /api*/x: web
      api: web
      /a: wbe
      /b: job
      /c: { function: web, methods: [GET, POST] }
      /d: nobody
  Bad_Domain:
    routes: { /*: web }
  e.example.com:
    routes: {}
`,
    { extra: { 'c.pem': 'not pem', 'k.pem': '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' } },
  );
  assert.deepEqual(lines(p), [
    '12:15 domains["a.example.com"].protocol: protocol HTTPS needs certificate: and privateKey: (file paths or PEM text)',
    '16:5 domains["b.example.com"].certificate: a certificate is given but protocol is HTTP; set protocol: HTTPS (or HTTP,HTTPS), or remove the certificate',
    '16:18 domains["b.example.com"].certificate: certificate file ./c.pem is not PEM (no "-----BEGIN" line); FC needs PEM text',
    '22:18 domains["c.example.com"].certificate: cannot read certificate file ./missing.pem (no such file; looked at ' +
      p.find((x) => x.message.includes('missing.pem'))!.message.split('looked at ')[1],
    '25:7 domains["c.example.com"].routes["/api*/x"]: bad name \'/api*/x\': expected a path starting with / with * only at the end, such as /* or /api/*, got "/api*/x"',
    '26:7 domains["c.example.com"].routes.api: bad name \'api\': expected a path starting with / with * only at the end, such as /* or /api/*, got "api"',
    '27:11 domains["c.example.com"].routes["/a"]: route /a points to function \'wbe\', which is not in functions:; did you mean \'web\'?',
    "28:11 domains[\"c.example.com\"].routes[\"/b\"]: route /b points to function 'job', which has no HTTP trigger; add http: true (or http: {auth, methods}) to functions.job",
    "29:37 domains[\"c.example.com\"].routes[\"/c\"].methods: method POST not allowed by the HTTP trigger of 'web' (it allows GET)",
    "30:11 domains[\"c.example.com\"].routes[\"/d\"]: route /d points to function 'nobody', which is not in functions: (functions: web, job)",
    "31:3 domains.Bad_Domain: bad name 'Bad_Domain': expected a lowercase DNS name such as api.example.com, got \"Bad_Domain\"",
    '34:5 domains["e.example.com"].routes: has no entries; add at least 1',
  ]);
});

test('a certificate file that is not PEM, and a key given as a certificate', async () => {
  const p = await problemsOf(
    `${MINIMAL}    http: true
domains:
  a.example.com:
    protocol: HTTPS
    certificate: ./k.pem
    privateKey: ./c.txt
    routes: { /*: web }
`,
    { extra: { 'c.txt': 'hello', 'k.pem': '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' } },
  );
  assert.deepEqual(lines(p), [
    '10:18 domains["a.example.com"].certificate: expected a PEM certificate (-----BEGIN CERTIFICATE-----), got "PRIVATE KEY"',
    '11:17 domains["a.example.com"].privateKey: privateKey file ./c.txt is not PEM (no "-----BEGIN" line); FC needs PEM text',
  ]);
});

test('every problem is collected before throwing, sorted by position, with file:line:col in the details', async () => {
  const f = fixture(`name: X
functions:
  web:
    runtime: python2.7
    memory: 1
    env:
      A: null
      B: \${env:NOPE}
`);
  try {
    await assert.rejects(loadManifest(f.file, { env: {}, cwd: f.dir }), (err: unknown) => {
      assert.ok(err instanceof ManifestError);
      assert.equal(err.exitCode, 2);
      assert.match(err.message, /^There are 5 problems in fcx\.yaml; nothing was sent to the cloud\.$/);
      assert.deepEqual(
        err.details.map((d) => d.split('  ')[0]),
        ['fcx.yaml:1:7', 'fcx.yaml:4:14', 'fcx.yaml:5:13', 'fcx.yaml:7:10', 'fcx.yaml:8:10'],
      );
      assert.match(err.details[4], /^fcx\.yaml:8:10  functions\.web\.env\.B: environment variable NOPE is not set/);
      return true;
    });
  } finally {
    f.cleanup();
  }
});

test('${env:…} unquoted inside a flow mapping gets a hint to quote it', async () => {
  const p = await problemsOf(MINIMAL + '    env: { B: ${env:NOPE} }\n');
  assert.equal(p.length, 1);
  assert.equal(p[0].line, 6);
  assert.match(p[0].message, /^YAML syntax: .*\(inside \{ \} or \[ \], put a value that uses \$\{env:…\} in quotes\)$/);
  // Quoted, it works.
  assert.deepEqual(await problemsOf(MINIMAL + '    env: { B: "${env:NOPE}" }\n'), [
    { file: 'fcx.yaml', line: 6, col: 15, path: 'functions.web.env.B', message: 'environment variable NOPE is not set; set it, or give a default with ${env:NOPE:-value}' },
  ]);
});

test('a number or boolean where text is expected says to quote it', async () => {
  const p = await problemsOf(MINIMAL + '    description: 2024\n    build: true\n');
  assert.deepEqual(lines(p), [
    '6:18 functions.web.description: expected a string, got 2024; write "2024" in quotes if you mean that text',
    '7:12 functions.web.build: expected one of auto, none, got true; write "true" in quotes if you mean that text',
  ]);
});

test('environment variables over FC\'s 4 KB limit are refused at env:', async () => {
  const p = await problemsOf(MINIMAL + `    env:\n      BIG: ${'x'.repeat(4000)}\n      MORE: ${'y'.repeat(100)}\n`);
  assert.deepEqual(lines(p), ['6:5 functions.web.env: environment variables take 4107 bytes; FC allows 4096 in total — move large values to a file in the package or to OSS']);
});
