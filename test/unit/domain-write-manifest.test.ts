// fcx domain bind/unbind write fcx.yaml through symlinks, keep its mode and its CRLF line ends, and write
// atomically (no temp file left behind). Real files in a temp folder; no mocks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { manifestRelative } from '../../src/domain/bind';
import { deleteInText, setInText } from '../../src/domain/manifest-edit';
import { writeManifestText } from '../../src/domain/write-manifest';
import { makeTmpDir } from '../helpers/tmp';

let tmp: { dir: string; cleanup: () => void };
before(() => {
  tmp = makeTmpDir('fcx-write-manifest-');
});
after(() => tmp?.cleanup());

describe('writeManifestText', () => {
  test('a symlinked fcx.yaml: the file it points at gets the text, the link stays a link', async () => {
    const dir = join(tmp.dir, 'link');
    mkdirSync(join(dir, 'real'), { recursive: true });
    writeFileSync(join(dir, 'real', 'fcx.yaml'), 'name: a\n');
    symlinkSync('real/fcx.yaml', join(dir, 'fcx.yaml'));
    const written = await writeManifestText(join(dir, 'fcx.yaml'), 'name: b\n');
    assert.ok(lstatSync(join(dir, 'fcx.yaml')).isSymbolicLink(), 'fcx.yaml is still a symlink');
    assert.equal(readFileSync(join(dir, 'real', 'fcx.yaml'), 'utf8'), 'name: b\n');
    assert.equal(written, realpathSync(join(dir, 'real', 'fcx.yaml')));
    assert.deepEqual(readdirSync(join(dir, 'real')), ['fcx.yaml'], 'no temp file left next to the real file');
    assert.deepEqual(readdirSync(dir).sort(), ['fcx.yaml', 'real']);
  });

  test('the mode is kept (0600 stays 0600, 0640 stays 0640)', { skip: process.platform === 'win32' }, async () => {
    for (const mode of [0o600, 0o640]) {
      const file = join(tmp.dir, `mode-${mode.toString(8)}.yaml`);
      writeFileSync(file, 'name: a\n');
      chmodSync(file, mode);
      await writeManifestText(file, 'name: b\n');
      assert.equal(statSync(file).mode & 0o777, mode);
      assert.equal(readFileSync(file, 'utf8'), 'name: b\n');
    }
  });

  test('a file that does not exist yet is created', async () => {
    const file = join(tmp.dir, 'new.yaml');
    await writeManifestText(file, 'name: new\n');
    assert.equal(readFileSync(file, 'utf8'), 'name: new\n');
  });
});

describe('CRLF manifests', () => {
  const lf = 'name: hello\nregion: cn-hangzhou\nfunctions:\n  web:\n    runtime: python3.10\n    handler: index.handler\n';
  const crlf = lf.replace(/\n/g, '\r\n');
  const onlyCrlf = (s: string) => assert.ok(!/(^|[^\r])\n/.test(s), `LF-only line end in ${JSON.stringify(s)}`);

  test('bind then unbind keeps CRLF everywhere and gives back the original text', () => {
    let t = setInText(crlf, ['domains', 'x.example.com', 'routes', '/*'], 'web');
    t = setInText(t, ['domains', 'x.example.com', 'routes', '/api/*'], { function: 'web', methods: ['GET'] });
    t = setInText(t, ['domains', 'x.example.com', 'certificate'], './c.pem');
    onlyCrlf(t);
    assert.deepEqual(YAML.parse(t).domains['x.example.com'].routes, { '/*': 'web', '/api/*': { function: 'web', methods: ['GET'] } });
    t = deleteInText(t, ['domains', 'x.example.com', 'routes', '/api/*']);
    onlyCrlf(t);
    assert.equal(deleteInText(t, ['domains', 'x.example.com']), crlf);
  });

  test('the yaml printer fallback (flow-style domains) keeps CRLF too', () => {
    const base = 'name: x\r\ndomains: {a.example.com: {routes: {/*: web}}}\r\n';
    const t = setInText(base, ['domains', 'a.example.com', 'routes', '/b'], 'web');
    onlyCrlf(t);
    assert.deepEqual(YAML.parse(t).domains['a.example.com'].routes, { '/*': 'web', '/b': 'web' });
    const d = deleteInText(t, ['domains', 'a.example.com', 'routes', '/b']);
    onlyCrlf(d);
  });
});

describe('manifestRelative (--cert/--key as written in fcx.yaml)', () => {
  test('inside the folder: relative with ./ (also a file whose name starts with ..); outside: absolute', () => {
    const dir = join(tmp.dir, 'rel-app');
    mkdirSync(join(dir, 'certs'), { recursive: true });
    assert.equal(manifestRelative(dir, dir, 'certs/a.pem'), './certs/a.pem');
    assert.equal(manifestRelative(dir, join(dir, 'certs'), join(dir, 'certs', 'a.pem')), './certs/a.pem');
    assert.equal(manifestRelative(dir, dir, '..a.pem'), './..a.pem');
    assert.equal(manifestRelative(dir, dir, '../other/a.pem'), join(tmp.dir, 'other', 'a.pem').split('\\').join('/'));
    symlinkSync(dir, join(tmp.dir, 'rel-link'));
    assert.equal(manifestRelative(dir, dir, join(tmp.dir, 'rel-link', 'certs', 'a.pem')), './certs/a.pem');
  });
});

describe('manifests with many aliases', () => {
  test('120 functions with <<: *defaults: bind still edits only its lines (no re-print of the whole file)', () => {
    let text = 'name:   many   # spacing kept\nx-d: &d {runtime: python3.10, handler: index.handler}\nfunctions:\n';
    for (let i = 0; i < 120; i++) text += `  f${i}:\n    <<: *d\n`;
    const out = setInText(text, ['domains', 'a.example.com', 'routes', '/*'], 'f1');
    assert.equal(out, text + '\ndomains:\n  a.example.com:\n    routes:\n      /*: f1\n');
  });
});
