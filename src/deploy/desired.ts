// What the manifest asks for, as FC/RAM/SLS/OSS request bodies: the left side of every diff.
import type { FunctionSpec, Manifest } from '../manifest/types';
import { isCustomRuntime, FUNCTION_DEFAULTS } from '../manifest/defaults';
import { roleArn, roleNameFromArn } from '../cloud/ram';
import type { DesiredFunction, DesiredService, DesiredTrigger } from './diff';
import { AUTO_LOGSTORE, autoCodeBucket, autoLogProject, autoRoleName, functionDescription, serviceDescription } from './names';

export interface DesiredRole {
  /** auto: fcx creates and owns it; existing: the user named one (never created or changed by fcx). */
  kind: 'auto' | 'existing';
  name: string;
  arn: string;
  policies: string[];
}

export interface DesiredLogs {
  auto: boolean;
  project: string;
  logstore: string;
}

/** Policies the auto role needs: writing function logs. */
export const LOG_POLICY = 'AliyunLogFullAccess';

export function desiredLogs(m: Manifest, accountId: string): DesiredLogs | undefined {
  const l = m.service.logs;
  if (l.kind === 'none') return undefined;
  if (l.kind === 'explicit') return { auto: false, project: l.project, logstore: l.logstore };
  return { auto: true, project: autoLogProject(m.name, accountId), logstore: AUTO_LOGSTORE };
}

export function desiredRole(m: Manifest, accountId: string, logs: DesiredLogs | undefined): DesiredRole | undefined {
  const r = m.service.role;
  if (r.kind === 'none') return undefined;
  if (r.kind === 'arn') return { kind: 'existing', name: roleNameFromArn(r.arn), arn: r.arn, policies: [] };
  if (r.kind === 'name') return { kind: 'existing', name: r.name, arn: roleArn(accountId, r.name), policies: [] };
  // auto: only when something needs it. Function logs do (FC writes them with the service role); code from OSS
  // does not (FC reads it with the deployer's own credentials at CreateFunction time).
  if (!logs) return undefined;
  const name = autoRoleName(m.name);
  return { kind: 'auto', name, arn: roleArn(accountId, name), policies: [LOG_POLICY] };
}

/** `adoptedDescription`: the service exists and fcx did not create it (deploy --force): no marker is added; its
 * description stays as it is unless fcx.yaml sets one. */
export function desiredService(m: Manifest, role: DesiredRole | undefined, logs: DesiredLogs | undefined, adoptedDescription?: string): DesiredService {
  return {
    description: adoptedDescription === undefined ? serviceDescription(m) : m.service.description?.trim() || adoptedDescription,
    role: role?.arn ?? '',
    internetAccess: m.service.internetAccess,
    logConfig: logs
      ? // Request metrics add one row per request with requestId as a field: what `fcx logs --request-id` needs.
        { project: logs.project, logstore: logs.logstore, enableRequestMetrics: true, enableInstanceMetrics: false, logBeginRule: 'DefaultRegex' }
      : { project: '', logstore: '', enableRequestMetrics: false, enableInstanceMetrics: false, logBeginRule: 'None' },
  };
}

/** `managed`: the function is (or will be) fcx's own — created by fcx, so its description carries the marker. */
export function desiredFunction(f: FunctionSpec, managed = true): DesiredFunction {
  const d: DesiredFunction = {
    functionName: f.name,
    description: functionDescription(f.description, managed),
    runtime: f.runtime,
    handler: f.handler,
    memorySize: f.memory,
    timeout: f.timeout,
    instanceConcurrency: f.concurrency,
    // FC keeps fields a request leaves out: an empty string is what clears a removed initializer.
    initializer: f.initializer ?? '',
    environmentVariables: { ...f.env },
  };
  if (f.initializer) d.initializationTimeout = f.initializationTimeout ?? FUNCTION_DEFAULTS.initializationTimeout;
  if (isCustomRuntime(f.runtime)) d.caPort = f.port ?? FUNCTION_DEFAULTS.port;
  return d;
}

export function desiredTrigger(f: FunctionSpec): DesiredTrigger | undefined {
  if (!f.http) return undefined;
  return { authType: f.http.auth, methods: [...f.http.methods] };
}

export function codeBucketName(m: Manifest, accountId: string, region: string): { name: string; auto: boolean } {
  return m.codeBucket.kind === 'named' ? { name: m.codeBucket.name, auto: false } : { name: autoCodeBucket(accountId, region), auto: true };
}

/** Inline code goes base64 in the JSON body; FC takes up to 100 MB, fcx stays at half that for margin. */
export const DEFAULT_INLINE_LIMIT = 50 * 1024 * 1024;

export function inlineLimit(env: NodeJS.ProcessEnv): number {
  const v = Number(env.FCX_INLINE_CODE_LIMIT);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_INLINE_LIMIT;
}

export function base64Size(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

export function fitsInline(zipBytes: number, env: NodeJS.ProcessEnv): boolean {
  return base64Size(zipBytes) <= inlineLimit(env);
}
