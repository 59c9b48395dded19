// `fcx domain verify`: acquire → diagnose → render (text or JSON).
import type { Context } from '../../core/context';
import { FcxError } from '../../core/errors';
import { findManifestPath, loadManifest } from '../../manifest/load';
import type { Manifest } from '../../manifest/types';
import { checkDomainName } from '../bind';
import { getDnsResolver } from '../resolver';
import { acquireFacts } from './acquire';
import { diagnose, type DomainDiagnosis } from './diagnose';

export async function verifyDomain(ctx: Context, domainArg: string): Promise<DomainDiagnosis> {
  const domain = checkDomainName(domainArg);
  let manifest: Manifest | undefined;
  try {
    manifest = await loadManifest(findManifestPath(ctx.cwd, ctx.global.config), { env: ctx.env, region: ctx.global.region, cwd: ctx.cwd });
  } catch (err) {
    // Verifying a domain needs no app; without fcx.yaml it checks DNS and FC only.
    if (!(err instanceof FcxError && /There is no /.test(err.message) && ctx.global.config === 'fcx.yaml')) throw err;
  }
  const { resolveTarget } = await import('../../cloud/target.js');
  const { FcApi } = await import('../../cloud/fc.js');
  const target = await resolveTarget(ctx, { region: manifest?.region });
  const fc = new FcApi(target, ctx);
  const facts = await acquireFacts({ ctx, domain, target, fc, manifest, resolver: getDnsResolver(ctx.env) });
  return diagnose(facts);
}
