// The domain step of deploy, delegated to src/domain/reconcile.ts (planDomains). Loaded lazily: only apps with
// `domains:` pay for it.
import type { CloudTarget } from '../cloud/target';
import type { DomainSpec } from '../manifest/types';

export async function loadPlanDomains() {
  return (await import('../domain/reconcile.js')).planDomains;
}

/** Where a custom domain answers and the DNS record it needs (for domains the plan leaves unchanged). */
export async function domainInfo(spec: DomainSpec | undefined, name: string, target: CloudTarget): Promise<{ url: string; cname: string }> {
  const { cnameTarget, domainUrl, wireProtocol } = await import('../domain/names.js');
  return { url: domainUrl(name, wireProtocol(spec?.protocol ?? 'HTTP')), cname: cnameTarget(target.accountId, target.region) };
}
