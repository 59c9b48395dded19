// Region ids: fcx checks only their shape (Alibaba Cloud adds regions, and a new one must keep working), and
// warns when an id is not one it knows, which catches typos such as cn-hangzou or made-up ids such as mars-1.
import { REGION_PATTERN } from './defaults';
import { levenshtein } from './suggest';

/** Function Compute regions known when this fcx was released (not a limit: others only get a warning). */
export const KNOWN_REGIONS: readonly string[] = [
  'cn-hangzhou', 'cn-shanghai', 'cn-qingdao', 'cn-beijing', 'cn-zhangjiakou', 'cn-huhehaote', 'cn-wulanchabu',
  'cn-shenzhen', 'cn-heyuan', 'cn-guangzhou', 'cn-chengdu', 'cn-nanjing', 'cn-fuzhou', 'cn-wuhan-lr', 'cn-hongkong',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ap-northeast-1', 'ap-northeast-2', 'ap-south-1',
  'us-west-1', 'us-east-1', 'eu-central-1', 'eu-west-1', 'me-east-1', 'me-central-1', 'na-south-1',
];

export function isRegionShape(region: string): boolean {
  return new RegExp(REGION_PATTERN).test(region);
}

/** A warning for a well-formed region id fcx does not know, else undefined. */
export function unknownRegionWarning(region: string | undefined): string | undefined {
  if (!region || !isRegionShape(region) || KNOWN_REGIONS.includes(region)) return undefined;
  const close = KNOWN_REGIONS.filter((r) => levenshtein(r, region) <= 2);
  return (
    `Region ${region} is not one fcx knows${close.length ? `; did you mean ${close.join(' or ')}?` : '.'} ` +
    `If Alibaba Cloud opened it recently this is fine; otherwise the first cloud call will fail. Known: ${KNOWN_REGIONS.slice(0, 6).join(', ')}, …`
  );
}
