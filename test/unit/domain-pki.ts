// Certificates for the domain tests, generated at run time with the machine's openssl (no key is committed):
// a CA, leaf certificates for chosen names and dates, and keys. Used by the unit and end-to-end domain tests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '../helpers/tmp';

export interface Issued {
  cert: string; // PEM
  key: string; // PEM
  certFile: string;
  keyFile: string;
}

export interface TestPki {
  dir: string;
  ca: Issued;
  /** A leaf for `names`, signed by the CA; dates as openssl YYYYMMDDHHMMSSZ, default valid for 90 days from now. */
  leaf(names: string[], opts?: { start?: string; end?: string; file?: string }): Issued;
  /** A second, unrelated key. */
  otherKey(): { key: string; keyFile: string };
  cleanup(): void;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export function opensslDate(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

export function makePki(): TestPki {
  const tmp = makeTmpDir('fcx-pki-');
  const dir = tmp.dir;
  mkdirSync(join(dir, 'db'));
  writeFileSync(join(dir, 'db', 'index.txt'), '');
  writeFileSync(join(dir, 'db', 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    ['[ca]', 'default_ca = d', '[d]', 'database = db/index.txt', 'new_certs_dir = db', 'serial = db/serial', 'default_md = sha256', 'policy = p', 'unique_subject = no', '[p]', 'commonName = supplied', ''].join('\n'),
  );
  openssl(['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '365', '-subj', '/CN=fcx test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  const ca: Issued = { cert: read('ca.pem'), key: read('ca.key'), certFile: join(dir, 'ca.pem'), keyFile: join(dir, 'ca.key') };
  let n = 0;
  return {
    dir,
    ca,
    leaf(names, opts = {}) {
      const id = opts.file ?? `leaf${++n}`;
      openssl(['req', ...EC, '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${names[0]}`], dir);
      writeFileSync(join(dir, `${id}.ext`), `subjectAltName=${names.map((x) => `DNS:${x}`).join(',')}\nbasicConstraints=CA:FALSE\n`);
      const now = Date.now();
      const start = opts.start ?? opensslDate(new Date(now - 3_600_000));
      const end = opts.end ?? opensslDate(new Date(now + 90 * 86_400_000));
      openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${id}.csr`, '-out', `${id}.pem`, '-startdate', start, '-enddate', end, '-notext', '-extfile', `${id}.ext`], dir);
      return { cert: read(`${id}.pem`), key: read(`${id}.key`), certFile: join(dir, `${id}.pem`), keyFile: join(dir, `${id}.key`) };
    },
    otherKey() {
      const id = `other${++n}`;
      openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${id}.key`], dir);
      return { key: read(`${id}.key`), keyFile: join(dir, `${id}.key`) };
    },
    cleanup: tmp.cleanup,
  };
}
