// The domain step of deploy and of `fcx domain bind`: read what FC has for each of the manifest's domains,
// merge (see merge.ts) and hand back one change per domain that the caller applies when it decides to.
import type { Context } from '../core/context';
import { ActionNeededError, CloudError, ExitCode, FcxError } from '../core/errors';
import type { FcApi } from '../cloud/fc';
import type { CloudTarget } from '../cloud/target';
import type { DomainSpec, Manifest } from '../manifest/types';
import { checkCertificate, formatDate } from './certificate';
import { describeRoute, mergeDomain, remoteRoutes, type RemoteDomain } from './merge';
import { cnameRecordLine, cnameTarget, domainUrl, isFcxCertName, needsIcpFiling } from './names';

export interface AppliedDomain {
  name: string;
  url: string;
  cname: string;
}

export interface DomainChange {
  domain: string;
  action: 'create' | 'update' | 'unchanged';
  changes: string[];
  conflicts: string[];
  apply(): Promise<AppliedDomain>;
}

export interface PlanDomainsOptions {
  manifest: Manifest;
  fc: FcApi;
  target: CloudTarget;
  serviceName: string;
  force?: boolean;
  ctx: Context;
  /** Plan only these domains (fcx domain bind); default all of the manifest's. */
  only?: string[];
}

/**
 * Checks every domain's protocol and certificate without any cloud call. Throws (exit 2) with every problem;
 * returns warnings (a certificate that expires soon) for the caller to print.
 */
export function checkDomainSettings(domains: DomainSpec[], now: Date = new Date()): string[] {
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const d of domains) {
    const where = d.certificateSource ? ` (${d.certificateSource})` : '';
    const https = d.protocol !== 'HTTP';
    if (https && !(d.certificate && d.privateKey)) {
      problems.push(`domains.${d.name}: protocol ${d.protocol} needs certificate and privateKey (PEM files or inline PEM)`);
      continue;
    }
    if (!https && (d.certificate || d.privateKey)) {
      problems.push(`domains.${d.name}: a certificate is set but protocol is HTTP; set protocol: HTTPS (or HTTP,HTTPS), or remove the certificate`);
      continue;
    }
    if (d.certificate && d.privateKey) {
      const check = checkCertificate(d.name, d.certificate, d.privateKey, now);
      for (const p of check.problems) problems.push(`domains.${d.name}.certificate${where}: ${p}`);
      warnings.push(...check.warnings);
    }
  }
  if (problems.length) {
    throw new FcxError(`${problems.length === 1 ? 'A custom domain setting is' : `${problems.length} custom domain settings are`} wrong; nothing was sent to the cloud.`, {
      exitCode: ExitCode.usage,
      details: problems,
      hint: 'Fix the domain settings in fcx.yaml (or the certificate files) and run the command again.',
    });
  }
  return warnings;
}

function certSummary(d: DomainSpec): string | undefined {
  if (!d.certificate || !d.privateKey) return undefined;
  const leaf = checkCertificate(d.name, d.certificate, d.privateKey).leaf;
  return leaf ? `expires ${formatDate(leaf.validTo)}` : undefined;
}

/** The message for FC's DomainNameNotResolved: the exact record to create. */
export function dnsNotPointingError(domain: string, target: CloudTarget, cause?: CloudError): ActionNeededError {
  const cname = cnameTarget(target.accountId, target.region);
  const details = [`Create this DNS record at your DNS provider:`, `  ${cnameRecordLine(domain, cname)}`];
  if (needsIcpFiling(target.region)) details.push(`${target.region} is in mainland China: ${domain} also needs an ICP filing with Alibaba Cloud.`);
  if (cause) details.push(`(FC said: ${cause.code}${cause.status ? `, HTTP ${cause.status}` : ''}${cause.requestId ? `, request id ${cause.requestId}` : ''})`);
  return new ActionNeededError(
    `FC will not serve ${domain} until its DNS points at Function Compute.`,
    `Once the record resolves (check with: fcx domain verify ${domain}), run the same command again; everything else is already deployed.`,
    details,
  );
}

function conflictError(domain: string, conflicts: string[]): ActionNeededError {
  return new ActionNeededError(
    `Custom domain ${domain} already routes ${conflicts.length === 1 ? 'a path' : `${conflicts.length} paths`} of fcx.yaml to something else.`,
    'Use other paths in fcx.yaml, remove those routes from the other app, or pass --force to take them over (the other routes stay).',
    conflicts,
  );
}

