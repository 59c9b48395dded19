// FC control plane for services, functions and triggers (wire-protocol §2.2–2.5).
import { randomUUID } from 'node:crypto';
import { crc64 } from '../../core/crc64';
import type { EmulatorConfig, EmuRequest, EmuResponse, Store } from '../types';
import type { RuntimeManager } from '../runtimes/manager';
import { getRole } from './ram';
import {
  COLL,
  CUSTOM_RUNTIMES,
  FUNCTION_SCHEMA,
  HTTP_METHODS,
  HTTP_TRIGGER_CONFIG_SCHEMA,
  RUNTIMES,
  SERVICE_SCHEMA,
  TRIGGER_SCHEMA,
  TRIGGER_TYPES,
  codeBlobId,
  functionKey,
  triggerKey,
  type FunctionRecord,
  type ServiceRecord,
  type TriggerRecord,
} from './fc-model';
import { FcApiError, canonicalKeys, checkIfMatch, checkName, etagOf, invalid, isoNow, jsonResponse, noContent, notFound, pageBody, paginate, parseBody } from './fc-util';

export interface FcDeps {
  store: Store;
  config: EmulatorConfig;
  runtime(): RuntimeManager;
  /** http://127.0.0.1:PORT: where the emulator is reachable (trigger URLs, code downloads). */
  baseUrl(): string;
  /** An object of the emulator's OSS, or undefined when the bucket or key does not exist. */
  readOssObject(bucket: string, key: string): Buffer | undefined;
}

/** Base64 zip sent inline: FC's limit is 100 MB of encoded code [doc fc-2-0 limits]. */
const MAX_INLINE_CODE_BASE64 = 100 * 1024 * 1024;
const MAX_OSS_CODE = 500 * 1024 * 1024;

/** Collections of the SLS service (services/sls.ts): projects by name, logstores by `<project>/<logstore>`. */
const SLS_PROJECTS = 'sls-projects';
const SLS_LOGSTORES = 'sls-logstores';

// ---------------------------------------------------------------------------------------------- lookups

export function getService(store: Store, name: string): ServiceRecord {
  const s = store.get<ServiceRecord>(COLL.services, name);
  if (!s) throw notFound.service(name);
  return s;
}

export function getFunction(store: Store, svc: string, fn: string): FunctionRecord {
  getService(store, svc);
  const f = store.get<FunctionRecord>(COLL.functions, functionKey(svc, fn));
  if (!f) throw notFound.function(svc, fn);
  return f;
}

export function getTrigger(store: Store, svc: string, fn: string, name: string): TriggerRecord {
  getFunction(store, svc, fn);
  const t = store.get<TriggerRecord>(COLL.triggers, triggerKey(svc, fn, name));
  if (!t) throw notFound.trigger(svc, fn, name);
  return t;
}

/** The HTTP trigger of a function (FC allows one per function). */
export function httpTriggerOf(store: Store, svc: string, fn: string): TriggerRecord | undefined {
  return store.list<TriggerRecord>(COLL.triggers, `${svc}/${fn}/`).find(([, t]) => t.triggerType === 'http')?.[1];
}

async function retireQuietly(deps: FcDeps, svc: string, fn: string): Promise<void> {
  try {
    await deps.runtime().retire(svc, fn);
  } catch {
    /* an instance that fails to stop must not fail the API call */
  }
}

// ---------------------------------------------------------------------------------------------- services

function str(v: unknown, field: string, fallback = ''): string {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') throw invalid(`${field} must be a string`);
  return v;
}

function bool(v: unknown, field: string, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw invalid(`${field} must be a boolean`);
  return v;
}

/**
 * FC refuses a role or log config it cannot use. The exact codes and wording are unverified: InvalidArgument with a
 * message naming the role / project / logstore (fcx's deploy retries these while a new resource becomes visible).
 */
