// Runs deployed functions for the emulator's FC service. Interface first; the implementation follows.
import type { LogSink } from '../types';

export interface FunctionRuntimeSpec {
  serviceName: string;
  functionName: string;
  qualifier: string;
  runtime: string;
  handler: string;
  initializer?: string;
  initializationTimeout: number;
  timeout: number;
  memorySize: number;
  instanceConcurrency: number;
  environmentVariables: Record<string, string>;
  caPort: number;
  customRuntimeConfig?: { command?: string[]; args?: string[] };
  codeChecksum: string;
  codeBlobPath: string; // the zip on disk
  logConfig?: { project: string; logstore: string; logBeginRule?: string };
  region: string;
  accountId: string;
  credentials?: { accessKeyId: string; accessKeySecret: string; securityToken: string };
}

export interface HttpInvocation {
  requestId: string;
  method: string;
  path: string; // PATH_INFO the function sees
  rawQuery: string;
  requestURI: string; // fc.request_uri
  headers: Array<[string, string]>; // already filtered
  body: Buffer;
  clientIP: string;
  basePath?: string;
  host?: string;
}

export interface HttpResult {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
  errorType?: string;
}

export interface EventInvocation {
  requestId: string;
  payload: Buffer;
  logTail: boolean;
  async: boolean;
}

export interface EventResult {
  body: Buffer;
  errorType?: string;
  logResult?: string; // base64 for x-fc-log-result
  durationMs: number;
}

export class RuntimeManager {
  constructor(private readonly opts: { workDir: string; logSink: LogSink }) {}

  async invokeHttp(_fn: FunctionRuntimeSpec, _inv: HttpInvocation): Promise<HttpResult> {
    const body = Buffer.from(JSON.stringify({ errorMessage: 'function runtimes are not implemented yet' }));
    return { status: 502, headers: [['content-type', 'application/json']], body, errorType: 'UnhandledInvocationError' };
  }

  async invokeEvent(_fn: FunctionRuntimeSpec, _inv: EventInvocation): Promise<EventResult> {
    const body = Buffer.from(JSON.stringify({ errorMessage: 'function runtimes are not implemented yet' }));
    return { body, errorType: 'UnhandledInvocationError', durationMs: 0 };
  }

  async retire(_serviceName: string, _functionName: string): Promise<void> {}

  async shutdown(): Promise<void> {}
}
