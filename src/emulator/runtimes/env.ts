// What a function process sees: its environment variables (FC's FC_* variables, the user's own) and, for
// custom runtimes, the x-fc-* headers on every request (wire-protocol §6.3).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FunctionRuntimeSpec } from './manager';

// Only these come from the emulator's own environment: the function must not see the host's cloud
// credentials or fcx settings, but it needs PATH/HOME/locale (and pyenv/nvm shims) to run at all.
const HOST_VARS = /^(PATH|HOME|USER|LOGNAME|SHELL|LANG|LANGUAGE|LC_[A-Z]+|TMPDIR|TEMP|TMP|PYENV_[A-Z_]+|NVM_[A-Z_]+|SSL_CERT_FILE|SSL_CERT_DIR|NODE_EXTRA_CA_CERTS|SYSTEMROOT)$/;

export function newInstanceId(): string {
  // FC 2.0 instance ids look like "c-62833f38-1aa28d0ef4d44a6f9a73".
  return `c-${Math.floor(Date.now() / 1000).toString(16).padStart(8, '0')}-${randomBytes(10).toString('hex')}`;
}

export function functionEnv(fn: FunctionRuntimeSpec, codeDir: string, instanceID: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && HOST_VARS.test(k)) env[k] = v;
  env.TZ = 'UTC'; // FC instances run in UTC
  Object.assign(env, fn.environmentVariables);
  const c = fn.credentials;
  Object.assign(env, {
    FC_FUNC_CODE_PATH: codeDir,
    FC_FUNCTION_NAME: fn.functionName,
    FC_FUNCTION_HANDLER: fn.handler,
    FC_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    FC_FUNCTION_TIMEOUT: String(fn.timeout),
    FC_SERVICE_NAME: fn.serviceName,
    FC_QUALIFIER: fn.qualifier,
    FC_VERSION_ID: '',
    FC_REGION: fn.region,
    FC_ACCOUNT_ID: fn.accountId,
    FC_INSTANCE_ID: instanceID,
    FC_RUNTIME: fn.runtime,
    FC_SERVICE_LOG_PROJECT: fn.logConfig?.project ?? '',
    FC_SERVICE_LOG_STORE: fn.logConfig?.logstore ?? '',
    ...(c ? { ALIBABA_CLOUD_ACCESS_KEY_ID: c.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: c.accessKeySecret, ALIBABA_CLOUD_SECURITY_TOKEN: c.securityToken } : {}),
    ...extra,
  });
  return env;
}

/** The x-fc-* headers FC sends to a custom runtime with every request. */
export function customRuntimeHeaders(fn: FunctionRuntimeSpec, requestId: string, controlPath: string): Record<string, string> {
  const c = fn.credentials;
  return {
    'x-fc-request-id': requestId,
    'x-fc-access-key-id': c?.accessKeyId ?? '',
    'x-fc-access-key-secret': c?.accessKeySecret ?? '',
    'x-fc-security-token': c?.securityToken ?? '',
    'x-fc-function-name': fn.functionName,
    'x-fc-function-handler': fn.handler,
    'x-fc-function-memory': String(fn.memorySize),
    'x-fc-function-initializer': fn.initializer ?? '',
    'x-fc-initialization-timeout': String(fn.initializationTimeout),
    'x-fc-region': fn.region,
    'x-fc-account-id': fn.accountId,
    'x-fc-qualifier': fn.qualifier,
    'x-fc-version-id': '',
    'x-fc-service-name': fn.serviceName,
    'x-fc-service-logproject': fn.logConfig?.project ?? '',
    'x-fc-service-logstore': fn.logConfig?.logstore ?? '',
    'x-fc-control-path': controlPath,
  };
}

/** The JSON the built-in runtimes read from FCX_RUNTIME_CONFIG. */
export function runtimeConfig(fn: FunctionRuntimeSpec, codeDir: string): string {
  return JSON.stringify({
    codeDir,
    handler: fn.handler,
    initializer: fn.initializer || '',
    concurrency: fn.instanceConcurrency,
    region: fn.region,
    accountId: fn.accountId,
    credentials: fn.credentials ?? null,
    function: {
      name: fn.functionName,
      handler: fn.handler,
      memory: fn.memorySize,
      timeout: fn.timeout,
      initializer: fn.initializer || '',
      initializationTimeout: fn.initializationTimeout,
    },
    service: { name: fn.serviceName, logProject: fn.logConfig?.project ?? '', logStore: fn.logConfig?.logstore ?? '', qualifier: fn.qualifier, versionId: '' },
  });
}

let python: Promise<string> | undefined;
/**
 * The Python interpreter that runs python3.9/python3.10 functions: $FCX_PYTHON or the machine's python3,
 * resolved once to its real path (a pyenv shim is a shell script that costs ~100 ms per start).
 */
export function pythonExecutable(): Promise<string> {
  if (!python) {
    const cmd = process.env.FCX_PYTHON || 'python3';
    python = new Promise((resolve) => {
      execFile(cmd, ['-c', 'import sys; print(sys.executable)'], { timeout: 15000 }, (err, stdout) => {
        const exe = String(stdout || '').trim();
        resolve(!err && exe ? exe : cmd);
      });
    });
  }
  return python;
}

/** Peak resident memory of a process in MB (Linux), for "Max Memory Used". */
export function maxMemoryMB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
