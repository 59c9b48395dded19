// `fcx remove`: deletes what fcx created for the app, in reverse order of deploy — domain routes that point at
// the app's service (the domain itself only when no route is left), triggers, functions, the service; with
// --all also the auto-created role, log project and the app's code objects (and the code bucket once empty).
// "Not found" counts as done, so running it twice succeeds. Never deletes what fcx did not create: in a service
// fcx did not create (deployed into with --force) only the functions of fcx.yaml go, and the service stays.
import type { Context } from '../core/context';
import { ActionNeededError, CloudError, FcxError, toFcxError } from '../core/errors';
import { confirm, interruptOnSigint, loadApp, targetFor } from './app';
import { makeApis, type Apis } from './apis';
import { codeBucketName, desiredLogs, desiredRole } from './desired';
import { codeObjectPrefix, isManagedDescription } from './names';
import { Progress } from './progress';
import { mapLimit } from './wait';

type Obj = Record<string, any>;

interface Step {
  label: string;
  run: () => Promise<void>;
  /** Steps of one group may run in parallel (the functions). */
  group: number;
}

export async function runRemove(ctx: Context, o: { all: boolean }): Promise<number> {
  const { ui } = ctx;
  const m = await loadApp(ctx);
  const target = await targetFor(ctx, m);
  const apis = await makeApis(ctx, target);
  const { fc } = apis;
  const svc = m.service.name;

  // ---- read what there is to remove ----
  // Only what fcx owns goes: the functions in fcx.yaml and those fcx created (marker in their description); the
  // service only when fcx created it and nothing else is left in it. Everything else is kept, and said so.
  const service = await fc.getService(svc);
  const ownService = Boolean(service && isManagedDescription(service.description));
  const kept: string[] = [];
  const remoteFns = service ? await fc.listFunctions(svc) : [];
  const inManifest = new Set(m.functions.map((f) => f.name));
  const doomed = new Set<string>();
  const others: string[] = [];
  for (const f of remoteFns) {
    const name = String(f.functionName);
    if (inManifest.has(name) || isManagedDescription(f.description)) doomed.add(name);
    else others.push(name);
  }
  const serviceGoes = ownService && !others.length;
  if (others.length) kept.push(`function ${others.sort().join(', ')}: not in fcx.yaml and not created by fcx`);
  if (service && !ownService) kept.push(`service ${svc}: fcx did not create it (its description does not say "managed by fcx")`);
  else if (service && !serviceGoes) kept.push(`service ${svc}: it still holds function(s) fcx did not create`);

  const steps: Step[] = [];
  for (const d of await fc.listCustomDomains()) {
    const routes: Obj[] = d.routeConfig?.routes ?? [];
    // A route is this app's when it points at a function that goes (or at the service, when the service goes).
    const isMine = (r: Obj) => r.serviceName === svc && (!service || serviceGoes || doomed.has(String(r.functionName)));
    const mine = routes.filter(isMine);
    if (!mine.length) continue;
    const rest = routes.filter((r) => !isMine(r));
    const name = String(d.domainName);
    steps.push(
      rest.length
        ? { group: 0, label: `routes ${mine.map((r) => r.path).join(' ')} of domain ${name} (${rest.length} other route(s) kept)`, run: async () => void (await fc.updateCustomDomain(name, { routeConfig: { routes: rest } })) }
        : { group: 0, label: `custom domain ${name}`, run: async () => void (await fc.deleteCustomDomain(name)) },
    );
  }
  for (const fn of [...doomed].sort()) {
    steps.push({
      group: 1,
      label: `function ${fn} and its triggers`,
      run: async () => {
        for (const t of await fc.listTriggers(svc, fn)) await fc.deleteTrigger(svc, fn, String(t.triggerName));
        await fc.deleteFunction(svc, fn);
      },
    });
  }
  if (serviceGoes) {
    steps.push({
      group: 2,
      label: `service ${svc}`,
      run: async () => {
        // Somebody may have added a function since we looked: then the service stays.
        const left = (await fc.listFunctions(svc)).map((f) => String(f.functionName));
        if (left.length) throw new FcxError(`The service ${svc} was not deleted: it now holds function(s) ${left.join(', ')} that fcx did not delete.`, { hint: 'Delete them first if they belong to this app, then run fcx remove again.' });
        await fc.deleteService(svc);
      },
    });
  }
  if (o.all) steps.push(...(await autoResourceSteps(apis, m)));

  const sayKept = () => {
    for (const k of kept) ui.info(`Kept ${k}.`);
  };
  if (!steps.length) {
    sayKept();
    ui.info(`Nothing to remove: ${m.name} has nothing ${kept.length ? 'left that fcx deployed' : 'deployed'} in ${target.region}${o.all ? '' : ' (run with --all to also remove the role, log project and code objects fcx created)'}.`);
    if (ui.json) ui.data({ app: m.name, region: target.region, removed: [], kept });
    return 0;
  }
  ui.info(`fcx remove will delete from ${target.region}:\n${steps.map((s) => `  - ${s.label}`).join('\n')}`);
  sayKept();
  if (!o.all) ui.info(ui.c.dim('(the role, log project and code objects fcx created stay; add --all to delete them too)'));
  if (!ctx.global.yes) {
    if (!ctx.canPrompt()) throw new ActionNeededError('fcx remove deletes resources and needs a confirmation, but there is no terminal to ask on.', 'Run again with --yes to delete them.');
    if (!(await confirm(`Delete ${m.name}?`, false))) {
      ui.info('Nothing was removed.');
      return 1;
    }
  }

  const sig = interruptOnSigint(ctx);
  const progress = new Progress(ui, ui.interactiveErr && !ui.json);
  const removed: string[] = [];
  let failure: unknown;
  try {
    for (const group of [...new Set(steps.map((s) => s.group))].sort()) {
      const list = steps.filter((s) => s.group === group);
      await mapLimit(
        list,
        group === 1 ? 8 : 1,
        async (s) => {
          const h = progress.start(`deleting ${s.label}`);
          try {
            await s.run();
            h.done(`deleted ${s.label}`);
            removed.push(s.label);
          } catch (err) {
            h.fail(`deleting ${s.label} failed`);
            failure ??= err;
          }
        },
        () => Boolean(failure) || sig.signal.aborted,
      );
      if (failure || sig.signal.aborted) break;
    }
  } finally {
    progress.stop();
    sig.dispose();
  }
  if (failure || sig.signal.aborted) {
    ui.info('Run `fcx remove` again to finish: what is already gone counts as done.');
    if (!failure) return 130;
    throw toFcxError(failure);
  }
  if (ui.json) ui.data({ app: m.name, region: target.region, removed, kept });
  ui.info(kept.length ? `Removed what fcx deployed for ${m.name} from ${target.region}; the resources listed as kept stay.` : `Removed ${m.name} from ${target.region}.`);
  return 0;
}

