// Shared shapes of the local cloud. server.ts parses each HTTP request into an EmuRequest, verifies its signature
// (auth/), and hands it to one service module (services/). Every service answers with an EmuResponse.

export type ServiceName = 'fc' | 'oss' | 'ram' | 'sts' | 'sls';

export interface EmulatorConfig {
  host: string; // 127.0.0.1 unless told otherwise
  port: number; // 0 = any free port
  dataDir: string;
  accessKeyId: string; // fcx-local-key
  accessKeySecret: string; // fcx-local-secret
  accountId: string; // 1234567890123456
  region: string; // cn-hangzhou
}

export const LOCAL_DEFAULTS = {
  accessKeyId: 'fcx-local-key',
  accessKeySecret: 'fcx-local-secret',
  accountId: '1234567890123456',
  region: 'cn-hangzhou',
  port: 9100,
} as const;

export interface EmuRequest {
  id: string; // the request id this call will answer with (uuid v4)
  method: string;
  rawPath: string; // as received, still percent-encoded, no query
  path: string; // percent-decoded
  rawQuery: string; // without '?'
  query: URLSearchParams;
  headers: Record<string, string>; // lower-case names; repeated headers joined with ', '
  rawHeaders: string[]; // as node gives them, for case-preserving needs
  body: Buffer;
  host: string; // Host header as sent (may lack a port)
  remoteAddress: string;
  receivedAt: number; // ms epoch
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
  /** For the request log (GET /_emulator/requests): the API action, e.g. CreateService, PutObject. */
  action?: string;
  /** The cloud error code when status >= 400, for the request log. */
  errorCode?: string;
}

/** Who signed the request. */
export interface Identity {
  accessKeyId: string;
  accountId: string;
  kind: 'root' | 'sts';
  securityToken?: string;
}

/** Durable state: documents in collections, blobs, and append-only logs. Every write is on disk when it returns. */
export interface Store {
  get<T>(collection: string, key: string): T | undefined;
  put<T>(collection: string, key: string, value: T): void;
  delete(collection: string, key: string): boolean;
  /** Sorted by key. */
  list<T>(collection: string, prefix?: string): Array<[string, T]>;
  writeBlob(id: string, data: Buffer): void;
  readBlob(id: string): Buffer;
  blobPath(id: string): string;
  hasBlob(id: string): boolean;
  deleteBlob(id: string): void;
  /** Clears everything (POST /_emulator/reset). */
  reset(): void;
}

/** Where function output goes: the SLS service implements it (services/sls.ts). */
export interface LogSink {
  /**
   * Writes rows into project/logstore the way FC does (topic = service name). Silently drops them when the
   * project or logstore does not exist, as FC does when the log config points nowhere.
   */
  writeFunctionLogs(target: { project: string; logstore: string }, meta: FunctionLogMeta, lines: Array<{ timeMs: number; message: string }>): void;
}

export interface FunctionLogMeta {
  serviceName: string;
  functionName: string;
  qualifier: string; // "LATEST"
  versionId: string; // ""
  instanceID: string;
}
