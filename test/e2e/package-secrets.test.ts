// A custom domain's certificate and private key kept in the app folder (as the README shows) never go into
// the function's code package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { emulatorEnv, runFcx } from '../helpers/cli';
import { makeTmpDir } from '../helpers/tmp';

test('deploy --dry-run --list-files leaves out the certificate and key that fcx.yaml names', async (t) => {
  const tmp = makeTmpDir('fcx-tls-');
  t.after(tmp.cleanup);
  const env = emulatorEnv('http://127.0.0.1:9', tmp.dir); // --list-files makes no cloud call
  assert.equal((await runFcx(['init', 'app', '--template', 'python-web'], { cwd: tmp.dir, env })).code, 0);
  const app = join(tmp.dir, 'app');
  mkdirSync(join(app, 'certs'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(app, 'certs/key.pem'), '-out', join(app, 'certs/fullchain.pem'), '-days', '30', '-subj', '/CN=api.example.com', '-addext', 'subjectAltName=DNS:api.example.com'], { stdio: 'ignore' });
  appendFileSync(join(app, 'fcx.yaml'), '\ndomains:\n  api.example.com:\n    protocol: HTTP,HTTPS\n    certificate: ./certs/fullchain.pem\n    privateKey: ./certs/key.pem\n    routes:\n      /*: web\n');
  const r = await runFcx(['deploy', '--dry-run', '--list-files', '--local'], { cwd: app, env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /index\.py/);
  assert.doesNotMatch(r.stdout, /key\.pem|fullchain\.pem/);
});
