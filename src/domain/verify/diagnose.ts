// Pure judgement of the facts `fcx domain verify` gathered: one list of issues, each with what to do, and
// the exit code (0 only when everything is right). The text and JSON views are both rendered from this.
import { cnameRecordLine, needsIcpFiling, servesHttps } from '../names';
import type { VerifyFacts } from './facts';

export type Severity = 'error' | 'warning' | 'info';

export interface Issue {
  area: 'dns' | 'fc' | 'certificate' | 'icp';
  code: string;
  severity: Severity;
  message: string;
  fix?: string;
}

export interface DomainDiagnosis {
  domain: string;
  ok: boolean;
  status: 'ok' | 'action-needed';
  exitCode: 0 | 3;
  region: string;
  accountId: string;
  local: boolean;
  expected: { type: 'CNAME'; name: string; value: string };
  resolved: { cname: string[]; a: string[]; aaaa: string[]; pointsAtFc: boolean; source: string };
  fc: { bound: boolean; protocol?: string; routes: Array<{ path: string; service?: string; function?: string }>; inSyncWithManifest?: boolean };
  certificate: null | { source: 'FC' | 'fcx.yaml'; names: string[]; validFrom: string; validTo: string; daysLeft: number; problems: string[] };
  icpFilingRequired: boolean;
  issues: Issue[];
  recommendedDnsRecords: Array<{ type: 'CNAME'; name: string; value: string }>;
  next: string[];
}

const DAY = 86_400_000;
const bare = (n: string) => n.toLowerCase().replace(/\.$/, '');