function checkReferences(rec: ServiceRecord, store: Store, config: EmulatorConfig, body: Record<string, unknown>): void {
  if ('role' in body && rec.role) {
    const m = /^acs:ram::(\d+):role\/(.+)$/i.exec(rec.role)!;
    if (m[1] === config.accountId && !getRole(store, m[1], m[2])) throw invalid(`the role '${rec.role}' does not exist, so FC cannot assume it`);
  }
  if ('logConfig' in body && rec.logConfig.project) {
    const { project, logstore } = rec.logConfig;
    if (!store.get(SLS_PROJECTS, project)) throw invalid(`log project '${project}' does not exist in region ${config.region}`);
    if (!store.get(SLS_LOGSTORES, `${project}/${logstore}`)) throw invalid(`logstore '${logstore}' does not exist in log project '${project}'`);
  }
}

function applyServiceFields(rec: ServiceRecord, body: Record<string, unknown>): void {
  if ('description' in body) rec.description = str(body.description, 'description');
  if (rec.description.length > 256) throw invalid('description must be at most 256 characters');
  if ('role' in body) {
    const role = str(body.role, 'role');
    if (role && !/^acs:ram::\d+:role\/[a-zA-Z0-9.@_-]+$/i.test(role)) throw invalid(`role '${role}' is not a RAM role ARN (acs:ram::<accountId>:role/<roleName>)`);
    rec.role = role;
  }
  if ('internetAccess' in body) rec.internetAccess = bool(body.internetAccess, 'internetAccess', true);
  if ('logConfig' in body && body.logConfig) {
    const lc = body.logConfig as Record<string, unknown>;
    const project = str(lc.project, 'logConfig.project');
    const logstore = str(lc.logstore, 'logConfig.logstore');
    if (Boolean(project) !== Boolean(logstore)) throw invalid('logConfig.project and logConfig.logstore must be set together');
    const out: ServiceRecord['logConfig'] = { project, logstore, enableRequestMetrics: bool(lc.enableRequestMetrics, 'logConfig.enableRequestMetrics', false), enableInstanceMetrics: bool(lc.enableInstanceMetrics, 'logConfig.enableInstanceMetrics', false) };
    const rule = str(lc.logBeginRule, 'logConfig.logBeginRule', 'None');
    if (rule !== 'None' && rule !== 'DefaultRegex') throw invalid(`logConfig.logBeginRule '${rule}' must be None or DefaultRegex`);
    out.logBeginRule = rule;
    rec.logConfig = out;
  }
  if ('vpcConfig' in body && body.vpcConfig) {
    const v = body.vpcConfig as Record<string, unknown>;
    rec.vpcConfig = { vpcId: str(v.vpcId, 'vpcConfig.vpcId'), vSwitchIds: Array.isArray(v.vSwitchIds) ? v.vSwitchIds.map(String) : [], securityGroupId: str(v.securityGroupId, 'vpcConfig.securityGroupId'), ...(v.role ? { role: String(v.role) } : {}) };
  }
  if ('nasConfig' in body && body.nasConfig) {
    const n = body.nasConfig as Record<string, unknown>;
    rec.nasConfig = { userId: Number(n.userId ?? -1), groupId: Number(n.groupId ?? -1), mountPoints: Array.isArray(n.mountPoints) ? (n.mountPoints as ServiceRecord['nasConfig']['mountPoints']) : [] };
  }
  if ('tracingConfig' in body && body.tracingConfig) {
    const t = body.tracingConfig as Record<string, unknown>;
    rec.tracingConfig = { type: (t.type as string) ?? null, params: t.params ?? null };
  }
}

export function createService(req: EmuRequest, deps: FcDeps): EmuResponse {
  const body = canonicalKeys(parseBody(req), SERVICE_SCHEMA);
  const name = checkName('serviceName', body.serviceName, 128);
  if (deps.store.get(COLL.services, name)) throw new FcApiError(409, 'ServiceAlreadyExists', `service '${name}' already exists`);
  const now = isoNow();
  const rec: ServiceRecord = {
    serviceName: name,
    serviceId: randomUUID(),
    description: '',
    role: '',
    internetAccess: true,
    logConfig: { project: '', logstore: '', enableRequestMetrics: false, enableInstanceMetrics: false, logBeginRule: 'None' },
    vpcConfig: { vpcId: '', vSwitchIds: [], securityGroupId: '' },
    nasConfig: { userId: -1, groupId: -1, mountPoints: [] },
    tracingConfig: { type: null, params: null },
    createdTime: now,
    lastModifiedTime: now,
  };
  applyServiceFields(rec, body);
  checkReferences(rec, deps.store, deps.config, body);
  deps.store.put(COLL.services, name, rec);
  return jsonResponse(req, 200, rec, 'CreateService', etagOf(rec));
}

