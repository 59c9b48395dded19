// Desired versus actual, field by field, in words a person reads in a plan. Pure functions: unit-tested.
// Env values are never printed (they may be secrets): only their names.
type Obj = Record<string, any>;

const show = (v: unknown): string => (v === undefined || v === null || v === '' ? '(none)' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function field(out: string[], label: string, want: unknown, have: unknown): void {
  const norm = (v: unknown) => (v === undefined || v === null ? '' : v);
  if (norm(want) !== norm(have)) out.push(`${label} ${show(have)} → ${show(want)}`);
}

export interface DesiredService {
  description: string;
  role: string; // ARN or ''
  internetAccess: boolean;
  logConfig: { project: string; logstore: string; enableRequestMetrics: boolean; enableInstanceMetrics: boolean; logBeginRule: string };
}

export function diffService(want: DesiredService, have: Obj): string[] {
  const out: string[] = [];
  field(out, 'description', want.description, have.description);
  if ((want.role || '').toLowerCase() !== String(have.role || '').toLowerCase()) out.push(`role ${show(have.role)} → ${show(want.role)}`);
  if (have.internetAccess !== undefined && Boolean(have.internetAccess) !== want.internetAccess) out.push(`internetAccess ${have.internetAccess} → ${want.internetAccess}`);
  const lc: Obj = have.logConfig ?? {};
  field(out, 'logs.project', want.logConfig.project, lc.project);
  field(out, 'logs.logstore', want.logConfig.logstore, lc.logstore);
  if (want.logConfig.project) {
    // Remotes that do not report these fields are taken as matching, so a no-op redeploy stays a no-op.
    if (lc.enableRequestMetrics !== undefined && Boolean(lc.enableRequestMetrics) !== want.logConfig.enableRequestMetrics)
      out.push(`logs.requestMetrics ${Boolean(lc.enableRequestMetrics)} → ${want.logConfig.enableRequestMetrics}`);
    if (lc.logBeginRule !== undefined && lc.logBeginRule !== null && lc.logBeginRule !== want.logConfig.logBeginRule)
      out.push(`logs.logBeginRule ${show(lc.logBeginRule)} → ${want.logConfig.logBeginRule}`);
  }
  return out;
}

export interface DesiredFunction {
  functionName: string;
  description: string;
  runtime: string;
  handler: string;
  memorySize: number;
  timeout: number;
  instanceConcurrency: number;
  initializer: string; // '' clears it
  initializationTimeout?: number;
  environmentVariables: Record<string, string>;
  caPort?: number;
}

export function diffEnv(want: Record<string, string>, have: Obj | undefined): string[] {
  const out: string[] = [];
  const h: Obj = have ?? {};
  for (const k of Object.keys(want).sort()) {
    if (!(k in h)) out.push(`env.${k} added`);
    else if (String(h[k]) !== want[k]) out.push(`env.${k} changed`);
  }
  for (const k of Object.keys(h).sort()) if (!(k in want)) out.push(`env.${k} removed`);
  return out;
}

export function diffFunction(want: DesiredFunction, have: Obj, localChecksum: string): string[] {
  const out: string[] = [];
  field(out, 'runtime', want.runtime, have.runtime);
  field(out, 'handler', want.handler, have.handler);
  field(out, 'memory', want.memorySize, have.memorySize);
  field(out, 'timeout', want.timeout, have.timeout);
  const conc = have.instanceConcurrency ?? have.InstanceConcurrency;
  if (conc !== undefined && conc !== null) field(out, 'concurrency', want.instanceConcurrency, conc);
  else if (want.instanceConcurrency !== 1) out.push(`concurrency (default) → ${want.instanceConcurrency}`);
  field(out, 'initializer', want.initializer, have.initializer);
  if (want.initializer && want.initializationTimeout !== undefined) field(out, 'initializationTimeout', want.initializationTimeout, have.initializationTimeout);
  if (want.caPort !== undefined) field(out, 'port', want.caPort, have.caPort);
  if (have.description !== undefined && have.description !== null) field(out, 'description', want.description, have.description);
  out.push(...diffEnv(want.environmentVariables, have.environmentVariables));
  const remoteSum = have.codeChecksum === undefined || have.codeChecksum === null ? '' : String(have.codeChecksum);
  if (remoteSum !== localChecksum) out.push(`code changed (checksum ${remoteSum || '(none)'} → ${localChecksum})`);
  return out;
}

export interface DesiredTrigger {
  authType: 'anonymous' | 'function';
  methods: string[];
}

export function triggerConfigOf(have: Obj): Obj {
  const c = have?.triggerConfig;
  if (typeof c === 'string') {
    try {
      return JSON.parse(c);
    } catch {
      return {};
    }
  }
  return c ?? {};
}

export function diffTrigger(want: DesiredTrigger, have: Obj): string[] {
  const out: string[] = [];
  const cfg = triggerConfigOf(have);
  if (String(cfg.authType ?? '').toLowerCase() !== want.authType) out.push(`auth ${show(cfg.authType)} → ${want.authType}`);
  const a = [...want.methods].map((m) => m.toUpperCase()).sort().join(',');
  const b = [...((cfg.methods as string[]) ?? [])].map((m) => String(m).toUpperCase()).sort().join(',');
  if (a !== b) out.push(`methods ${b || '(none)'} → ${a}`);
  if (have.triggerType && have.triggerType !== 'http') out.push(`type ${have.triggerType} → http`);
  return out;
}
