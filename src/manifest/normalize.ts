// Validated plain values → the normalized Manifest: defaults applied, paths made absolute, certificates
// read, and the rules that look at several fields at once (routes → functions with triggers, HTTPS →
// certificate, port → custom runtime, …). Problems are collected, never thrown one by one.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DOMAIN_DEFAULTS, ENV_MAX_BYTES, FUNCTION_DEFAULTS, HTTP_DEFAULTS, isCustomRuntime, SERVICE_DEFAULTS } from './defaults';
import { looksLikePem, normalizePem, pemLabels } from './pem';
import { closest } from './suggest';
import { childPath, type Pos, type RawProblem } from './tree';
import type { PositionIndex } from './validate';
import type { DomainSpec, FunctionSpec, HttpMethod, HttpTriggerSpec, LogsSetting, Manifest, RoleSetting, RouteSpec, Runtime } from './types';

interface RawHttp {
  auth?: 'anonymous' | 'function';
  methods?: HttpMethod[];
}
interface RawFunction {
  runtime?: Runtime;
  handler?: string;
  source?: string;
  memory?: number;
  timeout?: number;
  concurrency?: number;
  initializer?: string;
  initializationTimeout?: number;
  env?: Record<string, string>;
  port?: number;
  build?: 'auto' | 'none';
  description?: string;
  http?: boolean | RawHttp;
}
type RawRoute = string | { function?: string; methods?: HttpMethod[]; qualifier?: string };
interface RawDomain {
  protocol?: DomainSpec['protocol'];
  certificate?: string;
  privateKey?: string;
  routes?: Record<string, RawRoute>;
}
export interface RawManifest {
  name?: string;
  region?: string;
  service?: { name?: string; role?: string; logs?: 'auto' | 'none' | { project?: string; logstore?: string }; internetAccess?: boolean; description?: string };
  codeBucket?: string;
  functions?: Record<string, RawFunction>;
  domains?: Record<string, RawDomain>;
}

export interface NormalizeInput {
  raw: RawManifest;
  positions: PositionIndex;
  file: string; // absolute
  dir: string; // absolute
  region?: string; // --region wins over the manifest
}