/** The role, log project and code objects fcx created for this app (auto names and fcx markers only). */
async function autoResourceSteps(apis: Apis, m: Parameters<typeof desiredLogs>[0]): Promise<Step[]> {
  const { target, ram, sls, oss } = apis;
  const steps: Step[] = [];
  // Resolve what deploy would have created, as if logs were on: the role is auto only with role: auto.
  const logs = desiredLogs(m, target.accountId);
  const role = m.service.role.kind === 'auto' ? desiredRole(m, target.accountId, logs ?? { auto: true, project: '', logstore: '' }) : undefined;
  if (role?.kind === 'auto') {
    const r = await ram.getRole(role.name);
    if (r && isManagedDescription(r.description)) {
      steps.push({
        group: 3,
        label: `role ${role.name}`,
        run: async () => {
          for (const p of await ram.listPolicies(role.name)) await ram.detachPolicy(role.name, p.policyName, p.policyType);
          await ram.deleteRole(role.name);
        },
      });
    }
  }
  if (logs?.auto) {
    const p = (await sls.getProject(logs.project)) as Obj | undefined;
    if (p && (p.description === undefined || isManagedDescription(p.description))) {
      steps.push({
        group: 3,
        label: `log project ${logs.project} (and its logs)`,
        run: async () => {
          try {
            await sls.deleteProject(logs.project);
          } catch (err) {
            if (!(err instanceof CloudError && err.code === 'ProjectNotExist')) throw err;
          }
        },
      });
    }
  }
  const bucket = codeBucketName(m, target.accountId, target.region);
  const keys = await oss.listObjects(bucket.name, codeObjectPrefix(m.name));
  if (keys.length) {
    steps.push({
      group: 3,
      label: `${keys.length} code object(s) under ${bucket.name}/${codeObjectPrefix(m.name)}${bucket.auto ? ' (and the bucket, once empty)' : ''}`,
      run: async () => {
        for (const k of keys) await oss.deleteObject(bucket.name, k);
        if (bucket.auto && !(await oss.listObjects(bucket.name, '')).length) await oss.deleteBucket(bucket.name);
      },
    });
  } else if (bucket.auto && (await oss.getBucketInfo(bucket.name)) && !(await oss.listObjects(bucket.name, '')).length) {
    steps.push({ group: 3, label: `empty code bucket ${bucket.name}`, run: async () => void (await oss.deleteBucket(bucket.name)) });
  }
  return steps;
}
