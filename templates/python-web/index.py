# {{name}}: a small web API on Alibaba Cloud Function Compute (Python 3.10, WSGI).
# FC calls handler(environ, start_response) for every HTTP request; environ['fc.context'] carries the
# request id. Each request logs one line; find it with `fcx logs --request-id <id>`.
import html
import json
import logging
import os
from urllib.parse import parse_qs

logger = logging.getLogger()
logger.setLevel(logging.INFO)

GREETING = os.environ.get('GREETING', 'Hello')


def handler(environ, start_response):
    context = environ.get('fc.context')
    request_id = getattr(context, 'request_id', None) or '-'
    method = environ.get('REQUEST_METHOD', 'GET')
    path = environ.get('PATH_INFO') or '/'
    query = environ.get('QUERY_STRING', '')
    params = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
    logger.info('%s %s', method, path)

    info = {'message': f'{GREETING} from {{name}}', 'method': method, 'path': path, 'query': query, 'params': params, 'requestId': request_id}
    if 'application/json' in environ.get('HTTP_ACCEPT', ''):
        body = json.dumps(info, ensure_ascii=False).encode('utf-8')
        content_type = 'application/json; charset=utf-8'
    else:
        body = render_html(info).encode('utf-8')
        content_type = 'text/html; charset=utf-8'
    start_response('200 OK', [('Content-Type', content_type), ('Content-Length', str(len(body)))])
    return [b''] if method == 'HEAD' else [body]


def render_html(info):
    rows = ''.join(
        f'<tr><th>{html.escape(k)}</th><td><code>{html.escape(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))}</code></td></tr>'
        for k, v in info.items() if k not in ('message', 'params')
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>{{name}}</title></head>'
        f'<body><h1>{html.escape(info["message"])}</h1><table>{rows}</table>'
        '<p>Ask for JSON with <code>Accept: application/json</code>.</p></body></html>'
    )