export function readService(req: EmuRequest, deps: FcDeps, name: string): EmuResponse {
  const rec = getService(deps.store, name);
  return jsonResponse(req, 200, rec, 'GetService', etagOf(rec));
}

export async function updateService(req: EmuRequest, deps: FcDeps, name: string): Promise<EmuResponse> {
  const rec = getService(deps.store, name);
  checkIfMatch(req, etagOf(rec));
  const body = canonicalKeys(parseBody(req), SERVICE_SCHEMA);
  applyServiceFields(rec, body);
  checkReferences(rec, deps.store, deps.config, body);
  rec.lastModifiedTime = isoNow();
  deps.store.put(COLL.services, name, rec);
  // Environment of running instances depends on the service (log config, role credentials): restart them.
  for (const [, fn] of deps.store.list<FunctionRecord>(COLL.functions, `${name}/`)) await retireQuietly(deps, name, fn.functionName);
  return jsonResponse(req, 200, rec, 'UpdateService', etagOf(rec));
}

export function deleteService(req: EmuRequest, deps: FcDeps, name: string): EmuResponse {
  const rec = getService(deps.store, name);
  checkIfMatch(req, etagOf(rec));
  // The status of ServiceNotEmpty is unverified (409 chosen).
  if (deps.store.list(COLL.functions, `${name}/`).length) throw new FcApiError(409, 'ServiceNotEmpty', `service '${name}' is not empty: delete its functions first`);
  deps.store.delete(COLL.services, name);
  return noContent(req, 'DeleteService');
}

export function listServices(req: EmuRequest, deps: FcDeps): EmuResponse {
  const page = paginate(req, deps.store.list<ServiceRecord>(COLL.services));
  return jsonResponse(req, 200, pageBody('services', page), 'ListServices');
}

// ---------------------------------------------------------------------------------------------- functions

function int(v: unknown, field: string, min: number, max: number): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw invalid(`${field} must be an integer between ${min} and ${max}, got ${JSON.stringify(v)}`);
  return n;
}

interface NewCode {
  zip: Buffer;
  checksum: string;
}

function readCode(code: unknown, deps: FcDeps): NewCode {
  if (!code || typeof code !== 'object') throw invalid('code must be an object with zipFile, or ossBucketName and ossObjectName');
  const c = code as Record<string, unknown>;
  let zip: Buffer;
  if (typeof c.zipFile === 'string' && c.zipFile) {
    if (c.ossBucketName || c.ossObjectName) throw invalid('code must have either zipFile or ossBucketName/ossObjectName, not both');
    // The inline limit applies to the encoded request (the exact code FC returns here is unverified).
    if (c.zipFile.length > MAX_INLINE_CODE_BASE64) throw new FcApiError(400, 'CodeTooLarge', `the base64-encoded code is ${c.zipFile.length} bytes, more than the ${MAX_INLINE_CODE_BASE64} bytes allowed inline; upload it to OSS and pass ossBucketName/ossObjectName`);
    // Not base64 decodes to bytes that fail the zip check below (a regex over 100 MB would cost more than decoding).
    zip = Buffer.from(c.zipFile, 'base64');
  } else if (c.ossBucketName || c.ossObjectName) {
    const bucket = str(c.ossBucketName, 'code.ossBucketName');
    const key = str(c.ossObjectName, 'code.ossObjectName');
    if (!bucket || !key) throw invalid('code.ossBucketName and code.ossObjectName must both be set');
    const obj = deps.readOssObject(bucket, key);
    // FC's wording for a missing code object is unverified.
    if (!obj) throw invalid(`failed to fetch the code from OSS: object '${key}' does not exist in bucket '${bucket}' (region ${deps.config.region})`);
    if (obj.length > MAX_OSS_CODE) throw new FcApiError(400, 'CodeTooLarge', `the code object is ${obj.length} bytes, more than the ${MAX_OSS_CODE} bytes allowed`);
    zip = obj;
  } else {
    throw invalid('code must have zipFile, or ossBucketName and ossObjectName');
  }
  // A zip starts with a local file header (PK\3\4) or, when empty, the end-of-central-directory record (PK\5\6).
  if (zip.length < 22 || zip[0] !== 0x50 || zip[1] !== 0x4b || !((zip[2] === 3 && zip[3] === 4) || (zip[2] === 5 && zip[3] === 6))) {
    throw invalid('the code is not a valid zip file');
  }
  return { zip, checksum: crc64(zip) };
}

