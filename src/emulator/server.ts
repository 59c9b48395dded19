// The emulator's one HTTP listener. Each request is read whole, turned into an EmuRequest, and dispatched:
//   /_emulator/*                        → control API (loopback only, not recorded)
//   Authorization "FC "                 → FC 2016-08-15 (signature verified; /proxy/ paths: the trigger decides)
//   Authorization "OSS " / "OSS4-…"     → OSS          Authorization "LOG " → SLS
//   Action + Signature (query or form)  → RAM (Version 2015-05-01) or STS (2015-04-01)
//   OSS / FC signed URLs                → OSS / FC
//   /2016-08-15/proxy/…                 → anonymous HTTP trigger
//   Host = a stored custom domain       → that domain's routes
//   anything else                       → FC-style 404
// Every cloud call is recorded for GET /_emulator/requests, and injected faults are applied after the signature
// check (a throttled call was still authenticated).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { EmulatorConfig, EmuRequest, EmuResponse, Identity, ServiceName, Store } from './types';
import { fcError, nativeError } from './auth/errors';
import type { AuthResult } from './auth/common';
import { hasFcUrlSignature, verifyFc } from './auth/fc';
import { verifyOss, hostName } from './auth/oss';
import { isRpcRequest, rpcParams, verifyRpc, type NonceCache } from './auth/rpc';
import { verifySls } from './auth/sls';
import { handleControl, type ControlDeps, type ControlState } from './control';
import { ossActionOf, slsActionOf } from './actions';
import type { FcService } from './services/fc';

export interface ServiceHandler {
  handle(req: EmuRequest, identity: Identity): Promise<EmuResponse>;
}

export interface ServerDeps {
  config: EmulatorConfig;
  store: Store;
  control: ControlState;
  controlDeps: Omit<ControlDeps, 'state'>;
  nonces: NonceCache;
  fc: FcService;
  oss: ServiceHandler;
  ram: ServiceHandler;
  sts: ServiceHandler;
  sls: ServiceHandler;
  /** Called after every recorded call (the CLI prints a line per call). */
  onCall?(line: { service: ServiceName; action: string; method: string; path: string; status: number; errorCode?: string; ms: number }): void;
}

/** Bodies above this are refused before they are buffered (FC's largest is 100 MB of base64 code). */
const MAX_BODY = 1024 * 1024 * 1024;

const REQUEST_ID_HEADER: Record<ServiceName, string | undefined> = { fc: 'x-fc-request-id', oss: 'x-oss-request-id', sls: 'x-log-requestid', ram: undefined, sts: undefined };

type Dispatch =
  | { kind: 'api'; service: ServiceName; action: string; verify(): AuthResult; handler: ServiceHandler }
  | { kind: 'open'; service: 'fc'; action: string; run(): Promise<EmuResponse> }
  | { kind: 'reject'; service: ServiceName; action: string; response: EmuResponse };

