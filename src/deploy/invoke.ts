// `fcx invoke`: one HTTP request to a deployed function through its HTTP trigger. Anonymous triggers get a plain
// request to the trigger URL; `auth: function` ones are signed the way FC expects (FcApi.signHeaders).
// Body on stdout; status, request id and the command that shows the request's logs on stderr.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Context } from '../core/context';
import { FcxError, UsageError } from '../core/errors';
import { triggerUrl } from '../cloud/fc';
import { loadApp, targetFor } from './app';
import { makeApis } from './apis';
import { triggerConfigOf } from './diff';
import { HTTP_TRIGGER_NAME } from './names';
import { HTTP_METHODS, type HttpMethod } from '../manifest/types';

export interface InvokeOptions {
  fn?: string;
  path?: string;
  method?: string;
  data?: string;
  headers?: string[];
}


/** The body for --json: UTF-8 text when it is valid UTF-8, else base64 (a binary body must survive JSON intact). */
export function jsonBody(buf: Buffer): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  try {
    return { body: new TextDecoder('utf-8', { fatal: true }).decode(buf), bodyEncoding: 'utf8' };
  } catch {
    return { body: buf.toString('base64'), bodyEncoding: 'base64' };
  }
}

export function parseHeaders(list: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf(':');
    if (i <= 0) throw new UsageError(`--header "${h}" is not "name: value".`, 'Write headers as --header "content-type: application/json".');
    out[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  return out;
}

async function readData(ctx: Context, data: string | undefined): Promise<Buffer | undefined> {
  if (data === undefined) return undefined;
  if (data === '@-') {
    const chunks: Buffer[] = [];
    for await (const c of ctx.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
    return Buffer.concat(chunks);
  }
  if (data.startsWith('@')) {
    const file = resolve(ctx.cwd, data.slice(1));
    try {
      return await readFile(file);
    } catch (err) {
      throw new UsageError(`--data ${data}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`, 'Pass @<file> with an existing file, @- for stdin, or the text itself.');
    }
  }
  return Buffer.from(data, 'utf8');
}

export async function runInvoke(ctx: Context, o: InvokeOptions): Promise<number> {
  const { ui } = ctx;
  const m = await loadApp(ctx);
  const headers = parseHeaders(o.headers);
  const body = await readData(ctx, o.data);
  const method = (o.method ?? (body ? 'POST' : 'GET')).toUpperCase();
  // FC's HTTP triggers accept exactly these methods; anything else would fail far from its cause.
  if (!HTTP_METHODS.includes(method as HttpMethod))
    throw new UsageError(`--method "${o.method}" is not a method an FC HTTP trigger accepts.`, `Pass one of ${HTTP_METHODS.join(', ')}.`);
  let fnName = o.fn;
  if (!fnName) {
    const http = m.functions.filter((f) => f.http);
    if (http.length !== 1)
      throw new UsageError(
        http.length ? `Which function? ${m.name} has ${http.length} with an HTTP trigger: ${http.map((f) => f.name).join(', ')}.` : `${m.name} has no function with an HTTP trigger (http: in fcx.yaml).`,
        http.length ? `Name one: fcx invoke ${http[0].name} --path /` : 'Add http: to a function in fcx.yaml and deploy.',
      );
    fnName = http[0].name;
  } else if (!m.functions.some((f) => f.name === fnName)) {
    throw new UsageError(`There is no function ${fnName} in ${m.file}.`, `Functions: ${m.functions.map((f) => f.name).join(', ') || '(none)'}.`);
  }
  const target = await targetFor(ctx, m);
  const { fc } = await makeApis(ctx, target);
  const svc = m.service.name;
  const trigger = await fc.getTrigger(svc, fnName, HTTP_TRIGGER_NAME);
  if (!trigger) {
    const deployed = await fc.getFunction(svc, fnName);
    throw new FcxError(deployed ? `Function ${fnName} has no HTTP trigger in ${target.region}.` : `Function ${fnName} is not deployed in ${target.region}.`, {
      hint: deployed
        ? `Add http: to the function in fcx.yaml and run \`fcx deploy${ctx.global.local ? ' --local' : ''}\`.`
        : `Deploy it first: fcx deploy${ctx.global.local ? ' --local' : ''}`,
    });
  }
  const auth = String(triggerConfigOf(trigger).authType ?? 'anonymous').toLowerCase();
  const rawPath = o.path ?? '/';
  const [pathPart, queryPart = ''] = (rawPath.startsWith('/') ? rawPath : `/${rawPath}`).split(/\?(.*)/s, 2);
  const query = new URLSearchParams(queryPart);

  let url: string;
  const reqHeaders: Record<string, string> = { ...headers };
  if (body && !reqHeaders['content-type']) reqHeaders['content-type'] = 'application/octet-stream';
  if (auth === 'function') {
    // Signed requests go to the account endpoint's proxy path, whose signature covers path and query.
    const proxyPath = `/proxy/${svc}/${fnName}${pathPart}`;
    const q: Record<string, string | string[]> = {};
    for (const k of new Set(query.keys())) {
      const all = query.getAll(k);
      q[k] = all.length === 1 ? all[0] : all;
    }
    const signed = fc.signHeaders(method, proxyPath, q, reqHeaders);
    delete signed.host;
    for (const [k, v] of Object.entries(signed)) if (v !== undefined && v !== null) reqHeaders[k] = String(v);
    url = `${target.endpoints.fc}/2016-08-15${proxyPath}${queryPart ? `?${query.toString()}` : ''}`;
  } else {
    const base = String(trigger.urlInternet || triggerUrl(target, svc, fnName)).replace(/\/+$/, '');
    url = `${base}${pathPart}${queryPart ? `?${query.toString()}` : ''}`;
  }

  const started = Date.now();
  let res: Response;
  try {
    res = await fetch(url, { method, headers: reqHeaders, body: body && method !== 'GET' && method !== 'HEAD' ? new Uint8Array(body) : undefined, signal: ctx.signal, redirect: 'manual' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new FcxError(`Could not reach ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}.`, {
      hint: target.local ? 'Is the emulator running? Start it with: fcx emulator' : 'Check your network, or run `fcx info` to see the URL.',
    });
  }
  const buf = Buffer.from(await res.arrayBuffer());
  const requestId = res.headers.get('x-fc-request-id') ?? '';
  const resHeaders: Record<string, string> = {};
  res.headers.forEach((v, k) => (resHeaders[k] = v));
  if (ui.json) ui.data({ status: res.status, headers: resHeaders, ...jsonBody(buf), requestId: requestId || null });
  else ui.out.write(buf);
  const ms = Date.now() - started;
  ui.info(`${res.status >= 200 && res.status < 300 ? ui.c.green(`HTTP ${res.status}`) : ui.c.red(`HTTP ${res.status}`)} ${res.statusText} · ${ms} ms · request id ${requestId || '(none)'}`);
  if (requestId) ui.info(`Logs of this request: ${logsCommand(ctx, fnName, requestId)}`);
  const errType = res.headers.get('x-fc-error-type');
  if (errType) ui.warn(`the function failed (${errType}).`);
  return res.status >= 200 && res.status < 300 && !errType ? 0 : 1;
}

function logsCommand(ctx: Context, fn: string, requestId: string): string {
  const parts = ['fcx', 'logs', fn, '--request-id', requestId];
  if (ctx.global.config && ctx.global.config !== 'fcx.yaml') parts.push('-c', ctx.global.config);
  if (ctx.global.region) parts.push('--region', ctx.global.region);
  if (ctx.global.local) parts.push('--local');
  return parts.join(' ');
}
