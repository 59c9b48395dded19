// A self-signed certificate for custom-domain tests, made at run time with the machine's openssl (no key committed).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '../helpers/tmp';

export function selfSignedCert(name: string): { cert: string; key: string } {
  const tmp = makeTmpDir('fcx-cert-');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '30', '-subj', `/CN=${name}`], { cwd: tmp.dir, stdio: 'ignore' });
    return { cert: readFileSync(join(tmp.dir, 'cert.pem'), 'utf8'), key: readFileSync(join(tmp.dir, 'key.pem'), 'utf8') };
  } finally {
    tmp.cleanup();
  }
}
