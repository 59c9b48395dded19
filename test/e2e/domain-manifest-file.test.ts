// How `fcx domain bind|unbind` treat the fcx.yaml file itself: a symlink is written through (the link stays),
// the mode is kept (a 0600 file may hold a private key inline), CRLF stays CRLF, and --cert/--key paths are
// written relative to fcx.yaml's folder when they are inside it. The built CLI against the in-process emulator.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { startInProcessEmulator, type TestEmulator } from '../helpers/emulator';
import { emulatorEnv, runFcx, type CliResult } from '../helpers/cli';
import { makeTmpDir } from '../helpers/tmp';
import { makePki, type TestPki } from '../unit/domain-pki';
import { writeApp } from './domain-helpers';

let emu: TestEmulator;
let tmp: { dir: string; cleanup: () => void };
let pki: TestPki;
let app: string;
let env: NodeJS.ProcessEnv;
const fcx = (args: string[], cwd = app): Promise<CliResult> => runFcx(args, { cwd, env });
const manifestFile = () => join(app, 'fcx.yaml');

before(async () => {
  emu = await startInProcessEmulator();
  tmp = makeTmpDir('fcx-domain-file-');
  pki = makePki();
  mkdirSync(join(tmp.dir, 'home'));
  env = emulatorEnv(emu.url, join(tmp.dir, 'home'));
  app = join(tmp.dir, 'app');
  writeApp(app, { functions: ['web'] });
  const r = await runFcx(['deploy', '--yes'], { cwd: app, env });
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  await emu?.close();
  tmp?.cleanup();
  pki?.cleanup();
});

describe('the fcx.yaml file', () => {
  let original: string;
  beforeEach(() => {
    if (lstatSync(manifestFile()).isSymbolicLink()) unlinkSync(manifestFile());
    original = writeApp(app, { functions: ['web'] });
  });

  test('a symlinked fcx.yaml: bind and unbind write the file it points at; the link stays a link', async () => {
    mkdirSync(join(app, 'real'), { recursive: true });
    renameSync(manifestFile(), join(app, 'real', 'fcx.yaml'));
    symlinkSync('real/fcx.yaml', manifestFile());
    const r = await fcx(['domain', 'bind', 'link.example.com', '--function', 'web']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(manifestFile()).isSymbolicLink(), 'fcx.yaml is still a symlink');
    const real = readFileSync(join(app, 'real', 'fcx.yaml'), 'utf8');
    assert.equal(real, original + '\ndomains:\n  link.example.com:\n    routes:\n      /*: web\n');
    assert.deepEqual(readdirSync(join(app, 'real')), ['fcx.yaml'], 'no temp file left behind');

    const u = await fcx(['domain', 'unbind', 'link.example.com', '--yes']);
    assert.equal(u.code, 0, u.stderr);
    assert.ok(lstatSync(manifestFile()).isSymbolicLink());
    assert.equal(readFileSync(join(app, 'real', 'fcx.yaml'), 'utf8'), original);
  });

  test('chmod 600 fcx.yaml stays 600 after bind and unbind', { skip: process.platform === 'win32' }, async () => {
    chmodSync(manifestFile(), 0o600);
    assert.equal((await fcx(['domain', 'bind', 'mode.example.com', '--function', 'web'])).code, 0);
    assert.equal(statSync(manifestFile()).mode & 0o777, 0o600);
    assert.match(readFileSync(manifestFile(), 'utf8'), /mode\.example\.com/);
    assert.equal((await fcx(['domain', 'unbind', 'mode.example.com', '--yes'])).code, 0);
    assert.equal(statSync(manifestFile()).mode & 0o777, 0o600);
  });

  test('a CRLF fcx.yaml keeps CRLF line ends through bind and unbind', async () => {
    const crlf = original.replace(/\n/g, '\r\n');
    writeFileSync(manifestFile(), crlf);
    const r = await fcx(['domain', 'bind', 'crlf.example.com', '--function', 'web', '--path', '/api/*', '--methods', 'GET']);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(manifestFile(), 'utf8');
    assert.ok(text.startsWith(crlf));
    assert.ok(!/(^|[^\r])\n/.test(text), `only CRLF line ends: ${JSON.stringify(text.slice(crlf.length))}`);
    assert.equal((await fcx(['domain', 'unbind', 'crlf.example.com', '--yes'])).code, 0);
    assert.equal(readFileSync(manifestFile(), 'utf8'), crlf);
  });

  test('--cert/--key given as absolute paths inside the app are written relative to fcx.yaml; outside stay absolute', async () => {
    mkdirSync(join(app, 'certs'), { recursive: true });
    const inside = pki.leaf(['in.example.com']);
    writeFileSync(join(app, 'certs', 'in.crt'), inside.cert + pki.ca.cert);
    writeFileSync(join(app, 'certs', 'in.key'), inside.key);
    mkdirSync(join(app, 'sub'), { recursive: true });
    // Run from a subfolder with -c, absolute --cert/--key: the file must still say ./certs/…
    const r = await fcx(['domain', 'bind', 'in.example.com', '--function', 'web', '-c', '..', '--cert', join(app, 'certs', 'in.crt'), '--key', join(app, 'certs', 'in.key')], join(app, 'sub'));
    assert.equal(r.code, 0, r.stderr);
    const d = YAML.parse(readFileSync(manifestFile(), 'utf8')).domains['in.example.com'];
    assert.equal(d.certificate, './certs/in.crt');
    assert.equal(d.privateKey, './certs/in.key');

    // Through a symlink to the app folder (the shell's $PWD is often such a path): still relative.
    symlinkSync(app, join(tmp.dir, 'app-link'));
    const viaLink = join(tmp.dir, 'app-link');
    const l = await fcx(['domain', 'bind', 'in.example.com', '--function', 'web', '--cert', join(viaLink, 'certs', 'in.crt'), '--key', join(viaLink, 'certs', 'in.key')]);
    assert.equal(l.code, 0, l.stderr);
    assert.equal(YAML.parse(readFileSync(manifestFile(), 'utf8')).domains['in.example.com'].certificate, './certs/in.crt');

    const outside = pki.leaf(['out.example.com']);
    const o = await fcx(['domain', 'bind', 'out.example.com', '--function', 'web', '--cert', outside.certFile, '--key', outside.keyFile]);
    assert.equal(o.code, 0, o.stderr);
    const od = YAML.parse(readFileSync(manifestFile(), 'utf8')).domains['out.example.com'];
    assert.equal(od.certificate, outside.certFile.split('\\').join('/'));
  });
});

