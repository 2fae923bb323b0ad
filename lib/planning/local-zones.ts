/*
 * Which NVIDIA GPU instance families the AWS Local Zones offer, for validating Local Zone pools at synth time.
 *
 * Source: the "Local Zones features" page (https://aws.amazon.com/about-aws/global-infrastructure/localzones/features/),
 * which lists the EC2 families per zone; read as remembered on 2026-12-03, not fetched from this machine. Offerings
 * change and differ by size: check a zone with
 *   aws ec2 describe-instance-type-offerings --location-type availability-zone --filters Name=location,Values=<zone> --region <region>
 * and, for a zone or family not listed here, declare what you checked with the pool's `localZone.verifiedInstanceTypes`.
 */

/** GPU families a Local Zone group offers, by zone group (the zone name without its final letter). */
export const LOCAL_ZONE_GPU_FAMILIES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  // Los Angeles, parent region us-west-2: the Local Zone with G5 (A10G) besides G4dn (T4).
  "us-west-2-lax-1": ["g4dn", "g5"],
});

/** Source of LOCAL_ZONE_GPU_FAMILIES, for messages. */
export const LOCAL_ZONE_OFFERINGS_SOURCE = "https://aws.amazon.com/about-aws/global-infrastructure/localzones/features/";

/** Local Zone names: "<region>-<metro>-<n><letter>", e.g. "us-west-2-lax-1a". */
const LOCAL_ZONE_NAME = /^([a-z]{2}(?:-gov)?-[a-z]+-\d)-([a-z]{3})-(\d)([a-z])$/;

/** The parts of a Local Zone name, or undefined when it is not one (an availability zone such as "us-east-1a" is not). */
export function parseLocalZone(zone: string): { readonly region: string; readonly zoneGroup: string } | undefined {
  const m = LOCAL_ZONE_NAME.exec(zone);
  return m ? { region: m[1], zoneGroup: `${m[1]}-${m[2]}-${m[3]}` } : undefined;
}
