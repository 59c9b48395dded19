'use strict';
// The fcx emulator's stand-in for Function Compute's Node.js runtime (nodejs16/18/20 semantics), run with the
// emulator's own `node`. One process is one FC instance. Invocations arrive as length-prefixed frames on fd 3
// (4-byte big-endian header length, 4-byte body length, JSON header, raw body) and results go back the same
// way, with the output the function printed meanwhile ("log"); output outside invocations goes to stdout.
// The emulator turns both into log rows.
//
// API: HTTP `exports.handler = (req, resp, context) => {}`, event `exports.handler = (event, context, callback)`
// (or an async function), `exports.initializer = (context, callback)`.
const net = require('node:net');
const path = require('node:path');
const fs = require('node:fs');
const util = require('node:util');
const { pathToFileURL } = require('node:url');
const { AsyncLocalStorage } = require('node:async_hooks');
const { PassThrough } = require('node:stream');

const cfg = JSON.parse(process.env.FCX_RUNTIME_CONFIG);
delete process.env.FCX_RUNTIME_CONFIG;

// ----- logging: FC's line format, one pipe for both streams (keeps the order of lines) --------------------
const als = new AsyncLocalStorage();
let lastRequestId = '';
const currentRequestId = () => als.getStore() || lastRequestId;
// While invocations run, output is held and returned with the invocation's result (one message per request
// instead of a pipe write per line); otherwise it goes straight to stdout.
const realWrite = process.stdout.write.bind(process.stdout);
let held = 0;
let heldParts = [];
function writeOut(chunk, encoding, cb) {
  if (typeof encoding === 'function') {
    cb = encoding;
    encoding = undefined;
  }
  if (held > 0) {
    if (heldParts.length === 0) heldSince = Date.now();
    heldParts.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    if (cb) process.nextTick(cb);
    return true;
  }
  return realWrite(chunk, encoding, cb);
}
function takeHeld() {
  held = Math.max(0, held - 1);
  const out = heldParts.join('');
  heldParts = [];
  const wasFlushed = flushed;
  flushed = false;
  return [out, wasFlushed];
}
// Long invocations still stream their output: what has been held for 200 ms goes out directly.
let heldSince = 0;
let flushed = false;
setInterval(() => {
  if (heldParts.length && Date.now() - heldSince >= 200) {
    realWrite(heldParts.join(''));
    heldParts = [];
    flushed = true;
  }
}, 250).unref();
function drainHeld() {
  if (heldParts.length) fs.writeSync(1, heldParts.join(''));
  heldParts = [];
  held = 0;
}
process.stdout.write = writeOut;
process.stderr.write = writeOut;
process.on('exit', drainHeld);
process.on('SIGTERM', () => process.exit(0));

function logLine(level, args) {
  writeOut(`${new Date().toISOString()} ${currentRequestId()} [${level}] ${util.format(...args)}\n`);
}
console.log = (...a) => logLine('silly', a);
console.info = (...a) => logLine('info', a);
console.warn = (...a) => logLine('warn', a);
console.error = (...a) => logLine('error', a);
console.debug = (...a) => logLine('debug', a);
const logger = {};
for (const level of ['silly', 'verbose', 'debug', 'info', 'warn', 'error']) logger[level] = (...a) => logLine(level, a);
logger.log = logger.info;

// ----- context ------------------------------------------------------------------------------------------
const creds = cfg.credentials || {};
const fnMeta = {
  name: cfg.function.name,
  handler: cfg.function.handler,
  memory: cfg.function.memory,
  timeout: cfg.function.timeout,
  initializer: cfg.function.initializer || '',
  initializationTimeout: cfg.function.initializationTimeout,
};
const serviceMeta = {
  name: cfg.service.name,
  logProject: cfg.service.logProject || '',
  logStore: cfg.service.logStore || '',
  qualifier: cfg.service.qualifier || 'LATEST',
  versionId: cfg.service.versionId || '',
};
function makeContext(requestId, current) {
  const c = current || creds;
  return {
    requestId,
    credentials: { accessKeyId: c.accessKeyId || '', accessKeySecret: c.accessKeySecret || '', securityToken: c.securityToken || '' },
    function: { ...fnMeta },
    service: { ...serviceMeta },
    region: cfg.region,
    accountId: cfg.accountId,
    logger,
    retryCount: 0,
    tracing: { openTracingSpanContext: undefined, openTracingSpanBaggages: {}, jaegerEndpoint: undefined },
  };
}

