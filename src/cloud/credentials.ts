// Credentials from the standard Alibaba Cloud chain, or the emulator's well-known ones with --local.
import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../core/errors';
import { registerSecret } from '../ui/redact';
import { LOCAL_DEFAULTS } from '../emulator/types';

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** Where they came from, for messages: "environment", "profile dev (~/.aliyun/config.json)", "emulator defaults". */
  source: string;
}

const CHAIN_TIMEOUT_MS = 1400; // DESIGN §3: missing credentials must fail within two seconds

export function localCredentials(env: NodeJS.ProcessEnv): Credentials {
  return {
    accessKeyId: env.FCX_LOCAL_ACCESS_KEY_ID || LOCAL_DEFAULTS.accessKeyId,
    accessKeySecret: env.FCX_LOCAL_ACCESS_KEY_SECRET || LOCAL_DEFAULTS.accessKeySecret,
    source: 'the local emulator defaults',
  };
}

function fromEnv(env: NodeJS.ProcessEnv): Credentials | undefined {
  const id = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const secret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!id || !secret) return undefined;
  return { accessKeyId: id, accessKeySecret: secret, securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN || undefined, source: 'environment variables' };
}

export async function resolveCredentials(opts: { env: NodeJS.ProcessEnv; profile?: string; local: boolean }): Promise<Credentials> {
  const creds = opts.local ? localCredentials(opts.env) : fromEnv(opts.env) ?? (await fromChain(opts.env, opts.profile));
  registerSecret(creds.accessKeySecret);
  registerSecret(creds.securityToken);
  return creds;
}

async function fromChain(env: NodeJS.ProcessEnv, profile?: string): Promise<Credentials> {
  const home = env.HOME || env.USERPROFILE || '~';
  const sources = [
    'ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (/ ALIBABA_CLOUD_SECURITY_TOKEN) environment variables',
    `aliyun CLI profile ${profile ? `"${profile}"` : '(current)'} in ${home}/.aliyun/config.json`,
    `${env.ALIBABA_CLOUD_CREDENTIALS_FILE || `${home}/.alibabacloud/credentials`} [${profile || 'default'}]`,
    'OIDC role (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE)',
    'ECS instance RAM role (metadata service)',
  ];
  // The chain skips a file it cannot parse as if it were absent; a person needs to hear that it is broken.
  const cliConfig = `${home}/.aliyun/config.json`;
  if (existsSync(cliConfig)) {
    try {
      JSON.parse(readFileSync(cliConfig, 'utf8'));
    } catch (err) {
      throw new UsageError(`${cliConfig} is not valid JSON (${(err as Error).message}), so its profiles cannot be read.`, 'Fix or re-create it with `aliyun configure`, or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.');
    }
  }
  const fail = (why?: string) =>
    new UsageError(
      `No Alibaba Cloud credentials found${why ? ` (${why})` : ''}. Looked in:\n  - ${sources.join('\n  - ')}`,
      'Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or run `aliyun configure`, or pass --profile NAME. To deploy to the local emulator instead, add --local.',
    );
  if (profile) process.env.ALIBABA_CLOUD_PROFILE = profile;
  let timer: NodeJS.Timeout | undefined;
  try {
    const mod: any = require('@alicloud/credentials');
    const Credential = mod.default ?? mod;
    const client = new Credential();
    const got: any = await Promise.race([
      client.getCredential(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CHAIN_TIMEOUT_MS);
      }),
    ]);
    if (!got?.accessKeyId || !got?.accessKeySecret) throw fail();
    return {
      accessKeyId: got.accessKeyId,
      accessKeySecret: got.accessKeySecret,
      securityToken: got.securityToken || undefined,
      source: got.providerName ? `the credentials chain (${got.providerName})` : 'the credentials chain',
    };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const msg = err instanceof Error ? err.message.split('\n')[0] : undefined;
    throw fail(msg && msg.length < 160 ? msg : undefined);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
