// `fcx domain verify`: acquire → diagnose → render (text or JSON).
import type { Context } from '../../core/context';
import { checkDomainName } from '../bind';
import { loadOptionalManifest } from '../list';
import { getDnsResolver } from '../resolver';
import { acquireFacts } from './acquire';
import { diagnose, type DomainDiagnosis } from './diagnose';

export async function verifyDomain(ctx: Context, domainArg: string): Promise<DomainDiagnosis> {
  const domain = checkDomainName(domainArg);
  // Verifying a domain needs no app: without fcx.yaml it checks DNS and FC only.
  const manifest = await loadOptionalManifest(ctx);
  const { resolveTarget } = await import('../../cloud/target.js');
  const { FcApi } = await import('../../cloud/fc.js');
  const target = await resolveTarget(ctx, { region: manifest?.region });
  const fc = new FcApi(target, ctx);
  const facts = await acquireFacts({ ctx, domain, target, fc, manifest, resolver: getDnsResolver(ctx.env) });
  return diagnose(facts);
}
