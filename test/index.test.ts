import * as fs from "fs";
import * as path from "path";
import * as lib from "../lib";

/** lib/index.ts is the public API: named exports only, no internals or test helpers. */
describe("the public API (lib/index.ts)", () => {
  const source = fs.readFileSync(path.join(__dirname, "..", "lib", "index.ts"), "utf8");
  const names = Object.keys(lib).sort();

  it("exports by name: no `export *`, nothing from a private folder", () => {
    expect(source).not.toMatch(/export \*/);
    expect(source).not.toMatch(/from "\.\/[^"]*private\//);
  });

  it("publishes none of the internals and test helpers the old `export *` leaked", () => {
    for (const internal of [
      "addSuppression",
      "suppressionCovers",
      "suppressionsUnder",
      "evaluateStack",
      "fixedBakeExposure",
      "reportSummaryLine",
      "resolveCanaryRollout",
      "validateCanaryRollout",
      "renderQueueDepthQuery",
      "QUEUE_SELECTOR_PLACEHOLDER",
      "planMarkdown",
      "planSummary",
      "fitInputProblems",
      "humanTrustStatement",
      "MANAGED_POLICY_MAX_CHARS",
      "EXEC_API_VERSION",
      "EKS_UNSUPPORTED_ZONE_IDS",
      "DECODE_BANDWIDTH_EFFICIENCY",
      "PREFILL_MFU",
      "Outcome",
    ]) {
      expect({ internal, exported: names.includes(internal) }).toEqual({ internal, exported: false });
    }
  });

  it("exports every construct users compose", () => {
    expect(names).toEqual(
      expect.arrayContaining([
        "SecureInferenceCluster",
        "ClusterAddons",
        "WorkloadNamespace",
        "CanaryModelEndpoint",
        "InferenceServer",
        "InferenceRouter",
        "Compliance",
        "CapacityPlan",
        "StateBackend",
        "GithubDeployRole",
        "AccessEntry",
        "ValidationError",
      ]),
    );
  });

  it("matches the reviewed list of runtime exports (a change here is an API change)", () => {
    expect(names).toMatchSnapshot();
  });
});
