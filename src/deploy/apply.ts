// Applies a plan in dependency order: role → logs → code bucket → service → functions (each followed by its
// trigger; functions in parallel) → pruned functions → custom domains. A failure or Ctrl-C stops new steps from
// starting; steps in flight finish. What was done is reported, and a rerun converges.
import { ActionNeededError } from '../core/errors';
import { pendingItems, type Plan, type PlanItem } from './model';
import type { Progress } from './progress';

export interface ApplyOptions {
  progress: Progress;
  prune: boolean;
  signal: AbortSignal;
  concurrency?: number;
}

export interface ApplyOutcome {
  done: PlanItem[];
  failed?: { item: PlanItem; error: unknown };
  interrupted: boolean;
  /** Domains that need a person (DNS not pointing at FC yet): everything else was applied. */
  actionNeeded: Array<{ item: PlanItem; error: ActionNeededError }>;
  domains: Array<{ name: string; url: string; cname: string }>;
}

const VERB: Record<string, [string, string]> = {
  create: ['creating', 'created'],
  update: ['updating', 'updated'],
  delete: ['deleting', 'deleted'],
  unchanged: ['checking', 'unchanged'],
};

export function describe(item: PlanItem): string {
  const kind = item.kind === 'log-project' ? 'log project' : item.kind === 'log-index' ? 'log index on' : item.kind === 'code-bucket' ? 'code bucket' : item.kind;
  return `${kind} ${item.name}`;
}

export async function applyPlan(plan: Plan, o: ApplyOptions): Promise<ApplyOutcome> {
  const out: ApplyOutcome = { done: [], interrupted: false, actionNeeded: [], domains: [] };
  const items = pendingItems(plan, { prune: o.prune });
  const stopped = () => Boolean(out.failed) || o.signal.aborted;

  const run = async (item: PlanItem): Promise<void> => {
    if (stopped()) return;
    const [ing, ed] = VERB[item.action];
    const h = o.progress.start(`${ing} ${describe(item)}`);
    try {
      const r = await item.apply?.({ signal: o.signal, progress: (t) => h.update(t) });
      if (r && r.domain) out.domains.push(r.domain);
      h.done(`${ed} ${describe(item)}`);
      out.done.push(item);
    } catch (error) {
      if (item.kind === 'domain' && error instanceof ActionNeededError) {
        h.fail(`${describe(item)}: needs a DNS record`);
        out.actionNeeded.push({ item, error });
        return;
      }
      h.fail(`${ing} ${describe(item)} failed`);
      out.failed ??= { item, error };
    }
  };

  const serial = async (list: PlanItem[]) => {
    for (const i of list) await run(i);
  };

  const byKind = (k: PlanItem['kind']) => items.filter((i) => i.kind === k && !i.prune);
  await serial([...byKind('role'), ...byKind('log-project'), ...byKind('logstore'), ...byKind('log-index'), ...byKind('code-bucket'), ...byKind('service')]);

  // One chain per function (function, then its trigger); chains run side by side.
  const chains = new Map<string, PlanItem[]>();
  for (const i of items) if ((i.kind === 'function' || i.kind === 'trigger') && !i.prune) chains.set(i.fn!, [...(chains.get(i.fn!) ?? []), i]);
  for (const list of chains.values()) list.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'function' ? -1 : 1));
  await runParallel([...chains.values()], o.concurrency ?? 8, serial, stopped);

  await runParallel(items.filter((i) => i.prune).map((i) => [i]), o.concurrency ?? 8, serial, stopped);

  await serial(byKind('domain'));

  out.interrupted = o.signal.aborted && !out.failed;
  return out;
}

async function runParallel<T>(lists: T[], limit: number, fn: (t: T) => Promise<void>, stop: () => boolean): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < lists.length && !stop()) await fn(lists[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, lists.length)) }, worker));
}
