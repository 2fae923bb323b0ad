/*
 * Data residency as tags: a data-resident endpoint tags the IAM role that reads its weights with where it may keep
 * data and where its data goes. The library derives the "goes" values from the configuration (the model bucket's
 * region, the region of the load balancer's access-log bucket, the pool's placement), never from the user; the
 * compliance rule DataResidencyRespected (GDPR, HIPAA packs) compares them. Kept in planning so that the endpoint
 * and the compliance rules share it without depending on each other.
 */

/** Tag keys of a data-resident endpoint's model-read role. Values are space-separated location names. */
export const RESIDENCY_TAGS = {
  /** Where the endpoint's data may be: regions ("eu-central-1"), Local Zones or on-premises locations ("fra-dc1"). */
  allowed: "secure-inference/resident-in",
  /** Where the replicas run (the pool's region, Local Zone or on-premises location). */
  serves: "secure-inference/serves-in",
  /** Where the model weights are stored (the region of the cluster's model bucket). */
  weights: "secure-inference/weights-in",
  /** Where request logs go (the region of the access-log bucket of the internal load balancer). */
  logs: "secure-inference/request-logs-in",
} as const;

/** The location recorded when a region is a Terraform reference, unknown at synth time (never allowed). */
export const UNKNOWN_LOCATION = "unknown-region";

/** Location names: region, Local Zone or on-premises site names (lower-case letters, digits, "-"). */
export const LOCATION_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** What is kept outside the allowed locations, one line each; empty when everything is inside (or nothing is declared). */
export function residencyViolations(tags: Readonly<Record<string, unknown>> | undefined): string[] {
  const allowedTag = tags?.[RESIDENCY_TAGS.allowed];
  if (typeof allowedTag !== "string") return [];
  const allowed = allowedTag.split(" ").filter((x) => x.length > 0);
  const out: string[] = [];
  for (const [what, key] of [["the replicas run", RESIDENCY_TAGS.serves], ["model weights are stored", RESIDENCY_TAGS.weights], ["request logs go", RESIDENCY_TAGS.logs]] as const) {
    const value = tags?.[key];
    if (typeof value !== "string" || value.length === 0) {
      out.push(`${key} is missing: where ${what} is not declared`);
      continue;
    }
    for (const location of value.split(" ").filter((x) => x.length > 0)) {
      if (location === UNKNOWN_LOCATION) out.push(`${what} in ${location}, which is not known at synth time (set the AWS provider's region literally)`);
      else if (!allowed.includes(location)) out.push(`${what} in ${location}, outside the allowed locations ${allowed.join(", ")}`);
    }
  }
  return out;
}
