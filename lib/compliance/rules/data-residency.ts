import { RESIDENCY_TAGS, residencyViolations } from "../../planning/data-residency";
import { ComplianceRule, Outcome } from "../rule-model";

/**
 * A data-resident endpoint keeps its weights and request logs where it declared. CanaryModelEndpoint's
 * `dataResidency` tags the endpoint's model-read role with the allowed locations and with where the library sends
 * its data (the replicas' placement, the model bucket's region, the region of the load balancer's access logs);
 * this rule compares them. The library's own rule: neither cdk-nag nor checkov checks residency.
 */
export const DataResidencyRespected = {
  id: "DataResidencyRespected",
  description: "A data-resident endpoint keeps its model weights, request logs and replicas in its allowed locations.",
  explanation:
    "An endpoint marked data-resident (e.g. on an on-premises pool for personal data that must not leave a site or a " +
    "jurisdiction) reads its weights from the cluster's model bucket and has its internal load balancer's access logs " +
    "(client addresses, paths, times) written to the cluster's access-log bucket: both are in the cluster's region. " +
    "When that region, or where the replicas run, is not among the allowed locations, data leaves them: allow the region " +
    "(if it is acceptable), or keep the endpoint on a pool and a cluster whose region is allowed.",
  resourceTypes: ["aws_iam_role"],
  notEvaluatedNote: "no data-resident endpoint in this stack (CanaryModelEndpoint dataResidency)",
  evaluate: ({ resource }) => {
    const tags = resource.config.tags as Record<string, unknown> | undefined;
    if (typeof tags?.[RESIDENCY_TAGS.allowed] !== "string") return Outcome.notApplicable();
    const violations = residencyViolations(tags);
    if (violations.length === 0) return Outcome.compliant();
    return Outcome.nonCompliant(
      `${String(tags["secure-inference/endpoint"] ?? resource.path)} is data-resident, but ${violations.join("; ")}; ` +
        "add the location to dataResidency.allowedLocations if it is acceptable, or place the endpoint so that its data stays inside them.",
    );
  },
} as const satisfies ComplianceRule;

/** Rules for data residency. */
export const DATA_RESIDENCY_RULES = [DataResidencyRespected] as const satisfies readonly ComplianceRule[];