export function normalize(input: NormalizeInput): { manifest: Manifest; problems: RawProblem[] } {
  const { raw, positions, dir } = input;
  const problems: RawProblem[] = [];
  const at = (path: string, which: 'key' | 'value' = 'value'): Pos => {
    const p = positions.get(path);
    return (which === 'key' ? p?.keyPos ?? p?.valuePos : p?.valuePos ?? p?.keyPos) ?? { line: 1, col: 1 };
  };
  const problem = (path: string, message: string, which: 'key' | 'value' = 'value') => problems.push({ pos: at(path, which), path, message });

  const name = raw.name ?? '';
  const svc = raw.service ?? {};
  const role = roleSetting(svc.role ?? SERVICE_DEFAULTS.role);
  const logs = logsSetting(svc.logs ?? (SERVICE_DEFAULTS.logs as 'auto'));
  if (role.kind === 'none' && logs.kind !== 'none') {
    problem(
      'service.role',
      `role: none leaves FC no way to write logs to SLS (logs is ${logs.kind === 'auto' ? 'auto' : 'set'}); use role: auto or a role name, or set logs: none`,
    );
  }

  // Functions.
  const functions: FunctionSpec[] = [];
  const seenNames = new Map<string, string>();
  for (const [fname, f] of Object.entries(raw.functions ?? {})) {
    const fpath = childPath('functions', fname);
    const lower = fname.toLowerCase();
    const first = seenNames.get(lower);
    if (first !== undefined) problem(fpath, `function '${fname}' has the same name as '${first}' (FC function names are not case-sensitive); rename one`, 'key');
    else seenNames.set(lower, fname);

    const runtime = f.runtime;
    const custom = runtime !== undefined && isCustomRuntime(runtime);
    if (runtime && !custom && f.handler === undefined && !positions.has(childPath(fpath, 'handler'))) {
      problem(fpath, `missing required key 'handler' for runtime ${runtime} (<module path>.<function>, such as index.handler)`, 'key');
    }
    if (f.port !== undefined && runtime && !custom) {
      problem(childPath(fpath, 'port'), `port is only for custom runtimes (custom, custom.debian10); a ${runtime} function is called through its handler — remove port`, 'key');
    }
    if (f.initializationTimeout !== undefined && f.initializer === undefined && !positions.has(childPath(fpath, 'initializer'))) {
      problem(childPath(fpath, 'initializationTimeout'), 'initializationTimeout is set but there is no initializer; add initializer: <module>.<function> or remove it', 'key');
    }

    if (f.env) {
      // FC refuses a function whose variables exceed 4 KB in total (names and values, UTF-8).
      const bytes = Object.entries(f.env).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
      if (bytes > ENV_MAX_BYTES) {
        problem(childPath(fpath, 'env'), `environment variables take ${bytes} bytes; FC allows ${ENV_MAX_BYTES} in total — move large values to a file in the package or to OSS`, 'key');
      }
    }

    const sourceRel = f.source ?? FUNCTION_DEFAULTS.source;
    const source = isAbsolute(sourceRel) ? sourceRel : resolve(dir, sourceRel);
    if (f.source !== undefined) {
      const check = sourceProblem(source, sourceRel);
      if (check) problem(childPath(fpath, 'source'), check);
    }

    let http: HttpTriggerSpec | undefined;
    if (f.http === true) http = { auth: HTTP_DEFAULTS.auth, methods: [...HTTP_DEFAULTS.methods] };
    else if (f.http && typeof f.http === 'object') http = { auth: f.http.auth ?? HTTP_DEFAULTS.auth, methods: f.http.methods ? [...f.http.methods] : [...HTTP_DEFAULTS.methods] };

    const spec: FunctionSpec = {
      name: fname,
      runtime: runtime ?? 'python3.10',
      handler: f.handler ?? FUNCTION_DEFAULTS.customHandler,
      source,
      memory: f.memory ?? FUNCTION_DEFAULTS.memory,
      timeout: f.timeout ?? FUNCTION_DEFAULTS.timeout,
      concurrency: f.concurrency ?? FUNCTION_DEFAULTS.concurrency,
      env: { ...(f.env ?? {}) },
      build: f.build ?? FUNCTION_DEFAULTS.build,
    };
    if (f.initializer !== undefined) {
      spec.initializer = f.initializer;
      spec.initializationTimeout = f.initializationTimeout ?? FUNCTION_DEFAULTS.initializationTimeout;
    }
    if (custom) spec.port = f.port ?? FUNCTION_DEFAULTS.port;
    if (http) spec.http = http;
    if (f.description !== undefined) spec.description = f.description;
    functions.push(spec);
  }

  // Domains.
  const byName = new Map(functions.map((f) => [f.name, f]));
  const domains: DomainSpec[] = [];
  for (const [dname, d] of Object.entries(raw.domains ?? {})) {
    const dpath = childPath('domains', dname);
    const protocol = d.protocol ?? DOMAIN_DEFAULTS.protocol;
    const wantsTls = protocol !== 'HTTP';
    const spec: DomainSpec = { name: dname, protocol, routes: [] };

    const hasCert = d.certificate !== undefined || positions.has(childPath(dpath, 'certificate'));
    const hasKey = d.privateKey !== undefined || positions.has(childPath(dpath, 'privateKey'));
    if (wantsTls && !hasCert && !hasKey) {
      problem(childPath(dpath, 'protocol'), `protocol ${protocol} needs certificate: and privateKey: (file paths or PEM text)`);
    } else if (!wantsTls && (hasCert || hasKey)) {
      problem(
        positions.has(childPath(dpath, 'protocol')) ? childPath(dpath, 'protocol') : childPath(dpath, hasCert ? 'certificate' : 'privateKey'),
        `a certificate is given but protocol is HTTP; set protocol: HTTPS (or HTTP,HTTPS), or remove the certificate`,
        positions.has(childPath(dpath, 'protocol')) ? 'value' : 'key',
      );
    } else if (hasCert !== hasKey) {
      problem(dpath, `${hasCert ? 'privateKey' : 'certificate'} is missing; HTTPS needs both certificate: and privateKey:`, 'key');
    }
    if (d.certificate !== undefined) {
      const r = readPem(d.certificate, dir, 'certificate');
      if (r.error) problem(childPath(dpath, 'certificate'), r.error);
      else {
        spec.certificate = r.pem;
        spec.certificateSource = r.source;
      }
    }
    if (d.privateKey !== undefined) {
      const r = readPem(d.privateKey, dir, 'privateKey');
      if (r.error) problem(childPath(dpath, 'privateKey'), r.error);
      else {
        spec.privateKey = r.pem;
        if (r.source && isAbsolute(r.source)) spec.privateKeySource = r.source;
      }
    }

    for (const [path, route] of Object.entries(d.routes ?? {})) {
      const rpath = childPath(childPath(dpath, 'routes'), path);
      const target = typeof route === 'string' ? route : route.function;
      if (target === undefined) continue; // already reported by the schema
      const targetPath = typeof route === 'string' ? rpath : childPath(rpath, 'function');
      const fn = byName.get(target);
      if (!fn) {
        const guess = closest(target, [...byName.keys()]);
        problem(
          targetPath,
          `route ${path} points to function '${target}', which is not in functions:${guess ? `; did you mean '${guess}'?` : byName.size ? ` (functions: ${[...byName.keys()].join(', ')})` : ''}`,
        );
        continue;
      }
      if (!fn.http) {
        problem(targetPath, `route ${path} points to function '${target}', which has no HTTP trigger; add http: true (or http: {auth, methods}) to functions.${target}`);
        continue;
      }
      const r: RouteSpec = { path, function: target };
      if (typeof route === 'object') {
        if (route.methods) {
          const outside = route.methods.filter((m) => !fn.http!.methods.includes(m));
          if (outside.length) {
            problem(childPath(rpath, 'methods'), `method${outside.length > 1 ? 's' : ''} ${outside.join(', ')} not allowed by the HTTP trigger of '${target}' (it allows ${fn.http.methods.join(', ')})`);
          }
          r.methods = [...route.methods];
        }
        if (route.qualifier !== undefined) r.qualifier = route.qualifier;
      }
      spec.routes.push(r);
    }
    domains.push(spec);
  }

  const manifest: Manifest = {
    file: input.file,
    dir,
    name,
    region: input.region ?? raw.region,
    service: {
      name: svc.name ?? name,
      role,
      logs,
      internetAccess: svc.internetAccess ?? SERVICE_DEFAULTS.internetAccess,
    },
    codeBucket: raw.codeBucket && raw.codeBucket !== 'auto' ? { kind: 'named', name: raw.codeBucket } : { kind: 'auto' },
    functions,
    domains,
  };
  if (svc.description !== undefined) manifest.service.description = svc.description;
  return { manifest, problems };
}

