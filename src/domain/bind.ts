// `fcx domain bind`: record a route in fcx.yaml (only the lines that change), check the result with the
// manifest loader and the certificate checks before any cloud call, read what FC has, stop on conflicts
// before touching the file, then write fcx.yaml and apply that one domain with planDomains.
import { readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Context } from '../core/context';
import { ActionNeededError, ExitCode, FcxError, UsageError } from '../core/errors';
import { findManifestPath, loadManifest, parseManifestText } from '../manifest/load';
import { DOMAIN_PATTERN } from '../manifest/schema/fcx-schema';
import { HTTP_METHODS, type DomainSpec, type HttpMethod, type Manifest, type RouteSpec } from '../manifest/types';
import { registerPrivateKey } from './certificate';
import { deleteInText, setInText, type YamlPlain } from './manifest-edit';
import { checkDomainSettings, planDomains, type AppliedDomain } from './reconcile';
import { writeManifestText } from './write-manifest';

export interface BindOptions {
  function?: string;
  path?: string;
  methods?: string;
  qualifier?: string;
  protocol?: string;
  cert?: string;
  key?: string;
  force?: boolean;
}

export interface BindResult extends AppliedDomain {
  routes: RouteSpec[];
  action: 'create' | 'update' | 'unchanged';
  changes: string[];
  manifestChanged: boolean;
  /** How to call the domain on the emulator (local targets only). */
  curl?: string;
}

