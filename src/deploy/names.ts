// Names of the resources fcx creates on its own (`auto`), and the markers that let `fcx remove` tell them apart
// from resources somebody else made. Chosen so that `remove --all` can delete exactly what belongs to ONE app:
//   role         fcx-<app>-role                one per app (RAM role names are per account)
//   log project  fcx-<app>-<accountId>         one per app; SLS project names are unique per region, so the
//                                              account id keeps two accounts' apps from colliding
//   logstore     fcx-logs                      inside that project
//   code bucket  fcx-code-<accountId>-<region> shared by the account's apps in the region (OSS names are global);
//                objects live under fcx/<app>/<function>/<checksum>.zip, so remove deletes only its prefix and
//                the bucket only once it is empty
// The FC service and the functions fcx creates carry MANAGED_MARKER in their description; the role and the log
// project carry it in theirs. The marker is set at creation only: a service fcx deploys into with --force keeps
// its own description, so `fcx remove` never deletes it.
import type { Manifest } from '../manifest/types';

export const MANAGED_MARKER = '(managed by fcx)';
export const HTTP_TRIGGER_NAME = 'http';

export function autoRoleName(app: string): string {
  return `fcx-${app}-role`.toLowerCase().slice(0, 64);
}

export function autoLogProject(app: string, accountId: string): string {
  return `fcx-${app}-${accountId}`.toLowerCase().slice(0, 63).replace(/-+$/, '');
}

export const AUTO_LOGSTORE = 'fcx-logs';

export function autoCodeBucket(accountId: string, region: string): string {
  return `fcx-code-${accountId}-${region}`.toLowerCase().slice(0, 63).replace(/-+$/, '');
}

export function codeObjectKey(app: string, fn: string, checksum: string): string {
  return `fcx/${app}/${fn}/${checksum}.zip`;
}

export function codeObjectPrefix(app: string): string {
  return `fcx/${app}/`;
}

export function serviceDescription(m: Manifest): string {
  const base = m.service.description?.trim() || `${m.name}`;
  return `${base} ${MANAGED_MARKER}`;
}

/** A function fcx creates carries the marker too, so remove and prune can tell it from one somebody else made. */
export function functionDescription(description: string | undefined, managed: boolean): string {
  const base = description?.trim() ?? '';
  if (!managed) return base;
  return base ? `${base} ${MANAGED_MARKER}` : MANAGED_MARKER;
}

export function isManagedDescription(desc: unknown): boolean {
  return typeof desc === 'string' && desc.includes(MANAGED_MARKER);
}

export function roleDescription(app: string): string {
  return `Role for the FC service of app ${app} ${MANAGED_MARKER}`;
}

export function logProjectDescription(app: string): string {
  return `Function logs of app ${app} ${MANAGED_MARKER}`;
}
