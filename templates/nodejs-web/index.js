// {{name}}: a small web API on Alibaba Cloud Function Compute (Node.js, FC 2.0 HTTP handler).
// FC calls handler(req, resp, context) for every HTTP request; context.requestId identifies it.
// Each request logs one line; find it with `fcx logs --request-id <id>`.
'use strict';

const GREETING = process.env.GREETING || 'Hello';

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

exports.handler = (req, resp, context) => {
  const method = req.method || 'GET';
  const path = req.path || '/';
  console.log(`${method} ${path}`);
  const params = req.queries || {};
  const query = new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString();
  const info = { message: `${GREETING} from {{name}}`, method, path, query, params, requestId: context.requestId };
  const accept = (req.headers && req.headers.accept) || '';
  let body;
  if (accept.includes('application/json')) {
    resp.setHeader('Content-Type', 'application/json; charset=utf-8');
    body = JSON.stringify(info);
  } else {
    resp.setHeader('Content-Type', 'text/html; charset=utf-8');
    const rows = Object.entries(info)
      .filter(([k]) => k !== 'message' && k !== 'params')
      .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(typeof v === 'string' ? v : JSON.stringify(v))}</code></td></tr>`)
      .join('');
    body = `<!doctype html><html><head><meta charset="utf-8"><title>{{name}}</title></head><body><h1>${escapeHtml(info.message)}</h1><table>${rows}</table><p>Ask for JSON with <code>Accept: application/json</code>.</p></body></html>`;
  }
  resp.setStatusCode(200);
  resp.send(method === 'HEAD' ? '' : body);
};