// ----- loading the function's code ----------------------------------------------------------------------
class InvocationError extends Error {
  constructor(message, errorType, stackTrace = []) {
    super(message);
    this.payload = { errorMessage: message, errorType, stackTrace };
  }
}

const loaded = new Map();
async function load(spec) {
  if (loaded.has(spec)) return loaded.get(spec);
  const dot = spec.lastIndexOf('.');
  if (dot <= 0) throw new InvocationError(`Invalid handler '${spec}': expected <file>.<function>`, 'InvalidHandler');
  const modName = spec.slice(0, dot);
  const fnName = spec.slice(dot + 1);
  const base = path.join(cfg.codeDir, modName);
  const file = ['.js', '.cjs', '.mjs', '/index.js'].map((ext) => base + ext).find((f) => fs.existsSync(f));
  if (!file) throw new InvocationError(`Cannot find module '${modName}' in the code folder`, 'ImportModuleError');
  let mod;
  try {
    if (file.endsWith('.mjs')) mod = await import(pathToFileURL(file).href);
    else {
      try {
        mod = require(file);
      } catch (err) {
        if (err && err.code === 'ERR_REQUIRE_ESM') mod = await import(pathToFileURL(file).href);
        else throw err;
      }
    }
  } catch (err) {
    if (err instanceof InvocationError) throw err;
    console.error(err);
    throw new InvocationError(`Unable to import module '${modName}': ${err && err.message}`, 'ImportModuleError', stackOf(err));
  }
  const fn = mod && (mod[fnName] || (mod.default && mod.default[fnName]));
  if (typeof fn !== 'function') throw new InvocationError(`Handler '${fnName}' missing on module '${modName}'`, 'HandlerNotFound');
  loaded.set(spec, fn);
  return fn;
}

function stackOf(err) {
  return err && typeof err.stack === 'string' ? err.stack.split('\n') : [];
}

function errorPayload(err) {
  if (err instanceof InvocationError) return err.payload;
  if (err instanceof Error) return { errorMessage: err.message, errorType: err.name, stackTrace: stackOf(err) };
  return { errorMessage: typeof err === 'string' ? err : util.inspect(err), errorType: 'Error', stackTrace: [] };
}

function toBuffer(value) {
  if (value === undefined || value === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.from(JSON.stringify(value), 'utf8');
}

// ----- HTTP handler API ---------------------------------------------------------------------------------
function parseQueries(raw) {
  const out = {};
  if (!raw) return out;
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const dec = (s) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    const k = dec(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? '' : dec(part.slice(eq + 1));
    if (k in out) out[k] = Array.isArray(out[k]) ? [...out[k], v] : [out[k], v];
    else out[k] = v;
  }
  return out;
}

function makeRequest(h, body) {
  const req = new PassThrough();
  req.end(body);
  const headers = {};
  for (const [name, value] of h.headers) {
    const k = name.toLowerCase();
    if (k === 'set-cookie') headers[k] = (headers[k] || []).concat(value);
    else headers[k] = k in headers ? `${headers[k]}, ${value}` : value;
  }
  Object.assign(req, { headers, path: h.path, queries: parseQueries(h.query), method: h.method, clientIP: h.clientIP, url: h.requestURI });
  return req;
}

class Response {
  constructor(done) {
    this.statusCode = 200;
    this.headers = [];
    this.sent = false;
    this.done = done;
  }
  setStatusCode(code) {
    if (!Number.isInteger(code)) throw new TypeError(`status code must be an integer, got ${util.inspect(code)}`);
    this.statusCode = code;
  }
  setHeader(name, value) {
    this.deleteHeader(name);
    for (const v of Array.isArray(value) ? value : [value]) this.headers.push([String(name), String(v)]);
  }
  getHeader(name) {
    const k = String(name).toLowerCase();
    const found = this.headers.filter(([n]) => n.toLowerCase() === k).map(([, v]) => v);
    return found.length === 0 ? undefined : found.length === 1 ? found[0] : found;
  }
  hasHeader(name) {
    return this.getHeader(name) !== undefined;
  }
  deleteHeader(name) {
    const k = String(name).toLowerCase();
    this.headers = this.headers.filter(([n]) => n.toLowerCase() !== k);
  }
  send(body) {
    if (this.sent) return;
    this.sent = true;
    if (body && typeof body.pipe === 'function' && typeof body.on === 'function') {
      const chunks = [];
      body.on('data', (c) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
      body.on('end', () => this.done(null, Buffer.concat(chunks)));
      body.on('error', (err) => this.done(err));
      return;
    }
    if (body !== undefined && body !== null && !Buffer.isBuffer(body) && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      this.sent = false;
      throw new TypeError(`resp.send() takes a Buffer, a string or a readable stream, got ${typeof body}`);
    }
    this.done(null, toBuffer(body));
  }
}

// ----- invocations --------------------------------------------------------------------------------------
function runHttp(h, body) {
  return new Promise((resolve, reject) => {
    load(cfg.handler).then((fn) => {
      const resp = new Response((err, data) => {
        if (err) reject(err);
        else resolve([{ status: resp.statusCode, headers: resp.headers }, data]);
      });
      const ret = fn(makeRequest(h, body), resp, makeContext(h.rid, h.creds));
      if (ret && typeof ret.then === 'function') ret.then(undefined, reject);
    }).catch(reject);
  });
}

function callWithCallback(fn, args) {
  // Node handlers either take a callback or return a promise (async functions).
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (err, data) => {
      if (settled) return;
      settled = true;
      if (err) reject({ handled: err });
      else resolve(data);
    };
    const ret = fn(...args, callback);
    if (ret && typeof ret.then === 'function') {
      ret.then(
        (v) => {
          if (!settled) ((settled = true), resolve(v));
        },
        (e) => {
          if (!settled) ((settled = true), reject(e));
        },
      );
    }
  });
}

