// The cloud clients one deploy/remove/info run uses, built once per run (SDKs load here, lazily).
import type { Context } from '../core/context';
import type { CloudTarget } from '../cloud/target';
import type { FcApi } from '../cloud/fc';
import type { RamApi } from '../cloud/ram';
import type { SlsApi } from '../cloud/sls';
import type { OssApi } from '../cloud/oss';

export interface Apis {
  target: CloudTarget;
  fc: FcApi;
  ram: RamApi;
  sls: SlsApi;
  oss: OssApi;
}

export async function makeApis(ctx: Context, target: CloudTarget): Promise<Apis> {
  const [{ FcApi }, { RamApi }, { SlsApi }, { OssApi }] = await Promise.all([
    import('../cloud/fc.js'),
    import('../cloud/ram.js'),
    import('../cloud/sls.js'),
    import('../cloud/oss.js'),
  ]);
  // Each client is created on first use: a deploy without logs or large code never loads the SLS or OSS SDK.
  let fc: FcApi | undefined, ram: RamApi | undefined, sls: SlsApi | undefined, oss: OssApi | undefined;
  return {
    target,
    get fc() {
      return (fc ??= new FcApi(target, ctx));
    },
    get ram() {
      return (ram ??= new RamApi(target, ctx));
    },
    get sls() {
      return (sls ??= new SlsApi(target, ctx));
    },
    get oss() {
      return (oss ??= new OssApi(target, ctx));
    },
  };
}
