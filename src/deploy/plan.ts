// Reads what exists and compares it with the manifest: one PlanItem per resource, each knowing how to apply
// itself. Reading makes only Get*/List* calls, so `fcx plan` and a no-op deploy write nothing.
import { readFile } from 'node:fs/promises';
import type { Context } from '../core/context';
import { CloudError, FcxError, UsageError } from '../core/errors';
import type { FunctionSpec, Manifest } from '../manifest/types';
import type { FunctionPackage } from '../package/types';
import { triggerUrl } from '../cloud/fc';
import { FC_LOG_INDEX } from '../cloud/sls';
import type { Apis } from './apis';
import type { ApplyEnv, FunctionPlan, Plan, PlanItem } from './model';
import { diffFunction, diffService, diffTrigger, type DesiredFunction } from './diff';
import { codeBucketName, desiredFunction, desiredLogs, desiredRole, desiredService, desiredTrigger, fitsInline, inlineLimit, type DesiredLogs, type DesiredRole } from './desired';
import { HTTP_TRIGGER_NAME, codeObjectKey, isManagedDescription, logProjectDescription, roleDescription } from './names';
import { mapLimit, retryWhileNotVisible, waitUntil } from './wait';
import { formatBytes } from './progress';
import { domainInfo, loadPlanDomains } from './domains';

type Obj = Record<string, any>;

export interface PlanOptions {
  ctx: Context;
  apis: Apis;
  manifest: Manifest;
  packages: Map<string, FunctionPackage>;
  /** --function: only these functions (no pruning, no domains). */
  only?: string[];
  /** Take over custom-domain paths that another service serves (deploy --force). */
  force?: boolean;
  /** Parallel reads/writes against FC. */
  concurrency?: number;
}

const isCode = (err: unknown, ...codes: string[]) => err instanceof CloudError && codes.includes(err.code);

