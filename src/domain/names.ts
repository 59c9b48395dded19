// Small facts about a custom domain that every domain command needs: where its CNAME must point, the URL
// people call, the certificate name fcx gives FC, and whether the region needs an ICP filing.
import { createHash } from 'node:crypto';
import type { DomainSpec } from '../manifest/types';

/** FC serves a custom domain only once the name is a CNAME of the account's regional endpoint. */
export function cnameTarget(accountId: string, region: string): string {
  return `${accountId}.${region}.fc.aliyuncs.com`;
}

/** FC 2.0 knows two protocol settings; "HTTPS" in fcx.yaml means HTTPS is served (FC 2.0 always keeps HTTP). */
export type WireProtocol = 'HTTP' | 'HTTP,HTTPS';
export function wireProtocol(p: DomainSpec['protocol']): WireProtocol {
  return p === 'HTTP' ? 'HTTP' : 'HTTP,HTTPS';
}

export function servesHttps(protocol: string | undefined): boolean {
  return /HTTPS/i.test(protocol ?? '');
}

/** `*.example.com`: FC routes every name under it. */
export function isWildcardDomain(name: string): boolean {
  return name.startsWith('*.');
}

/** The URL to call; for a wildcard domain a pattern (`http://*.example.com/`): put any name in place of `*`. */
export function domainUrl(name: string, protocol: string | undefined): string {
  return `${servesHttps(protocol) ? 'https' : 'http'}://${name}/`;
}

/** `api-example-com-1a2b3c4d`: readable in the console, and a new certificate gets a new name. */
export function certNameFor(domain: string, certificatePem: string): string {
  const hash = createHash('sha256').update(normalizePem(certificatePem)).digest('hex').slice(0, 8);
  return `${domain.replace(/^\*\./, 'wildcard.').replace(/\./g, '-')}-${hash}`;
}

/** A certificate fcx put there is named by certNameFor(); any other name was set outside fcx (console, another tool). */
export function isFcxCertName(domain: string, certName: string | undefined): boolean {
  if (!certName) return true;
  const base = domain.replace(/^\*\./, 'wildcard.').replace(/\./g, '-');
  return certName.startsWith(`${base}-`) && /^[0-9a-f]{8}$/.test(certName.slice(base.length + 1));
}

/** PEM text compared without the whitespace differences files and YAML block scalars introduce. */
export function normalizePem(pem: string): string {
  return pem
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}

/** Mainland China regions (cn-* except Hong Kong) serve a custom domain only with an ICP filing. */
export function needsIcpFiling(region: string): boolean {
  return region.startsWith('cn-') && region !== 'cn-hongkong';
}

/** The hint every DNS message ends with. */
export function cnameRecordLine(domain: string, target: string): string {
  return `CNAME  ${domain} → ${target}`;
}
