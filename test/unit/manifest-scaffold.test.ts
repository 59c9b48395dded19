// Template helpers behind `fcx init`: app names from folder names, the $schema reference, rendering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { isValidAppName, listTemplates, render, sanitizeAppName, scaffold, schemaReference } from '../../src/manifest/scaffold';
import { makeTmpDir } from '../helpers/tmp';

test('sanitizeAppName turns any folder name into a valid app name', () => {
  const cases: [string, string][] = [
    ['hello', 'hello'],
    ['My Cool_App', 'my-cool-app'],
    ['123-api', 'api'],
    ['--x--', 'x-app'],
    ['中文', 'hello-api'],
    ['', 'hello-api'],
    ['a'.repeat(80), 'a'.repeat(40)],
    ['api.example.com', 'api-example-com'],
  ];
  for (const [raw, want] of cases) {
    assert.equal(sanitizeAppName(raw), want, raw);
    assert.ok(isValidAppName(sanitizeAppName(raw)), raw);
  }
});

test('schemaReference: relative path into a local node_modules/fcx, else a file URL of the running fcx schema (which exists)', () => {
  const { dir, cleanup } = makeTmpDir();
  try {
    const app = join(dir, 'apps', 'one');
    mkdirSync(app, { recursive: true });
    const own = schemaReference(app);
    assert.match(own, /^file:\/\/.*\/schema\/fcx\.schema\.json$/);
    assert.ok(existsSync(fileURLToPath(own)), own);
    mkdirSync(join(dir, 'node_modules', 'fcx', 'schema'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'fcx', 'schema', 'fcx.schema.json'), '{}');
    assert.equal(schemaReference(app), '../../node_modules/fcx/schema/fcx.schema.json');
  } finally {
    cleanup();
  }
});

test('render fills known placeholders and leaves others alone', () => {
  assert.equal(render('{{name}} in {{region}} {{other}} {{ name }}', { name: 'a', region: 'r' }), 'a in r {{other}} {{ name }}');
});

test('scaffold reports what it overwrote and keeps other files', () => {
  const { dir, cleanup } = makeTmpDir();
  try {
    const t = listTemplates().find((x) => x.name === 'python-web')!;
    writeFileSync(join(dir, 'index.py'), 'old');
    writeFileSync(join(dir, 'mine.txt'), 'keep');
    const r = scaffold({ template: t, dir, name: 'x-app', region: 'cn-beijing' });
    assert.deepEqual(r.overwritten, ['index.py']);
    assert.ok(r.files.includes('.gitignore') && !r.files.includes('gitignore') && !r.files.includes('template.json'));
    assert.equal(readFileSync(join(dir, 'mine.txt'), 'utf8'), 'keep');
    assert.match(readFileSync(join(dir, 'fcx.yaml'), 'utf8'), /^region: cn-beijing$/m);
  } finally {
    cleanup();
  }
});