const ROUTE_PATH = /^\/[^*?#\s]*\*?$/;

export function checkDomainName(domain: string): string {
  const d = domain.trim().toLowerCase().replace(/\.$/, '');
  if (!new RegExp(DOMAIN_PATTERN).test(d) || d.length > 253) {
    throw new UsageError(`"${domain}" is not a domain name.`, 'Pass a DNS name such as api.example.com (no scheme, no path).');
  }
  return d;
}

export function checkRoutePath(path: string): string {
  if (!ROUTE_PATH.test(path)) {
    throw new UsageError(`Route path "${path}" is not valid.`, 'A route path starts with / and may end with * (only there): /*, /api/*, /health.');
  }
  return path;
}

export function parseMethods(raw: string | undefined): HttpMethod[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw.split(',').map((m) => m.trim().toUpperCase()).filter(Boolean);
  const bad = list.filter((m) => !(HTTP_METHODS as string[]).includes(m));
  if (!list.length || bad.length) {
    throw new UsageError(`--methods ${raw}: ${bad.length ? `${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not` : 'give at least one of'} ${HTTP_METHODS.join(', ')}.`, 'Example: --methods GET,POST');
  }
  return [...new Set(list)] as HttpMethod[];
}

/** The function to route to: the one given, or the only function with an HTTP trigger. */
export function pickFunction(manifest: Manifest, name: string | undefined): string {
  const withHttp = manifest.functions.filter((f) => f.http);
  if (name) {
    const fn = manifest.functions.find((f) => f.name === name);
    if (!fn) throw new UsageError(`There is no function "${name}" in fcx.yaml.`, `Functions: ${manifest.functions.map((f) => f.name).join(', ') || '(none)'}.`);
    if (!fn.http) throw new UsageError(`Function "${name}" has no HTTP trigger, so a domain cannot route to it.`, `Add http: {auth: anonymous} to functions.${name} in fcx.yaml, or route to ${withHttp.map((f) => f.name).join(', ') || 'a function with http:'}.`);
    return name;
  }
  if (withHttp.length === 1) return withHttp[0].name;
  if (!withHttp.length) throw new UsageError('No function in fcx.yaml has an HTTP trigger to route to.', 'Add http: {auth: anonymous} to a function, then bind the domain to it with --function.');
  throw new UsageError(`Which function should the route go to? fcx.yaml has several with an HTTP trigger: ${withHttp.map((f) => f.name).join(', ')}.`, 'Pass --function NAME.');
}

/** `path` relative to `dir` when it is inside it (a file named `..x` is inside), else undefined. */
function inside(dir: string, path: string): string | undefined {
  const rel = relative(dir, path);
  if (!rel || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) return undefined;
  return rel;
}

/** The path with its folder's symlinks resolved (the file itself may be a link and keeps its name). */
function realFolderPath(p: string): string {
  try {
    return join(realpathSync(dirname(p)), basename(p));
  } catch {
    return p;
  }
}

/**
 * A path as written in fcx.yaml: relative to its folder (where the loader resolves it), with forward slashes.
 * Inside-ness is also checked on real paths, so `--cert $PWD/certs/x.pem` through a symlinked folder (or
 * `-c` through one) stays relative; only a file outside the manifest's folder is written absolute.
 */
export function manifestRelative(manifestDir: string, cwd: string, file: string): string {
  const abs = resolve(cwd, file);
  let realDir: string | undefined;
  try {
    realDir = realpathSync(manifestDir);
  } catch {
    realDir = undefined;
  }
  const rel = inside(manifestDir, abs) ?? (realDir ? inside(realDir, realFolderPath(abs)) : undefined);
  if (rel === undefined) return abs.split(sep).join('/');
  const posix = rel.split(sep).join('/');
  return posix.startsWith('./') || posix.startsWith('../') ? posix : `./${posix}`;
}

export function curlExample(endpoint: string, domain: string, path: string): string {
  const p = path.endsWith('*') ? path.slice(0, -1) : path;
  return `curl -H 'Host: ${domain}' ${endpoint}${p || '/'}`;
}

export interface EditedManifest {
  file: string;
  before: string;
  after: string;
  manifest: Manifest;
}

/** Checks text fcx is about to write with the manifest loader; fcx.yaml on disk stays as it was when it fails. */
export function validateEdited(file: string, before: string, after: string, ctx: Context): EditedManifest {
  const { manifest, problems } = parseManifestText(after, file, { env: ctx.env, region: ctx.global.region, cwd: ctx.cwd });
  if (!manifest || problems.length) {
    throw new FcxError('This change would make fcx.yaml invalid, so fcx.yaml was not changed and nothing was sent to the cloud.', {
      exitCode: ExitCode.usage,
      details: problems.map((p) => `${p.path ? p.path + ': ' : ''}${p.message}`),
      hint: 'Fix the flags (or fcx.yaml) and run the command again.',
    });
  }
  return { file, before, after, manifest };
}

export async function bindDomain(ctx: Context, domainArg: string, o: BindOptions): Promise<BindResult> {
  const domain = checkDomainName(domainArg);
  const path = checkRoutePath(o.path ?? '/*');
  const methods = parseMethods(o.methods);
  if (Boolean(o.cert) !== Boolean(o.key)) throw new UsageError(`--cert and --key go together; ${o.cert ? '--key' : '--cert'} is missing.`, 'Pass both: --cert fullchain.pem --key key.pem');
  const protocol = o.protocol?.toUpperCase().replace(/\s+/g, '');
  if (protocol !== undefined && !['HTTP', 'HTTPS', 'HTTP,HTTPS'].includes(protocol)) throw new UsageError(`--protocol ${o.protocol} is not HTTP, HTTPS or HTTP,HTTPS.`);
  if (protocol === 'HTTP' && o.cert) throw new UsageError('--protocol HTTP does not use a certificate.', 'Drop --cert/--key, or use --protocol HTTPS (or HTTP,HTTPS).');

  const file = findManifestPath(ctx.cwd, ctx.global.config);
  const current = await loadManifest(file, { env: ctx.env, region: ctx.global.region, cwd: ctx.cwd, warn: (m) => ctx.ui.warn(m) });
  for (const d of current.domains) registerPrivateKey(d.privateKey);
  const before = await readFile(file, 'utf8');
  const fnName = pickFunction(current, o.function);
  const fn = current.functions.find((f) => f.name === fnName)!;
  if (methods) {
    const outside = methods.filter((m) => !fn.http!.methods.includes(m));
    if (outside.length) throw new UsageError(`--methods ${outside.join(',')}: the HTTP trigger of ${fnName} does not accept ${outside.length === 1 ? 'it' : 'them'} (it accepts ${fn.http!.methods.join(', ')}).`, `Add ${outside.join(', ')} to functions.${fnName}.http.methods, or route fewer methods.`);
  }
  const existingDomain = current.domains.find((d) => d.name === domain);
  const existingRoute = existingDomain?.routes.find((r) => r.path === path);
  if (existingRoute && existingRoute.function !== fnName && !o.force) {
    throw new ActionNeededError(`fcx.yaml already routes ${domain}${path} to ${existingRoute.function}.`, `Pass --force to send ${path} to ${fnName} instead, or bind another --path.`);
  }
  const wantsTls = protocol ? protocol !== 'HTTP' : Boolean(o.cert);
  if (wantsTls && !o.cert && !existingDomain?.certificate) {
    throw new UsageError(`HTTPS for ${domain} needs a certificate.`, 'Pass --cert FILE --key FILE (PEM: the certificate chain, leaf first, and its private key).');
  }

  // Edit the text: the route, then protocol and certificate when given.
  const routeValue: YamlPlain = methods || o.qualifier ? { function: fnName, ...(methods ? { methods } : {}), ...(o.qualifier ? { qualifier: o.qualifier } : {}) } : fnName;
  let after = setInText(before, ['domains', domain, 'routes', path], routeValue);
  const manifestDir = dirname(file);
  if (o.cert && o.key) {
    after = setInText(after, ['domains', domain, 'certificate'], manifestRelative(manifestDir, ctx.cwd, o.cert));
    after = setInText(after, ['domains', domain, 'privateKey'], manifestRelative(manifestDir, ctx.cwd, o.key));
  }
  const effectiveProtocol = protocol ?? (o.cert && (existingDomain?.protocol ?? 'HTTP') === 'HTTP' ? 'HTTPS' : undefined);
  if (effectiveProtocol) after = setInText(after, ['domains', domain, 'protocol'], effectiveProtocol);
  if (protocol === 'HTTP' && existingDomain?.certificate) {
    after = deleteInText(after, ['domains', domain, 'certificate'], false);
    after = deleteInText(after, ['domains', domain, 'privateKey'], false);
  }

  const edited = validateEdited(file, before, after, ctx);
  const spec = edited.manifest.domains.find((d) => d.name === domain) as DomainSpec;
  checkDomainSettings([spec]); // throws before any cloud call; planDomains prints the warnings

  // Cloud: read, plan, and stop on conflicts before fcx.yaml changes.
  const { resolveTarget } = await import('../cloud/target.js');
  const { FcApi } = await import('../cloud/fc.js');
  const target = await resolveTarget(ctx, { region: edited.manifest.region });
  const fc = new FcApi(target, ctx);
  const serviceName = edited.manifest.service.name;
  const [change] = await planDomains({ manifest: edited.manifest, fc, target, serviceName, force: o.force, ctx, only: [domain] });
  if (change.conflicts.length && !o.force) await change.apply(); // throws the conflict list (exit 3); fcx.yaml untouched

  const manifestChanged = after !== before;
  if (manifestChanged) {
    await writeManifestText(file, after);
    ctx.ui.success(`Recorded ${domain}${path} → ${fnName} in ${relative(ctx.cwd, file) || file}`);
  }

  // The functions the routes point at must be deployed with their HTTP trigger for the domain to serve them.
  const { HTTP_TRIGGER_NAME } = await import('../deploy/names.js');
  const missing: string[] = [];
  for (const r of spec.routes) {
    if (missing.includes(r.function)) continue;
    const [f, t] = await Promise.all([fc.getFunction(serviceName, r.function), fc.getTrigger(serviceName, r.function, HTTP_TRIGGER_NAME)]);
    if (!f || !t) missing.push(r.function);
  }
  if (missing.length) {
    throw new ActionNeededError(
      `${domain} is recorded in fcx.yaml but not applied: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not deployed (with an HTTP trigger) in service ${serviceName} yet.`,
      `Run \`fcx deploy${ctx.global.local ? ' --local' : ''}\`: it deploys the functions and applies the domain.`,
    );
  }

  const applied = await change.apply();
  return {
    ...applied,
    routes: spec.routes,
    action: change.action,
    changes: change.changes,
    manifestChanged,
    curl: target.endpoint ? curlExample(target.endpoint, domain, path) : undefined,
  };
}
