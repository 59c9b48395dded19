// SLS (Log Service API 0.6.0) of the emulator, as @alicloud/log@1.2.6 reaches it (wire-protocol §0, §5; sdk-notes §5).
//
// Public API:
//   createSlsService({store, config}) → { handle(req, identity), logSink, markNextGetLogsIncomplete(times) }
//   projectFromRequest(req) → project name from the Host, or undefined for account-level calls (CreateProject, ListProject)
//   markNextGetLogsIncomplete(times)  (module level: applies to every SLS service in this process)
//
// Fault injection for "incomplete" results (agreed with the core): when a fault {service:'sls', action:'GetLogs',
// errorCode:'Incomplete'} matches a request, the core does NOT answer it itself; it calls
// `sls.markNextGetLogsIncomplete(1)` on the service object (consuming one of the fault's `times`) and passes the
// request on to `sls.handle`. The next GetLogs then answers 200 with `x-log-progress: Incomplete` (same rows).
//
// State: collection "sls-projects" key <project>; "sls-logstores" key <project>/<logstore> (with its index config
// and the id of its log file). Log rows live in an append-only file per logstore (sls-storage.ts) kept in the
// Store's blob folder, so POST /_emulator/reset removes them too; a re-created logstore gets a new file.
import { randomUUID } from 'node:crypto';
import type { EmulatorConfig, EmuRequest, EmuResponse, FunctionLogMeta, Identity, LogSink, Store } from '../types';
import { decodePutLogsBody, PutLogsError } from './sls-putlogs';
import { parseQuery, QueryError, validateQuery, type IndexConfig, type LogRow } from './sls-query';
import { LogStorage } from './sls-storage';

export interface ProjectRecord {
  projectName: string;
  description: string;
  owner: string; // account id
  region: string;
  createTime: string;
  lastModifyTime: string;
}

export interface LogstoreRecord {
  project: string;
  logstoreName: string;
  ttl: number;
  shardCount: number;
  autoSplit: boolean;
  maxSplitShard: number;
  appendMeta: boolean;
  createTime: number; // unix seconds
  lastModifyTime: number;
  storageId: string;
  index?: IndexConfig;
  indexLastModifyTime?: number;
}

const PROJECTS = 'sls-projects';
const LOGSTORES = 'sls-logstores';
const PROJECT_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const LOGSTORE_NAME = /^[a-z0-9][a-z0-9_-]{0,61}[a-z0-9]$/;

let pendingIncomplete = 0;

/** The next `times` GetLogs answers (of any SLS service in this process) report x-log-progress: Incomplete. */
export function markNextGetLogsIncomplete(times = 1): void {
  pendingIncomplete += Math.max(0, times);
}

function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const i = host.lastIndexOf(':');
  return i >= 0 && host.indexOf(':') === i ? host.slice(0, i) : host;
}

/**
 * The project an SLS request addresses: the Host minus the endpoint, e.g. `my-proj.cn-hangzhou.log.aliyuncs.com:P`
 * or `my-proj.127.0.0.1:P` → "my-proj"; `cn-hangzhou.log.aliyuncs.com:P` or `127.0.0.1:P` → undefined.
 */
export function projectFromRequest(req: Pick<EmuRequest, 'host'>): string | undefined {
  const h = hostWithoutPort(req.host ?? '').toLowerCase();
  if (!h || h === 'localhost' || h.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(h)) return undefined;
  let m = /^(.+?)\.(\d{1,3}(\.\d{1,3}){3}|localhost)$/.exec(h);
  if (m) return m[1];
  m = /^([^.]+)\.[^.]+\.log\.aliyuncs\.com$/.exec(h);
  if (m) return m[1];
  if (/(^|\.)log\.aliyuncs\.com$/.test(h)) return undefined;
  // Any other endpoint host: "<project>.<endpoint with at least two labels>".
  const labels = h.split('.');
  return labels.length >= 3 ? labels[0] : undefined;
}

const nowSec = () => Math.floor(Date.now() / 1000);
const slsTime = (d = new Date()) => d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');

export interface SlsService {
  handle(req: EmuRequest, identity: Identity): Promise<EmuResponse>;
  logSink: LogSink;
  markNextGetLogsIncomplete(times?: number): void;
}