function applyFunctionFields(rec: FunctionRecord, body: Record<string, unknown>): void {
  if ('description' in body) rec.description = str(body.description, 'description');
  if ('runtime' in body) {
    const rt = str(body.runtime, 'runtime');
    if (!RUNTIMES.has(rt)) throw invalid(`runtime '${rt}' is not supported; supported runtimes: ${[...RUNTIMES].join(', ')}`);
    rec.runtime = rt;
  }
  if ('handler' in body) rec.handler = str(body.handler, 'handler');
  if (rec.handler.length > 128) throw invalid('handler must be at most 128 characters');
  if (body.timeout !== undefined && body.timeout !== null) rec.timeout = int(body.timeout, 'timeout', 1, 86400);
  if (body.memorySize !== undefined && body.memorySize !== null) {
    const m = int(body.memorySize, 'memorySize', 128, 32768);
    if (m % 64) throw invalid(`memorySize must be a multiple of 64 MB, got ${m}`);
    rec.memorySize = m;
  }
  if ('initializer' in body) rec.initializer = str(body.initializer, 'initializer');
  if (body.initializationTimeout !== undefined && body.initializationTimeout !== null) rec.initializationTimeout = int(body.initializationTimeout, 'initializationTimeout', 1, 300);
  if (body.instanceConcurrency !== undefined && body.instanceConcurrency !== null) rec.instanceConcurrency = int(body.instanceConcurrency, 'instanceConcurrency', 1, 200);
  if ('environmentVariables' in body) {
    const env = body.environmentVariables ?? {};
    if (typeof env !== 'object' || Array.isArray(env)) throw invalid('environmentVariables must be an object of strings');
    for (const [k, v] of Object.entries(env)) {
      if (typeof v !== 'string') throw invalid(`environmentVariables.${k} must be a string, got ${JSON.stringify(v)}`);
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)) throw invalid(`environment variable name '${k}' is invalid`);
    }
    rec.environmentVariables = env as Record<string, string>;
  }
  if (body.caPort !== undefined && body.caPort !== null) rec.caPort = int(body.caPort, 'caPort', 1, 65535);
  if ('customRuntimeConfig' in body) {
    const c = (body.customRuntimeConfig ?? {}) as Record<string, unknown>;
    const list = (v: unknown, f: string) => {
      if (v === undefined || v === null) return undefined;
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalid(`customRuntimeConfig.${f} must be a list of strings`);
      return v as string[];
    };
    rec.customRuntimeConfig = { command: list(c.command, 'command'), args: list(c.args, 'args') };
  }
  if ('customContainerConfig' in body) rec.customContainerConfig = (body.customContainerConfig as Record<string, unknown>) ?? undefined;
  if ('instanceType' in body && body.instanceType) rec.instanceType = str(body.instanceType, 'instanceType');
  if ('layers' in body) rec.layers = Array.isArray(body.layers) ? body.layers.map(String) : [];
  if (CUSTOM_RUNTIMES.has(rec.runtime) && rec.caPort === undefined) rec.caPort = 9000;
}

