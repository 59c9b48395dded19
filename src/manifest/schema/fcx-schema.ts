// The one definition of fcx.yaml (DESIGN §2). The validator and schema/fcx.schema.json are both derived
// from it; cross-field rules that JSON Schema cannot say well live in ../rules.ts.
import { APP_NAME_PATTERN, CUSTOM_RUNTIMES, DOMAIN_DEFAULTS, FUNCTION_DEFAULTS, FUNCTION_LIMITS, HTTP_DEFAULTS, REGION_PATTERN, SERVICE_DEFAULTS } from '../defaults';
import { HTTP_METHODS, RUNTIMES } from '../types';
import { arr, bool, int, map, obj, str, text, union, type ObjectSchema } from './dsl';

export const FUNCTION_NAME_PATTERN = '^[_a-zA-Z][-_a-zA-Z0-9]{0,63}$';
export const HANDLER_PATTERN = '^[A-Za-z0-9_][-A-Za-z0-9_./]*\\.[A-Za-z_$][A-Za-z0-9_$]*$';
export const ENV_KEY_PATTERN = '^[a-zA-Z_][a-zA-Z0-9_]*$';
export const DOMAIN_PATTERN = '^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,62}$';
export const ROUTE_PATH_PATTERN = '^/[^*?#\\s]*\\*?$';

const method = str({ enum: HTTP_METHODS, description: 'An HTTP method FC triggers accept.' });
const methods = arr(method, {
  uniqueItems: true,
  minItems: 1,
  description: 'HTTP methods, a subset of GET POST PUT DELETE HEAD PATCH OPTIONS.',
});

const handler = str({
  pattern: HANDLER_PATTERN,
  expected: '<module path>.<function>, such as index.handler',
  description: 'Entry point: <module path>.<function>, e.g. index.handler (index.py / index.js exporting handler).',
});

const httpTrigger = union(
  [
    bool({ description: 'true: an anonymous HTTP trigger for every method; false: no trigger.' }),
    obj(
      {
        auth: str({
          enum: ['anonymous', 'function'],
          default: HTTP_DEFAULTS.auth,
          description: 'anonymous: anyone may call; function: requests must be signed with an Alibaba Cloud key.',
        }),
        methods: { ...methods, default: HTTP_DEFAULTS.methods },
      },
      { description: 'HTTP trigger settings.' },
    ),
  ],
  { description: 'An HTTP trigger for the function; omit for none. `http: true` = anonymous, all methods.' },
);

const functionSpec = obj(
  {
    runtime: str({ enum: RUNTIMES, description: 'FC 2.0 runtime.' }),
    handler,
    source: str({
      minLength: 1,
      default: FUNCTION_DEFAULTS.source,
      description: 'Folder or .zip to package, relative to fcx.yaml.',
    }),
    memory: int({
      minimum: FUNCTION_LIMITS.memory.min,
      maximum: FUNCTION_LIMITS.memory.max,
      multipleOf: FUNCTION_LIMITS.memory.multipleOf,
      default: FUNCTION_DEFAULTS.memory,
      expected: `a number of MB, a multiple of 64 from ${FUNCTION_LIMITS.memory.min} to ${FUNCTION_LIMITS.memory.max}`,
      description: 'Memory in MB, a multiple of 64.',
    }),
    timeout: int({
      minimum: FUNCTION_LIMITS.timeout.min,
      maximum: FUNCTION_LIMITS.timeout.max,
      default: FUNCTION_DEFAULTS.timeout,
      expected: `a number of seconds from ${FUNCTION_LIMITS.timeout.min} to ${FUNCTION_LIMITS.timeout.max}`,
      description: 'Seconds a request may run.',
    }),
    concurrency: int({
      minimum: FUNCTION_LIMITS.concurrency.min,
      maximum: FUNCTION_LIMITS.concurrency.max,
      default: FUNCTION_DEFAULTS.concurrency,
      description: 'Requests one instance serves at once (instanceConcurrency).',
    }),
    initializer: { ...handler, description: 'Optional initializer run once per instance: <module path>.<function>.' },
    initializationTimeout: int({
      minimum: FUNCTION_LIMITS.initializationTimeout.min,
      maximum: FUNCTION_LIMITS.initializationTimeout.max,
      description: `Seconds the initializer may run (default ${FUNCTION_DEFAULTS.initializationTimeout} when an initializer is set).`,
    }),
    env: map(
      str({ pattern: ENV_KEY_PATTERN, expected: 'a variable name: letters, digits and _, not starting with a digit' }),
      text({ description: 'Sent to FC as the exact text written here (0.10 stays "0.10").' }),
      { description: 'Environment variables; values are sent as the exact strings written.' },
    ),
    port: int({
      minimum: FUNCTION_LIMITS.port.min,
      maximum: FUNCTION_LIMITS.port.max,
      description: `Custom runtimes only: the port the app listens on (default ${FUNCTION_DEFAULTS.port}).`,
    }),
    build: str({
      enum: ['auto', 'none'],
      default: FUNCTION_DEFAULTS.build,
      description: 'auto: install requirements.txt / package.json dependencies into the package; none: package the folder as is.',
    }),
    description: str({ maxLength: 256 }),
    http: httpTrigger,
  },
  {
    required: ['runtime'],
    description: 'One FC function.',
    jsonSchemaExtra: {
      // Custom runtimes run their own server on `port`; the others need a handler and take no port.
      if: { properties: { runtime: { enum: [...CUSTOM_RUNTIMES] } }, required: ['runtime'] },
      then: {},
      else: { required: ['handler'], not: { required: ['port'] } },
      dependencies: { initializationTimeout: ['initializer'] },
    },
  },
);