function isLoopback(addr: string): boolean {
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

function parseRequest(msg: IncomingMessage, body: Buffer): EmuRequest {
  const url = msg.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    /* keep it raw */
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(msg.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return {
    id: randomUUID(),
    method: (msg.method ?? 'GET').toUpperCase(),
    rawPath,
    path,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers,
    rawHeaders: msg.rawHeaders,
    body,
    host: headers['host'] ?? '',
    remoteAddress: msg.socket.remoteAddress ?? '',
    receivedAt: Date.now(),
  };
}

/** Best guess at the resource a call is about, to fill the %s of a fault message (e.g. DomainNameNotResolved). */
function resourceName(req: EmuRequest): string {
  try {
    const b = JSON.parse(req.body.toString('utf8') || '{}');
    const n = b.domainName ?? b.DomainName ?? b.functionName ?? b.serviceName;
    if (typeof n === 'string') return n;
  } catch {
    /* not JSON */
  }
  return req.path.split('/').filter(Boolean).pop() ?? '';
}

export function dispatch(req: EmuRequest, deps: ServerDeps): Dispatch {
  const { store, config, fc } = deps;
  const auth = req.headers['authorization'] ?? '';
  const proxy = req.rawPath.startsWith('/2016-08-15/proxy/');
  if (auth.startsWith('FC ')) {
    if (proxy) return { kind: 'open', service: 'fc', action: 'HttpTrigger', run: () => fc.proxy(req) };
    return { kind: 'api', service: 'fc', action: fc.actionOf(req), verify: () => verifyFc(req, store, config), handler: fc };
  }
  if (auth.startsWith('OSS ') || auth.startsWith('OSS4-HMAC-SHA256')) {
    return { kind: 'api', service: 'oss', action: ossActionOf(req), verify: () => verifyOss(req, store, config), handler: deps.oss };
  }
  if (auth.startsWith('LOG ')) return { kind: 'api', service: 'sls', action: slsActionOf(req), verify: () => verifySls(req, store, config), handler: deps.sls };
  if (isRpcRequest(req)) {
    const params = rpcParams(req);
    const version = params.get('Version') ?? '';
    const action = params.get('Action') ?? 'Unknown';
    if (version === '2015-05-01') return { kind: 'api', service: 'ram', action, verify: () => verifyRpc(req, store, config, deps.nonces, 'ram.aliyuncs.com'), handler: deps.ram };
    if (version === '2015-04-01') return { kind: 'api', service: 'sts', action, verify: () => verifyRpc(req, store, config, deps.nonces, 'sts.aliyuncs.com'), handler: deps.sts };
    const service = /^sts\./i.test(req.host) ? 'sts' : 'ram';
    return { kind: 'reject', service, action, response: nativeError(service, req, 400, 'InvalidVersion', `Specified parameter Version '${version}' is not valid: the emulator serves RAM 2015-05-01 and STS 2015-04-01.`) };
  }
  if (req.query.has('OSSAccessKeyId') && req.query.has('Signature')) {
    return { kind: 'api', service: 'oss', action: ossActionOf(req), verify: () => verifyOss(req, store, config), handler: deps.oss };
  }
  if (proxy) return { kind: 'open', service: 'fc', action: 'HttpTrigger', run: () => fc.proxy(req) };
  if (hasFcUrlSignature(req) && req.rawPath.startsWith('/2016-08-15/')) {
    return { kind: 'api', service: 'fc', action: fc.actionOf(req), verify: () => verifyFc(req, store, config), handler: fc };
  }
  const domain = fc.findDomain(hostName(req.host));
  if (domain) return { kind: 'open', service: 'fc', action: 'CustomDomainRequest', run: () => fc.customDomain(req, domain) };
  if (req.rawPath.startsWith('/2016-08-15/')) {
    return { kind: 'reject', service: 'fc', action: fc.actionOf(req), response: fcError(req, 400, 'MissingRequiredHeader', 'required HTTP header Authorization was not specified') };
  }
  // What FC answers for a path it does not know on the account endpoint is unverified.
  return { kind: 'reject', service: 'fc', action: 'Unknown', response: fcError(req, 404, 'PathNotFound', `'${req.method} ${req.path}' matches no API, HTTP trigger (/2016-08-15/proxy/<service>/<function>/...) or custom domain (Host '${req.host}')`) };
}

function send(res: ServerResponse, req: EmuRequest, service: ServiceName | undefined, out: EmuResponse): void {
  const headers: Record<string, string | string[]> = { ...(out.headers ?? {}) };
  const idHeader = service ? REQUEST_ID_HEADER[service] : undefined;
  if (idHeader && !Object.keys(headers).some((h) => h.toLowerCase() === idHeader)) headers[idHeader] = req.id;
  const body = out.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(out.body) ? out.body : Buffer.from(out.body);
  const noBody = req.method === 'HEAD' || out.status === 204 || out.status === 304;
  if (!noBody && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = String(body.length);
  try {
    res.writeHead(out.status, headers);
  } catch (e) {
    // A header value the function set that node refuses (e.g. a newline): answer like FC does for a bad response.
    const err = fcError(req, 502, 'BadResponse', `the function returned an invalid response header: ${(e as Error).message}`);
    res.writeHead(502, err.headers as Record<string, string>);
    res.end(err.body);
    return;
  }
  res.end(noBody ? undefined : body);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serve(msg: IncomingMessage, res: ServerResponse, body: Buffer, deps: ServerDeps): Promise<void> {
  const req = parseRequest(msg, body);
  if (req.path === '/_emulator' || req.path.startsWith('/_emulator/')) {
    if (!isLoopback(req.remoteAddress)) return send(res, req, undefined, { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'the control API answers loopback clients only' }) });
    return send(res, req, undefined, await handleControl(req, { state: deps.control, ...deps.controlDeps }));
  }
  const started = Date.now();
  const d = dispatch(req, deps);
  let out: EmuResponse | undefined;
  try {
    if (d.kind === 'reject') out = d.response;
    else if (d.kind === 'api') {
      const auth = d.verify();
      if (!auth.ok) out = auth.response;
      else out = (await applyFault(req, res, d.service, d.action, deps)) ?? (await d.handler.handle(req, auth.identity));
    } else {
      out = (await applyFault(req, res, d.service, d.action, deps)) ?? (await d.run());
    }
  } catch (e) {
    if (e === RESET) return void record(deps, req, d.service, d.action, 0, 'ECONNRESET', started);
    const message = `the emulator failed while handling ${d.action}: ${(e as Error)?.message ?? String(e)}`;
    out = nativeError(d.service, req, 500, d.service === 'oss' || d.service === 'ram' || d.service === 'sts' ? 'InternalError' : 'InternalServerError', message);
  }
  const action = out.action && out.action !== 'Unknown' ? out.action : d.action;
  record(deps, req, d.service, action, out.status, out.status >= 400 ? out.errorCode : undefined, started);
  send(res, req, d.service, out);
}

const RESET = Symbol('reset');

async function applyFault(req: EmuRequest, res: ServerResponse, service: ServiceName, action: string, deps: ServerDeps): Promise<EmuResponse | undefined> {
  const fault = deps.control.take(service, action, service === 'fc' ? resourceName(req) : undefined);
  if (!fault) return undefined;
  if (fault.kind === 'reset') {
    res.socket?.destroy();
    throw RESET;
  }
  if (fault.delayMs > 0) await sleep(fault.delayMs);
  if (fault.kind === 'delay') return undefined;
  // SLS "incomplete" results are not an error: the SLS service answers 200 with x-log-progress: Incomplete.
  if (service === 'sls' && action === 'GetLogs' && fault.errorCode === 'Incomplete') {
    (deps.sls as ServiceHandler & { markNextGetLogsIncomplete?(times: number): void }).markNextGetLogsIncomplete?.(1);
    return undefined;
  }
  return { ...nativeError(service, req, fault.status, fault.errorCode, fault.message), action };
}

function record(deps: ServerDeps, req: EmuRequest, service: ServiceName, action: string, status: number, errorCode: string | undefined, started: number): void {
  const ms = Date.now() - started;
  deps.control.record({ service, action, method: req.method, path: req.rawPath, status, ...(errorCode ? { errorCode } : {}), requestId: req.id, time: new Date(started).toISOString(), durationMs: ms });
  deps.onCall?.({ service, action, method: req.method, path: req.rawPath, status, errorCode, ms });
}

export function createEmulatorServer(deps: ServerDeps): Server {
  const server = createServer({ maxHeaderSize: 64 * 1024, requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 5_000 }, (msg, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    msg.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        msg.destroy();
        return;
      }
      chunks.push(c);
    });
    msg.on('error', () => res.destroy());
    msg.on('end', () => {
      serve(msg, res, Buffer.concat(chunks), deps).catch((e) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`emulator error: ${(e as Error)?.message ?? e}`);
        } else res.destroy();
      });
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
