// XML in and out for the OSS service: the few response documents ali-oss parses, the <Error> document
// (wire-protocol §3), and a forgiving reader for the CompleteMultipartUpload part list.
import type { EmuResponse } from '../types';

export function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

function xmlUnescape(s: string): string {
  return s.replace(/&(lt|gt|amp|apos|quot|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'apos') return "'";
    if (e === 'quot') return '"';
    return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

export type XmlValue = string | number | boolean | undefined | XmlTree | XmlTree[];
export interface XmlTree { [tag: string]: XmlValue }

/** Serialises a nested object; arrays repeat the tag (OSS style: <Contents>…</Contents><Contents>…). */
export function toXml(tree: XmlTree): string {
  let out = '';
  for (const [tag, v] of Object.entries(tree)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) out += `<${tag}>${toXml(item)}</${tag}>`;
    else if (typeof v === 'object') out += `<${tag}>${toXml(v)}</${tag}>`;
    else out += `<${tag}>${xmlEscape(String(v))}</${tag}>`;
  }
  return out;
}

export function xmlDocument(tree: XmlTree): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + toXml(tree);
}

/** The parts of a CompleteMultipartUpload body, in document order. */
export function parseCompleteParts(xml: string): Array<{ partNumber: number; etag: string }> | undefined {
  if (!/<CompleteMultipartUpload[\s>]/.test(xml)) return undefined;
  const parts: Array<{ partNumber: number; etag: string }> = [];
  const re = /<Part>([\s\S]*?)<\/Part>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const num = /<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(m[1]);
    const etag = /<ETag>([\s\S]*?)<\/ETag>/.exec(m[1]);
    if (!num || !etag) return undefined;
    parts.push({ partNumber: Number(num[1]), etag: xmlUnescape(etag[1].trim()) });
  }
  return parts;
}

export const OSS_MESSAGES: Record<string, string> = {
  NoSuchBucket: 'The specified bucket does not exist.',
  NoSuchKey: 'The specified key does not exist.',
  NoSuchUpload: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  BucketAlreadyExists: 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
  BucketNotEmpty: 'The bucket you tried to delete is not empty.',
  InvalidBucketName: 'The specified bucket is not valid.',
  AccessDenied: 'You have no right to access this bucket.',
  InvalidDigest: 'The Content-MD5 you specified is not valid.',
  InvalidPart: 'One or more of the specified parts could not be found or the specified entity tag might not have matched the part\'s entity tag.',
  InvalidPartOrder: 'The list of parts was not in ascending order. Parts list must specified in order by part number.',
  InvalidArgument: 'Invalid argument.',
  MalformedXML: 'The XML you provided was not well-formed or did not validate against our published schema.',
  MethodNotAllowed: 'The specified method is not allowed against this resource.',
  NotImplemented: 'This operation is not supported by the fcx emulator.',
  InvalidObjectName: 'The specified object name is not valid.',
};

export interface OssErrorContext {
  requestId: string;
  bucket?: string;
  key?: string;
  method: string;
  action: string;
}

/** An OSS error answer: XML <Error> body, or for HEAD no body and the document in base64 `x-oss-err`. */
export function ossError(status: number, code: string, ctx: OssErrorContext, message?: string): EmuResponse {
  const doc = xmlDocument({
    Error: {
      Code: code,
      Message: message ?? OSS_MESSAGES[code] ?? code,
      RequestId: ctx.requestId,
      HostId: ctx.bucket ? `${ctx.bucket}.oss-emulator.local` : 'oss-emulator.local',
      BucketName: ctx.bucket,
      Key: ctx.key,
    },
  });
  const headers: Record<string, string> = { 'x-oss-request-id': ctx.requestId };
  if (ctx.method === 'HEAD') {
    headers['x-oss-err'] = Buffer.from(doc).toString('base64');
    return { status, headers, action: ctx.action, errorCode: code };
  }
  headers['content-type'] = 'application/xml';
  return { status, headers, body: doc, action: ctx.action, errorCode: code };
}