const route = union(
  [
    str({ pattern: FUNCTION_NAME_PATTERN, expected: 'a function name from functions:', description: 'The function that serves this path.' }),
    obj(
      {
        function: str({ pattern: FUNCTION_NAME_PATTERN, expected: 'a function name from functions:' }),
        methods: { ...methods, description: 'Methods routed (default: all the trigger allows).' },
        qualifier: str({ pattern: '^[a-zA-Z0-9_-]{1,128}$', expected: 'LATEST, a version number or an alias name' }),
      },
      { required: ['function'] },
    ),
  ],
  { description: 'The function for this path, or { function, methods, qualifier }.' },
);

const domain = obj(
  {
    protocol: str({
      enum: ['HTTP', 'HTTPS', 'HTTP,HTTPS'],
      default: DOMAIN_DEFAULTS.protocol,
      description: 'HTTPS needs certificate and privateKey.',
    }),
    certificate: str({ minLength: 1, description: 'PEM certificate chain: a file path relative to fcx.yaml, or the PEM text (block scalar).' }),
    privateKey: str({ minLength: 1, description: 'PEM private key: a file path relative to fcx.yaml, or the PEM text (block scalar).' }),
    routes: map(
      str({ pattern: ROUTE_PATH_PATTERN, expected: 'a path starting with / with * only at the end, such as /* or /api/*' }),
      route,
      { minProperties: 1, description: 'Path → function. Exact paths beat wildcards; the longest wildcard prefix wins.' },
    ),
  },
  {
    required: ['routes'],
    description: 'A custom domain bound to functions.',
    jsonSchemaExtra: {
      // HTTPS needs a certificate and key; plain HTTP must not have them.
      if: { properties: { protocol: { enum: ['HTTPS', 'HTTP,HTTPS'] } }, required: ['protocol'] },
      then: { required: ['certificate', 'privateKey'] },
      else: { not: { anyOf: [{ required: ['certificate'] }, { required: ['privateKey'] }] } },
    },
  },
);

export const manifestSchema: ObjectSchema = obj(
  {
    name: str({
      pattern: APP_NAME_PATTERN,
      expected: '2–40 characters: lowercase letters, digits and -, starting with a letter and not ending with -',
      description: 'App name; names the FC service and the default resources.',
    }),
    region: str({
      pattern: REGION_PATTERN,
      expected: 'a region id such as cn-hangzhou',
      description: 'Alibaba Cloud region (overridden by --region).',
    }),
    service: obj(
      {
        name: str({ pattern: '^[_a-zA-Z][-_a-zA-Z0-9]{0,127}$', expected: 'an FC service name: letters, digits, - and _, starting with a letter or _', description: 'FC service name (default: name).' }),
        role: str({
          pattern: '^(auto|none|[a-zA-Z0-9.@-]{1,64}|acs:ram::[0-9]+:role/[a-zA-Z0-9.@/-]{1,128})$',
          default: SERVICE_DEFAULTS.role,
          expected: 'auto, none, a RAM role name or acs:ram::<uid>:role/<name>',
          description: 'auto: fcx creates/reuses a role for logging; none: no role; or a role name or ARN.',
        }),
        logs: union(
          [
            str({ enum: ['auto', 'none'], description: 'auto: fcx creates an SLS project and logstore; none: no logs.' }),
            obj(
              {
                project: str({ pattern: '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$', expected: 'an SLS project name (3–63 lowercase letters, digits, -)' }),
                logstore: str({ pattern: '^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$', expected: 'an SLS logstore name (3–63 lowercase letters, digits, - and _)' }),
              },
              { required: ['project', 'logstore'] },
            ),
          ],
          { default: SERVICE_DEFAULTS.logs, description: 'Where function logs go.' },
        ),
        internetAccess: bool({ default: SERVICE_DEFAULTS.internetAccess, description: 'May functions reach the internet.' }),
        description: str({ maxLength: 256 }),
      },
      { description: 'The FC 2.0 service that groups the functions.' },
    ),
    codeBucket: str({
      pattern: '^(auto|[a-z0-9][a-z0-9-]{1,61}[a-z0-9])$',
      default: 'auto',
      expected: 'auto or an OSS bucket name (3–63 lowercase letters, digits, -)',
      description: 'OSS bucket for code too large to send inline.',
    }),
    functions: map(
      str({ pattern: FUNCTION_NAME_PATTERN, expected: 'a function name: letters, digits, - and _, starting with a letter or _, at most 64 characters' }),
      functionSpec,
      { minProperties: 1, description: 'The functions of the app, by name.' },
    ),
    domains: map(
      str({ pattern: DOMAIN_PATTERN, maxLength: 253, expected: 'a lowercase DNS name such as api.example.com' }),
      domain,
      { description: 'Custom domains, by name.' },
    ),
  },
  {
    required: ['name', 'functions'],
    description: 'fcx app manifest (fcx.yaml). Top-level keys starting with x- are ignored (a place for YAML anchors).',
    extensionPrefix: 'x-',
  },
);
