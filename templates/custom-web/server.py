# {{name}}: the HTTP server of a custom-runtime function (Python standard library only).
# FC forwards each HTTP request here with an x-fc-request-id header; one log line per request goes
# to stdout, where FC collects it (find it with `fcx logs --request-id <id>`).
import html
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

GREETING = os.environ.get('GREETING', 'Hello')
PORT = int(os.environ.get('FC_SERVER_PORT', '9000'))


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def handle_any(self):
        url = urlsplit(self.path)
        request_id = self.headers.get('x-fc-request-id', '-')
        length = int(self.headers.get('content-length') or 0)
        if length:
            self.rfile.read(length)
        params = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        print('%s %s' % (self.command, url.path), flush=True)
        info = {'message': '%s from {{name}}' % GREETING, 'method': self.command, 'path': url.path, 'query': url.query,
                'params': params, 'requestId': request_id}
        if 'application/json' in (self.headers.get('accept') or ''):
            body = json.dumps(info, ensure_ascii=False).encode('utf-8')
            content_type = 'application/json; charset=utf-8'
        else:
            rows = ''.join('<tr><th>%s</th><td><code>%s</code></td></tr>' % (html.escape(k), html.escape(v if isinstance(v, str) else json.dumps(v)))
                           for k, v in info.items() if k not in ('message', 'params'))
            body = ('<!doctype html><html><head><meta charset="utf-8"><title>{{name}}</title></head><body><h1>%s</h1><table>%s</table>'
                    '<p>Ask for JSON with <code>Accept: application/json</code>.</p></body></html>' % (html.escape(info['message']), rows)).encode('utf-8')
            content_type = 'text/html; charset=utf-8'
        self.send_response(200)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = handle_any

    def log_message(self, fmt, *args):
        pass  # one line per request is printed above; no second access log


if __name__ == '__main__':
    print('listening on 0.0.0.0:%d' % PORT, file=sys.stderr, flush=True)
    HTTPServer(('0.0.0.0', PORT), Handler).serve_forever()