export async function buildPlan(o: PlanOptions): Promise<Plan> {
  const { ctx, apis, manifest: m } = o;
  const { target, fc } = apis;
  const env = ctx.env;
  const svc = m.service.name;
  const limit = o.concurrency ?? 8;
  const fns = o.only?.length ? m.functions.filter((f) => o.only!.includes(f.name)) : m.functions;
  if (o.only?.length) {
    const unknown = o.only.filter((n) => !m.functions.some((f) => f.name === n));
    if (unknown.length) throw new UsageError(`--function ${unknown.join(', ')}: no such function in ${m.file}`, `Functions in the manifest: ${m.functions.map((f) => f.name).join(', ') || '(none)'}.`);
  }

  const logs = desiredLogs(m, target.accountId);
  const role = desiredRole(m, target.accountId, logs);
  const items: PlanItem[] = [];
  const warnings: string[] = [];

  // ---- read everything that exists, in parallel where independent ----
  const [roleState, logState, remoteService] = await Promise.all([readRole(apis, role), readLogs(apis, logs), fc.getService(svc)]);
  const remoteFns = new Map<string, Obj | undefined>();
  const remoteTriggers = new Map<string, Obj | undefined>();
  let allRemote: Obj[] = [];
  // A service that exists without fcx's marker is somebody else's: deploy goes into it only with --force, and
  // then leaves its description (no marker: fcx remove keeps it) and the functions fcx did not create alone.
  const foreign = Boolean(remoteService && !isManagedDescription(remoteService.description));
  const wantService = desiredService(m, role, logs, foreign ? String(remoteService!.description ?? '') : undefined);
  if (remoteService) {
    await mapLimit(fns, limit, async (f) => {
      const r = await fc.getFunction(svc, f.name);
      remoteFns.set(f.name, r);
      if (r) remoteTriggers.set(f.name, await fc.getTrigger(svc, f.name, HTTP_TRIGGER_NAME));
    }).then(rethrowFirst);
    if (!o.only?.length) allRemote = await fc.listFunctions(svc);
  }

  // ---- role ----
  if (role) items.push(roleItem(apis, role, roleState, m.name));

  // ---- logs ----
  if (logs) items.push(...logItems(ctx, apis, logs, logState, m.name));

  // ---- functions: which need their code uploaded, and how ----
  const fnPlans: FunctionPlan[] = [];
  const needsUpload = new Map<string, 'inline' | 'oss'>();
  for (const f of fns) {
    const pkg = o.packages.get(f.name);
    if (!pkg) throw new FcxError(`function ${f.name} was not packaged`, { hint: 'This is a bug in fcx; run again with --debug and report it.' });
    const remote = remoteFns.get(f.name);
    if (!remote || String(remote.codeChecksum ?? '') !== pkg.checksum) needsUpload.set(f.name, fitsInline(pkg.size, env) ? 'inline' : 'oss');
  }

  // ---- code bucket (only when some changed code is too large to send inline) ----
  const bucket = codeBucketName(m, target.accountId, target.region);
  if ([...needsUpload.values()].includes('oss')) {
    const info = await apis.oss.getBucketInfo(bucket.name);
    const wantLocation = `oss-${target.region}`;
    if (info && info.location && info.location !== wantLocation)
      throw new UsageError(`The code bucket ${bucket.name} is in ${info.location}, but FC in ${target.region} reads code only from ${wantLocation}.`, 'Name a bucket in the same region under codeBucket: in fcx.yaml, or use codeBucket: auto.');
    items.push({
      kind: 'code-bucket',
      name: bucket.name,
      action: info ? 'unchanged' : 'create',
      changes: info ? [] : [`for code too large to send inline (over ${formatBytes(inlineLimit(env))} as base64)`],
      apply: info
        ? undefined
        : async () => {
            try {
              await apis.oss.putBucket(bucket.name);
            } catch (err) {
              if (isCode(err, 'BucketAlreadyExists'))
                throw new FcxError(`The OSS bucket name ${bucket.name} is taken by another account.`, { hint: 'Set codeBucket: <a bucket of yours in this region> in fcx.yaml.', cause: err });
              throw err;
            }
          },
    });
  }

  // ---- service ----
  if (foreign)
    warnings.push(
      o.force
        ? `The FC service ${svc} was not created by fcx; --force deploys into it. It stays yours: fcx remove deletes only the functions in fcx.yaml and keeps the service and the other functions.`
        : `The FC service ${svc} exists and was not created by fcx; fcx deploy stops unless you pass --force to deploy into it.`,
    );
  const serviceChanges = remoteService ? diffService(wantService, remoteService) : [];
  const serviceBody = { description: wantService.description, role: wantService.role, internetAccess: wantService.internetAccess, logConfig: wantService.logConfig };
  const applyService = async (e: ApplyEnv, create: boolean) => {
    const what = role ? `role ${role.name} to become usable by FC` : 'the log project to become visible';
    await retryWhileNotVisible(
      async () => {
        if (create) {
          try {
            return await fc.createService(svc, serviceBody);
          } catch (err) {
            if (!isCode(err, 'ServiceAlreadyExists')) throw err; // a previous run got this far
          }
        }
        return await fc.updateService(svc, serviceBody);
      },
      { what, env, signal: e.signal, progress: e.progress },
    );
  };
  items.push({
    kind: 'service',
    name: svc,
    action: !remoteService ? 'create' : serviceChanges.length ? 'update' : 'unchanged',
    changes: serviceChanges,
    apply: !remoteService ? (e) => applyService(e, true) : serviceChanges.length ? (e) => applyService(e, false) : undefined,
  });

  // ---- functions and their HTTP triggers ----
  for (const f of fns) {
    const pkg = o.packages.get(f.name)!;
    const remote = remoteFns.get(f.name);
    // The marker goes on functions fcx creates; one that exists keeps whatever it has.
    const want = desiredFunction(f, !remote || isManagedDescription(remote.description));
    const changes = remote ? diffFunction(want, remote, pkg.checksum) : [];
    const action = !remote ? 'create' : changes.length ? 'update' : 'unchanged';
    const fp: FunctionPlan = { spec: f, pkg, action, codeChecksum: pkg.checksum };
    fnPlans.push(fp);
    items.push({
      kind: 'function',
      name: f.name,
      fn: f.name,
      action,
      changes: !remote ? [`${f.runtime}, ${f.memory} MB, code ${formatBytes(pkg.size)}${needsUpload.get(f.name) === 'oss' ? ' via OSS' : ''}`] : changes,
      apply: action === 'unchanged' ? undefined : (e) => applyFunction(apis, m, f, pkg, want, !remote, needsUpload.get(f.name), bucket.name, e),
    });

    const wantT = desiredTrigger(f);
    const remoteT = remoteTriggers.get(f.name);
    const setUrl = (t: Obj | undefined) => {
      if (f.http) fp.url = (t?.urlInternet as string) || triggerUrl(target, svc, f.name);
    };
    if (wantT) {
      setUrl(remoteT);
      const tChanges = remoteT ? diffTrigger(wantT, remoteT) : [];
      const body = { triggerName: HTTP_TRIGGER_NAME, triggerType: 'http', triggerConfig: { authType: wantT.authType, methods: wantT.methods } };
      items.push({
        kind: 'trigger',
        name: `${f.name}/${HTTP_TRIGGER_NAME}`,
        fn: f.name,
        action: !remoteT ? 'create' : tChanges.length ? 'update' : 'unchanged',
        changes: !remoteT ? [`${wantT.authType}, ${wantT.methods.join(' ')}`] : tChanges,
        apply:
          remoteT && !tChanges.length
            ? undefined
            : async () => {
                let t: Obj | undefined;
                if (!remoteT) {
                  try {
                    t = await fc.createTrigger(svc, f.name, body);
                  } catch (err) {
                    if (!isCode(err, 'TriggerAlreadyExists')) throw err;
                  }
                }
                t ??= await fc.updateTrigger(svc, f.name, HTTP_TRIGGER_NAME, { triggerConfig: body.triggerConfig });
                setUrl(t);
              },
      });
    } else if (remoteT) {
      // http: was removed from the function in fcx.yaml; the trigger named "http" is fcx's own.
      items.push({ kind: 'trigger', name: `${f.name}/${HTTP_TRIGGER_NAME}`, fn: f.name, action: 'delete', changes: ['http: removed from fcx.yaml'], apply: async () => void (await fc.deleteTrigger(svc, f.name, HTTP_TRIGGER_NAME)) });
    }
  }

  // ---- functions that are no longer in fcx.yaml ----
  if (remoteService && !o.only?.length) {
    const gone = allRemote.filter((f) => !m.functions.some((x) => x.name === String(f.functionName)));
    const notOurs = gone.filter((f) => !isManagedDescription(f.description)).map((f) => String(f.functionName)).sort();
    if (notOurs.length) warnings.push(`Kept function ${notOurs.join(', ')}: not in fcx.yaml and not created by fcx, so deploy and remove leave ${notOurs.length > 1 ? 'them' : 'it'} alone.`);
    for (const name of gone.filter((f) => isManagedDescription(f.description)).map((f) => String(f.functionName)).sort()) {
      items.push({
        kind: 'function',
        name,
        fn: name,
        action: 'delete',
        prune: true,
        changes: ['not in fcx.yaml any more'],
        notes: ['deleted only with --prune (or when you confirm)'],
        apply: async () => {
          for (const t of await fc.listTriggers(svc, name)) await fc.deleteTrigger(svc, name, String(t.triggerName));
          await fc.deleteFunction(svc, name);
        },
      });
    }
  }

  // ---- custom domains (last) ----
  const domains: Plan['domains'] = [];
  if (m.domains.length && !o.only?.length) {
    const planDomains = await loadPlanDomains();
    for (const d of await planDomains({ manifest: m, fc, target, serviceName: svc, ctx, force: o.force })) {
      items.push({
        kind: 'domain',
        name: d.domain,
        action: d.action,
        changes: d.changes,
        notes: d.conflicts.length ? d.conflicts.map((c) => `conflict: ${c}`) : undefined,
        apply: d.action === 'unchanged' ? undefined : async () => ({ domain: await d.apply() }),
      });
      domains.push({ name: d.domain, ...(await domainInfo(m.domains.find((x) => x.name === d.domain), d.domain, target)) });
    }
  }

  // ---- custom domains no longer in fcx.yaml that still route to this service ----
  // src/domain decides what to keep: other services' routes, and a domain carrying a certificate fcx did not set.
  if (remoteService && !o.only?.length) {
    const { planRemovedDomains } = await import('../domain/reconcile.js');
    for (const d of await planRemovedDomains({ manifest: m, fc, target, serviceName: svc, ctx })) {
      items.push({
        kind: 'domain',
        name: d.domain,
        action: d.action,
        prune: true,
        changes: d.changes,
        notes: ['removed only with --prune (or when you confirm)'],
        apply: async () => void (await d.apply()),
      });
    }
  }

  return { app: m.name, region: target.region, accountId: target.accountId, serviceName: svc, foreignService: foreign, items, functions: fnPlans, domains, warnings };
}

