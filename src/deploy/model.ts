// The plan: one item per cloud resource fcx manages, what will happen to it and why, and how to make it so.
import type { FunctionPackage } from '../package/types';
import type { FunctionSpec } from '../manifest/types';

export type ResourceKind = 'role' | 'log-project' | 'logstore' | 'log-index' | 'code-bucket' | 'service' | 'function' | 'trigger' | 'domain';
export type PlanAction = 'create' | 'update' | 'unchanged' | 'delete';

/** Steps run in this order; items of one stage may run in parallel when they say so. */
export const STAGES: ResourceKind[] = ['role', 'log-project', 'logstore', 'log-index', 'code-bucket', 'service', 'function', 'trigger', 'domain'];

export interface ApplyEnv {
  signal: AbortSignal;
  /** Reports progress of a long step (upload bytes, waiting for visibility). */
  progress(text: string): void;
}

export interface PlanItem {
  kind: ResourceKind;
  name: string;
  action: PlanAction;
  /** Human descriptions of what differs: "memory 128 → 256", "env.GREETING changed". Never values of env vars. */
  changes: string[];
  /** Extra lines for the plan (e.g. "will be deleted only with --prune"). */
  notes?: string[];
  /** For functions and triggers: which function the item belongs to (triggers wait for their function). */
  fn?: string;
  /** Deletions of functions no longer in fcx.yaml: applied only with --prune or after a confirmation. */
  prune?: boolean;
  apply?: (env: ApplyEnv) => Promise<ApplyResult | void>;
}

export interface ApplyResult {
  /** For domains: what the user needs to know. */
  domain?: { name: string; url: string; cname: string };
}

export interface FunctionPlan {
  spec: FunctionSpec;
  pkg: FunctionPackage;
  action: 'create' | 'update' | 'unchanged';
  url?: string;
  codeChecksum: string;
}

export interface Plan {
  app: string;
  region: string;
  accountId: string;
  serviceName: string;
  /** The service exists and fcx did not create it: deploy applies the plan only with --force. */
  foreignService?: boolean;
  items: PlanItem[];
  functions: FunctionPlan[];
  /** Domains known at plan time (URL/CNAME filled in after apply). */
  domains: Array<{ name: string; url: string; cname: string }>;
  warnings: string[];
}

export function pendingItems(plan: Plan, opts: { prune: boolean }): PlanItem[] {
  return plan.items.filter((i) => i.action !== 'unchanged' && (!i.prune || opts.prune));
}
