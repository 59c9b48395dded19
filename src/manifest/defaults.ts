// Defaults applied by loadManifest() and the limits the manifest is checked against. One place, so the
// JSON Schema, the validator, `fcx init` and the docs all say the same thing.
import { HTTP_METHODS, type HttpMethod, type Runtime } from './types';

export const MANIFEST_FILE = 'fcx.yaml';
/** Used by `fcx init` and by commands when neither fcx.yaml, --region nor a profile names a region. */
export const DEFAULT_REGION = 'cn-hangzhou';

/**
 * App names become the FC service name and part of derived SLS project and OSS bucket names (which are
 * lowercase, at most 63 characters, and get a suffix such as the account id), hence 2–40 characters.
 */
export const APP_NAME_PATTERN = '^[a-z][a-z0-9-]{0,38}[a-z0-9]$';
export const APP_NAME_MAX = 40;
/** Alibaba Cloud region ids: cn-hangzhou, ap-southeast-1, us-west-1, … */
export const REGION_PATTERN = '^[a-z]{2,}(-[a-z0-9]+)+$';

export const FUNCTION_DEFAULTS = {
  /** FC's own default: a manifest without `memory` matches what FC would pick. */
  memory: 128,
  /** FC's default of 3 s is too short for a web request after a cold start; FC's Python SDK sends 60. */
  timeout: 60,
  concurrency: 1,
  /** Used only when `initializer` is set; FC's 3 s default is too short for most imports. */
  initializationTimeout: 30,
  /** `.` = the folder of fcx.yaml. */
  source: '.',
  build: 'auto' as const,
  /** Custom runtimes must listen on this port (FC's caPort default, env FC_SERVER_PORT). */
  port: 9000,
  /** FC requires a handler string even for custom runtimes, where it is not used. */
  customHandler: 'index.handler',
};

export const FUNCTION_LIMITS = {
  memory: { min: 128, max: 32768, multipleOf: 64 },
  /** FC 2.0 accepts up to 86400 s (24 h); elastic instances may be capped lower by the cloud. */
  timeout: { min: 1, max: 86400 },
  concurrency: { min: 1, max: 200 },
  initializationTimeout: { min: 1, max: 300 },
  port: { min: 1, max: 65535 },
};

/** FC's limit on a function's environment variables, names and values together. */
export const ENV_MAX_BYTES = 4096;

export const HTTP_DEFAULTS = {
  /** A web API is public by design; `auth: function` requires FC-signed requests. */
  auth: 'anonymous' as const,
  methods: [...HTTP_METHODS] as HttpMethod[],
};

export const DOMAIN_DEFAULTS = {
  protocol: 'HTTP' as const,
};

export const SERVICE_DEFAULTS = {
  role: 'auto',
  logs: 'auto',
  internetAccess: true,
};

export const CUSTOM_RUNTIMES: readonly Runtime[] = ['custom', 'custom.debian10'];
export function isCustomRuntime(r: string): boolean {
  return (CUSTOM_RUNTIMES as readonly string[]).includes(r);
}