function rethrowFirst(results: Array<PromiseSettledResult<unknown> | undefined>): void {
  for (const r of results) if (r?.status === 'rejected') throw r.reason;
}

// ---------------------------------------------------------------- role

interface RoleState {
  exists: boolean;
  policies: string[];
}

async function readRole(apis: Apis, role: DesiredRole | undefined): Promise<RoleState | undefined> {
  if (!role) return undefined;
  // A role ARN of another account (cross-account) cannot be looked up from here: FC checks it at CreateService.
  const owner = /^acs:ram::(\d+):role\//i.exec(role.arn)?.[1];
  if (role.kind === 'existing' && owner && owner !== apis.target.accountId) return { exists: true, policies: [] };
  const found = await apis.ram.getRole(role.name);
  if (!found) {
    if (role.kind === 'existing')
      throw new UsageError(`The RAM role ${role.name} named in fcx.yaml (service.role) does not exist.`, 'Create it, fix the name, or use role: auto to let fcx create one.');
    return { exists: false, policies: [] };
  }
  if (role.kind === 'existing') return { exists: true, policies: [] };
  const policies = (await apis.ram.listPolicies(role.name)).map((p) => p.policyName);
  return { exists: true, policies };
}

function roleItem(apis: Apis, role: DesiredRole, state: RoleState | undefined, app: string): PlanItem {
  if (role.kind === 'existing') return { kind: 'role', name: role.name, action: 'unchanged', changes: [], notes: ['yours: used as is'] };
  const missing = role.policies.filter((p) => !state?.policies.includes(p));
  if (state?.exists && !missing.length) return { kind: 'role', name: role.name, action: 'unchanged', changes: [] };
  return {
    kind: 'role',
    name: role.name,
    action: state?.exists ? 'update' : 'create',
    changes: missing.map((p) => `attach policy ${p}`),
    apply: async () => {
      if (!state?.exists) await apis.ram.createRole(role.name, roleDescription(app));
      for (const p of missing) await apis.ram.attachPolicy(role.name, p);
    },
  };
}