function storeCode(deps: FcDeps, rec: FunctionRecord, code: NewCode): void {
  const id = codeBlobId(code.checksum);
  if (!deps.store.hasBlob(id)) deps.store.writeBlob(id, code.zip);
  rec.codeChecksum = code.checksum;
  rec.codeSize = code.zip.length;
}

/** Drops a code blob no function uses any more. */
function collectCode(deps: FcDeps, checksum: string): void {
  if (!checksum) return;
  for (const [, f] of deps.store.list<FunctionRecord>(COLL.functions)) if (f.codeChecksum === checksum) return;
  deps.store.deleteBlob(codeBlobId(checksum));
}

export function createFunction(req: EmuRequest, deps: FcDeps, svc: string): EmuResponse {
  getService(deps.store, svc);
  const body = canonicalKeys(parseBody(req), FUNCTION_SCHEMA);
  const name = checkName('functionName', body.functionName, 64);
  if (deps.store.get(COLL.functions, functionKey(svc, name))) throw new FcApiError(409, 'FunctionAlreadyExists', `function '${name}' already exists in service '${svc}'`);
  if (!body.runtime) throw invalid('runtime is required');
  const custom = CUSTOM_RUNTIMES.has(String(body.runtime));
  // FC requires a handler; custom runtimes ignore its value, so the emulator fills one in (lenient, unverified).
  if (!body.handler && !custom) throw invalid('handler is required');
  const now = isoNow();
  const rec: FunctionRecord = {
    functionName: name,
    functionId: randomUUID(),
    description: '',
    runtime: '',
    handler: custom ? 'index.handler' : '',
    // Default timeout: 3 s per the docs (the Python SDK sends 60 itself).
    timeout: 3,
    memorySize: 128,
    initializer: '',
    initializationTimeout: 3,
    instanceConcurrency: 1,
    environmentVariables: {},
    instanceType: 'e1',
    layers: [],
    codeChecksum: '',
    codeSize: 0,
    createdTime: now,
    lastModifiedTime: now,
  };
  applyFunctionFields(rec, body);
  if (rec.runtime !== 'custom-container') {
    if (!body.code) throw invalid('code is required: pass code.zipFile (base64) or code.ossBucketName and code.ossObjectName');
    storeCode(deps, rec, readCode(body.code, deps));
  }
  deps.store.put(COLL.functions, functionKey(svc, name), rec);
  return jsonResponse(req, 200, rec, 'CreateFunction', etagOf(rec));
}

export function readFunction(req: EmuRequest, deps: FcDeps, svc: string, fn: string): EmuResponse {
  const rec = getFunction(deps.store, svc, fn);
  return jsonResponse(req, 200, rec, 'GetFunction', etagOf(rec));
}

export async function updateFunction(req: EmuRequest, deps: FcDeps, svc: string, fn: string): Promise<EmuResponse> {
  const rec = getFunction(deps.store, svc, fn);
  checkIfMatch(req, etagOf(rec));
  const body = canonicalKeys(parseBody(req), FUNCTION_SCHEMA);
  if (body.functionName !== undefined && body.functionName !== fn) throw invalid('functionName cannot be changed');
  const oldChecksum = rec.codeChecksum;
  applyFunctionFields(rec, body);
  if (body.code) storeCode(deps, rec, readCode(body.code, deps));
  rec.lastModifiedTime = isoNow();
  deps.store.put(COLL.functions, functionKey(svc, fn), rec);
  if (oldChecksum !== rec.codeChecksum) collectCode(deps, oldChecksum);
  await retireQuietly(deps, svc, fn);
  return jsonResponse(req, 200, rec, 'UpdateFunction', etagOf(rec));
}

