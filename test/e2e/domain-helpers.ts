// Shared by the domain end-to-end tests: a small multi-function app, requests by Host header, and an FC client
// (the real cloud layer) pointed at the test emulator to set up "someone else's" routes.
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { FcApi } from '../../src/cloud/fc';
import { endpointsFor } from '../../src/cloud/target';
import { LOCAL_CREDS } from '../helpers/emulator';

/** Every function answers with its NAME, the path and method it saw: enough to tell which route served a request. */
const HANDLER = `import json, os

def handler(environ, start_response):
    body = json.dumps({"fn": os.environ.get("NAME"), "path": environ.get("PATH_INFO"), "method": environ.get("REQUEST_METHOD")}).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
`;

export function writeApp(dir: string, opts: { name?: string; functions?: string[]; domains?: string; header?: string } = {}): string {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src', 'index.py'), HANDLER);
  const fns = (opts.functions ?? ['web'])
    .map((f) => `  ${f}:\n    runtime: python3.10\n    handler: index.handler\n    source: ./src\n    env: { NAME: ${f} }\n    http:\n      auth: anonymous\n`)
    .join('');
  const text = `${opts.header ?? ''}name: ${opts.name ?? 'hello'}\nregion: cn-hangzhou\nservice:\n  role: none\n  logs: none\nfunctions:\n${fns}${opts.domains ?? ''}`;
  writeFileSync(join(dir, 'fcx.yaml'), text);
  return text;
}

export interface HostResponse {
  status: number;
  body: string;
  json?: any;
  headers: http.IncomingHttpHeaders;
}

/** A request with a chosen Host header (fetch does not allow setting Host). */
export function hostRequest(baseUrl: string, host: string, path: string, method = 'GET'): Promise<HostResponse> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path, method, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        let json: any;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body, json, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export function fcFor(endpoint: string): FcApi {
  const target = {
    region: LOCAL_CREDS.region,
    accountId: LOCAL_CREDS.accountId,
    credentials: { accessKeyId: LOCAL_CREDS.accessKeyId, accessKeySecret: LOCAL_CREDS.accessKeySecret, source: 'test' },
    endpoint,
    local: true,
    endpoints: endpointsFor(LOCAL_CREDS.region, LOCAL_CREDS.accountId, endpoint),
  };
  return new FcApi(target, undefined);
}

export const CNAME = `${LOCAL_CREDS.accountId}.${LOCAL_CREDS.region}.fc.aliyuncs.com`;
