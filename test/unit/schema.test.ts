// schema/fcx.schema.json: in step with the one definition, right about real documents, and in agreement
// with the validator that loadManifest() uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { manifestJsonSchemaText } from '../../src/manifest/schema/json-schema';
import { FUNCTION_NAME_PATTERN } from '../../src/manifest/schema/fcx-schema';
import { parseManifestText } from '../../src/manifest/load';
import { listTemplates, scaffold } from '../../src/manifest/scaffold';
import { RUNTIMES, HTTP_METHODS } from '../../src/manifest/types';
import { APP_NAME_PATTERN } from '../../src/manifest/defaults';
import { loadManifest } from '../../src/manifest/load';
import { makeTmpDir } from '../helpers/tmp';
import { repoRoot } from '../helpers/paths';
import { validateDraft07 } from './schema-draft07';

const shipped = () => JSON.parse(readFileSync(join(repoRoot, 'schema', 'fcx.schema.json'), 'utf8'));

test('schema/fcx.schema.json is up to date with src/manifest/schema/fcx-schema.ts (else: npm run schema)', () => {
  const committed = readFileSync(join(repoRoot, 'schema', 'fcx.schema.json'), 'utf8');
  assert.equal(committed, manifestJsonSchemaText(), 'run `npm run schema` and commit schema/fcx.schema.json');
});

