// Local certificate checks, before any cloud call: both parse, the key belongs to the certificate, the chain is
// leaf first, the names cover the domain, and today is inside the validity period. FC would accept some of
// these mistakes and then fail TLS handshakes; catching them here saves a confusing outage.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { registerSecret } from '../ui/redact';

export interface CertFacts {
  subject: string;
  issuer: string;
  names: string[]; // DNS names from subjectAltName, else the subject CN
  validFrom: Date;
  validTo: Date;
  fingerprint256: string;
  chainLength: number;
}

export interface CertCheck {
  problems: string[];
  warnings: string[];
  leaf?: CertFacts;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const DAY = 86_400_000;

export function splitPemChain(pem: string): string[] {
  return pem.match(PEM_CERT) ?? [];
}

const isoDay = (d: Date) => d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

function namesOf(cert: X509Certificate): string[] {
  const san = cert.subjectAltName;
  if (san) {
    const dns = san.split(/,\s*/).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
    if (dns.length) return dns;
  }
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject);
  return cn ? [cn[1]] : [];
}

export function factsOf(chain: X509Certificate[]): CertFacts {
  const leaf = chain[0];
  return {
    subject: leaf.subject.replace(/\n/g, ', '),
    issuer: leaf.issuer.replace(/\n/g, ', '),
    names: namesOf(leaf),
    validFrom: new Date(leaf.validFrom),
    validTo: new Date(leaf.validTo),
    fingerprint256: leaf.fingerprint256,
    chainLength: chain.length,
  };
}

/** Parses a certificate chain; undefined when the text holds no certificate that parses. */
export function describeCertificate(pem: string | null | undefined): CertFacts | undefined {
  if (!pem) return undefined;
  try {
    const chain = splitPemChain(pem).map((p) => new X509Certificate(p));
    return chain.length ? factsOf(chain) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the certificate's names cover the domain (a wildcard domain needs a wildcard certificate). */
function coversDomain(cert: X509Certificate, domain: string): boolean {
  if (domain.startsWith('*.')) {
    // checkHost cannot take a wildcard; a wildcard domain is covered by a certificate for the same wildcard.
    return namesOf(cert).some((n) => n.toLowerCase() === domain.toLowerCase());
  }
  return cert.checkHost(domain) !== undefined;
}

/** The key, and each of its base64 lines (a fragment in a wrapped or escaped message), never reach output. */
export function registerPrivateKey(pem: string | undefined | null): void {
  if (!pem) return;
  registerSecret(pem);
  for (const line of pem.split(/\r?\n/)) if (line.length >= 16 && !line.startsWith('-----')) registerSecret(line.trim());
}

/** All checks; without keyPem (a certificate read back from FC, which never returns the key) the key checks are skipped. */
export function checkCertificate(domain: string, certPem: string, keyPem: string | undefined, now: Date = new Date()): CertCheck {
  registerPrivateKey(keyPem);
  const problems: string[] = [];
  const warnings: string[] = [];
  const blocks = splitPemChain(certPem);
  if (!blocks.length) return { problems: ['the certificate is not PEM: expected "-----BEGIN CERTIFICATE-----" blocks'], warnings };
  const chain: X509Certificate[] = [];
  for (const [i, block] of blocks.entries()) {
    try {
      chain.push(new X509Certificate(block));
    } catch (err) {
      problems.push(`certificate ${i + 1} of ${blocks.length} does not parse (${(err as Error).message})`);
    }
  }
  if (problems.length) return { problems, warnings };

  let key: KeyObject | undefined;
  if (keyPem !== undefined) {
    try {
      key = createPrivateKey(keyPem);
    } catch (err) {
      // The key text itself never goes into a message.
      problems.push(`the private key does not parse (${String((err as Error).message).split('\n')[0]}); expected an unencrypted PEM key ("-----BEGIN PRIVATE KEY-----")`);
    }
  }

  const leaf = chain[0];
  const facts = factsOf(chain);
  if (key && !leaf.checkPrivateKey(key)) {
    problems.push(`the private key does not belong to the certificate (${facts.subject}); use the key generated with this certificate`);
  }

  for (let i = 0; i + 1 < chain.length; i++) {
    if (!chain[i].checkIssued(chain[i + 1])) {
      const reversed = chain[i + 1].checkIssued(chain[i]);
      problems.push(
        reversed
          ? `the certificate chain is not leaf first: certificate ${i + 2} (${chain[i + 1].subject.replace(/\n/g, ', ')}) was issued by certificate ${i + 1}; put the server certificate first, then each issuer`
          : `certificate ${i + 2} (${chain[i + 1].subject.replace(/\n/g, ', ')}) did not issue certificate ${i + 1} (${chain[i].subject.replace(/\n/g, ', ')}); the chain must be the server certificate, then its issuer, then that issuer's issuer`,
      );
    }
  }

  if (!coversDomain(leaf, domain)) {
    problems.push(`the certificate is for ${facts.names.join(', ') || '(no DNS names)'}, which does not cover ${domain}`);
  }

  if (now < facts.validFrom) {
    problems.push(`the certificate is not valid yet: valid from ${isoDay(facts.validFrom)} to ${isoDay(facts.validTo)}`);
  } else if (now > facts.validTo) {
    problems.push(`the certificate expired on ${isoDay(facts.validTo)} (valid from ${isoDay(facts.validFrom)}); renew it`);
  } else if (facts.validTo.getTime() - now.getTime() < 30 * DAY) {
    warnings.push(`the certificate for ${domain} expires on ${isoDay(facts.validTo)}, in ${Math.floor((facts.validTo.getTime() - now.getTime()) / DAY)} days`);
  }
  return { problems, warnings, leaf: facts };
}

export function formatDate(d: Date): string {
  return isoDay(d);
}