// ---------------------------------------------------------------- logs

interface LogState {
  project: boolean;
  logstore: boolean;
  index: boolean;
}

async function readLogs(apis: Apis, logs: DesiredLogs | undefined): Promise<LogState | undefined> {
  if (!logs) return undefined;
  const project = Boolean(await apis.sls.getProject(logs.project));
  const logstore = project && Boolean(await apis.sls.getLogStore(logs.project, logs.logstore));
  const index = logstore && Boolean(await apis.sls.getIndex(logs.project, logs.logstore));
  return { project, logstore, index };
}

function logItems(ctx: Context, apis: Apis, logs: DesiredLogs, state: LogState | undefined, app: string): PlanItem[] {
  const { sls } = apis;
  const waitFor = (what: string, e: ApplyEnv) => ({ what, env: ctx.env, signal: e.signal, progress: e.progress });
  // A new project or logstore takes a while to be visible to the create of what goes inside it: hence the retries.
  return [
    createOnlyItem('log-project', logs.project, state?.project, () =>
      createUnlessExists('ProjectAlreadyExist', () => sls.createProject(logs.project, logProjectDescription(app))),
    ),
    createOnlyItem('logstore', `${logs.project}/${logs.logstore}`, state?.logstore, async (e) => {
      await retryWhileNotVisible(
        () => createUnlessExists('LogStoreAlreadyExist', () => sls.createLogStore(logs.project, logs.logstore, { ttl: 30, shardCount: 2 })),
        waitFor(`log project ${logs.project}`, e),
      );
      await waitUntil(() => sls.getLogStore(logs.project, logs.logstore), waitFor(`logstore ${logs.logstore} to become usable`, e));
    }),
    createOnlyItem('log-index', `${logs.project}/${logs.logstore}`, state?.index, (e) =>
      retryWhileNotVisible(
        () => createUnlessExists('IndexAlreadyExist', () => sls.createIndex(logs.project, logs.logstore, FC_LOG_INDEX)),
        waitFor(`logstore ${logs.logstore}`, e),
      ),
    ),
  ];
}