async function runEvent(h, body) {
  const fn = await load(cfg.handler);
  const value = await callWithCallback(fn, [body, makeContext(h.rid, h.creds)]);
  return [{}, toBuffer(value)];
}

async function handle(h, body) {
  const rid = h.rid;
  lastRequestId = rid;
  held++;
  await als.run(rid, async () => {
    const init = h.t === 'init';
    writeOut(`FC ${init ? 'Initialize' : 'Invoke'} Start RequestId: ${rid}\n`);
    let header;
    let payload = Buffer.alloc(0);
    try {
      if (init) {
        await callWithCallback(await load(cfg.initializer), [makeContext(rid, h.creds)]);
        header = {};
      } else if (h.t === 'http') [header, payload] = await runHttp(h, body);
      else [header, payload] = await runEvent(h, body);
    } catch (err) {
      const handled = err && typeof err === 'object' && 'handled' in err;
      const cause = handled ? err.handled : err;
      if (!(cause instanceof InvocationError)) console.error(cause instanceof Error ? cause.stack : cause);
      header = { error: errorPayload(cause), handled };
      payload = Buffer.alloc(0);
    }
    writeOut(`FC ${init ? 'Initialize' : 'Invoke'} End RequestId: ${rid}\n`);
    const [log, logFlushed] = takeHeld();
    send({ t: 'result', id: h.id, ...header, log, flushed: logFlushed }, payload);
  });
}

// ----- the frame channel --------------------------------------------------------------------------------
const channel = new net.Socket({ fd: 3, readable: true, writable: true });
function send(header, body) {
  const h = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.allocUnsafe(8);
  prefix.writeUInt32BE(h.length, 0);
  prefix.writeUInt32BE(body.length, 4);
  channel.write(body.length ? Buffer.concat([prefix, h, body]) : Buffer.concat([prefix, h]));
}

let pending = Buffer.alloc(0);
channel.on('data', (chunk) => {
  pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
  while (pending.length >= 8) {
    const hLen = pending.readUInt32BE(0);
    const total = 8 + hLen + pending.readUInt32BE(4);
    if (pending.length < total) return;
    const header = JSON.parse(pending.toString('utf8', 8, 8 + hLen));
    const body = Buffer.from(pending.subarray(8 + hLen, total));
    pending = pending.subarray(total);
    handle(header, body);
  }
});
// The emulator went away: this instance ends with it.
channel.on('end', () => process.exit(0));
channel.on('error', () => process.exit(0));
process.chdir(cfg.codeDir);