export function diagnose(f: VerifyFacts): DomainDiagnosis {
  const issues: Issue[] = [];
  const next: string[] = [];
  const record = cnameRecordLine(f.domain, f.expectedCname);
  const localFlag = f.cliFlags;
  // With --local DNS decides nothing (the emulator routes by Host header): its findings are notes, not failures.
  const dnsSeverity: Severity = f.cliFlags.includes('--local') ? 'info' : 'error';

  // DNS
  const chain = f.dns.cnameChain;
  const viaCname = chain.some((c) => bare(c) === bare(f.expectedCname));
  const flattened = !viaCname && f.dns.a.length > 0 && f.dns.expectedA.length > 0 && f.dns.a.every((ip) => f.dns.expectedA.includes(ip));
  const pointsAtFc = viaCname || flattened;
  if (f.dns.error) {
    issues.push({ area: 'dns', code: 'dns_lookup_failed', severity: dnsSeverity, message: `DNS lookup of ${f.domain} failed (${f.dns.error}).`, fix: 'Check your network or DNS server, then run the check again.' });
  } else if (flattened) {
    issues.push({ area: 'dns', code: 'dns_flattened', severity: 'info', message: `${f.domain} has no CNAME but resolves to the same addresses as ${f.expectedCname} (a flattened CNAME/ALIAS record).`, fix: 'This works while FC keeps those addresses; a real CNAME is safer where your DNS allows it.' });
  } else if (!viaCname) {
    const found = chain.length ? `is a CNAME of ${chain[0]}` : f.dns.a.length || f.dns.aaaa.length ? `has A/AAAA records (${[...f.dns.a, ...f.dns.aaaa].join(', ')}) but no CNAME` : 'has no DNS record';
    issues.push({
      area: 'dns',
      code: chain.length ? 'dns_wrong_cname' : f.dns.a.length || f.dns.aaaa.length ? 'dns_not_cname' : 'dns_missing',
      severity: dnsSeverity,
      message: `${f.domain} ${found}; FC needs a CNAME to ${f.expectedCname}.`,
      fix: `Create this record (replacing ${chain.length || f.dns.a.length ? 'the current one' : 'nothing'}): ${record}`,
    });
  }
  if (f.local) {
    const curl = f.endpoint ? `curl -H 'Host: ${f.domain}' ${f.endpoint}/` : `curl -H 'Host: ${f.domain}' http://127.0.0.1:9100/`;
    issues.push({ area: 'dns', code: 'local_host_header', severity: 'info', message: `The emulator serves ${f.domain} by Host header whatever DNS says: ${curl}` });
  }

  // FC binding
  if (!f.remote.exists) {
    issues.push({
      area: 'fc',
      code: 'not_bound',
      severity: 'error',
      message: `${f.domain} is not a custom domain in FC (${f.region}).`,
      fix: f.manifest?.present ? `Run: fcx deploy${localFlag} (fcx.yaml has it)` : `Run: fcx domain bind ${f.domain}${localFlag}`,
    });
  } else {
    const mine = f.serviceName ? f.remote.routes.filter((r) => r.serviceName === f.serviceName) : f.remote.routes;
    if (!f.remote.routes.length) issues.push({ area: 'fc', code: 'no_routes', severity: 'error', message: `${f.domain} has no routes in FC, so every request gets 404.`, fix: `Run: fcx domain bind ${f.domain}${localFlag}` });
    else if (f.serviceName && f.manifest?.present && !mine.length) issues.push({ area: 'fc', code: 'no_routes_to_app', severity: 'error', message: `${f.domain} routes nothing to this app (service ${f.serviceName}).`, fix: `Run: fcx deploy${localFlag}` });
    if (f.manifest?.present && !f.manifest.inSync) issues.push({ area: 'fc', code: 'manifest_not_deployed', severity: 'warning', message: `FC does not have what fcx.yaml says for ${f.domain} yet.`, fix: `Run: fcx deploy${localFlag} (see the changes with: fcx plan${localFlag})` });
  }

  // Certificates: FC's (what is served) and fcx.yaml's (what the next deploy sends)
  let certificate: DomainDiagnosis['certificate'] = null;
  const rc = f.remote.certificate;
  const wantsHttps = servesHttps(f.remote.protocol) || servesHttps(f.manifest?.protocol);
  if (rc?.leaf) {
    certificate = { source: 'FC', names: rc.leaf.names, validFrom: rc.leaf.validFrom.toISOString(), validTo: rc.leaf.validTo.toISOString(), daysLeft: Math.floor((rc.leaf.validTo.getTime() - Date.parse(f.now)) / DAY), problems: rc.problems };
    for (const p of rc.problems) issues.push({ area: 'certificate', code: 'remote_certificate', severity: 'error', message: `The certificate FC serves: ${p}.`, fix: f.manifest?.certificate ? `Fix the certificate in fcx.yaml and run fcx deploy${localFlag}` : `fcx domain bind ${f.domain} --cert FILE --key FILE${localFlag}` });
    for (const w of rc.warnings) issues.push({ area: 'certificate', code: 'certificate_expires_soon', severity: 'warning', message: w + '.', fix: 'Renew it and deploy the new one.' });
  } else if (rc) {
    for (const p of rc.problems) issues.push({ area: 'certificate', code: 'remote_certificate', severity: 'error', message: `The certificate FC has: ${p}.` });
  } else if (servesHttps(f.remote.protocol)) {
    issues.push({ area: 'certificate', code: 'https_without_certificate', severity: 'error', message: `${f.domain} has HTTPS on in FC but no certificate.`, fix: `fcx domain bind ${f.domain} --cert FILE --key FILE${localFlag}` });
  }
  const mc = f.manifest?.certificate;
  if (mc) {
    if (!certificate && mc.leaf) certificate = { source: 'fcx.yaml', names: mc.leaf.names, validFrom: mc.leaf.validFrom.toISOString(), validTo: mc.leaf.validTo.toISOString(), daysLeft: Math.floor((mc.leaf.validTo.getTime() - Date.parse(f.now)) / DAY), problems: mc.problems };
    for (const p of mc.problems) issues.push({ area: 'certificate', code: 'manifest_certificate', severity: 'error', message: `The certificate in fcx.yaml${f.manifest?.source ? ` (${f.manifest.source})` : ''}: ${p}.`, fix: 'Replace the certificate/key files, then run fcx deploy.' });
    if (!rc) for (const w of mc.warnings) issues.push({ area: 'certificate', code: 'certificate_expires_soon', severity: 'warning', message: w + '.', fix: 'Renew it before deploying.' });
  }
  if (!wantsHttps && !rc && !mc) issues.push({ area: 'certificate', code: 'http_only', severity: 'info', message: `${f.domain} serves HTTP only (no certificate).`, fix: `For HTTPS: fcx domain bind ${f.domain} --cert FILE --key FILE` });

  // ICP
  const icp = needsIcpFiling(f.region);
  if (icp) issues.push({ area: 'icp', code: 'icp_filing_required', severity: 'info', message: `${f.region} is in mainland China: FC serves ${f.domain} only with an ICP filing that lists Alibaba Cloud (fcx cannot check it).`, fix: 'File it in the Alibaba Cloud ICP system, or deploy to cn-hongkong or an overseas region.' });

  const ok = !issues.some((i) => i.severity === 'error');
  if (!pointsAtFc && dnsSeverity === 'error') next.push(`Create the DNS record: ${record}`, `Then check again: fcx domain verify ${f.domain}`);
  for (const i of issues) if (i.severity !== 'info' && i.fix?.startsWith('Run: ')) next.push(i.fix.slice(5));
  return {
    domain: f.domain,
    ok,
    status: ok ? 'ok' : 'action-needed',
    exitCode: ok ? 0 : 3,
    region: f.region,
    accountId: f.accountId,
    local: f.local,
    expected: { type: 'CNAME', name: f.domain, value: f.expectedCname },
    resolved: { cname: chain, a: f.dns.a, aaaa: f.dns.aaaa, pointsAtFc, source: f.dns.source },
    fc: {
      bound: f.remote.exists,
      protocol: f.remote.protocol,
      routes: f.remote.routes.map((r) => ({ path: r.path, service: r.serviceName, function: r.functionName })),
      ...(f.manifest?.present ? { inSyncWithManifest: f.manifest.inSync } : {}),
    },
    certificate,
    icpFilingRequired: icp,
    issues,
    recommendedDnsRecords: pointsAtFc ? [] : [{ type: 'CNAME', name: f.domain, value: f.expectedCname }],
    next: [...new Set(next)],
  };
}

