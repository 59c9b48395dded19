// The manifest after loading, interpolation, validation and defaults: what deploy, logs and domain work from.
// Produced by loadManifest() in ./load.ts. Paths are absolute.

export type Runtime = 'python3.9' | 'python3.10' | 'nodejs16' | 'nodejs18' | 'nodejs20' | 'custom' | 'custom.debian10';
export const RUNTIMES: Runtime[] = ['python3.9', 'python3.10', 'nodejs16', 'nodejs18', 'nodejs20', 'custom', 'custom.debian10'];
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH' | 'OPTIONS';
export const HTTP_METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'];

export type RoleSetting = { kind: 'auto' } | { kind: 'none' } | { kind: 'arn'; arn: string } | { kind: 'name'; name: string };
export type LogsSetting = { kind: 'auto' } | { kind: 'none' } | { kind: 'explicit'; project: string; logstore: string };

export interface HttpTriggerSpec {
  auth: 'anonymous' | 'function';
  methods: HttpMethod[];
}

export interface FunctionSpec {
  name: string; // key under functions:
  runtime: Runtime;
  handler: string;
  source: string; // absolute folder or .zip
  memory: number; // MB
  timeout: number; // seconds
  concurrency: number;
  initializer?: string;
  initializationTimeout?: number;
  env: Record<string, string>; // exact strings as the user wrote them
  port?: number; // custom runtimes (caPort)
  build: 'auto' | 'none'; // dependency install
  http?: HttpTriggerSpec;
  description?: string;
}

export interface RouteSpec {
  path: string; // "/*", "/api/*", "/exact"
  function: string;
  methods?: HttpMethod[];
  qualifier?: string;
}

export interface DomainSpec {
  name: string;
  protocol: 'HTTP' | 'HTTPS' | 'HTTP,HTTPS';
  certificate?: string; // PEM text (file already read)
  privateKey?: string; // PEM text (file already read)
  certificateSource?: string; // where it came from, for messages (an absolute path when it is a file)
  privateKeySource?: string; // the key's absolute file path when it came from a file (kept out of packages)
  routes: RouteSpec[];
}

export interface Manifest {
  file: string; // absolute path of fcx.yaml
  dir: string; // folder of fcx.yaml
  name: string;
  region?: string;
  service: {
    name: string;
    role: RoleSetting;
    logs: LogsSetting;
    internetAccess: boolean;
    description?: string;
  };
  codeBucket: { kind: 'auto' } | { kind: 'named'; name: string };
  functions: FunctionSpec[]; // in manifest order
  domains: DomainSpec[];
}
