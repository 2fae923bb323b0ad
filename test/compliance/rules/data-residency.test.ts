import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { DATA_RESIDENCY_RULES, DataResidencyRespected } from "../../../lib/compliance/rules/data-residency";
import { RESIDENCY_TAGS, residencyViolations } from "../../../lib/planning/data-residency";
import { evaluateRule } from "../rule-harness";

const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const resident = (serves: string, weights: string, logs: string) => ({
  "secure-inference/endpoint": "models/private-chat",
  [RESIDENCY_TAGS.allowed]: "fra-dc1 eu-central-1",
  [RESIDENCY_TAGS.serves]: serves,
  [RESIDENCY_TAGS.weights]: weights,
  [RESIDENCY_TAGS.logs]: logs,
});

describe("DataResidencyRespected", () => {
  it("passes a resident endpoint whose replicas, weights and request logs stay in its allowed locations", () => {
    const { byId } = evaluateRule(DataResidencyRespected, (s) => new IamRole(s, "role", { assumeRolePolicy: trust, tags: resident("fra-dc1", "eu-central-1", "eu-central-1") }));
    expect(byId.role.status).toBe("compliant");
  });

  it("refuses a resident endpoint whose weights come from, and whose logs go to, a region outside the list", () => {
    const { byId } = evaluateRule(DataResidencyRespected, (s) => new IamRole(s, "role", { assumeRolePolicy: trust, tags: resident("fra-dc1", "us-west-2", "us-west-2") }));
    expect(byId.role).toEqual({
      status: "non-compliant",
      message:
        "models/private-chat is data-resident, but model weights are stored in us-west-2, outside the allowed locations fra-dc1, eu-central-1; request logs go in us-west-2, outside the allowed locations fra-dc1, eu-central-1; " +
        "add the location to dataResidency.allowedLocations if it is acceptable, or place the endpoint so that its data stays inside them.",
    });
  });

  it("refuses a region unknown at synth, and is not applicable to roles without a residency declaration", () => {
    expect(residencyViolations(resident("fra-dc1", "unknown-region", "eu-central-1"))).toEqual(["model weights are stored in unknown-region, which is not known at synth time (set the AWS provider's region literally)"]);
    const { byId } = evaluateRule(DataResidencyRespected, (s) => new IamRole(s, "role", { assumeRolePolicy: trust, tags: { team: "ml" } }));
    expect(byId.role.status).toBe("not-applicable");
  });
});

it("exports every data residency rule in DATA_RESIDENCY_RULES", () => {
  expect(DATA_RESIDENCY_RULES).toEqual([DataResidencyRespected]);
});
