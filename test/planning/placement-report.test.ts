import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { WorkloadNamespace } from "../../lib/addons/workload-namespace";
import { SecureInferenceCluster } from "../../lib/cluster/secure-inference-cluster";
import { CanaryModelEndpoint } from "../../lib/endpoint/canary-model-endpoint";
import { PLAN_REPORT_FILES, PlanReport } from "../../lib/planning/capacity-plan";
import { chatProps } from "../endpoint/fixtures";
import { captureStdout } from "../util";

describe("the plan report of a hybrid and edge cluster", () => {
  let report: PlanReport;
  let servingReport: PlanReport;
  let markdown: string;
  let stdout: string;

  beforeAll(() => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-placement-"));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "edge");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const cluster = new SecureInferenceCluster(stack, "ml", {
      clusterName: "ml-edge",
      network: { availabilityZones: ["us-east-1a", "us-east-1b"] },
      gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 4 }],
      hybridNodes: { remoteNodeNetworks: ["192.168.10.0/24"], remotePodNetworks: ["192.168.64.0/18"], credentials: { provider: "ssm" } },
      onPremisesGpuPools: [{ name: "onprem-l40s", serverShape: "onprem-l40s.4gpu", servers: 2, location: "fra-dc1" }],
    });
    const addons = new TerraformStack(app, "addons");
    new WorkloadNamespace(addons, "models", { connection: cluster.connection, name: "models", gpuQuota: 16 });
    const serving = new TerraformStack(app, "serving");
    serving.addDependency(addons);
    new AwsProvider(serving, "aws", { region: "us-east-1" });
    new CanaryModelEndpoint(serving, "chat", chatProps(cluster));
    new CanaryModelEndpoint(serving, "private-chat", chatProps(cluster, { gpu: { pool: "onprem-l40s" } }));
    stdout = captureStdout(() => app.synth());
    const read = (stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, PLAN_REPORT_FILES.json), "utf8")) as PlanReport;
    report = read("edge");
    servingReport = read("serving");
    markdown = fs.readFileSync(path.join(outdir, "stacks", "serving", PLAN_REPORT_FILES.markdown), "utf8");
  });

  it("shows each pool's and endpoint's placement", () => {
    expect(report.pools.map((p) => [p.pool, p.placement])).toEqual([["l4", "region us-east-1"], ["onprem-l40s", "on-premises fra-dc1"]]);
    expect(servingReport.endpoints.map((e) => [e.name, e.placement])).toEqual([["models/chat", "region us-east-1"], ["models/private-chat", "on-premises fra-dc1"]]);
  });

  it("shows on-premises GPUs without a cloud price and leaves them out of the totals", () => {
    const onprem = report.pools.find((p) => p.pool === "onprem-l40s")!;
    expect(onprem).toMatchObject({ gpuModel: "L40S", gpusPerNode: 4, minNodes: 2, maxNodes: 2 });
    expect(servingReport.pools.find((p) => p.pool === "onprem-l40s")!.endpointGpus).toEqual({ min: 1, max: 4 });
    expect(onprem.usdPerNodeHour).toBeUndefined();
    expect(onprem.hourlyUsd).toBeUndefined();
    expect(onprem.priceNote).toMatch(/^on-premises servers have no cloud price/);
    const l4 = report.pools.find((p) => p.pool === "l4")!;
    expect(report.totals.hourlyUsd).toEqual(l4.hourlyUsd);
    // No "has no price" warning for your own servers.
    expect(stdout).not.toMatch(/pool onprem-l40s .* has no price/);
  });

  it("prints the labels, taints and nodeadm configuration the servers join with", () => {
    expect(markdown).toContain("## Placement");
    expect(markdown).toContain("| onprem-l40s | on-premises fra-dc1 | 4 x L40S | 2-2 | none (on-premises) |");
    expect(markdown).toContain("### Join instructions: pool onprem-l40s (on-premises fra-dc1)");
    expect(markdown).toContain("- label `secure-inference.io/pool=onprem-l40s`");
    expect(markdown).toContain("- taint `nvidia.com/gpu=true:NoSchedule`");
    expect(markdown).toContain("      - --register-with-taints=nvidia.com/gpu=true:NoSchedule");
    const section = markdown.slice(markdown.indexOf("## Placement"), markdown.indexOf("## Endpoints"));
    expect(section).toMatchSnapshot();
  });
});