function roleSetting(v: string): RoleSetting {
  if (v === 'auto') return { kind: 'auto' };
  if (v === 'none') return { kind: 'none' };
  if (v.startsWith('acs:ram::')) return { kind: 'arn', arn: v };
  return { kind: 'name', name: v };
}

function logsSetting(v: 'auto' | 'none' | { project?: string; logstore?: string }): LogsSetting {
  if (v === 'auto' || v === 'none') return { kind: v };
  return { kind: 'explicit', project: v.project ?? '', logstore: v.logstore ?? '' };
}

function sourceProblem(abs: string, rel: string): string | undefined {
  if (!existsSync(abs)) return `source ${rel} does not exist (looked for ${abs}); create it or fix the path`;
  const st = statSync(abs);
  if (st.isDirectory()) return undefined;
  if (st.isFile() && abs.toLowerCase().endsWith('.zip')) return undefined;
  return `source ${rel} is neither a folder nor a .zip file`;
}

function readPem(value: string, dir: string, field: 'certificate' | 'privateKey'): { pem?: string; source?: string; error?: string } {
  let text: string;
  let source: string;
  if (looksLikePem(value)) {
    text = value;
    source = 'inline PEM in fcx.yaml';
  } else {
    const file = isAbsolute(value) ? value : resolve(dir, value);
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { error: `cannot read ${field} file ${value} (${code === 'ENOENT' ? 'no such file' : code ?? 'unreadable'}; looked at ${file}); give a file path relative to fcx.yaml or the PEM text` };
    }
    source = file;
    if (!looksLikePem(text)) return { error: `${field} file ${value} is not PEM (no "-----BEGIN" line); FC needs PEM text` };
  }
  const pem = normalizePem(text);
  const labels = pemLabels(pem);
  if (field === 'certificate' && !labels.includes('CERTIFICATE')) {
    return { error: `expected a PEM certificate (-----BEGIN CERTIFICATE-----), got ${labels.map((l) => `"${l}"`).join(', ') || 'no PEM block'}` };
  }
  if (field === 'privateKey' && !labels.some((l) => l.endsWith('PRIVATE KEY'))) {
    return { error: `expected a PEM private key (-----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY), got ${labels.map((l) => `"${l}"`).join(', ') || 'no PEM block'}` };
  }
  return { pem, source };
}