describe('region ids', () => {
  test('--region mars-1 is not refused (Alibaba Cloud adds regions) but warned about', async () => {
    writeApp(app, { functions: ['web'] });
    const r = await fcx(['domain', 'list', '--region', 'mars-1', '--json']);
    assert.notEqual(r.code, 2, r.stderr);
    assert.match(r.stderr, /Region mars-1 is not one fcx knows/);
    assert.doesNotMatch(r.stderr, /undefined|\[object Object\]|    at /);
  });
});

describe('wildcard domains', () => {
  test('the URL is a pattern, marked "wildcard": true in --json, and the help says how to call it', async () => {
    writeApp(app, { functions: ['web'] });
    const r = await fcx(['domain', 'bind', '*.wild.example.com', '--function', 'web', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.url, 'http://*.wild.example.com/');
    assert.equal(out.wildcard, true);
    const list = JSON.parse((await fcx(['domain', 'list', '--json'])).stdout).domains;
    const wild = list.find((d: any) => d.name === '*.wild.example.com');
    assert.deepEqual([wild.url, wild.wildcard], ['http://*.wild.example.com/', true]);
    assert.ok(list.filter((d: any) => d !== wild).every((d: any) => d.wildcard === undefined));
    const plain = JSON.parse((await fcx(['domain', 'bind', 'plain.example.com', '--function', 'web', '--json'])).stdout);
    assert.equal(plain.wildcard, undefined);
    for (const cmd of ['bind', 'list']) assert.match((await fcx(['domain', cmd, '--help'])).stdout, /wildcard domain \(\*\.example\.com\)[\s\S]*any name in place of \*/);
  });
});