function translateApplyError(err: unknown, domain: string, target: CloudTarget): unknown {
  if (err instanceof CloudError) {
    if (/DomainNameNotResolved/i.test(err.code)) return dnsNotPointingError(domain, target, err);
    if (/ICP/i.test(err.code)) {
      return new ActionNeededError(`FC refused ${domain}: it has no ICP filing that Alibaba Cloud knows of (${err.code}${err.requestId ? `, request id ${err.requestId}` : ''}).`, `Domains served from ${target.region} need an ICP filing with Alibaba Cloud; deploy to an overseas region (for example cn-hongkong or ap-southeast-1) or file the domain first.`);
    }
  }
  return err;
}

export async function planDomains(opts: PlanDomainsOptions): Promise<DomainChange[]> {
  const { manifest, fc, target, serviceName, ctx } = opts;
  const domains = manifest.domains.filter((d) => !opts.only || opts.only.includes(d.name));
  for (const w of checkDomainSettings(domains)) ctx.ui.warn(w);
  const cname = cnameTarget(target.accountId, target.region);

  return Promise.all(
    domains.map(async (desired): Promise<DomainChange> => {
      const remote = (await fc.getCustomDomain(desired.name)) as RemoteDomain | undefined;
      const summary = certSummary(desired);
      const merged = mergeDomain({ desired, remote, serviceName, force: opts.force, certSummary: summary });
      const protocol = (merged.body.protocol as string | undefined) ?? remote?.protocol ?? desired.protocol;
      const result: AppliedDomain = { name: desired.name, url: domainUrl(desired.name, protocol), cname };
      return {
        domain: desired.name,
        action: merged.action,
        changes: merged.changes,
        conflicts: merged.conflicts,
        async apply() {
          if (merged.conflicts.length && !opts.force) throw conflictError(desired.name, merged.conflicts);
          try {
            if (merged.action === 'create') {
              try {
                await fc.createCustomDomain(desired.name, merged.body);
              } catch (err) {
                // Someone created it between our read and our write: merge again against what is there now.
                if (!(err instanceof CloudError && err.code === 'DomainNameAlreadyExists')) throw err;
                const now = (await fc.getCustomDomain(desired.name)) as RemoteDomain | undefined;
                if (!now) throw err;
                const again = mergeDomain({ desired, remote: now, serviceName, force: opts.force, certSummary: summary });
                if (again.conflicts.length && !opts.force) throw conflictError(desired.name, again.conflicts);
                if (again.action === 'update') await fc.updateCustomDomain(desired.name, again.body);
              }
            } else if (merged.action === 'update') {
              await fc.updateCustomDomain(desired.name, merged.body);
            }
          } catch (err) {
            throw translateApplyError(err, desired.name, target);
          }
          return result;
        },
      };
    }),
  );
}

/**
 * Domains no longer in fcx.yaml that still route to this app's service: one 'update' per domain that removes
 * those routes (DESIGN §2: routes fcx added are removed when they leave the manifest). Other apps' routes stay;
 * a domain left with no route at all, and no certificate set outside fcx, is deleted.
 * One ListCustomDomains call; nothing is written until apply().
 */
/** A domain dropped from fcx.yaml: this app's routes go; the domain itself too when nothing else needs it. */
export type RemovedDomainChange = Omit<DomainChange, 'action'> & { action: 'update' | 'delete' };

export async function planRemovedDomains(opts: Omit<PlanDomainsOptions, 'force' | 'only'>): Promise<RemovedDomainChange[]> {
  const { manifest, fc, target, serviceName } = opts;
  const wanted = new Set(manifest.domains.map((d) => d.name));
  const cname = cnameTarget(target.accountId, target.region);
  const out: RemovedDomainChange[] = [];
  for (const rd of (await fc.listCustomDomains()) as RemoteDomain[]) {
    if (wanted.has(rd.domainName)) continue;
    const routes = remoteRoutes(rd);
    const mine = routes.filter((r) => r.serviceName === serviceName);
    if (!mine.length) continue;
    const remaining = routes.filter((r) => r.serviceName !== serviceName);
    const certName = rd.certConfig?.certificate ? rd.certConfig.certName : undefined;
    const remove = remaining.length === 0 && isFcxCertName(rd.domainName, certName);
    const changes = mine.map((r) => `- route ${describeRoute(r, serviceName)} (${rd.domainName} is no longer in fcx.yaml)`);
    if (remove) changes.push(`- custom domain ${rd.domainName} (no route left)`);
    out.push({
      domain: rd.domainName,
      action: remove ? 'delete' : 'update',
      changes,
      conflicts: [],
      async apply() {
        if (remove) await fc.deleteCustomDomain(rd.domainName);
        else await fc.updateCustomDomain(rd.domainName, { routeConfig: { routes: remaining } });
        return { name: rd.domainName, url: domainUrl(rd.domainName, rd.protocol), cname };
      },
    });
  }
  return out;
}
