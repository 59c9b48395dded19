// FC resources as stored (collections fc-services, fc-functions, fc-triggers, fc-domains) and as returned.
import type { KeySchema } from './fc-util';

export const COLL = { services: 'fc-services', functions: 'fc-functions', triggers: 'fc-triggers', domains: 'fc-domains' } as const;

export const functionKey = (svc: string, fn: string) => `${svc}/${fn}`;
export const triggerKey = (svc: string, fn: string, trig: string) => `${svc}/${fn}/${trig}`;
export const codeBlobId = (checksum: string) => `fc-code/${checksum}`;

export interface ServiceRecord {
  serviceName: string;
  serviceId: string;
  description: string;
  role: string;
  internetAccess: boolean;
  logConfig: { project: string; logstore: string; enableRequestMetrics?: boolean; enableInstanceMetrics?: boolean; logBeginRule?: string };
  vpcConfig: { vpcId: string; vSwitchIds: string[]; securityGroupId: string; role?: string };
  nasConfig: { userId: number; groupId: number; mountPoints: Array<{ serverAddr: string; mountDir: string; enableTLS?: boolean }> };
  tracingConfig: { type: string | null; params: unknown };
  createdTime: string;
  lastModifiedTime: string;
}

export interface FunctionRecord {
  functionName: string;
  functionId: string;
  description: string;
  runtime: string;
  handler: string;
  timeout: number;
  memorySize: number;
  initializer: string;
  initializationTimeout: number;
  instanceConcurrency: number;
  environmentVariables: Record<string, string>;
  caPort?: number;
  customRuntimeConfig?: { command?: string[]; args?: string[] };
  customContainerConfig?: Record<string, unknown>;
  instanceType: string;
  layers: string[];
  codeChecksum: string;
  codeSize: number;
  createdTime: string;
  lastModifiedTime: string;
}

export interface TriggerRecord {
  triggerName: string;
  triggerId: string;
  triggerType: string;
  triggerConfig: Record<string, unknown>;
  qualifier: string;
  description: string;
  sourceArn: string;
  invocationRole: string;
  createdTime: string;
  lastModifiedTime: string;
}

export interface RouteRecord {
  path: string;
  serviceName: string;
  functionName: string;
  qualifier: string;
  methods: string[];
  rewriteConfig?: unknown;
}

export interface DomainRecord {
  domainName: string;
  accountId: string;
  apiVersion: string;
  protocol: string;
  routeConfig: { routes: RouteRecord[] };
  certConfig?: { certName: string; certificate: string; privateKey: string };
  tlsConfig?: { minVersion?: string; maxVersion?: string; cipherSuites?: string[] };
  wafConfig?: { enableWAF?: boolean };
  createdTime: string;
  lastModifiedTime: string;
}

export const SERVICE_SCHEMA: KeySchema = {
  serviceName: 'value',
  description: 'value',
  role: 'value',
  internetAccess: 'value',
  logConfig: { project: 'value', logstore: 'value', enableRequestMetrics: 'value', enableInstanceMetrics: 'value', logBeginRule: 'value' },
  vpcConfig: { vpcId: 'value', vSwitchIds: 'value', securityGroupId: 'value', role: 'value' },
  nasConfig: { userId: 'value', groupId: 'value', mountPoints: { serverAddr: 'value', mountDir: 'value', enableTLS: 'value' } },
  tracingConfig: { type: 'value', params: 'opaque' },
};

export const FUNCTION_SCHEMA: KeySchema = {
  functionName: 'value',
  description: 'value',
  runtime: 'value',
  handler: 'value',
  timeout: 'value',
  memorySize: 'value',
  initializer: 'value',
  initializationTimeout: 'value',
  instanceConcurrency: 'value',
  environmentVariables: 'opaque',
  caPort: 'value',
  customRuntimeConfig: { command: 'value', args: 'value' },
  customContainerConfig: 'opaque',
  instanceType: 'value',
  layers: 'value',
  code: { zipFile: 'value', ossBucketName: 'value', ossObjectName: 'value' },
};

export const TRIGGER_SCHEMA: KeySchema = {
  triggerName: 'value',
  triggerType: 'value',
  triggerConfig: 'opaque', // may be a JSON string (2021 models) or an object; normalised by the trigger handler
  qualifier: 'value',
  description: 'value',
  sourceArn: 'value',
  invocationRole: 'value',
};

export const HTTP_TRIGGER_CONFIG_SCHEMA: KeySchema = { authType: 'value', methods: 'value', disableURLInternet: 'value', authConfig: 'opaque' };

export const DOMAIN_SCHEMA: KeySchema = {
  domainName: 'value',
  protocol: 'value',
  routeConfig: { routes: { path: 'value', serviceName: 'value', functionName: 'value', qualifier: 'value', methods: 'value', rewriteConfig: 'opaque' } },
  certConfig: { certName: 'value', certificate: 'value', privateKey: 'value' },
  tlsConfig: { minVersion: 'value', maxVersion: 'value', cipherSuites: 'value' },
  wafConfig: { enableWAF: 'value' },
};

export const RUNTIMES = new Set(
  'nodejs20 nodejs18 nodejs16 nodejs14 nodejs12 nodejs10 nodejs8 python3.10 python3.9 python3 python2.7 java11 java8 go1 php7.2 dotnetcore3.1 custom custom.debian10 custom-container'.split(' '),
);
export const CUSTOM_RUNTIMES = new Set(['custom', 'custom.debian10', 'custom-container']);
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'];
export const TRIGGER_TYPES = new Set(['http', 'timer', 'oss', 'log', 'cdn_events', 'mns_topic', 'tablestore', 'rdb', 'eventbridge']);

export function domainView(d: DomainRecord): Record<string, unknown> {
  // FC never returns the private key (fc-python-sdk custom_domain_test: privateKey is null).
  return d.certConfig ? { ...d, certConfig: { ...d.certConfig, privateKey: null } } : { ...d };
}
