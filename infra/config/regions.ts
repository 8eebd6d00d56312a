/**
 * The data-residency regions the product runs in. Every entry becomes one regional stack
 * (`rt-region-<id>`) synthesised from the same construct; adding a region is adding an entry here.
 *
 * CIDRs must not overlap: the regions' VPCs are kept peerable so a migration worker can later be
 * given a private path to another region's Postgres without renumbering.
 */
export interface RegionConfig {
  /** Product region id as used in the env contract (`REGION`, `REGION_<ID>_*`), upper case. */
  readonly id: string;
  /** AWS region that hosts the stack. */
  readonly awsRegion: string;
  /**
   * Availability zones, spelled out so synthesis never needs an AWS lookup (works offline,
   * with or without an account id).
   */
  readonly availabilityZones: readonly string[];
  /** VPC CIDR, unique across regions. */
  readonly cidr: string;
  /** Atlassian realms served by this region's stack besides its own id (e.g. `DE` → EU). */
  readonly aliases: readonly string[];
}

/** The region list. Order matters only for the first entry: it hosts the directory's writer. */
export const regions: readonly RegionConfig[] = [
  {
    id: 'EU',
    awsRegion: 'eu-central-1',
    availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
    cidr: '10.10.0.0/16',
    aliases: ['DE'],
  },
  {
    id: 'US',
    awsRegion: 'us-east-1',
    availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    cidr: '10.20.0.0/16',
    aliases: [],
  },
];

/**
 * Checks the invariants the stacks rely on; throws with a message naming the broken entry.
 * Called by the app before any stack is built so a bad entry fails `cdk synth`, not a deploy.
 */
export function validateRegions(list: readonly RegionConfig[]): void {
  if (list.length === 0) throw new Error('At least one region is required');
  const seen = new Set<string>();
  for (const region of list) {
    if (!/^[A-Z]{2,8}$/.test(region.id))
      throw new Error(`Region id ${region.id} must be 2-8 upper-case letters`);
    for (const name of [region.id, ...region.aliases]) {
      if (seen.has(name)) throw new Error(`Region id or alias ${name} is used twice`);
      seen.add(name);
    }
    if (region.availabilityZones.length < 2) {
      throw new Error(`Region ${region.id} needs at least two availability zones`);
    }
  }
  const awsRegions = new Set(list.map((r) => r.awsRegion));
  if (awsRegions.size !== list.length) throw new Error('Two regions share one AWS region');
  const cidrs = new Set(list.map((r) => r.cidr));
  if (cidrs.size !== list.length) throw new Error('Two regions share one VPC CIDR');
}

/** `REGION_ALIASES` value for the env contract, e.g. `DE:EU`. */
export function regionAliases(list: readonly RegionConfig[]): string {
  return list.flatMap((r) => r.aliases.map((alias) => `${alias}:${r.id}`)).join(',');
}
