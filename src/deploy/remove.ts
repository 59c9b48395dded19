// `fcx remove`: deletes what fcx created for the app, in reverse order of deploy — domain routes that point at
// the app's service (the domain itself only when no route is left), triggers, functions, the service; with
// --all also the auto-created role, log project and the app's code objects (and the code bucket once empty).
// "Not found" counts as done, so running it twice succeeds. Never deletes what fcx did not create.
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
  const service = await fc.getService(svc);
  if (service && !isManagedDescription(service.description))
    throw new FcxError(`The FC service ${svc} was not created by fcx (its description does not say "managed by fcx"), so fcx remove leaves it alone.`, {
      hint: 'Delete it in the FC console if it really belongs to this app, or change service.name in fcx.yaml.',
    });
  const steps: Step[] = [];
  for (const d of await fc.listCustomDomains()) {
    const routes: Obj[] = d.routeConfig?.routes ?? [];
    const mine = routes.filter((r) => r.serviceName === svc);
    if (!mine.length) continue;
    const rest = routes.filter((r) => r.serviceName !== svc);
    const name = String(d.domainName);
    steps.push(
      rest.length
        ? { group: 0, label: `routes ${mine.map((r) => r.path).join(' ')} of domain ${name} (${rest.length} other route(s) kept)`, run: async () => void (await fc.updateCustomDomain(name, { routeConfig: { routes: rest } })) }
        : { group: 0, label: `custom domain ${name}`, run: async () => void (await fc.deleteCustomDomain(name)) },
    );
  }
  if (service) {
    for (const f of await fc.listFunctions(svc)) {
      const fn = String(f.functionName);
      steps.push({
        group: 1,
        label: `function ${fn} and its triggers`,
        run: async () => {
          for (const t of await fc.listTriggers(svc, fn)) await fc.deleteTrigger(svc, fn, String(t.triggerName));
          await fc.deleteFunction(svc, fn);
        },
      });
    }
    steps.push({ group: 2, label: `service ${svc}`, run: async () => void (await fc.deleteService(svc)) });
  }
  if (o.all) steps.push(...(await autoResourceSteps(apis, m)));

  if (!steps.length) {
    ui.info(`Nothing to remove: ${m.name} has nothing deployed in ${target.region}${o.all ? '' : ' (run with --all to also remove the role, log project and code objects fcx created)'}.`);
    if (ui.json) ui.data({ app: m.name, region: target.region, removed: [] });
    return 0;
  }
  ui.info(`fcx remove will delete from ${target.region}:\n${steps.map((s) => `  - ${s.label}`).join('\n')}`);
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
  if (ui.json) ui.data({ app: m.name, region: target.region, removed });
  ui.info(`Removed ${m.name} from ${target.region}.`);
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
