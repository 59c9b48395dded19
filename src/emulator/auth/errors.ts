// Each cloud service's own error shape, for errors raised outside the service modules: signature checks here,
// injected faults (control.ts), and the front door (server.ts). The SDKs only recognise their service's shape.
import type { EmuRequest, EmuResponse, ServiceName } from '../types';

export function fcError(req: Pick<EmuRequest, 'id'>, status: number, code: string, message: string): EmuResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-fc-request-id': req.id },
    body: JSON.stringify({ ErrorCode: code, ErrorMessage: message, RequestId: req.id }),
    errorCode: code,
  };
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

export function ossError(req: Pick<EmuRequest, 'id' | 'method' | 'host'>, status: number, code: string, message: string, extra: Record<string, string> = {}): EmuResponse {
  const fields = Object.entries(extra).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n<Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message><RequestId>${req.id}</RequestId><HostId>${xmlEscape(req.host || 'oss')}</HostId>${fields}</Error>\n`;
  const headers: Record<string, string> = { 'content-type': 'application/xml', 'x-oss-request-id': req.id };
  // HEAD responses carry no body: ali-oss reads the error from x-oss-err (base64 of the XML) instead.
  if (req.method === 'HEAD') {
    headers['x-oss-err'] = Buffer.from(xml).toString('base64');
    return { status, headers, body: '', errorCode: code };
  }
  return { status, headers, body: xml, errorCode: code };
}

export function rpcError(req: Pick<EmuRequest, 'id'>, status: number, code: string, message: string, host = 'ram.aliyuncs.com'): EmuResponse {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=utf-8' },
    body: JSON.stringify({ RequestId: req.id, HostId: host, Code: code, Message: message, Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}` }),
    errorCode: code,
  };
}

export function slsError(req: Pick<EmuRequest, 'id'>, status: number, code: string, message: string): EmuResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-log-requestid': req.id },
    body: JSON.stringify({ errorCode: code, errorMessage: message }),
    errorCode: code,
  };
}

/** The service's own error shape for a given status/code/message. */
export function nativeError(service: ServiceName, req: Pick<EmuRequest, 'id' | 'method' | 'host'>, status: number, code: string, message: string): EmuResponse {
  switch (service) {
    case 'fc':
      return fcError(req, status, code, message);
    case 'oss':
      return ossError(req, status, code, message);
    case 'ram':
      return rpcError(req, status, code, message, 'ram.aliyuncs.com');
    case 'sts':
      return rpcError(req, status, code, message, 'sts.aliyuncs.com');
    case 'sls':
      return slsError(req, status, code, message);
  }
}