test('the schema says what the manifest allows', () => {
  const s = shipped();
  assert.equal(s.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(s.additionalProperties, false);
  assert.deepEqual(s.required, ['name', 'functions']);
  assert.equal(s.properties.name.pattern, APP_NAME_PATTERN);
  assert.equal(s.properties.functions.propertyNames.pattern, FUNCTION_NAME_PATTERN);
  const fn = s.properties.functions.additionalProperties;
  assert.equal(fn.additionalProperties, false);
  assert.deepEqual(fn.properties.runtime.enum, RUNTIMES);
  assert.deepEqual({ type: fn.properties.memory.type, multipleOf: fn.properties.memory.multipleOf, minimum: fn.properties.memory.minimum }, { type: 'integer', multipleOf: 64, minimum: 128 });
  assert.deepEqual(fn.properties.env.additionalProperties.type, ['string', 'number', 'boolean']);
  const httpObject = fn.properties.http.anyOf.find((v: any) => v.type === 'object');
  assert.deepEqual(httpObject.properties.methods.items.enum, HTTP_METHODS);
  // Every pattern is a valid ECMA-262 regex with the u flag (what JSON Schema tools use).
  const patterns: string[] = [];
  JSON.stringify(s, (k, v) => (k === 'pattern' && typeof v === 'string' && patterns.push(v), v));
  assert.ok(patterns.length >= 10);
  for (const p of patterns) assert.doesNotThrow(() => new RegExp(p, 'u'), p);
});

test('every bundled template renders an fcx.yaml that both the JSON Schema and loadManifest accept', async () => {
  const templates = listTemplates();
  assert.deepEqual(
    templates.map((t) => t.name),
    ['python-web', 'custom-web', 'nodejs-web'],
  );
  for (const t of templates) {
    const { dir, cleanup } = makeTmpDir('fcx-schema-');
    try {
      scaffold({ template: t, dir, name: 'my-app', region: 'cn-shanghai' });
      const text = readFileSync(join(dir, 'fcx.yaml'), 'utf8');
      assert.match(text, /^# yaml-language-server: \$schema=\S+fcx\.schema\.json\n/, `${t.name}: $schema comment`);
      assert.deepEqual(validateDraft07(shipped(), parse(text)), [], `${t.name} against the JSON Schema`);
      const m = await loadManifest(join(dir, 'fcx.yaml'), { env: {} });
      assert.equal(m.name, 'my-app');
      assert.equal(m.region, 'cn-shanghai');
      assert.equal(m.functions[0].runtime, t.runtime, `${t.name}: template.json runtime matches fcx.yaml`);
      assert.ok(m.functions[0].http, `${t.name}: has an HTTP trigger`);
    } finally {
      cleanup();
    }
  }
});

// Documents on which the JSON Schema and the loader must agree (valid or not). Rules that JSON Schema
// cannot express (route targets, certificate files, role vs logs) are tested in manifest-errors.test.ts.
const FN = 'functions:\n  web:\n    runtime: python3.10\n    handler: index.handler\n';
const CORPUS: [string, boolean, string][] = [
  [`name: ok\n${FN}`, true, 'minimal'],
  [`name: ok\n${FN}    http: true\n`, true, 'http: true'],
  [`name: ok\nx-anchors: { any: thing }\n${FN}`, true, 'x- keys at the top'],
  [`name: ok\n${FN}    x-note: hi\n`, false, 'x- keys elsewhere'],
  [`name: ok\n${FN}    description: 2024\n`, false, 'a number where text is expected'],
  [`name: ok\n${FN}    description: "2024"\n`, true, 'quoted number as text'],
  [`name: ok\n${FN}    http: true\ndomains:\n  api.example.com:\n    routes: { /*: { function: web, qualifier: "1" } }\n`, true, 'quoted version qualifier'],
  [`name: ok\n${FN}    http: true\ndomains:\n  api.example.com:\n    routes: { /*: { function: web, qualifier: 1 } }\n`, false, 'unquoted version qualifier'],
  [`name: ok\n${FN}    env: { A: 0.10, B: true, C: "x" }\n`, true, 'env scalars'],
  [`name: ok\n${FN}    env: { A: null }\n`, false, 'env null'],
  [`name: ok\n${FN}    memory: 100\n`, false, 'memory below minimum'],
  [`name: ok\n${FN}    memory: 200\n`, false, 'memory not a multiple of 64'],
  [`name: ok\n${FN}    memroy: 256\n`, false, 'unknown key'],
  [`name: ok\n${FN}    port: 9000\n`, false, 'port on python'],
  [`name: ok\n${FN}    initializationTimeout: 3\n`, false, 'initializationTimeout without initializer'],
  [`name: ok\nfunctions:\n  web:\n    runtime: custom\n    port: 8080\n`, true, 'custom without handler'],
  [`name: ok\nfunctions:\n  web:\n    runtime: nodejs20\n`, false, 'nodejs without handler'],
  [`name: ok\nfunctions:\n  web:\n    runtime: java8\n    handler: a.b\n`, false, 'runtime not supported'],
  [`name: ok\nfunctions: {}\n`, false, 'no functions'],
  [`name: Bad_Name\n${FN}`, false, 'bad app name'],
  [`${FN}`, false, 'no name'],
  [`name: ok\n${FN}    handler: index\n`.replace('    handler: index.handler\n', ''), false, 'handler without a dot'],
  [`name: ok\nservice: { logs: { project: my-project } }\n${FN}`, false, 'logs without logstore'],
  [`name: ok\nservice: { role: acs:ram::123:role/fc, logs: none, internetAccess: false }\n${FN}`, true, 'role arn'],
  [`name: ok\ncodeBucket: My_Bucket\n${FN}`, false, 'bad bucket'],
  [`name: ok\n${FN}    http: { auth: function, methods: [GET, GET] }\n`, false, 'duplicate methods'],
  [`name: ok\n${FN}    http: { methods: [FETCH] }\n`, false, 'unknown method'],
  [`name: ok\n${FN}    http: true\ndomains:\n  api.example.com:\n    routes: { /*: web }\n`, true, 'domain'],
  [`name: ok\n${FN}    http: true\ndomains:\n  api.example.com:\n    protocol: HTTPS\n    routes: { /*: web }\n`, false, 'HTTPS without certificate'],
  [`name: ok\n${FN}    http: true\ndomains:\n  api.example.com:\n    routes: { /a*b: web }\n`, false, '* not at the end'],
  [`name: ok\n${FN}    http: true\ndomains:\n  api.example.com:\n    routes: { /*: { methods: [GET] } }\n`, false, 'route object without function'],
  [`name: ok\n${FN}    http: true\ndomains:\n  API.example.com:\n    routes: { /*: web }\n`, false, 'uppercase domain'],
];

test('the JSON Schema and the loader agree on what is valid', () => {
  const schema = shipped();
  const { dir, cleanup } = makeTmpDir('fcx-schema-');
  try {
    for (const [yaml, valid, label] of CORPUS) {
      const bySchema = validateDraft07(schema, parse(yaml));
      const byLoader = parseManifestText(yaml, join(dir, 'fcx.yaml'), { env: {}, cwd: dir }).problems;
      assert.equal(bySchema.length === 0, valid, `${label}: JSON Schema says ${bySchema.join('; ') || 'valid'}`);
      assert.equal(byLoader.length === 0, valid, `${label}: loader says ${byLoader.map((p) => p.message).join('; ') || 'valid'}`);
    }
  } finally {
    cleanup();
  }
});
