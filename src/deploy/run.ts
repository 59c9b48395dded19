// `fcx deploy` and `fcx plan`: load → resolve → package → read and plan → confirm → apply → summary.
import type { Context } from '../core/context';
import { ActionNeededError, UsageError, toFcxError } from '../core/errors';
import { applyPlan, describe } from './apply';
import { confirm, interruptOnSigint, listFiles, loadApp, packageAll, selectFunctions, targetFor } from './app';
import { makeApis } from './apis';
import { pendingItems } from './model';
import { buildPlan } from './plan';
import { Progress, formatBytes } from './progress';
import { deployJson, planJson, renderPlan, urlsOf } from './render';

export interface DeployOptions {
  dryRun: boolean;
  functions?: string[];
  prune: boolean;
  listFiles: boolean;
  /** Take over custom-domain paths that another service serves. */
  force?: boolean;
  /** `fcx plan`: the plan is the command's output (stdout) rather than a preface (stderr). */
  planOnly?: boolean;
}

export async function runDeploy(ctx: Context, o: DeployOptions): Promise<number> {
  const started = Date.now();
  const { ui } = ctx;
  const manifest = await loadApp(ctx); // manifest errors stop here: no cloud call yet
  const fns = selectFunctions(manifest, o.functions);
  if (o.functions?.length) {
    const unknown = o.functions.filter((n) => !manifest.functions.some((f) => f.name === n));
    if (unknown.length) {
      throw new UsageError(`--function ${unknown.join(', ')}: no such function in ${manifest.file}.`, `Functions in the manifest: ${manifest.functions.map((f) => f.name).join(', ') || '(none)'}.`);
    }
  }
  // Custom domain settings (protocol, certificate and key) are part of the manifest: checked before any cloud call.
  // The warnings (e.g. an expiry soon) are printed later by the domain step.
  if (manifest.domains.length && !o.functions?.length) (await import('../domain/reconcile.js')).checkDomainSettings(manifest.domains);
  if (o.listFiles && o.dryRun) {
    ui.data(await listFiles(ctx, manifest, fns));
    return 0;
  }
  const target = await targetFor(ctx, manifest);
  const live = ui.interactiveErr && !ui.json;
  const progress = new Progress(ui, live);
  let packages;
  try {
    const h = progress.start(`packaging ${fns.length === 1 ? fns[0].name : `${fns.length} functions`}`);
    try {
      packages = await packageAll(ctx, manifest, fns, (fn, msg) => h.update(fns.length === 1 ? msg : `${fn}: ${msg}`));
      const total = [...packages.values()].reduce((s, p) => s + p.size, 0);
      h.done(`packaged ${fns.length === 1 ? fns[0].name : `${fns.length} functions`} (${formatBytes(total)})`);
    } catch (err) {
      h.fail(`packaging failed`);
      throw err;
    }
  } finally {
    progress.stop();
  }

  const apis = await makeApis(ctx, target);
  const plan = await buildPlan({ ctx, apis, manifest, packages, only: o.functions, force: o.force });
  const pending = pendingItems(plan, { prune: true });
  const pruneCandidates = pending.filter((i) => i.prune);

  if (o.dryRun) {
    if (ui.json) ui.data(planJson(plan));
    else if (o.planOnly) ui.data(renderPlan(plan, ui.cOut, { prune: o.prune }));
    else ui.info(renderPlan(plan, ui.c, { prune: o.prune }));
    return 0;
  }
  if (plan.foreignService && !o.force)
    throw new ActionNeededError(
      `The FC service ${plan.serviceName} in ${plan.region} exists and was not created by fcx; fcx deploy does not take over a service that is not its own. Nothing was changed.`,
      `To deploy into it anyway, run again with --force (fcx then updates only the functions in fcx.yaml, and fcx remove keeps the service and its other functions). Or set service.name in fcx.yaml to a new name.`,
    );
  ui.info(renderPlan(plan, ui.c, { prune: o.prune }));

  let prune = o.prune;
  const changes = pending.filter((i) => !i.prune);
  if (changes.length || (pruneCandidates.length && prune)) {
    if (!ctx.global.yes) {
      if (!ctx.canPrompt())
        throw new ActionNeededError(
          `fcx deploy would change ${changes.length + (prune ? pruneCandidates.length : 0)} resource(s) and needs a confirmation, but there is no terminal to ask on.`,
          'Review the plan above, then run again with --yes to apply it (or run `fcx plan` to see the plan only).',
        );
      if (!(await confirm('Apply these changes?', true))) {
        ui.info('Nothing was changed.');
        return 1;
      }
    }
  }
  if (pruneCandidates.length && !prune) {
    const what = pruneCandidates.map((i) => describe(i)).join(', ');
    if (ctx.canPrompt()) prune = await confirm(`Also remove ${what} (no longer in fcx.yaml)?`, false);
    else ui.info(`Kept ${what} (not in fcx.yaml); pass --prune to remove.`);
  }

  const sig = interruptOnSigint(ctx);
  const applyProgress = new Progress(ui, live);
  let outcome;
  try {
    outcome = await applyPlan(plan, { progress: applyProgress, prune, signal: sig.signal });
  } finally {
    applyProgress.stop();
    sig.dispose();
  }

  const applied = new Set(outcome.done);
  if (outcome.failed || outcome.interrupted) {
    const remaining = pendingItems(plan, { prune }).filter((i) => !applied.has(i));
    ui.info(outcome.done.length ? `Done: ${outcome.done.map((i) => describe(i)).join(', ')}.` : 'Nothing was changed.');
    if (remaining.length) ui.info(`Not done: ${remaining.map((i) => describe(i)).join(', ')}.`);
    ui.info('Run `fcx deploy` again: it picks up where this run stopped (finished steps are not repeated).');
    if (outcome.interrupted) {
      ui.info('Interrupted.');
      return 130;
    }
    throw toFcxError(outcome.failed!.error);
  }

  // Domains applied this run report their URL; unchanged ones come from the plan. Custom domains first.
  const domains = plan.domains.map((d) => outcome.domains.find((x) => x.name === d.name) ?? d);
  const urls = urlsOf(plan, domains);
  if (ui.json) ui.data(deployJson(plan, applied, domains));
  else for (const u of urls) ui.data(u);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const waiting = outcome.actionNeeded.map((x) => x.item.name);
  const summary = [
    changes.length || applied.size
      ? `Deployed ${plan.app} to ${plan.region} in ${secs} s${waiting.length ? ` — except ${waiting.join(', ')}, which needs a DNS record (see below)` : ''}.`
      : `Everything in fcx.yaml is deployed as written (${secs} s); nothing was changed.`,
  ];
  for (const d of domains) summary.push(`  ${d.url}  (custom domain; DNS: CNAME ${d.name} → ${d.cname})`);
  for (const f of plan.functions) if (f.url) summary.push(`  ${f.url}  (function ${f.spec.name})`);
  for (const f of plan.functions) if (!f.url) summary.push(`  function ${f.spec.name} has no HTTP trigger; call it with the FC API.`);
  ui.info(summary.join('\n'));

  if (outcome.actionNeeded.length) {
    for (const { error } of outcome.actionNeeded) ui.error(error.message, error.details, error.hint);
    return 3;
  }
  return 0;
}
