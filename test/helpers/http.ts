// node:http rather than fetch for requests that set Host: fetch silently replaces the Host header, and custom
// domains are routed by it.
import * as http from 'node:http';

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export function httpRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
