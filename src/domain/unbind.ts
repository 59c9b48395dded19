// `fcx domain unbind DOMAIN [--path P]`: remove this app's route(s) from fcx.yaml and from FC. Routes of other
// apps stay. The domain itself is deleted only when no route is left and nothing on it was set outside fcx
// (a certificate fcx did not name). Removing routes takes traffic away: it asks, or needs --yes.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Context } from '../core/context';
import { ActionNeededError, UsageError } from '../core/errors';
import { findManifestPath, loadManifest } from '../manifest/load';
import { checkDomainName, checkRoutePath, validateEdited } from './bind';
import { registerPrivateKey } from './certificate';
import { deleteInText } from './manifest-edit';
import { describeRoute, remoteRoutes, type RemoteDomain, type RemoteRoute } from './merge';
import { isFcxCertName } from './names';
import { writeManifestText } from './write-manifest';

export interface UnbindResult {
  name: string;
  removedFromManifest: string[]; // paths
  removedRemote: string[]; // paths
  keptForeign: string[]; // "path → svc/fn"
  domainDeleted: boolean;
  cancelled: boolean;
}

export async function unbindDomain(ctx: Context, domainArg: string, o: { path?: string }): Promise<UnbindResult> {
  const domain = checkDomainName(domainArg);
  const path = o.path !== undefined ? checkRoutePath(o.path) : undefined;
  const file = findManifestPath(ctx.cwd, ctx.global.config);
  const manifest = await loadManifest(file, { env: ctx.env, region: ctx.global.region, cwd: ctx.cwd, warn: (m) => ctx.ui.warn(m) });
  for (const d of manifest.domains) registerPrivateKey(d.privateKey);
  const before = await readFile(file, 'utf8');
  const serviceName = manifest.service.name;

  // fcx.yaml: the route, or the whole domain when no route would be left.
  const spec = manifest.domains.find((d) => d.name === domain);
  const removedFromManifest = spec ? spec.routes.filter((r) => !path || r.path === path).map((r) => r.path) : [];
  let after = before;
  if (spec && removedFromManifest.length) {
    after = removedFromManifest.length === spec.routes.length ? deleteInText(before, ['domains', domain]) : deleteInText(before, ['domains', domain, 'routes', path!]);
  }
  const edited = after !== before ? validateEdited(file, before, after, ctx) : undefined;

  // FC: this app's routes on the domain.
  const { resolveTarget } = await import('../cloud/target.js');
  const { FcApi } = await import('../cloud/fc.js');
  const target = await resolveTarget(ctx, { region: manifest.region });
  const fc = new FcApi(target, ctx);
  const remote = (await fc.getCustomDomain(domain)) as RemoteDomain | undefined;
  const routes = remoteRoutes(remote);
  const matches = (r: RemoteRoute) => !path || r.path === path;
  const toRemove = routes.filter((r) => matches(r) && r.serviceName === serviceName);
  const remaining = routes.filter((r) => !toRemove.includes(r));
  const keptForeign = routes.filter((r) => matches(r) && r.serviceName !== serviceName).map((r) => describeRoute(r, serviceName));
  const certName = remote?.certConfig?.certificate ? remote.certConfig.certName : undefined;
  const deleteDomain = Boolean(remote) && toRemove.length > 0 && remaining.length === 0 && isFcxCertName(domain, certName);

  if (!removedFromManifest.length && !toRemove.length) {
    if (!spec && !remote) throw new UsageError(`${domain} is neither in fcx.yaml nor in FC (${target.region}).`, 'See the domains with: fcx domain list');
    const what = path ? `route ${path} of ${domain}` : `any route of ${domain}`;
    throw new UsageError(`This app (service ${serviceName}) has no ${what} in fcx.yaml or in FC${keptForeign.length ? `; ${keptForeign.join(', ')} belongs to another app and stays` : ''}.`, 'See the routes with: fcx domain list');
  }

  // Say what will happen, then ask (or require --yes).
  const lines: string[] = [];
  for (const p of removedFromManifest) lines.push(`- fcx.yaml: ${domain} ${p}`);
  for (const r of toRemove) lines.push(`- FC route: ${domain} ${describeRoute(r, serviceName)}`);
  if (deleteDomain) lines.push(`- FC custom domain ${domain} (no route left)`);
  else if (remote && toRemove.length && remaining.length === 0) lines.push(`  FC custom domain ${domain} stays: its certificate ${certName} was not set by fcx`);
  for (const k of keptForeign) lines.push(`  kept (another app's): ${k}`);
  ctx.ui.info(`fcx domain unbind will remove:`);
  for (const l of lines) ctx.ui.info(`  ${l}`);
  if (!ctx.global.yes) {
    if (!ctx.canPrompt()) {
      throw new ActionNeededError(`Unbinding ${domain} takes its traffic away and needs a confirmation, but there is no terminal to ask on; nothing was changed.`, 'Run it again with --yes to confirm.');
    }
    const { confirm } = await import('../deploy/app.js');
    if (!(await confirm(deleteDomain ? `Remove these routes and delete ${domain} from FC?` : 'Remove these routes?', false))) {
      ctx.ui.info('Nothing was changed.');
      return { name: domain, removedFromManifest: [], removedRemote: [], keptForeign, domainDeleted: false, cancelled: true };
    }
  }

  if (edited) {
    await writeManifestText(file, edited.after);
    ctx.ui.success(`Removed ${removedFromManifest.map((p) => domain + p).join(', ')} from ${relative(ctx.cwd, file) || file}`);
  }
  if (remote && toRemove.length) {
    if (deleteDomain) {
      await fc.deleteCustomDomain(domain);
      ctx.ui.success(`Deleted custom domain ${domain} from FC (you may remove its DNS record now).`);
    } else {
      await fc.updateCustomDomain(domain, { routeConfig: { routes: remaining } });
      ctx.ui.success(`Removed ${toRemove.map((r) => r.path).join(', ')} from ${domain} in FC${remaining.length ? ` (${remaining.length} other route${remaining.length === 1 ? '' : 's'} kept)` : ''}.`);
    }
  }
  return { name: domain, removedFromManifest, removedRemote: toRemove.map((r) => r.path), keptForeign, domainDeleted: deleteDomain, cancelled: false };
}