export function createSlsService(deps: { store: Store; config: EmulatorConfig }): SlsService {
  const { store, config } = deps;
  const storages = new Map<string, LogStorage>();
  let localIncomplete = 0;

  function storageFor(ls: LogstoreRecord): LogStorage {
    let s = storages.get(ls.storageId);
    if (!s) {
      // Drop storages of logstores that no longer exist (deleted, or a reset of the store).
      const live = new Set(store.list<LogstoreRecord>(LOGSTORES).map(([, r]) => r.storageId));
      for (const [id, old] of storages) {
        if (!live.has(id)) {
          old.close();
          storages.delete(id);
        }
      }
      s = new LogStorage(store.blobPath(`sls-log-${ls.storageId}`));
      storages.set(ls.storageId, s);
    }
    return s;
  }

  const lsKey = (p: string, l: string) => `${p}/${l}`;

  function appendRows(ls: LogstoreRecord, rows: LogRow[]): void {
    storageFor(ls).append(rows, ls.index?.line);
  }

  const logSink: LogSink = {
    writeFunctionLogs(target, meta: FunctionLogMeta, lines) {
      const ls = store.get<LogstoreRecord>(LOGSTORES, lsKey(target.project, target.logstore));
      if (!ls || !store.get(PROJECTS, target.project) || lines.length === 0) return;
      appendRows(
        ls,
        lines.map((l) => ({
          time: Math.floor(l.timeMs / 1000),
          // FC's rows keep sub-second time, so lines within one second stay in order when read back.
          timeNs: Math.floor(l.timeMs % 1000) * 1e6,
          topic: meta.serviceName,
          source: meta.instanceID || '127.0.0.1',
          fields: {
            serviceName: meta.serviceName,
            functionName: meta.functionName,
            qualifier: meta.qualifier || 'LATEST',
            versionId: meta.versionId ?? '',
            instanceID: meta.instanceID,
            message: l.message,
          },
        })),
      );
    },
  };

  async function handle(req: EmuRequest, identity: Identity): Promise<EmuResponse> {
    const project = projectFromRequest(req);
    const path = req.path.replace(/\/+$/, '') || '/';
    const segs = path.split('/').filter(Boolean);
    const m = req.method;
    const q = req.query;

    // Action name first, so that every answer (errors too) carries it for the request log.
    let action = 'Unknown';
    if (segs.length === 0) {
      if (m === 'POST') action = 'CreateProject';
      else if (m === 'GET') action = project ? 'GetProject' : 'ListProject';
      else if (m === 'DELETE') action = 'DeleteProject';
      else if (m === 'PUT') action = 'UpdateProject';
    } else if (segs[0] === 'logstores' && segs.length === 1) {
      action = m === 'POST' ? 'CreateLogStore' : m === 'GET' ? 'ListLogStores' : 'Unknown';
    } else if (segs[0] === 'logstores' && segs.length === 2) {
      if (m === 'GET') action = q.get('type') === 'log' ? 'GetLogs' : q.get('type') === 'histogram' ? 'GetHistograms' : 'GetLogStore';
      else if (m === 'PUT') action = 'UpdateLogStore';
      else if (m === 'DELETE') action = 'DeleteLogStore';
    } else if (segs[0] === 'logstores' && segs[2] === 'index' && segs.length === 3) {
      action = ({ POST: 'CreateIndex', GET: 'GetIndex', PUT: 'UpdateIndex', DELETE: 'DeleteIndex' } as Record<string, string>)[m] ?? 'Unknown';
    } else if (segs[0] === 'logstores' && segs[2] === 'shards') {
      if (m === 'POST' && segs.length === 4) action = 'PutLogs';
      else if (m === 'GET' && segs.length === 3) action = 'ListShards';
    }

    const baseHeaders = { 'x-log-requestid': req.id };
    const err = (status: number, code: string, message: string): EmuResponse => ({
      status,
      headers: { ...baseHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ errorCode: code, errorMessage: message }),
      action,
      errorCode: code,
    });
    // No JSON content-type on empty success bodies: @alicloud/log would JSON.parse('') and throw.
    const empty = (): EmuResponse => ({ status: 200, headers: { ...baseHeaders }, body: '', action });
    const json = (v: unknown, extra: Record<string, string> = {}): EmuResponse => ({
      status: 200,
      headers: { ...baseHeaders, 'content-type': 'application/json', ...extra },
      body: JSON.stringify(v),
      action,
    });
    const bodyJson = (): Record<string, unknown> | EmuResponse => {
      if (req.body.length === 0) return {};
      try {
        const v = JSON.parse(req.body.toString('utf8'));
        return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : err(400, 'PostBodyInvalid', 'the post body is not a JSON object');
      } catch {
        return err(400, 'PostBodyInvalid', 'the post body is not valid JSON');
      }
    };
    const isResp = (v: unknown): v is EmuResponse => typeof v === 'object' && v !== null && 'status' in v && 'action' in v;
    const denied = (p: string) => err(401, 'Unauthorized', `denied by sts or ram, action: log:${action}, resource: acs:log:${config.region}:${identity.accountId}:project/${p}`);

    if (action === 'Unknown') return err(404, 'InvalidAction', `the API ${m} ${path} is not supported by the fcx emulator`);

    if (action === 'CreateProject') {
      const b = bodyJson();
      if (isResp(b)) return b;
      const name = String(b.projectName ?? project ?? '');
      if (!PROJECT_NAME.test(name)) return err(400, 'ParameterInvalid', `invalid project name: ${name}`);
      if (store.get(PROJECTS, name)) return err(400, 'ProjectAlreadyExist', `Project ${name} already exist`);
      const t = slsTime();
      store.put<ProjectRecord>(PROJECTS, name, { projectName: name, description: String(b.description ?? ''), owner: identity.accountId, region: config.region, createTime: t, lastModifyTime: t });
      return empty();
    }

    if (action === 'ListProject') {
      const filter = q.get('projectName') ?? '';
      const offset = Number(q.get('offset') ?? 0) || 0;
      const size = Math.min(Number(q.get('size') ?? 100) || 100, 500);
      const mine = store
        .list<ProjectRecord>(PROJECTS)
        .map(([, p]) => p)
        .filter((p) => p.owner === identity.accountId && p.projectName.includes(filter));
      const page = mine.slice(offset, offset + size).map((p) => ({ ...p, status: 'Normal' }));
      return json({ count: page.length, total: mine.length, projects: page });
    }

    if (!project) return err(400, 'ParameterInvalid', 'the Host names no project (expected <project>.<endpoint>)');
    const proj = store.get<ProjectRecord>(PROJECTS, project);
    if (!proj) return err(404, 'ProjectNotExist', `The Project does not exist : ${project}`);
    if (proj.owner !== identity.accountId) return denied(project);

    switch (action) {
      case 'GetProject':
        return json({ ...proj, status: 'Normal', resourceGroupId: '', dataRedundancyType: 'LRS' });
      case 'UpdateProject': {
        const b = bodyJson();
        if (isResp(b)) return b;
        store.put<ProjectRecord>(PROJECTS, project, { ...proj, description: String(b.description ?? proj.description), lastModifyTime: slsTime() });
        return empty();
      }
      case 'DeleteProject': {
        for (const [k, ls] of store.list<LogstoreRecord>(LOGSTORES, `${project}/`)) {
          store.delete(LOGSTORES, k);
          dropStorage(ls);
        }
        store.delete(PROJECTS, project);
        return empty();
      }
      case 'CreateLogStore': {
        const b = bodyJson();
        if (isResp(b)) return b;
        const name = String(b.logstoreName ?? '');
        if (!LOGSTORE_NAME.test(name)) return err(400, 'ParameterInvalid', `invalid logstore name: ${name}`);
        const ttl = b.ttl === undefined ? 30 : Number(b.ttl);
        if (!Number.isInteger(ttl) || ttl < 1 || ttl > 3650) return err(400, 'ParameterInvalid', 'ttl must be an integer between 1 and 3650');
        const shardCount = b.shardCount === undefined ? 2 : Number(b.shardCount);
        if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 256) return err(400, 'ParameterInvalid', 'shardCount must be an integer between 1 and 256');
        if (store.get(LOGSTORES, lsKey(project, name))) return err(400, 'LogStoreAlreadyExist', `logstore ${name} already exists`);
        const t = nowSec();
        store.put<LogstoreRecord>(LOGSTORES, lsKey(project, name), {
          project,
          logstoreName: name,
          ttl,
          shardCount,
          autoSplit: b.autoSplit === undefined ? true : !!b.autoSplit,
          maxSplitShard: Number(b.maxSplitShard ?? 64),
          appendMeta: !!b.appendMeta,
          createTime: t,
          lastModifyTime: t,
          storageId: randomUUID(),
        });
        return empty();
      }
      case 'ListLogStores': {
        const filter = q.get('logstoreName') ?? '';
        const offset = Number(q.get('offset') ?? 0) || 0;
        const size = Math.min(Number(q.get('size') ?? 200) || 200, 500);
        const names = store
          .list<LogstoreRecord>(LOGSTORES, `${project}/`)
          .map(([, r]) => r.logstoreName)
          .filter((n) => n.includes(filter));
        const page = names.slice(offset, offset + size);
        return json({ count: page.length, total: names.length, logstores: page });
      }
    }

    // Everything below addresses one logstore.
    const lsName = segs[1];
    const key = lsKey(project, lsName);
    const ls = store.get<LogstoreRecord>(LOGSTORES, key);
    if (!ls) return err(404, 'LogStoreNotExist', `logstore ${lsName} does not exist`);

    switch (action) {
      case 'GetLogStore': {
        const pub = { logstoreName: ls.logstoreName, ttl: ls.ttl, shardCount: ls.shardCount, autoSplit: ls.autoSplit, maxSplitShard: ls.maxSplitShard, appendMeta: ls.appendMeta, createTime: ls.createTime, lastModifyTime: ls.lastModifyTime };
        return json({ ...pub, enable_tracking: false, telemetryType: '', mode: 'standard', hot_ttl: ls.ttl, encrypt_conf: null });
      }
      case 'UpdateLogStore': {
        const b = bodyJson();
        if (isResp(b)) return b;
        const ttl = b.ttl === undefined ? ls.ttl : Number(b.ttl);
        if (!Number.isInteger(ttl) || ttl < 1 || ttl > 3650) return err(400, 'ParameterInvalid', 'ttl must be an integer between 1 and 3650');
        store.put<LogstoreRecord>(LOGSTORES, key, { ...ls, ttl, shardCount: b.shardCount === undefined ? ls.shardCount : Number(b.shardCount), lastModifyTime: nowSec() });
        return empty();
      }
      case 'DeleteLogStore':
        store.delete(LOGSTORES, key);
        dropStorage(ls);
        return empty();
      case 'ListShards':
        return json(
          Array.from({ length: ls.shardCount }, (_, i) => ({
            shardID: i,
            status: 'readwrite',
            inclusiveBeginKey: (Math.floor((i * 256) / ls.shardCount)).toString(16).padStart(2, '0').padEnd(32, '0'),
            exclusiveEndKey: i === ls.shardCount - 1 ? 'ffffffffffffffffffffffffffffffff' : (Math.floor(((i + 1) * 256) / ls.shardCount)).toString(16).padStart(2, '0').padEnd(32, '0'),
            createTime: ls.createTime,
          })),
        );
      case 'CreateIndex':
      case 'UpdateIndex': {
        const b = bodyJson();
        if (isResp(b)) return b;
        if (action === 'CreateIndex' && ls.index) return err(400, 'IndexAlreadyExist', `log store index is already created`);
        if (action === 'UpdateIndex' && !ls.index) return err(404, 'IndexConfigNotExist', `index config doesn't exist`);
        const idx = b as IndexConfig;
        if (!idx.line && !idx.keys) return err(400, 'IndexInfoInvalid', 'the index needs a "line" (full-text) or "keys" (field) configuration');
        if ((idx.line && typeof idx.line !== 'object') || (idx.keys && typeof idx.keys !== 'object')) return err(400, 'IndexInfoInvalid', 'index "line" and "keys" must be objects');
        store.put<LogstoreRecord>(LOGSTORES, key, { ...ls, index: idx, indexLastModifyTime: nowSec() });
        return empty();
      }
      case 'GetIndex':
        if (!ls.index) return err(404, 'IndexConfigNotExist', `index config doesn't exist`);
        return json({ index_mode: 'v2', ...ls.index, lastModifyTime: ls.indexLastModifyTime, storage: 'pg' });
      case 'DeleteIndex':
        if (!ls.index) return err(404, 'IndexConfigNotExist', `index config doesn't exist`);
        store.put<LogstoreRecord>(LOGSTORES, key, { ...ls, index: undefined, indexLastModifyTime: undefined });
        return empty();
      case 'PutLogs': {
        let rows: LogRow[];
        try {
          rows = decodePutLogsBody(req.body, req.headers);
        } catch (e) {
          if (e instanceof PutLogsError) return err(400, 'PostBodyInvalid', e.message);
          throw e;
        }
        appendRows(ls, rows);
        return empty();
      }
      case 'GetLogs':
      case 'GetHistograms':
        return getLogs(ls, action);
    }
    return err(404, 'InvalidAction', `the API ${m} ${path} is not supported by the fcx emulator`);

    function getLogs(ls: LogstoreRecord, which: 'GetLogs' | 'GetHistograms'): EmuResponse {
      const started = Date.now();
      const from = Number(q.get('from'));
      const to = Number(q.get('to'));
      if (!q.has('from') || !q.has('to') || !Number.isInteger(from) || !Number.isInteger(to)) return err(400, 'ParameterInvalid', 'from and to must be unix timestamps in seconds');
      if (from > to) return err(400, 'ParameterInvalid', 'from must not be later than to');
      // An SDK option left undefined arrives as an empty value (`line=`): that means the default.
      const line = q.get('line') ? Number(q.get('line')) : 100;
      const offset = q.get('offset') ? Number(q.get('offset')) : 0;
      if (!Number.isInteger(line) || line < 0 || line > 100) return err(400, 'ParameterInvalid', 'line must be an integer between 0 and 100');
      if (!Number.isInteger(offset) || offset < 0) return err(400, 'ParameterInvalid', 'offset must be a non-negative integer');
      if (!ls.index) return err(404, 'IndexConfigNotExist', 'logstore without index config');
      const topic = q.get('topic') || undefined;
      let node;
      try {
        node = parseQuery(q.get('query') ?? '');
        validateQuery(node, ls.index);
      } catch (e) {
        if (e instanceof QueryError) return err(400, e.code, e.message);
        throw e;
      }
      const { rows, processed } = storageFor(ls).search({ from, to, topic, node, index: ls.index });
      let progress = 'Complete';
      if (which === 'GetLogs' && (localIncomplete > 0 || pendingIncomplete > 0)) {
        if (localIncomplete > 0) localIncomplete--;
        else pendingIncomplete--;
        progress = 'Incomplete';
      }
      const common = {
        'x-log-progress': progress,
        'x-log-processed-rows': String(processed),
        'x-log-elapsed-millisecond': String(Date.now() - started),
        'x-log-has-sql': 'False',
        'x-log-query-info': JSON.stringify({ mode: 0, phrases: [], scanAll: 'False', hasFunctionError: 'False' }),
      };
      if (which === 'GetHistograms') {
        const buckets = histogram(rows, from, to);
        return json(buckets, { ...common, 'x-log-count': String(rows.length) });
      }
      const ordered = q.get('reverse') === 'true' ? [...rows].reverse() : rows;
      const page = ordered.slice(offset, offset + line).map((r) => ({ __time__: String(r.time), ...(r.timeNs !== undefined ? { __time_ns_part__: String(r.timeNs) } : {}), __source__: r.source, __topic__: r.topic, ...r.fields }));
      return json(page, { ...common, 'x-log-count': String(page.length) });
    }
  }

  function dropStorage(ls: LogstoreRecord): void {
    const s = storages.get(ls.storageId);
    if (s) s.close();
    storages.delete(ls.storageId);
    store.deleteBlob(`sls-log-${ls.storageId}`);
  }

  return {
    handle,
    logSink,
    markNextGetLogsIncomplete(times = 1) {
      localIncomplete += Math.max(0, times);
    },
  };
}

/** Up to 60 equal buckets over [from, to), as GetHistograms answers. */
function histogram(rows: LogRow[], from: number, to: number) {
  const span = Math.max(1, to - from);
  const step = Math.max(1, Math.ceil(span / 60));
  const out: Array<{ from: number; to: number; count: number; progress: string }> = [];
  for (let t = from; t < Math.max(to, from + 1); t += step) out.push({ from: t, to: Math.min(t + step, Math.max(to, from + 1)), count: 0, progress: 'Complete' });
  for (const r of rows) {
    const i = Math.floor((r.time - from) / step);
    if (out[i]) out[i].count++;
  }
  return out;
}