/** A resource fcx only ever creates: unchanged when it exists, else created by `create`. */
function createOnlyItem(kind: PlanItem['kind'], name: string, exists: boolean | undefined, create: (e: ApplyEnv) => Promise<void>): PlanItem {
  return { kind, name, action: exists ? 'unchanged' : 'create', changes: [], apply: exists ? undefined : create };
}

/** Runs a create call where "already exists" (error `code`) counts as done: a previous run got this far. */
async function createUnlessExists(code: string, create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!isCode(err, code)) throw err;
  }
}

// ---------------------------------------------------------------- functions

/** Sends a function; large inline payloads sit in memory as base64 until sent, so at most two go at a time. */
async function applyFunction(...args: Parameters<typeof sendFunction>): Promise<void> {
  const [, , , pkg, , , upload] = args;
  const release = upload === 'inline' && pkg.size > BIG_INLINE ? await bigUploads.acquire() : () => {};
  try {
    await sendFunction(...args);
  } finally {
    release();
  }
}

async function sendFunction(
  apis: Apis,
  m: Manifest,
  f: FunctionSpec,
  pkg: FunctionPackage,
  want: DesiredFunction,
  create: boolean,
  upload: 'inline' | 'oss' | undefined,
  bucket: string,
  e: ApplyEnv,
): Promise<void> {
  const { fc, oss } = apis;
  const svc = m.service.name;
  const body: Obj = { ...want };
  if (upload === 'inline' || (create && upload === undefined)) {
    e.progress(`sending ${formatBytes(pkg.size)} of code`);
    body.code = { zipFile: (await readFile(pkg.zipPath)).toString('base64') };
  } else if (upload === 'oss') {
    const key = codeObjectKey(m.name, f.name, pkg.checksum);
    // The key is content-addressed: an object already there (a previous, interrupted run) is the same code.
    if (!(await oss.headObject(bucket, key))) {
      await oss.uploadFile(bucket, key, pkg.zipPath, (p) => e.progress(`uploading ${formatBytes(Math.round(p * pkg.size))} / ${formatBytes(pkg.size)}`));
    }
    body.code = { ossBucketName: bucket, ossObjectName: key };
  }
  if (create) {
    try {
      await fc.createFunction(svc, body);
      return;
    } catch (err) {
      if (!isCode(err, 'FunctionAlreadyExists')) throw err; // a previous run created it: update instead
    }
  }
  const { functionName: _n, ...update } = body;
  await fc.updateFunction(svc, f.name, update);
}

const BIG_INLINE = 4 * 1024 * 1024;

/** A counting semaphore. */
class Slots {
  private waiting: Array<() => void> = [];
  constructor(private free: number) {}
  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((r) => this.waiting.push(r));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}
const bigUploads = new Slots(2);
