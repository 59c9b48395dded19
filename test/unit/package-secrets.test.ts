// The TLS certificate and private key that fcx.yaml names for a custom domain never ship inside function code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { listPackageFiles, packageFunction } from '../../src/package/package';
import { readZipEntries } from '../../src/core/zip/read';
import { makeTmpDir } from '../helpers/tmp';
import { opts, writeTree } from './package-fixtures';

test('secretFiles inside the source are left out of the package; other files with similar names stay', async (t) => {
  const tmp = makeTmpDir('fcx-secrets-');
  t.after(tmp.cleanup);
  writeTree(tmp.dir, {
    'main.py': 'def handler(e, s): pass\n',
    'certs/key.pem': '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n',
    'certs/fullchain.pem': 'cert',
    'certs/ca [1].pem': 'a file whose name has glob characters',
    'other/key.pem': 'not named in fcx.yaml',
  });
  const o = opts(tmp.dir, { secretFiles: [join(tmp.dir, 'certs/key.pem'), join(tmp.dir, 'certs/fullchain.pem'), join(tmp.dir, 'certs/ca [1].pem'), '/elsewhere/key.pem'] });
  const listed = (await listPackageFiles(o)).map((f) => f.path).sort();
  assert.deepEqual(listed, ['main.py', 'other/key.pem']);
  const pkg = await packageFunction(o);
  assert.deepEqual((await readZipEntries(pkg.zipPath)).map((e) => e.path).sort(), ['main.py', 'other/key.pem']);
});
