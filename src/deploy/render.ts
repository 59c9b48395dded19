// The plan and the deploy summary in words (stderr for people) and as JSON (stdout for programs).
import type { Palette } from '../ui/color';
import { describe } from './apply';
import type { Plan, PlanItem } from './model';

const SYMBOL: Record<PlanItem['action'], string> = { create: '+', update: '~', delete: '-', unchanged: '=' };

export function planCounts(plan: Plan): Record<PlanItem['action'], number> {
  const c = { create: 0, update: 0, delete: 0, unchanged: 0 };
  for (const i of plan.items) c[i.action]++;
  return c;
}

/** `prune`: whether deletions of things no longer in fcx.yaml will happen (--prune); otherwise they are counted apart. */
export function renderPlan(plan: Plan, c: Palette, o: { prune?: boolean } = {}): string {
  const lines = [`Plan for ${c.bold(plan.app)} in ${plan.region} (account ${plan.accountId}):`];
  const color = { create: c.green, update: c.yellow, delete: c.red, unchanged: c.dim };
  for (const i of plan.items) {
    const paint = color[i.action];
    lines.push(`  ${paint(`${SYMBOL[i.action]} ${i.action.padEnd(9)}`)} ${describe(i)}`);
    for (const ch of i.changes) lines.push(`        ${ch}`);
    // With --prune the "only with --prune" caveat no longer applies.
    for (const n of i.notes ?? []) if (!(o.prune && i.prune && /only with --prune/.test(n))) lines.push(`        ${c.dim(n)}`);
  }
  // Items that wait for --prune are counted apart: without it this run leaves them alone.
  const applies = plan.items.filter((i) => o.prune || !i.prune);
  const waiting = plan.items.length - applies.length;
  const n = planCounts({ ...plan, items: applies });
  const pruneNote = waiting ? `; ${waiting} no longer in fcx.yaml, removed only with --prune (or if you confirm at a terminal)` : '';
  lines.push(`${n.create} to create, ${n.update} to update, ${n.delete} to delete, ${n.unchanged} unchanged${pruneNote}.`);
  for (const w of plan.warnings) lines.push(`${c.yellow('warning:')} ${w}`);
  return lines.join('\n');
}

export function planJson(plan: Plan) {
  return {
    app: plan.app,
    region: plan.region,
    accountId: plan.accountId,
    service: { name: plan.serviceName },
    changes: plan.items.map((i) => ({ kind: i.kind, name: i.name, action: i.action, changes: i.changes, ...(i.notes ? { notes: i.notes } : {}) })),
    summary: planCounts(plan),
    warnings: plan.warnings,
  };
}

export type DoneAction = 'created' | 'updated' | 'unchanged';

/** A function counts as updated when it or its trigger changed. */
export function functionActions(plan: Plan, applied: Set<PlanItem>): Map<string, DoneAction> {
  const out = new Map<string, DoneAction>();
  for (const f of plan.functions) {
    const fnItem = plan.items.find((i) => i.kind === 'function' && i.fn === f.spec.name && !i.prune);
    const trig = plan.items.find((i) => i.kind === 'trigger' && i.fn === f.spec.name);
    let a: DoneAction = 'unchanged';
    if (fnItem && applied.has(fnItem) && fnItem.action === 'create') a = 'created';
    else if ((fnItem && applied.has(fnItem)) || (trig && applied.has(trig))) a = 'updated';
    out.set(f.spec.name, a);
  }
  return out;
}

export function deployJson(plan: Plan, applied: Set<PlanItem>, domains: Array<{ name: string; url: string; cname: string }>) {
  const actions = functionActions(plan, applied);
  return {
    app: plan.app,
    region: plan.region,
    accountId: plan.accountId,
    service: { name: plan.serviceName },
    functions: plan.functions.map((f) => ({ name: f.spec.name, url: f.url ?? null, codeChecksum: f.codeChecksum, action: actions.get(f.spec.name) })),
    domains,
  };
}

/** Every URL, custom domains first. */
export function urlsOf(plan: Plan, domains: Array<{ url: string }>): string[] {
  return [...domains.map((d) => d.url), ...plan.functions.filter((f) => f.url).map((f) => f.url!)];
}