export async function deleteFunction(req: EmuRequest, deps: FcDeps, svc: string, fn: string): Promise<EmuResponse> {
  const rec = getFunction(deps.store, svc, fn);
  checkIfMatch(req, etagOf(rec));
  // The status of FunctionNotEmpty is unverified (409 chosen).
  if (deps.store.list(COLL.triggers, `${svc}/${fn}/`).length) throw new FcApiError(409, 'FunctionNotEmpty', `function '${fn}' has active triggers`);
  deps.store.delete(COLL.functions, functionKey(svc, fn));
  collectCode(deps, rec.codeChecksum);
  await retireQuietly(deps, svc, fn);
  return noContent(req, 'DeleteFunction');
}

export function listFunctions(req: EmuRequest, deps: FcDeps, svc: string): EmuResponse {
  getService(deps.store, svc);
  const entries = deps.store.list<FunctionRecord>(COLL.functions, `${svc}/`).map(([, f]) => [f.functionName, f] as [string, FunctionRecord]);
  return jsonResponse(req, 200, pageBody('functions', paginate(req, entries)), 'ListFunctions');
}

export function functionCodeUrl(deps: FcDeps, svc: string, fn: string, checksum: string): string {
  return `${deps.baseUrl()}/_emulator/code/${encodeURIComponent(svc)}/${encodeURIComponent(fn)}?checksum=${checksum}`;
}

export function readFunctionCode(req: EmuRequest, deps: FcDeps, svc: string, fn: string): EmuResponse {
  const rec = getFunction(deps.store, svc, fn);
  if (!rec.codeChecksum) throw new FcApiError(404, 'CodeNotFound', `function '${fn}' in service '${svc}' has no code package`);
  return jsonResponse(req, 200, { url: functionCodeUrl(deps, svc, fn, rec.codeChecksum), checksum: rec.codeChecksum }, 'GetFunctionCode');
}

// ---------------------------------------------------------------------------------------------- triggers

function triggerConfigOf(type: string, raw: unknown): Record<string, unknown> {
  let cfg = raw;
  // 2016-08-15 sends an object; the 2021-04-06 models send a JSON string. Both are accepted; an object is returned.
  if (typeof cfg === 'string') {
    try {
      cfg = JSON.parse(cfg);
    } catch {
      throw invalid('triggerConfig is not valid JSON');
    }
  }
  if (!cfg || typeof cfg !== 'object' || Array.isArray(cfg)) throw invalid('triggerConfig must be an object');
  if (type !== 'http') return cfg as Record<string, unknown>;
  const c = canonicalKeys(cfg, HTTP_TRIGGER_CONFIG_SCHEMA);
  const authType = c.authType === undefined || c.authType === null ? 'function' : String(c.authType).toLowerCase();
  if (authType !== 'anonymous' && authType !== 'function') throw invalid(`triggerConfig.authType '${c.authType}' must be anonymous or function`);
  if (!Array.isArray(c.methods) || c.methods.length === 0) throw invalid('triggerConfig.methods must list at least one HTTP method');
  const methods = c.methods.map((m) => String(m).toUpperCase());
  for (const m of methods) if (!HTTP_METHODS.includes(m)) throw invalid(`triggerConfig.methods: '${m}' is not one of ${HTTP_METHODS.join(', ')}`);
  const out: Record<string, unknown> = { authType, methods: [...new Set(methods)] };
  if (c.disableURLInternet !== undefined) out.disableURLInternet = Boolean(c.disableURLInternet);
  return out;
}

export function triggerView(deps: FcDeps, svc: string, fn: string, t: TriggerRecord): Record<string, unknown> {
  if (t.triggerType !== 'http') return { ...t };
  const url = `${deps.baseUrl()}/2016-08-15/proxy/${encodeURIComponent(svc)}/${encodeURIComponent(fn)}/`;
  return { ...t, urlInternet: url, urlIntranet: url };
}

export function createTrigger(req: EmuRequest, deps: FcDeps, svc: string, fn: string): EmuResponse {
  getFunction(deps.store, svc, fn);
  const body = canonicalKeys(parseBody(req), TRIGGER_SCHEMA);
  const name = checkName('triggerName', body.triggerName, 128);
  if (deps.store.get(COLL.triggers, triggerKey(svc, fn, name))) throw new FcApiError(409, 'TriggerAlreadyExists', `trigger '${name}' already exists in service '${svc}' and function '${fn}'`);
  const type = str(body.triggerType, 'triggerType');
  if (!type) throw invalid('triggerType is required');
  if (!TRIGGER_TYPES.has(type)) throw invalid(`triggerType '${type}' is not supported`);
  if (body.triggerConfig === undefined || body.triggerConfig === null) throw invalid('triggerConfig is required');
  const existingHttp = type === 'http' ? httpTriggerOf(deps.store, svc, fn) : undefined;
  // "A function can have only one HTTP trigger" is documented; the code returned is unverified.
  if (existingHttp) throw invalid(`function '${fn}' already has the HTTP trigger '${existingHttp.triggerName}': a function can have only one HTTP trigger`);
  const qualifier = str(body.qualifier, 'qualifier', 'LATEST') || 'LATEST';
  if (qualifier !== 'LATEST') throw invalid(`qualifier '${qualifier}' does not exist: the emulator has no versions or aliases, use LATEST`);
  const now = isoNow();
  const rec: TriggerRecord = {
    triggerName: name,
    triggerId: randomUUID(),
    triggerType: type,
    triggerConfig: triggerConfigOf(type, body.triggerConfig),
    qualifier,
    description: str(body.description, 'description'),
    sourceArn: str(body.sourceArn, 'sourceArn'),
    invocationRole: str(body.invocationRole, 'invocationRole'),
    createdTime: now,
    lastModifiedTime: now,
  };
  deps.store.put(COLL.triggers, triggerKey(svc, fn, name), rec);
  return jsonResponse(req, 200, triggerView(deps, svc, fn, rec), 'CreateTrigger', etagOf(rec));
}

export function readTrigger(req: EmuRequest, deps: FcDeps, svc: string, fn: string, name: string): EmuResponse {
  const rec = getTrigger(deps.store, svc, fn, name);
  return jsonResponse(req, 200, triggerView(deps, svc, fn, rec), 'GetTrigger', etagOf(rec));
}

export function updateTrigger(req: EmuRequest, deps: FcDeps, svc: string, fn: string, name: string): EmuResponse {
  const rec = getTrigger(deps.store, svc, fn, name);
  checkIfMatch(req, etagOf(rec));
  const body = canonicalKeys(parseBody(req), TRIGGER_SCHEMA);
  if (body.triggerConfig !== undefined && body.triggerConfig !== null) rec.triggerConfig = triggerConfigOf(rec.triggerType, body.triggerConfig);
  if ('description' in body) rec.description = str(body.description, 'description');
  if ('invocationRole' in body) rec.invocationRole = str(body.invocationRole, 'invocationRole');
  if (body.qualifier !== undefined && body.qualifier !== null && body.qualifier !== '' && body.qualifier !== 'LATEST') throw invalid(`qualifier '${body.qualifier}' does not exist: use LATEST`);
  rec.lastModifiedTime = isoNow();
  deps.store.put(COLL.triggers, triggerKey(svc, fn, name), rec);
  return jsonResponse(req, 200, triggerView(deps, svc, fn, rec), 'UpdateTrigger', etagOf(rec));
}

export function deleteTrigger(req: EmuRequest, deps: FcDeps, svc: string, fn: string, name: string): EmuResponse {
  const rec = getTrigger(deps.store, svc, fn, name);
  checkIfMatch(req, etagOf(rec));
  deps.store.delete(COLL.triggers, triggerKey(svc, fn, name));
  return noContent(req, 'DeleteTrigger');
}

export function listTriggers(req: EmuRequest, deps: FcDeps, svc: string, fn: string): EmuResponse {
  getFunction(deps.store, svc, fn);
  const entries = deps.store.list<TriggerRecord>(COLL.triggers, `${svc}/${fn}/`).map(([, t]) => [t.triggerName, triggerView(deps, svc, fn, t)] as [string, Record<string, unknown>]);
  return jsonResponse(req, 200, pageBody('triggers', paginate(req, entries)), 'ListTriggers');
}
